/**
 * mTLS end to end with MQTT.js over real TLS on 127.0.0.1: registry checks at CONNECT, IoT
 * policy authorization of publish / subscribe / receive, authorization-failure events, and
 * deactivation closing live sessions.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { registerCACertificate, registerCertificate, updateCACertificate, updateCertificate } from '../../host/registry/certificates.ts';
import { attachPolicy, createPolicy } from '../../host/registry/policies.ts';
import { attachThingPrincipal } from '../../host/registry/principals.ts';
import { createThing } from '../../host/registry/things.ts';
import { createDevCa } from '../../host/registry/dev-pki.ts';
import { closedByServer, end, nextMessage, subscribe } from '../helpers/mqtt.ts';
import { type MtlsBed, connectTls, startMtlsBed, waitForEvent } from './fixture.ts';

const A = 'arn:aws:iot:us-east-1:123456789012';
// The usual per-thing policy: connect as yourself, use only your own thing's topics.
const THING_POLICY = JSON.stringify({
	Version: '2012-10-17',
	Statement: [
		{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/\${iot:Connection.Thing.ThingName}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
		{ Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${A}:topic/$aws/things/\${iot:Connection.Thing.ThingName}/*` },
		{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${A}:topicfilter/$aws/things/\${iot:Connection.Thing.ThingName}/*` },
	],
});

let bed: MtlsBed;
let caId = '';

/** Register a thing with an ACTIVE certificate carrying THING_POLICY; returns its credentials and id. */
function provision(name: string, opts: { status?: string; notBefore?: number; notAfter?: number; ca?: ReturnType<typeof createDevCa> } = {}) {
	const cred = bed.device(name, opts);
	const reg = bed.svc.registry;
	const { certificateId, certificateArn } = registerCertificate(reg, { certificatePem: cred.certPem, status: opts.status ?? 'ACTIVE' });
	createThing(reg, { thingName: name });
	attachThingPrincipal(reg, name, certificateArn);
	attachPolicy(reg, 'thing-policy', certificateArn);
	return { cred, certificateId };
}

const connect = suite('registryHooks: CONNECT over mTLS');
connect.before(async () => {
	bed = await startMtlsBed();
	caId = registerCACertificate(bed.svc.registry, { caCertificate: bed.ca.certPem, setAsActive: true }).certificateId;
	createPolicy(bed.svc.registry, { policyName: 'thing-policy', policyDocument: THING_POLICY });
});
connect.after(() => bed.close());

connect('a registered ACTIVE certificate attached to its thing connects; the session carries its identity', async () => {
	const { cred, certificateId } = provision('dev-ok');
	const r = await connectTls(bed, 'dev-ok', cred);
	assert.ok(r.ok, r.ok ? '' : r.error);
	const ev = await waitForEvent(bed, 'broker.connect', (e) => e.clientId === 'dev-ok');
	assert.is(ev.certificateId, certificateId);
	assert.is(ev.thingName, 'dev-ok');
	if (r.ok) await end(r.client);
	const hist = bed.svc.connections.list(0);
	assert.ok(hist.some((h) => h.clientId === 'dev-ok' && h.certificateId === certificateId && h.sourceIp === '127.0.0.1'));
});

