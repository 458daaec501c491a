import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePolicyDocument } from '../../host/policy/document.ts';
import { isWardenError } from '../../host/errors.ts';

const parse = suite('parsePolicyDocument');

function rejects(text: string, fragment: string) {
	try {
		parsePolicyDocument(text);
	} catch (e) {
		assert.ok(isWardenError(e));
		assert.is(e.code, 'WARDEN_ERR_POLICY_INVALID');
		assert.match(e.message, fragment);
		return;
	}
	assert.unreachable(`accepted ${text}`);
}

parse('single statement object and string lists', () => {
	const d = parsePolicyDocument('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iot:Connect","Resource":"*"}}');
	assert.is(d.version, '2012-10-17');
	assert.is(d.statements.length, 1);
	assert.equal(d.statements[0]!.actions, ['iot:Connect']);
	assert.equal(d.statements[0]!.resources, ['*']);
	assert.is(Object.isFrozen(d.statements[0]), true);
});
parse('conditions with IfExists and booleans', () => {
	const d = parsePolicyDocument(JSON.stringify({ Statement: [{ Effect: 'Deny', Action: ['iot:Publish'], Resource: ['*'], Condition: { BoolIfExists: { 'iot:Connection.Thing.IsAttached': false } } }] }));
	assert.equal(d.statements[0]!.conditions, [{ operator: 'Bool', ifExists: true, key: 'iot:Connection.Thing.IsAttached', values: ['false'] }]);
});
parse('rejects malformed documents with a path', () => {
	rejects('not json', 'policyDocument is not valid JSON');
	rejects('[]', 'must be a JSON object');
	rejects('{"Statement":[]}', 'Statement must not be empty');
	rejects('{"Statement":[{"Effect":"Maybe","Action":"iot:*","Resource":"*"}]}', 'Statement[0].Effect must be');
	rejects('{"Statement":[{"Effect":"Allow","Resource":"*"}]}', 'exactly one of Action and NotAction');
	rejects('{"Statement":[{"Effect":"Allow","Action":"publish","Resource":"*"}]}', 'Action[0] must look like');
	rejects('{"Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"topic/x"}]}', 'Resource[0] must be "*" or an ARN');
	rejects('{"Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"*","Condition":{"Magic":{"a":"b"}}}]}', 'not a supported condition operator');
	rejects('{"Version":"2020-01-01","Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"*"}]}', 'Version must be');
	rejects(JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: 'arn:' + 'x'.repeat(3000) }] }), 'at most 2048');
});
parse.run();
