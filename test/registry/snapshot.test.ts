import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { EventBus } from '../../host/events.ts';
import { HISTORY_FLUSH_MS, recordConnections, sqliteConnectionHistory } from '../../host/registry/connection-history.ts';
import { registrySnapshot } from '../../host/registry/snapshot.ts';
import { registerCACertificate, registerCertificate } from '../../host/registry/certificates.ts';
import { attachPolicy, createPolicy } from '../../host/registry/policies.ts';
import { attachThingPrincipal } from '../../host/registry/principals.ts';
import { addThingToThingGroup, createThing, createThingGroup } from '../../host/registry/things.ts';
import { createRoleAlias, setV2LoggingOptions } from '../../host/registry/settings.ts';
import { T0, deviceCert, memoryRegistry, testPki } from './fixture.ts';

const record = suite('recordConnections');
record('sessions from broker events; a take-over closes the oldest open session of that client id', () => {
	const { reg, clock } = memoryRegistry();
	const bus = new EventBus();
	const { history, stop } = recordConnections(bus, reg.db, clock);
	const base = { sourceIp: '10.0.0.1', certificateId: 'c1', thingName: 't' };
	bus.emit('broker.connect', { ...base, clientId: 'a', at: T0 });
	bus.emit('broker.connect', { ...base, clientId: 'a', sourceIp: '10.0.0.2', at: T0 + 10 });
	bus.emit('broker.disconnect', { ...base, clientId: 'a', at: T0 + 11, reason: 'duplicate client id' });
	bus.emit('broker.connect', { ...base, clientId: 'b', certificateId: 'c1', at: T0 + 20 });
	const all = history.list(T0);
	assert.equal(all.map((c) => [c.clientId, c.sourceIp, c.connectedAt, c.disconnectedAt, c.disconnectReason]), [
		['b', '10.0.0.1', T0 + 20, null, null],
		['a', '10.0.0.2', T0 + 10, null, null],
		['a', '10.0.0.1', T0, T0 + 11, 'duplicate client id'],
	]);
	assert.equal(history.list(T0 + 12).map((c) => c.connectedAt), [T0 + 20, T0 + 10]);
	assert.equal(history.list(T0, T0 + 5).map((c) => c.connectedAt), [T0]);
	stop();
	bus.emit('broker.connect', { ...base, clientId: 'z', at: T0 + 30 });
	assert.is(history.list(T0).length, 3);
	assert.is(history.prune(T0 + 12), 1);
	assert.is(sqliteConnectionHistory(reg.db).list(0).length, 2);
});
record('events are written in batches: by the timer, or before any read', () => {
	const { reg, clock } = memoryRegistry();
	const bus = new EventBus();
	const { history } = recordConnections(bus, reg.db, clock);
	const raw = sqliteConnectionHistory(reg.db);
	bus.emit('broker.connect', { clientId: 'a', sourceIp: '', certificateId: null, thingName: null, at: T0 });
	assert.is(raw.list(0).length, 0);
	clock.advance(HISTORY_FLUSH_MS);
	assert.is(raw.list(0).length, 1);
	bus.emit('broker.disconnect', { clientId: 'a', sourceIp: '', certificateId: null, thingName: null, at: T0 + 5, reason: 'x' });
	assert.is(history.list(0)[0]!.disconnectedAt, T0 + 5);
	assert.is(clock.pendingTimers, 0);
});
record.run();

const snap = suite('registrySnapshot');
snap('the audit snapshot mirrors the registry', () => {
	const { reg, clock } = memoryRegistry();
	const bus = new EventBus();
	const { history } = recordConnections(bus, reg.db, clock);
	const caId = registerCACertificate(reg, { caCertificate: testPki().ca.certPem, setAsActive: true }).certificateId;
	const cert = registerCertificate(reg, { certificatePem: deviceCert('t').certPem, setAsActive: true });
	createThing(reg, { thingName: 't' });
	createThingGroup(reg, { thingGroupName: 'g' });
	addThingToThingGroup(reg, 't', 'g');
	attachThingPrincipal(reg, 't', cert.certificateArn);
	createPolicy(reg, { policyName: 'p', policyDocument: '{"Statement":[{"Effect":"Allow","Action":"iot:*","Resource":"*"}]}' });
	attachPolicy(reg, 'p', cert.certificateArn);
	attachPolicy(reg, 'p', reg.arn('thinggroup/g'));
	createRoleAlias(reg, { roleAlias: 'r', roleArn: 'arn:aws:iam::123456789012:role/x' });
	setV2LoggingOptions(reg, { defaultLogLevel: 'DISABLED' });
	bus.emit('broker.connect', { clientId: 't', sourceIp: '1.2.3.4', certificateId: cert.certificateId, thingName: 't', at: T0 });
	const s = registrySnapshot(reg, history).snapshot({ now: T0 + 1000, connectionsSince: T0 - 1 });
	assert.is(s.takenAt, T0 + 1000);
	assert.equal(s.caCertificates.map((c) => [c.certificateId, c.status, c.isCa, c.issuerId]), [[caId, 'ACTIVE', true, null]]);
	assert.equal(s.certificates.map((c) => [c.certificateId, c.status, c.caCertificateId, c.chain, c.key.algorithm, c.key.bits]), [[cert.certificateId, 'ACTIVE', caId, [caId], 'RSA', 2048]]);
	assert.is(s.certificates[0]!.notAfter, T0 + 365 * 86_400_000);
	assert.equal(s.policies.map((p) => [p.policyName, p.defaultVersionId, (p.document.Statement as unknown[]).length]), [['p', '1', 1]]);
	assert.equal(s.policyAttachments.map((a) => a.targetType), ['CERTIFICATE', 'THING_GROUP']);
	assert.equal(s.things, [{ thingName: 't', thingArn: reg.arn('thing/t'), thingGroups: ['g'], principals: [cert.certificateId] }]);
	assert.equal(s.thingGroups.map((g) => g.thingGroupName), ['g']);
	assert.equal(s.roleAliases.map((r) => r.roleArn), ['arn:aws:iam::123456789012:role/x']);
	assert.equal(s.logging, { v1: null, v2: { enabled: false, defaultLogLevel: 'DISABLED', roleArn: '' } });
	assert.equal(s.connections.map((c) => [c.clientId, c.certificateId]), [['t', cert.certificateId]]);
});
snap.run();