const refusals: Array<[string, (name: string) => { cred: ReturnType<MtlsBed['device']> } | { cred: ReturnType<MtlsBed['device']>; certificateId: string }, RegExp]> = [
	['revoked', (n) => { const p = provision(n); updateCertificate(bed.svc.registry, p.certificateId, 'REVOKED'); return p; }, /is REVOKED/],
	['inactive', (n) => provision(n, { status: 'INACTIVE' }), /is INACTIVE/],
	['unknown (not registered)', (n) => ({ cred: bed.device(n) }), /is not registered/],
	['expired', (n) => provision(n, { notBefore: Date.now() - 2 * 86_400_000, notAfter: Date.now() - 86_400_000 }), /expired at/],
	['not yet valid', (n) => provision(n, { notBefore: Date.now() + 86_400_000, notAfter: Date.now() + 2 * 86_400_000 }), /not valid before/],
	['CA inactive', (n) => {
		const other = createDevCa({ commonName: 'Second CA', notBefore: Date.now() - 86_400_000 });
		const id = registerCACertificate(bed.svc.registry, { caCertificate: other.certPem, setAsActive: true }).certificateId;
		const p = provision(n, { ca: other });
		updateCACertificate(bed.svc.registry, id, { newStatus: 'INACTIVE' });
		return p;
	}, /CA certificate .* is INACTIVE/],
	['no client certificate', () => ({ cred: null as never }), /no client certificate/],
	['client id that is not its thing (policy: connect as yourself)', () => {
		const p = provision('dev-real');
		return p;
	}, /no policy allows iot:Connect/],
];
for (const [what, setup, reason] of refusals) {
	connect(`refused: ${what}; counted as an authorization failure`, async () => {
		const name = `dev-${what.split(' ')[0]}`;
		const { cred } = setup(name);
		const r = await connectTls(bed, name, cred);
		assert.is(r.ok, false);
		if (!r.ok) assert.is(r.code, 5, `CONNACK code (error: ${r.error})`);
		const ev = await waitForEvent(bed, 'broker.auth-failure', (e) => e.clientId === name && e.action === 'connect');
		assert.match(ev.reason, reason);
	});
}
connect.run();

const authz = suite('registryHooks: publish / subscribe / receive');
authz.before(async () => {
	bed = await startMtlsBed();
	caId = registerCACertificate(bed.svc.registry, { caCertificate: bed.ca.certPem, setAsActive: true }).certificateId;
	createPolicy(bed.svc.registry, { policyName: 'thing-policy', policyDocument: THING_POLICY });
});
authz.after(() => bed.close());

authz('a device reports on its own topic and receives its ACCEPTED reply', async () => {
	const { cred } = provision('dev-a');
	const r = await connectTls(bed, 'dev-a', cred);
	assert.ok(r.ok);
	if (!r.ok) return;
	const c = r.client;
	assert.is(await subscribe(c, '$aws/things/dev-a/defender/metrics/json/accepted'), 1);
	const got = nextMessage(c, '$aws/things/dev-a/defender/metrics/json/accepted');
	await c.publishAsync('$aws/things/dev-a/defender/metrics/json', JSON.stringify({ header: { report_id: 7, version: '1.0' }, metrics: {} }), { qos: 1 });
	assert.is(JSON.parse((await got).toString()).status, 'ACCEPTED');
	await end(c);
});

authz("subscribing to another thing's topics is refused (SUBACK 0x80) and counted", async () => {
	const { cred } = provision('dev-b');
	const r = await connectTls(bed, 'dev-b', cred);
	assert.ok(r.ok);
	if (!r.ok) return;
	assert.is(await subscribe(r.client, '$aws/things/dev-a/shadow/update'), 128);
	const ev = await waitForEvent(bed, 'broker.auth-failure', (e) => e.clientId === 'dev-b' && e.action === 'subscribe');
	assert.is(ev.resource, '$aws/things/dev-a/shadow/update');
	assert.match(ev.reason, 'no policy allows subscribe');
	await end(r.client);
});

authz("publishing to another thing's topic is denied, counted, and the session closed", async () => {
	const { cred } = provision('dev-c');
	const r = await connectTls(bed, 'dev-c', cred);
	assert.ok(r.ok);
	if (!r.ok) return;
	const before = (bed.events['broker.auth-failure'] ?? []).length;
	const closed = closedByServer(r.client);
	r.client.publish('$aws/things/dev-a/defender/metrics/json', '{}', { qos: 1 });
	await closed;
	const ev = await waitForEvent(bed, 'broker.auth-failure', (e) => e.clientId === 'dev-c' && e.action === 'publish');
	assert.is(ev.resource, '$aws/things/dev-a/defender/metrics/json');
	assert.is((bed.events['broker.auth-failure'] ?? []).length, before + 1);
	await end(r.client);
});

