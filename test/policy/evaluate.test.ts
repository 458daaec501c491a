import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePolicyDocument } from '../../host/policy/document.ts';
import { policyContext } from '../../host/policy/context.ts';
import { evaluatePolicies, statementApplies, type NamedPolicy } from '../../host/policy/evaluate.ts';
import { authorizeMqtt } from '../../host/policy/authorize.ts';

const A = 'arn:aws:iot:us-east-1:123456789012';
const scope = { region: 'us-east-1', accountId: '123456789012' };
const pol = (name: string, statements: unknown[]): NamedPolicy => ({ name, document: parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: statements })) });
const ctx = policyContext({ clientId: 'dev-1', thingName: 'dev-1', thingTypeName: 'sensor', isAttached: true, thingAttributes: { site: 'berlin' }, certificate: { subject: { CommonName: 'dev-1' }, issuer: { CommonName: 'Warden Dev CA' }, serialNumber: '0a', notBefore: 0, notAfter: 1 }, sourceIp: '10.1.2.3' });

const evaluate = suite('evaluatePolicies');

const table: Array<[string, NamedPolicy[], string, string, string]> = [
	['exact allow', [pol('p', [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/a/b` }])], 'iot:Publish', `${A}:topic/a/b`, 'ALLOW'],
	['no statement → implicit deny', [pol('p', [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/a/b` }])], 'iot:Publish', `${A}:topic/a/c`, 'IMPLICIT_DENY'],
	['action wildcard iot:*', [pol('p', [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }])], 'iot:Subscribe', `${A}:topicfilter/x/#`, 'ALLOW'],
	['action prefix wildcard', [pol('p', [{ Effect: 'Allow', Action: 'iot:Pub*', Resource: '*' }])], 'iot:Subscribe', `${A}:topicfilter/x`, 'IMPLICIT_DENY'],
	['action case-insensitive', [pol('p', [{ Effect: 'Allow', Action: 'IOT:publish', Resource: '*' }])], 'iot:Publish', `${A}:topic/x`, 'ALLOW'],
	['resource * spans slashes', [pol('p', [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/a/*` }])], 'iot:Publish', `${A}:topic/a/b/c`, 'ALLOW'],
	['resource ? is one char', [pol('p', [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/a/?` }])], 'iot:Publish', `${A}:topic/a/bc`, 'IMPLICIT_DENY'],
	['resource ? matches one char', [pol('p', [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/a/?` }])], 'iot:Publish', `${A}:topic/a/b`, 'ALLOW'],
	['MQTT + is literal in policies', [pol('p', [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/a/+` }])], 'iot:Publish', `${A}:topic/a/b`, 'IMPLICIT_DENY'],
	['explicit deny wins in the same policy', [pol('p', [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }, { Effect: 'Deny', Action: 'iot:Publish', Resource: `${A}:topic/secret/*` }])], 'iot:Publish', `${A}:topic/secret/x`, 'EXPLICIT_DENY'],
	['explicit deny wins across policies', [pol('allow', [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }]), pol('deny', [{ Effect: 'Deny', Action: 'iot:Connect', Resource: '*' }])], 'iot:Connect', `${A}:client/dev-1`, 'EXPLICIT_DENY'],
	['allow from second policy', [pol('a', [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }]), pol('b', [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/b` }])], 'iot:Publish', `${A}:topic/b`, 'ALLOW'],
	['variable ClientId', [pol('p', [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/\${iot:ClientId}` }])], 'iot:Connect', `${A}:client/dev-1`, 'ALLOW'],
	['variable ThingName in topic', [pol('p', [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/$aws/things/\${iot:Connection.Thing.ThingName}/*` }])], 'iot:Publish', `${A}:topic/$aws/things/dev-1/defender/metrics/json`, 'ALLOW'],
	["another thing's topic denied", [pol('p', [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/$aws/things/\${iot:Connection.Thing.ThingName}/*` }])], 'iot:Publish', `${A}:topic/$aws/things/dev-2/defender/metrics/json`, 'IMPLICIT_DENY'],
	['variable thing attribute', [pol('p', [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/site/\${iot:Connection.Thing.Attributes[site]}/*` }])], 'iot:Publish', `${A}:topic/site/berlin/t`, 'ALLOW'],
	['variable thing type', [pol('p', [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/\${iot:Connection.Thing.ThingTypeName}` }])], 'iot:Publish', `${A}:topic/sensor`, 'ALLOW'],
	['variable certificate CN', [pol('p', [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/cn/\${iot:Certificate.Subject.CommonName}` }])], 'iot:Publish', `${A}:topic/cn/dev-1`, 'ALLOW'],
	['unresolved variable matches nothing', [pol('p', [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/\${iot:Connection.Thing.Attributes[missing]}` }])], 'iot:Publish', `${A}:topic/`, 'IMPLICIT_DENY'],
	['unresolved variable in Deny does not deny', [pol('p', [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }, { Effect: 'Deny', Action: 'iot:*', Resource: `${A}:topic/\${iot:Connection.Thing.Attributes[missing]}` }])], 'iot:Publish', `${A}:topic/x`, 'ALLOW'],
	['escaped ${*} is a literal star', [pol('p', [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${A}:topic/a\${*}` }])], 'iot:Publish', `${A}:topic/abc`, 'IMPLICIT_DENY'],
	['condition IsAttached true', [pol('p', [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*', Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } }])], 'iot:Connect', `${A}:client/dev-1`, 'ALLOW'],
	['condition IpAddress outside', [pol('p', [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '192.168.0.0/16' } } }])], 'iot:Connect', `${A}:client/dev-1`, 'IMPLICIT_DENY'],
	['condition IpAddress inside', [pol('p', [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': ['192.168.0.0/16', '10.0.0.0/8'] } } }])], 'iot:Connect', `${A}:client/dev-1`, 'ALLOW'],
	['NotAction', [pol('p', [{ Effect: 'Allow', NotAction: 'iot:Connect', Resource: '*' }])], 'iot:Connect', `${A}:client/dev-1`, 'IMPLICIT_DENY'],
	['NotResource deny', [pol('p', [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }, { Effect: 'Deny', Action: 'iot:Publish', NotResource: `${A}:topic/ok/*` }])], 'iot:Publish', `${A}:topic/other`, 'EXPLICIT_DENY'],
	['no policies at all', [], 'iot:Connect', `${A}:client/dev-1`, 'IMPLICIT_DENY'],
];
for (const [name, policies, action, resource, want] of table) {
	evaluate(name, () => {
		assert.is(evaluatePolicies(policies, { action, resource }, ctx).decision, want);
	});
}
evaluate('reports the deciding policy and statement', () => {
	const r = evaluatePolicies([pol('allow', [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }]), pol('deny', [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }, { Effect: 'Deny', Action: 'iot:Connect', Resource: '*' }])], { action: 'iot:Connect', resource: `${A}:client/x` }, ctx);
	assert.equal(r, { decision: 'EXPLICIT_DENY', policyName: 'deny', statementIndex: 1 });
});
evaluate('client id with * is taken literally', () => {
	const c = policyContext({ clientId: 'a*' });
	const p = [pol('p', [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/\${iot:ClientId}` }])];
	assert.is(evaluatePolicies(p, { action: 'iot:Connect', resource: `${A}:client/a*` }, c).decision, 'ALLOW');
	assert.is(evaluatePolicies(p, { action: 'iot:Connect', resource: `${A}:client/abc` }, c).decision, 'IMPLICIT_DENY');
});
evaluate.run();

const applies = suite('statementApplies');
applies('StringEquals condition on thing name, missing key', () => {
	const [s] = pol('p', [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*', Condition: { StringEquals: { 'iot:Connection.Thing.ThingName': 'dev-1' } } }]).document.statements;
	assert.is(statementApplies(s!, { action: 'iot:Connect', resource: 'x' }, ctx), true);
	assert.is(statementApplies(s!, { action: 'iot:Connect', resource: 'x' }, policyContext({ clientId: 'c' })), false);
});
applies('StringNotEqualsIfExists and Null', () => {
	const [s] = pol('p', [{ Effect: 'Deny', Action: 'iot:*', Resource: '*', Condition: { Null: { 'iot:Connection.Thing.ThingName': 'true' } } }]).document.statements;
	assert.is(statementApplies(s!, { action: 'iot:Connect', resource: 'x' }, policyContext({ clientId: 'c' })), true);
	assert.is(statementApplies(s!, { action: 'iot:Connect', resource: 'x' }, ctx), false);
});
applies.run();

const authorize = suite('authorizeMqtt');
authorize('builds client / topic / topicfilter ARNs', () => {
	const p = [pol('p', [
		{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/\${iot:ClientId}` },
		{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${A}:topicfilter/$aws/things/\${iot:ClientId}/#` },
		{ Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${A}:topic/$aws/things/\${iot:ClientId}/*` },
	])];
	const facts = { clientId: 'dev-1' };
	assert.is(authorizeMqtt(p, scope, 'connect', 'dev-1', facts).decision, 'ALLOW');
	const sub = authorizeMqtt(p, scope, 'subscribe', '$aws/things/dev-1/#', facts);
	assert.is(sub.resource, `${A}:topicfilter/$aws/things/dev-1/#`);
	assert.is(sub.decision, 'ALLOW');
	assert.is(authorizeMqtt(p, scope, 'subscribe', '$aws/things/+/#', facts).decision, 'IMPLICIT_DENY');
	assert.is(authorizeMqtt(p, scope, 'receive', '$aws/things/dev-1/x', facts).resource, `${A}:topic/$aws/things/dev-1/x`);
	assert.is(authorizeMqtt(p, scope, 'publish', '$aws/things/dev-2/x', facts).decision, 'IMPLICIT_DENY');
});
authorize.run();
