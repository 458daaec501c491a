/**
 * End to end over a real broker on 127.0.0.1 (ephemeral port) with MQTT.js and a real SQLite file:
 * report topics, replies, encodings, duplicates, throttling, reserved-topic rules, robustness.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decode as cborDecode, encode as cborEncode } from 'cbor-x';
import { rmSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type Warden, startWarden } from '../../host/server.ts';
import { VirtualClock } from '../../host/clock.ts';
import { EXAMPLE_LONG, EXAMPLE_SHORT } from '../ingest/fixtures.ts';
import { closedByServer, collect, connect, end, nextMessage, subscribe, tempDir } from '../helpers/mqtt.ts';

const T = (thing: string, fmt: 'json' | 'cbor') => `$aws/things/${thing}/defender/metrics/${fmt}`;
const report = (id: number) => JSON.stringify({ header: { report_id: id, version: '1.0' }, metrics: { network_stats: { bytes_in: id } } });

let dir = '';
let w: Warden;
let clock: VirtualClock;

async function start(minReportIntervalSec = 0): Promise<void> {
	dir = tempDir();
	clock = new VirtualClock(Date.UTC(2026, 5, 1));
	w = await startWarden({ mqttPort: 0, httpPort: null, dataDir: dir, clock, minReportIntervalSec });
}
async function stop(): Promise<void> {
	await w.close();
	rmSync(dir, { recursive: true, force: true });
}

// ---
const replies = suite('startWarden: report replies');
replies.before(() => start());
replies.after(stop);

replies('a JSON report gets a JSON ACCEPTED reply with its reportId', async () => {
	const c = await connect(w.mqttPort, 'gw-json');
	await subscribe(c, `${T('gw-json', 'json')}/#`);
	const got = nextMessage(c, `${T('gw-json', 'json')}/accepted`);
	await c.publishAsync(T('gw-json', 'json'), EXAMPLE_LONG, { qos: 1 });
	const reply = JSON.parse((await got).toString());
	assert.equal(reply, { thingName: 'gw-json', reportId: 1530304554, status: 'ACCEPTED', timestamp: clock.now() });
	await end(c);
});

replies('a CBOR report gets a CBOR ACCEPTED reply', async () => {
	const c = await connect(w.mqttPort, 'gw-cbor');
	await subscribe(c, `${T('gw-cbor', 'cbor')}/accepted`);
	const got = nextMessage(c, `${T('gw-cbor', 'cbor')}/accepted`);
	await c.publishAsync(T('gw-cbor', 'cbor'), Buffer.from(cborEncode(JSON.parse(EXAMPLE_SHORT))), { qos: 1 });
	const reply = cborDecode(await got);
	assert.equal(reply, { thingName: 'gw-cbor', reportId: 1530305228, status: 'ACCEPTED', timestamp: clock.now() });
	await end(c);
});

replies('a malformed report gets REJECTED / InvalidPayload naming the rule', async () => {
	const c = await connect(w.mqttPort, 'gw-bad');
	await subscribe(c, `${T('gw-bad', 'json')}/rejected`);
	const got = nextMessage(c, `${T('gw-bad', 'json')}/rejected`);
	await c.publishAsync(T('gw-bad', 'json'), JSON.stringify({ header: { report_id: 7, version: '1.0' }, metrics: { listening_tcp_ports: { ports: [{ port: 70000 }] } } }));
	const reply = JSON.parse((await got).toString());
	assert.equal(reply.status, 'REJECTED');
	assert.equal(reply.reportId, 7);
	assert.equal(reply.statusDetails, { ErrorCode: 'InvalidPayload', ErrorMessage: 'metrics.listening_tcp_ports.ports[0].port must be an integer from 1 to 65535' });
	await end(c);
});

replies('a duplicate report_id is REJECTED and not stored', async () => {
	const c = await connect(w.mqttPort, 'gw-dup');
	await subscribe(c, `${T('gw-dup', 'json')}/#`);
	const both = collect(c, T('gw-dup', 'json'), 2);
	await c.publishAsync(T('gw-dup', 'json'), report(100), { qos: 1 });
	await c.publishAsync(T('gw-dup', 'json'), `${report(100)} `, { qos: 1 }); // same report_id, other bytes
	const [first, second] = await both;
	assert.is(first!.topic, `${T('gw-dup', 'json')}/accepted`);
	assert.is(second!.topic, `${T('gw-dup', 'json')}/rejected`);
	const r = JSON.parse(second!.payload.toString());
	assert.is(r.statusDetails.ErrorCode, 'InvalidPayload');
	assert.is(r.statusDetails.ErrorMessage, 'Duplicate report_id 100: not greater than the last accepted report_id 100');
	assert.is(w.reports.count('gw-dup'), 1);
	await end(c);
});

replies('a client may report for another thing; the reply goes to that thing\'s topic', async () => {
	const c = await connect(w.mqttPort, 'proxy-client');
	await subscribe(c, `${T('other-thing', 'json')}/accepted`);
	const got = nextMessage(c, `${T('other-thing', 'json')}/accepted`);
	await c.publishAsync(T('other-thing', 'json'), report(5));
	assert.is(JSON.parse((await got).toString()).thingName, 'other-thing');
	assert.is(w.reports.listByThing('other-thing')[0]!.clientId, 'proxy-client');
	await end(c);
});

replies.run();

// ---
const throttle = suite('startWarden: throttling');
throttle.before(() => start(300));
throttle.after(stop);

throttle('a second report within the minimum delay is REJECTED / Throttled; after it, ACCEPTED', async () => {
	const c = await connect(w.mqttPort, 'gw-thr');
	await subscribe(c, `${T('gw-thr', 'json')}/#`);
	let got = collect(c, T('gw-thr', 'json'), 1);
	await c.publishAsync(T('gw-thr', 'json'), report(1), { qos: 1 });
	const [a] = await got;
	clock.advance(200_000);
	got = collect(c, T('gw-thr', 'json'), 1);
	await c.publishAsync(T('gw-thr', 'json'), report(2), { qos: 1 });
	const [b] = await got;
	assert.is(a!.topic, `${T('gw-thr', 'json')}/accepted`);
	assert.is(b!.topic, `${T('gw-thr', 'json')}/rejected`);
	assert.equal(JSON.parse(b!.payload.toString()).statusDetails, {
		ErrorCode: 'Throttled',
		ErrorMessage: 'Report sent 200 s after the previous accepted report; the minimum delay is 300 s',
	});
	clock.advance(70_000); // 270 s: inside the 10 % tolerance
	got = collect(c, T('gw-thr', 'json'), 1);
	await c.publishAsync(T('gw-thr', 'json'), report(3), { qos: 1 });
	assert.is((await got)[0]!.topic, `${T('gw-thr', 'json')}/accepted`);
	assert.is(w.reports.count('gw-thr'), 2);
	await end(c);
});

throttle.run();

// ---
const rules = suite('createBroker: reserved topics and robustness');
rules.before(() => start());
rules.after(stop);

rules('report topics cannot be subscribed; reply topics can', async () => {
	const c = await connect(w.mqttPort, 'sub-rules');
	assert.is(await subscribe(c, T('x', 'json')), 128);
	assert.is(await subscribe(c, '$aws/things/+/defender/metrics/+'), 128);
	assert.is(await subscribe(c, '$aws/things/x/defender/metrics/cbor/#'), 1);
	assert.is(await subscribe(c, `${T('x', 'json')}/accepted`), 1);
	await end(c);
});

rules('a wildcard subscriber never receives reports, only replies', async () => {
	const spy = await connect(w.mqttPort, 'spy');
	await subscribe(spy, '$aws/things/spied/defender/metrics/#');
	const seen = collect(spy, '$aws/things/spied/', 1);
	const dev = await connect(w.mqttPort, 'spied');
	await dev.publishAsync(T('spied', 'json'), report(1), { qos: 1 });
	const [only] = await seen;
	assert.is(only!.topic, `${T('spied', 'json')}/accepted`);
	await end(spy);
	await end(dev);
});

rules('publishing on a reply topic disconnects the client and is not delivered', async () => {
	const victim = await connect(w.mqttPort, 'victim');
	await subscribe(victim, `${T('victim', 'json')}/accepted`);
	const seen: string[] = [];
	victim.on('message', (_t, p) => seen.push(p.toString()));
	const failures: string[] = [];
	const off = w.bus.on('broker.auth-failure', (e) => failures.push(`${e.action} ${e.resource}`));
	const bad = await connect(w.mqttPort, 'forger');
	const closed = closedByServer(bad);
	bad.publish(`${T('victim', 'json')}/accepted`, '{"status":"ACCEPTED"}', { qos: 1 });
	await closed;
	off();
	assert.equal(failures, [`publish ${T('victim', 'json')}/accepted`]);
	// the victim is still served
	const ok = nextMessage(victim, `${T('victim', 'json')}/accepted`);
	await victim.publishAsync(T('victim', 'json'), report(9), { qos: 1 });
	assert.is(JSON.parse((await ok).toString()).reportId, 9);
	assert.is(seen.length, 1); // the forged ACCEPTED never arrived, only the genuine reply
	assert.is(JSON.parse(seen[0]!).reportId, 9);
	await end(victim);
	await end(bad);
});

rules('after 1,000 malformed payloads from one client the broker still serves another', async () => {
	const junk = await connect(w.mqttPort, 'junk');
	await subscribe(junk, `${T('junk', 'cbor')}/rejected`);
	const rejected = collect(junk, `${T('junk', 'cbor')}/rejected`, 1000, 30_000);
	for (let i = 0; i < 1000; i++) {
		const payload = Buffer.alloc(1 + (i % 64), i & 0xff);
		junk.publish(T('junk', 'cbor'), payload, { qos: 0 });
	}
	const got = await rejected;
	assert.is(got.length, 1000);
	assert.is(cborDecode(got[999]!.payload).statusDetails.ErrorCode, 'InvalidPayload');
	const good = await connect(w.mqttPort, 'good');
	await subscribe(good, `${T('good', 'json')}/accepted`);
	const ok = nextMessage(good, `${T('good', 'json')}/accepted`);
	await good.publishAsync(T('good', 'json'), report(1), { qos: 1 });
	assert.is(JSON.parse((await ok).toString()).status, 'ACCEPTED');
	await end(junk);
	await end(good);
});

rules('a connection sending bytes that are not MQTT is closed; other clients are unaffected', async () => {
	const good = await connect(w.mqttPort, 'bystander');
	const raw = netConnect(w.mqttPort, '127.0.0.1');
	raw.on('error', () => {});
	await new Promise<void>((r) => raw.once('connect', () => r()));
	const closed = new Promise<void>((resolve, reject) => {
		const t = setTimeout(() => reject(new Error('junk connection was not closed')), 5000);
		raw.once('close', () => (clearTimeout(t), resolve()));
	});
	raw.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
	await closed;
	await subscribe(good, `${T('bystander', 'json')}/accepted`);
	const ok = nextMessage(good, `${T('bystander', 'json')}/accepted`);
	await good.publishAsync(T('bystander', 'json'), report(1), { qos: 1 });
	assert.is(JSON.parse((await ok).toString()).reportId, 1);
	await end(good);
});

rules('stored rows are in the SQLite file', async () => {
	const c = await connect(w.mqttPort, 'stored');
	await subscribe(c, `${T('stored', 'json')}/accepted`);
	const ok = nextMessage(c, `${T('stored', 'json')}/accepted`);
	await c.publishAsync(T('stored', 'json'), EXAMPLE_LONG, { qos: 1 });
	await ok;
	const db = new Database(join(dir, 'warden.db'), { readonly: true });
	const row = db.prepare('SELECT thing_name, report_id, format, client_id, report FROM device_reports WHERE thing_name = ?').get('stored') as Record<string, unknown>;
	db.close();
	assert.is(row.report_id, 1530304554);
	assert.is(row.format, 'json');
	assert.is(row.client_id, 'stored');
	assert.is(JSON.parse(row.report as string).metrics.listening_tcp_ports.total, 3);
	await end(c);
});

rules.run();