authz('an explicit Deny attached to a thing group wins over the certificate policy', async () => {
	const reg = bed.svc.registry;
	const { cred } = provision('dev-d');
	const { createThingGroup, addThingToThingGroup } = await import('../../host/registry/things.ts');
	createThingGroup(reg, { thingGroupName: 'quarantine' });
	addThingToThingGroup(reg, 'dev-d', 'quarantine');
	createPolicy(reg, { policyName: 'deny-shadow', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${A}:topicfilter/$aws/things/*/shadow/*` }] }) });
	attachPolicy(reg, 'deny-shadow', reg.arn('thinggroup/quarantine'));
	const r = await connectTls(bed, 'dev-d', cred);
	assert.ok(r.ok);
	if (!r.ok) return;
	assert.is(await subscribe(r.client, '$aws/things/dev-d/shadow/get'), 128);
	assert.is(await subscribe(r.client, '$aws/things/dev-d/jobs/notify'), 1);
	const ev = await waitForEvent(bed, 'broker.auth-failure', (e) => e.clientId === 'dev-d' && e.action === 'subscribe');
	assert.match(ev.reason, 'explicitly denied by policy deny-shadow');
	await end(r.client);
});

authz('receive is checked per delivery: a message on a topic the subscriber may not receive is not delivered', async () => {
	const reg = bed.svc.registry;
	// a policy that allows subscribing to a broad filter but receiving only its own topics
	createPolicy(reg, { policyName: 'broad-sub', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${A}:topicfilter/fleet/#` }, { Effect: 'Allow', Action: 'iot:Receive', Resource: `${A}:topic/fleet/dev-e/*` }] }) });
	const { cred, certificateId } = provision('dev-e');
	attachPolicy(reg, 'broad-sub', reg.arn(`cert/${certificateId}`));
	const r = await connectTls(bed, 'dev-e', cred);
	assert.ok(r.ok);
	if (!r.ok) return;
	assert.is(await subscribe(r.client, 'fleet/#'), 1);
	const got = nextMessage(r.client, 'fleet/dev-e/cmd');
	await bed.broker.publish('fleet/dev-x/cmd', 'not for you', { qos: 1 });
	await bed.broker.publish('fleet/dev-e/cmd', 'for you', { qos: 1 });
	assert.is((await got).toString(), 'for you');
	const ev = await waitForEvent(bed, 'broker.auth-failure', (e) => e.clientId === 'dev-e' && e.action === 'receive');
	assert.is(ev.resource, 'fleet/dev-x/cmd');
	await end(r.client);
});
authz.run();

const revoke = suite('installRegistryAuth: deactivation');
revoke.before(async () => {
	bed = await startMtlsBed();
	caId = registerCACertificate(bed.svc.registry, { caCertificate: bed.ca.certPem, setAsActive: true }).certificateId;
	createPolicy(bed.svc.registry, { policyName: 'thing-policy', policyDocument: THING_POLICY });
});
revoke.after(() => bed.close());

revoke('deactivating a certificate disconnects its live session at once; the reconnect is refused', async () => {
	const { cred, certificateId } = provision('dev-live');
	const r = await connectTls(bed, 'dev-live', cred);
	assert.ok(r.ok);
	if (!r.ok) return;
	const closed = closedByServer(r.client);
	updateCertificate(bed.svc.registry, certificateId, 'INACTIVE');
	await closed;
	const ev = await waitForEvent(bed, 'broker.disconnect', (e) => e.clientId === 'dev-live');
	assert.match(ev.reason, 'INACTIVE');
	const again = await connectTls(bed, 'dev-live', cred);
	assert.is(again.ok, false);
	await end(r.client);
});

revoke('deactivating the CA disconnects every session it signed', async () => {
	const a = provision('dev-ca-1');
	const b = provision('dev-ca-2');
	const ra = await connectTls(bed, 'dev-ca-1', a.cred);
	const rb = await connectTls(bed, 'dev-ca-2', b.cred);
	assert.ok(ra.ok && rb.ok);
	if (!ra.ok || !rb.ok) return;
	const closed = Promise.all([closedByServer(ra.client), closedByServer(rb.client)]);
	updateCACertificate(bed.svc.registry, caId, { newStatus: 'INACTIVE' });
	await closed;
	const again = await connectTls(bed, 'dev-ca-1', a.cred);
	assert.is(again.ok, false);
	await end(ra.client);
	await end(rb.client);
});
revoke.run();
