import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as pol from '../../host/registry/policies.ts';
import { registerCACertificate, registerCertificate } from '../../host/registry/certificates.ts';
import { addThingToThingGroup, createThing, createThingGroup } from '../../host/registry/things.ts';
import { deviceCert, memoryRegistry, testPki, throwsCode } from './fixture.ts';

const doc = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

const create = suite('createPolicy');
create('version 1 is the default; malformed and duplicate refused', () => {
	const { reg } = memoryRegistry();
	const r = pol.createPolicy(reg, { policyName: 'p', policyDocument: doc('iot:Connect') });
	assert.equal(r, { policyName: 'p', policyArn: 'arn:aws:iot:us-east-1:123456789012:policy/p', policyDocument: doc('iot:Connect'), policyVersionId: '1' });
	throwsCode(() => pol.createPolicy(reg, { policyName: 'p', policyDocument: doc('iot:Connect') }), 'WARDEN_ERR_REGISTRY_EXISTS');
	throwsCode(() => pol.createPolicy(reg, { policyName: 'q', policyDocument: '{"Statement":[]}' }), 'WARDEN_ERR_POLICY_INVALID');
	throwsCode(() => pol.createPolicy(reg, { policyName: 'bad name!', policyDocument: doc('iot:Connect') }), 'WARDEN_ERR_REGISTRY_INVALID');
});
create.run();

const versions = suite('createPolicyVersion');
versions('at most 5 versions; setAsDefault; delete default refused', () => {
	const { reg } = memoryRegistry();
	pol.createPolicy(reg, { policyName: 'p', policyDocument: doc('iot:Connect') });
	for (let i = 2; i <= 5; i++) {
		const v = pol.createPolicyVersion(reg, 'p', { policyDocument: doc(`iot:Publish`), setAsDefault: i === 3 });
		assert.is(v.policyVersionId, String(i));
	}
	throwsCode(() => pol.createPolicyVersion(reg, 'p', { policyDocument: doc('iot:Receive') }), 'WARDEN_ERR_REGISTRY_LIMIT');
	assert.is(pol.getPolicy(reg, 'p').defaultVersionId, '3');
	assert.equal(pol.listPolicyVersions(reg, 'p').map((v) => [v.versionId, v.isDefaultVersion]), [['5', false], ['4', false], ['3', true], ['2', false], ['1', false]]);
	throwsCode(() => pol.deletePolicyVersion(reg, 'p', '3'), 'WARDEN_ERR_REGISTRY_CONFLICT');
	pol.deletePolicyVersion(reg, 'p', '1');
	const v6 = pol.createPolicyVersion(reg, 'p', { policyDocument: doc('iot:Receive') });
	assert.is(v6.policyVersionId, '6');
	pol.setDefaultPolicyVersion(reg, 'p', '6');
	assert.is(pol.getPolicy(reg, 'p').policyDocument, doc('iot:Receive'));
	assert.is(pol.getPolicyVersion(reg, 'p', '6').isDefaultVersion, true);
	throwsCode(() => pol.setDefaultPolicyVersion(reg, 'p', '1'), 'WARDEN_ERR_REGISTRY_NOT_FOUND');
	throwsCode(() => pol.deletePolicy(reg, 'p'), 'WARDEN_ERR_REGISTRY_CONFLICT', 'versions');
	for (const v of ['2', '3', '4', '5']) pol.deletePolicyVersion(reg, 'p', v);
	pol.deletePolicy(reg, 'p');
	assert.equal(pol.listPolicies(reg), []);
});
versions.run();

const attach = suite('attachPolicy');
attach('targets are certificate or group ARNs; list both ways; delete blocked while attached', () => {
	const { reg } = memoryRegistry();
	registerCACertificate(reg, { caCertificate: testPki().ca.certPem, setAsActive: true });
	const cert = registerCertificate(reg, { certificatePem: deviceCert('a').certPem, setAsActive: true });
	createThingGroup(reg, { thingGroupName: 'g' });
	pol.createPolicy(reg, { policyName: 'p', policyDocument: doc('iot:Connect') });
	pol.attachPolicy(reg, 'p', cert.certificateArn);
	pol.attachPolicy(reg, 'p', reg.arn('thinggroup/g'));
	pol.attachPolicy(reg, 'p', cert.certificateArn);
	assert.equal(pol.listTargetsForPolicy(reg, 'p'), [cert.certificateArn, reg.arn('thinggroup/g')]);
	assert.equal(pol.listAttachedPolicies(reg, cert.certificateArn).map((p) => p.policyName), ['p']);
	throwsCode(() => pol.attachPolicy(reg, 'p', reg.arn('thing/x')), 'WARDEN_ERR_REGISTRY_INVALID');
	throwsCode(() => pol.attachPolicy(reg, 'p', reg.arn('thinggroup/nope')), 'WARDEN_ERR_REGISTRY_NOT_FOUND');
	throwsCode(() => pol.attachPolicy(reg, 'nope', cert.certificateArn), 'WARDEN_ERR_REGISTRY_NOT_FOUND');
	throwsCode(() => pol.deletePolicy(reg, 'p'), 'WARDEN_ERR_REGISTRY_CONFLICT', 'attached');
	pol.detachPolicy(reg, 'p', cert.certificateArn);
	assert.equal(pol.listAttachedPolicies(reg, cert.certificateArn), []);
});
attach.run();

const effect = suite('policiesInEffect');
effect('certificate policies + policies of the thing groups and their ancestors, default versions', () => {
	const { reg } = memoryRegistry();
	registerCACertificate(reg, { caCertificate: testPki().ca.certPem, setAsActive: true });
	const cert = registerCertificate(reg, { certificatePem: deviceCert('a').certPem, setAsActive: true });
	createThing(reg, { thingName: 't' });
	createThingGroup(reg, { thingGroupName: 'root' });
	createThingGroup(reg, { thingGroupName: 'leaf', parentGroupName: 'root' });
	createThingGroup(reg, { thingGroupName: 'other' });
	addThingToThingGroup(reg, 't', 'leaf');
	for (const n of ['c', 'r', 'o']) pol.createPolicy(reg, { policyName: n, policyDocument: doc('iot:Connect') });
	pol.attachPolicy(reg, 'c', cert.certificateArn);
	pol.attachPolicy(reg, 'r', reg.arn('thinggroup/root'));
	pol.attachPolicy(reg, 'o', reg.arn('thinggroup/other'));
	assert.equal(pol.policiesInEffect(reg, cert.certificateId, 't').map((p) => p.name), ['c', 'r']);
	assert.equal(pol.policiesInEffect(reg, cert.certificateId, null).map((p) => p.name), ['c']);
	assert.equal(pol.policiesInEffect(reg, null, null), []);
	pol.createPolicyVersion(reg, 'c', { policyDocument: doc('iot:Publish'), setAsDefault: true });
	assert.equal(pol.policiesInEffect(reg, cert.certificateId, null)[0]!.document.statements[0]!.actions, ['iot:Publish']);
});
effect.run();
