import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { compilePattern, matchPattern } from '../../host/policy/pattern.ts';
import { contextValue, policyContext } from '../../host/policy/context.ts';

const ctx = policyContext({ clientId: 'c.1', thingName: 't(1)', isAttached: false });

const compile = suite('compilePattern');
compile('regex metacharacters in values are literal', () => {
	assert.is(compilePattern('client/${iot:ClientId}', ctx)!.test('client/c.1'), true);
	assert.is(compilePattern('client/${iot:ClientId}', ctx)!.test('client/cx1'), false);
	assert.is(compilePattern('t/${iot:Connection.Thing.ThingName}', ctx)!.test('t/t(1)'), true);
});
compile('unknown variable → null', () => {
	assert.is(compilePattern('x/${iot:Nope}', ctx), null);
});
compile('variable names are case-insensitive', () => {
	assert.is(compilePattern('${IOT:CLIENTID}', ctx)!.test('c.1'), true);
});
compile.run();

const match = suite('matchPattern');
match('* and ? and literal escapes', () => {
	assert.is(matchPattern('a*z', 'a/b/c/z', null), true);
	assert.is(matchPattern('a?', 'ab', null), true);
	assert.is(matchPattern('a?', 'a', null), false);
	assert.is(matchPattern('a${?}', 'a?', null), true);
	assert.is(matchPattern('a${?}', 'ab', null), false);
	assert.is(matchPattern('$aws/${$}', '$aws/$', null), true);
	assert.is(matchPattern('ABC', 'abc', null), false);
	assert.is(matchPattern('ABC', 'abc', null, true), true);
});
match.run();

const context = suite('policyContext');
context('thing keys only with a thing; IsAttached always present', () => {
	assert.is(contextValue(ctx, 'iot:Connection.Thing.IsAttached'), 'false');
	assert.is(contextValue(policyContext({ clientId: 'x' }), 'iot:Connection.Thing.ThingName'), undefined);
	assert.is(contextValue(ctx, 'iot:connection.thing.thingname'), 't(1)');
});
context.run();

const value = suite('contextValue');
value('missing key is undefined', () => {
	assert.is(contextValue(ctx, 'aws:SourceIp'), undefined);
	assert.is(contextValue(policyContext({ clientId: 'x', sourceIp: '::1' }), 'aws:sourceip'), '::1');
});
value.run();
