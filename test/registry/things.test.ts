import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as things from '../../host/registry/things.ts';
import * as principals from '../../host/registry/principals.ts';
import { registerCACertificate, registerCertificate } from '../../host/registry/certificates.ts';
import { T0, deviceCert, memoryRegistry, testPki, throwsCode } from './fixture.ts';

const create = suite('createThing');
create('attributes, type, idempotent create, conflicting create', () => {
	const { reg } = memoryRegistry();
	const r = things.createThing(reg, { thingName: 'dev-1', thingTypeName: 'sensor', attributes: { site: 'berlin' } });
	assert.is(r.thingArn, 'arn:aws:iot:us-east-1:123456789012:thing/dev-1');
	assert.equal(things.describeThing(reg, 'dev-1'), { thingName: 'dev-1', thingId: r.thingId, thingArn: r.thingArn, thingTypeName: 'sensor', attributes: { site: 'berlin' }, version: 1, creationDate: T0 });
	assert.is(things.createThing(reg, { thingName: 'dev-1', thingTypeName: 'sensor', attributes: { site: 'berlin' } }).thingId, r.thingId);
	throwsCode(() => things.createThing(reg, { thingName: 'dev-1' }), 'WARDEN_ERR_REGISTRY_EXISTS');
	throwsCode(() => things.createThing(reg, { thingName: 'bad/name' }), 'WARDEN_ERR_REGISTRY_INVALID');
	throwsCode(() => things.describeThing(reg, 'nope'), 'WARDEN_ERR_REGISTRY_NOT_FOUND');
});
create.run();

const update = suite('updateThing');
update('merge, remove with empty string, version bump, expectedVersion', () => {
	const { reg } = memoryRegistry();
	things.createThing(reg, { thingName: 't', attributes: { a: '1', b: '2' } });
	things.updateThing(reg, 't', { attributes: { b: '', c: '3' }, expectedVersion: 1 });
	const d = things.describeThing(reg, 't');
	assert.equal([d.attributes, d.version], [{ a: '1', c: '3' }, 2]);
	throwsCode(() => things.updateThing(reg, 't', { attributes: {}, expectedVersion: 1 }), 'WARDEN_ERR_REGISTRY_CONFLICT');
	things.updateThing(reg, 't', { attributes: { z: '9' }, merge: false, thingTypeName: 'k' });
	assert.equal(things.describeThing(reg, 't').attributes, { z: '9' });
	assert.equal(things.listThings(reg, { attributeName: 'z', attributeValue: '9' }).map((t) => t.thingName), ['t']);
	assert.equal(things.listThings(reg, { thingTypeName: 'other' }), []);
});
update.run();

const groups = suite('createThingGroup');
groups('nesting, ancestors, membership, recursive listing, depth limit', () => {
	const { reg } = memoryRegistry();
	things.createThingGroup(reg, { thingGroupName: 'a' });
	things.createThingGroup(reg, { thingGroupName: 'b', parentGroupName: 'a' });
	things.createThingGroup(reg, { thingGroupName: 'c', parentGroupName: 'b' });
	throwsCode(() => things.createThingGroup(reg, { thingGroupName: 'x', parentGroupName: 'nope' }), 'WARDEN_ERR_REGISTRY_NOT_FOUND');
	assert.equal(things.describeThingGroup(reg, 'c').rootToParentThingGroups.map((g) => g.groupName), ['a', 'b']);
	assert.equal(things.groupAncestors(reg, 'c'), ['b', 'a']);
	things.createThing(reg, { thingName: 't1' });
	things.createThing(reg, { thingName: 't2' });
	things.addThingToThingGroup(reg, 't1', 'c');
	things.addThingToThingGroup(reg, 't2', 'a');
	assert.equal(things.listThingGroupsForThing(reg, 't1'), ['c']);
	assert.equal(things.effectiveThingGroups(reg, 't1').sort(), ['a', 'b', 'c']);
	assert.equal(things.listThingsInThingGroup(reg, 'a'), ['t2']);
	assert.equal(things.listThingsInThingGroup(reg, 'a', { recursive: true }), ['t1', 't2']);
	assert.equal(things.listThingGroups(reg, { parentGroup: 'a' }).map((g) => g.thingGroupName), ['b']);
	assert.equal(things.listThingGroups(reg, { parentGroup: 'a', recursive: true }).map((g) => g.thingGroupName), ['b', 'c']);
	throwsCode(() => things.deleteThingGroup(reg, 'b'), 'WARDEN_ERR_REGISTRY_CONFLICT');
	things.removeThingFromThingGroup(reg, 't1', 'c');
	assert.equal(things.listThingGroupsForThing(reg, 't1'), []);
	for (let i = 4; i <= 7; i++) things.createThingGroup(reg, { thingGroupName: `g${i}`, parentGroupName: i === 4 ? 'c' : `g${i - 1}` });
	throwsCode(() => things.createThingGroup(reg, { thingGroupName: 'g8', parentGroupName: 'g7' }), 'WARDEN_ERR_REGISTRY_INVALID', 'nest');
});
groups.run();

const del = suite('deleteThing');
del('blocked while principals are attached; missing thing is fine', () => {
	const { reg } = memoryRegistry();
	registerCACertificate(reg, { caCertificate: testPki().ca.certPem, setAsActive: true });
	const cert = registerCertificate(reg, { certificatePem: deviceCert('t').certPem, setAsActive: true });
	things.createThing(reg, { thingName: 't' });
	principals.attachThingPrincipal(reg, 't', cert.certificateArn);
	assert.equal(principals.listThingPrincipals(reg, 't'), [cert.certificateArn]);
	assert.equal(principals.listPrincipalThings(reg, cert.certificateArn), ['t']);
	throwsCode(() => things.deleteThing(reg, 't'), 'WARDEN_ERR_REGISTRY_CONFLICT');
	throwsCode(() => principals.attachThingPrincipal(reg, 't', reg.arn('cert/' + '0'.repeat(64))), 'WARDEN_ERR_REGISTRY_NOT_FOUND');
	throwsCode(() => principals.attachThingPrincipal(reg, 't', 'arn:aws:iam::1:user/x'), 'WARDEN_ERR_REGISTRY_INVALID');
	principals.detachThingPrincipal(reg, 't', cert.certificateArn);
	things.deleteThing(reg, 't');
	things.deleteThing(reg, 't');
	throwsCode(() => things.describeThing(reg, 't'), 'WARDEN_ERR_REGISTRY_NOT_FOUND');
});
del.run();
