/**
 * Integration: the real agent.wasm under AgentRuntime over mutual TLS (TlsTransport) to the
 * broker's mTLS listener on 127.0.0.1, with certificates made in the test and registered in the
 * registry. The agent runs on a VirtualClock (its reconnect backoff is advanced explicitly); the
 * tests wait on events with bounded wall-time timeouts.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AgentRuntime, loadAgentModule } from '../../host/agent-runtime/agent-runtime.ts';
import { SimulatedDeviceState } from '../../host/agent-runtime/simulated-device.ts';
import type { AgentEvents } from '../../host/agent-runtime/stats.ts';
import { parseBrokerUrl } from '../../host/agent-runtime/tcp-transport.ts';
import { createBrokerTransport } from '../../host/agent-runtime/broker-transport.ts';
import { checkTlsCredentials, loadTlsCredentials, TlsTransport, type TlsCredentials } from '../../host/agent-runtime/tls-transport.ts';
import type { AgentConfig } from '../../host/agent-runtime/config-tlv.ts';
import { VirtualClock } from '../../host/clock.ts';
import { isWardenError, type WardenError } from '../../host/errors.ts';
import type { WardenEvents } from '../../host/events.ts';
import { registerCACertificate, registerCertificate, updateCertificate } from '../../host/registry/certificates.ts';
import { createDevCa, generateRsaKeyPem } from '../../host/registry/dev-pki.ts';
import { attachPolicy, createPolicy } from '../../host/registry/policies.ts';
import { attachThingPrincipal } from '../../host/registry/principals.ts';
import { createThing } from '../../host/registry/things.ts';
import { type MtlsBed, startMtlsBed, waitForEvent } from './fixture.ts';

const A = 'arn:aws:iot:us-east-1:123456789012';
const THING_POLICY = JSON.stringify({
	Version: '2012-10-17',
	Statement: [
		{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/\${iot:Connection.Thing.ThingName}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
		{ Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${A}:topic/$aws/things/\${iot:Connection.Thing.ThingName}/*` },
		{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${A}:topicfilter/$aws/things/\${iot:Connection.Thing.ThingName}/*` },
	],
});
// Connect and subscribe to its own topics, receive them, but publish nothing.
const NO_PUBLISH_POLICY = JSON.stringify({
	Version: '2012-10-17',
	Statement: [
		{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/\${iot:Connection.Thing.ThingName}` },
		{ Effect: 'Allow', Action: 'iot:Receive', Resource: `${A}:topic/$aws/things/\${iot:Connection.Thing.ThingName}/*` },
		{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${A}:topicfilter/$aws/things/\${iot:Connection.Thing.ThingName}/*` },
	],
});

let bed: MtlsBed;
const stored: WardenEvents['report.accepted'][] = [];
const attempts: string[] = [];
const module = loadAgentModule();

function provision(name: string, policy = 'thing-policy'): { creds: TlsCredentials; certificateId: string } {
	const kc = bed.device(name);
	const reg = bed.svc.registry;
	const { certificateId, certificateArn } = registerCertificate(reg, { certificatePem: kc.certPem, caCertificatePem: bed.ca.certPem, setAsActive: true });
	createThing(reg, { thingName: name });
	attachThingPrincipal(reg, name, certificateArn);
	attachPolicy(reg, policy, certificateArn);
	return { creds: { certPem: kc.certPem, keyPem: kc.keyPem, caPem: bed.ca.certPem }, certificateId };
}

interface Agent { rt: AgentRuntime; clock: VirtualClock; errors: Error[]; logs: string[] }

function agent(creds: TlsCredentials, config: Partial<AgentConfig> & { thingName: string }): Agent {
	const clock = new VirtualClock();
	const errors: Error[] = [];
	const logs: string[] = [];
	const s = new SimulatedDeviceState();
	s.listeningTcp = [{ port: 22, iface: 'eth0' }];
	const addr = parseBrokerUrl(`mqtts://127.0.0.1:${bed.svc.mtlsPort}`);
	const rt = new AgentRuntime({
		module,
		config: { keepaliveSec: 0, ...config },
		source: s,
		transport: createBrokerTransport(addr, creds, (e) => errors.push(e)),
		clock,
		log: (level, text) => logs.push(`${level} ${text}`),
	});
	return { rt, clock, errors, logs };
}

function waitEvent<K extends keyof AgentEvents>(rt: AgentRuntime, name: K, pred: (e: AgentEvents[K]) => boolean = () => true, ms = 10_000): Promise<AgentEvents[K]> {
	return new Promise((resolve, reject) => {
		const t = setTimeout(() => { off(); reject(new Error(`no ${name} event within ${ms} ms: ${JSON.stringify(rt.stats())}`)); }, ms);
		const off = rt.on(name, (e) => { if (pred(e)) { clearTimeout(t); off(); resolve(e); } });
	});
}

function count<K extends keyof WardenEvents>(name: K, pred: (e: WardenEvents[K]) => boolean): number {
	return ((bed.events[name] ?? []) as WardenEvents[K][]).filter(pred).length;
}

/** Wall-time wait until `pred` holds (bounded), looking again whenever the runtime steps or 20 ms pass. */
async function until(pred: () => boolean, what: string, ms = 10_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!pred()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

/**
 * Virtual seconds until the agent's next attempt is refused: wait until it is idle (it has seen
 * the link drop and armed its backoff timer), advance 1 s, repeat. 1 s steps keep a jump from
 * landing inside an attempt (which would expire the agent's 10 s handshake deadline).
 */
async function nextRefusal(a: Agent, refusals: () => number): Promise<number> {
	const before = refusals();
	for (let secs = 0; secs <= 70; secs++) {
		await until(() => a.rt.idle || refusals() > before, `the agent to settle (${JSON.stringify(a.rt.stats())} ${a.logs.slice(-3).join(' | ')})`);
		if (refusals() > before) return secs;
		a.clock.advance(1000);
	}
	throw new Error(`no new attempt within 70 s of backoff (${JSON.stringify(a.rt.stats())})`);
}

/** Backoff delays (whole virtual seconds) before `n` further refused attempts. */
async function retries(a: Agent, n: number, refusals: () => number): Promise<number[]> {
	const delays: number[] = [];
	for (let i = 0; i < n; i++) delays.push(await nextRefusal(a, refusals));
	return delays;
}

/** The agent's equal-jitter backoff (firmware schedule.ts): the i-th retry waits 2^i/2 .. 2^i s, seen in whole seconds. */
function assertBackoff(delays: number[]): void {
	delays.forEach((d, i) => {
		assert.ok(d >= Math.ceil(2 ** (i - 1)) && d <= 2 ** i, `retry ${i} after ${d} s (all: ${delays.join(', ')})`);
	});
}

const Report = suite('TlsTransport: agent.wasm reports over mTLS');
Report.before(async () => {
	bed = await startMtlsBed();
	registerCACertificate(bed.svc.registry, { caCertificate: bed.ca.certPem, setAsActive: true });
	createPolicy(bed.svc.registry, { policyName: 'thing-policy', policyDocument: THING_POLICY });
	createPolicy(bed.svc.registry, { policyName: 'no-publish', policyDocument: NO_PUBLISH_POLICY });
	bed.bus.on('report.accepted', (e) => stored.push(e));
	bed.bus.on('broker.connect-attempt', (e) => attempts.push(e.clientId));
});
Report.after(() => bed.close());

for (const format of ['json', 'cbor'] as const) {
	Report(`a registered device's ${format} report is stored and ACCEPTED`, async () => {
		const name = `tls-${format}`;
		const { creds, certificateId } = provision(name);
		const a = agent(creds, { thingName: name, format });
		const accepted = waitEvent(a.rt, 'report');
		a.rt.start();
		try {
			const ev = await accepted;
			assert.is(ev.status, 'ACCEPTED');
			assert.is(ev.stats.accepted, 1);
			assert.is(ev.stats.connections, 1);
			const rec = stored.find((r) => r.thingName === name);
			assert.ok(rec, 'stored before the reply');
			assert.is(rec!.format, format);
			assert.is(rec!.reportId, ev.reportId);
			const conn = await waitForEvent(bed, 'broker.connect', (e) => e.clientId === name);
			assert.is(conn.certificateId, certificateId);
			assert.is(conn.thingName, name);
			assert.is(count('broker.auth-failure', (e) => e.clientId === name), 0);
			assert.equal(a.errors, []);
		} finally {
			a.rt.stop();
		}
	});
}

Report('a revoked certificate never reaches the MQTT session; the agent retries with backoff and counts no report', async () => {
	const { creds, certificateId } = provision('tls-revoked');
	updateCertificate(bed.svc.registry, certificateId, 'REVOKED');
	const a = agent(creds, { thingName: 'tls-revoked' });
	const refused = () => count('broker.auth-failure', (e) => e.clientId === 'tls-revoked' && e.action === 'connect');
	a.rt.start();
	try {
		await until(() => refused() >= 1, 'the first refusal');
		const delays = await retries(a, 3, refused);
		assertBackoff(delays);
		assert.is(refused(), 4); // one refused CONNECT per attempt, not a tight loop
		const ev = (bed.events['broker.auth-failure'] ?? []).find((e) => e.clientId === 'tls-revoked')!;
		assert.match(ev.reason, /REVOKED/);
		const s = a.rt.stats();
		assert.is(s.published, 0);
		assert.is(s.accepted, 0);
		assert.is(s.traps, 0);
		assert.is.not(s.connectionState, 2);
		assert.is(count('broker.connect', (e) => e.clientId === 'tls-revoked'), 0);
		assert.ok(a.rt.running);
	} finally {
		a.rt.stop();
	}
});

Report('an unregistered certificate is refused at CONNECT the same way', async () => {
	const kc = bed.device('tls-unknown');
	const a = agent({ certPem: kc.certPem, keyPem: kc.keyPem, caPem: bed.ca.certPem }, { thingName: 'tls-unknown' });
	const refused = () => count('broker.auth-failure', (e) => e.clientId === 'tls-unknown' && e.action === 'connect');
	a.rt.start();
	try {
		await until(() => refused() >= 1, 'the first refusal');
		assertBackoff(await retries(a, 2, refused));
		assert.is(refused(), 3);
		assert.match((bed.events['broker.auth-failure'] ?? []).find((e) => e.clientId === 'tls-unknown')!.reason, /not registered/);
		assert.is(a.rt.stats().published, 0);
		assert.is(a.rt.stats().traps, 0);
	} finally {
		a.rt.stop();
	}
});

Report('a broker certificate the CA bundle does not trust: WARDEN_ERR_TLS_HANDSHAKE, link down, retries, no crash', async () => {
	const { creds } = provision('tls-wrong-ca');
	const other = createDevCa({ commonName: 'Some Other CA', notBefore: Date.now() - 86_400_000 });
	const a = agent({ ...creds, caPem: other.certPem }, { thingName: 'tls-wrong-ca' });
	const handshakeErrors = () => a.errors.filter((e) => isWardenError(e) && e.code === 'WARDEN_ERR_TLS_HANDSHAKE').length;
	a.rt.start();
	try {
		await until(() => handshakeErrors() >= 1, 'a handshake error');
		assertBackoff(await retries(a, 2, handshakeErrors));
		assert.is(handshakeErrors(), 3);
		const e = a.errors[0] as WardenError;
		assert.is(e.code, 'WARDEN_ERR_TLS_HANDSHAKE');
		assert.match(e.message, /127\.0\.0\.1:\d+/);
		assert.is(attempts.filter((c) => c === 'tls-wrong-ca').length, 0); // never got as far as MQTT
		assert.is(a.rt.stats().published, 0);
		assert.is(a.rt.stats().traps, 0);
		assert.ok(a.rt.running);
	} finally {
		a.rt.stop();
	}
});

Report("a policy that does not allow the report topic: the publish is denied and counted as an authorization failure", async () => {
	const { creds } = provision('tls-no-pub', 'no-publish');
	const a = agent(creds, { thingName: 'tls-no-pub' });
	const denied = () => count('broker.auth-failure', (e) => e.clientId === 'tls-no-pub' && e.action === 'publish');
	a.rt.start();
	try {
		await until(() => denied() >= 1, 'a denied publish');
		const ev = (bed.events['broker.auth-failure'] ?? []).find((e) => e.clientId === 'tls-no-pub' && e.action === 'publish')!;
		assert.is(ev.resource, '$aws/things/tls-no-pub/defender/metrics/json');
		assert.ok(count('broker.connect', (e) => e.clientId === 'tls-no-pub') >= 1); // the session itself was allowed
		assert.is(a.rt.stats().accepted, 0);
		assert.is(a.rt.stats().traps, 0);
		// the broker closed the connection (MQTT 3.1.1 has no negative PUBACK); the agent comes back and is denied again
		assert.equal(await retries(a, 2, denied), [1, 1]); // a session was up: the backoff starts again at 0.5..1 s
		assert.is(denied(), 3);
		assert.is(a.rt.stats().published, 3); // each attempt publishes and is cut off before any reply
		assert.is(a.rt.stats().accepted + a.rt.stats().rejected, 0);
		assert.ok(a.rt.running);
	} finally {
		a.rt.stop();
	}
});
Report.run();

const Creds = suite('loadTlsCredentials');
const code = (c: string) => (e: unknown) => isWardenError(e) && e.code === c;
Creds('reads and checks the three PEM files', async () => {
	const b = await startMtlsBed();
	try {
		const kc = b.device('file-dev');
		const f = (n: string, s: string) => { const p = join(b.dir, n); writeFileSync(p, s); return p; };
		const files = { cert: f('d.crt', kc.certPem), key: f('d.key', kc.keyPem), ca: f('ca.crt', b.ca.certPem + b.server.certPem) };
		const c = loadTlsCredentials(files);
		assert.is(c.certPem, kc.certPem);
		assert.ok(Object.isFrozen(c));
		const fail = (over: Partial<typeof files>, re: RegExp) => {
			let err: WardenError | undefined;
			try { loadTlsCredentials({ ...files, ...over }); } catch (e) { err = e as WardenError; }
			assert.ok(err && code('WARDEN_ERR_TLS_CREDENTIALS')(err), `${JSON.stringify(over)}: ${String(err)}`);
			assert.match(err!.message, re);
		};
		fail({ cert: join(b.dir, 'missing.crt') }, /cannot read the cert file .*missing\.crt: ENOENT/);
		fail({ cert: f('junk.crt', 'not a pem') }, /junk\.crt: certificate holds no PEM certificate/);
		fail({ cert: f('broken.crt', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n') }, /broken\.crt: certificate: certificate 1 is not a valid X\.509/);
		fail({ key: f('junk.key', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n') }, /junk\.key: private key is not a valid/);
		fail({ key: f('other.key', generateRsaKeyPem()) }, /other\.key: private key does not match the certificate/);
		fail({ ca: f('empty-ca.crt', '') }, /empty-ca\.crt: CA bundle holds no PEM certificate/);
		fail({ ca: b.dir }, /cannot read the ca file/);
	} finally {
		await b.close();
	}
});
Creds.run();

const Pick = suite('createBrokerTransport');
Pick('TLS for mqtts:// (credentials required), TCP for mqtt:// (credentials refused)', () => {
	const ca = createDevCa({ commonName: 'pick' });
	const creds = checkTlsCredentials({ certPem: ca.certPem, keyPem: ca.keyPem, caPem: ca.certPem });
	assert.ok(createBrokerTransport(parseBrokerUrl('mqtts://127.0.0.1:8883'), creds) instanceof TlsTransport);
	assert.not.ok(createBrokerTransport(parseBrokerUrl('mqtt://127.0.0.1:1883')) instanceof TlsTransport);
	assert.throws(() => createBrokerTransport(parseBrokerUrl('mqtts://127.0.0.1')), code('WARDEN_ERR_CONFIG'));
	assert.throws(() => createBrokerTransport(parseBrokerUrl('mqtt://127.0.0.1'), creds), code('WARDEN_ERR_CONFIG'));
	assert.equal(parseBrokerUrl('mqtts://example.net'), { host: 'example.net', port: 8883, tls: true });
	assert.equal(parseBrokerUrl('mqtt://[::1]:9'), { host: '::1', port: 9 });
});
Pick.run();
