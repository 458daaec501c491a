/**
 * Report acknowledgement over a real broker on 127.0.0.1 (ephemeral port), MQTT.js clients and a
 * real SQLite file: QoS 1 retransmissions are idempotent, the PUBACK of a report goes out only
 * after its group commit, and each client's reports reach ingest in arrival order.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { type WardenBroker, createBroker } from '../../host/broker/broker.ts';
import { VirtualClock } from '../../host/clock.ts';
import { EventBus } from '../../host/events.ts';
import { createIngest } from '../../host/ingest/ingest-service.ts';
import type { ReportStore } from '../../host/ingest/report-store.ts';
import { ingestMigrations } from '../../host/ingest/schema.ts';
import { createSqliteReportStore } from '../../host/ingest/sqlite-report-store.ts';
import { migrate } from '../../host/storage/database.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import { collect, connect, end, subscribe, tempDir } from '../helpers/mqtt.ts';

const T = (thing: string) => `$aws/things/${thing}/defender/metrics/json`;
const report = (id: number) => JSON.stringify({ header: { report_id: id, version: '1.0' }, metrics: { network_stats: { bytes_in: id } } });

/** Resolve when `cond` holds, checked after each broker-side event; reject after `ms`. */
function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const check = () => {
			if (cond()) return resolve();
			if (Date.now() - started > ms) return reject(new Error(`timed out waiting for ${what}`));
			setImmediate(check);
		};
		check();
	});
}

interface Fixture {
	broker: WardenBroker;
	port: number;
	store: ReportStore;
	/** Ingest flushes waiting to run (only when the test holds them). */
	held: (() => void)[];
	/** Order of commits, PUBACKs and replies, as the test saw them. */
	order: string[];
	close(): Promise<void>;
}

async function start(opts: { holdFlushes?: boolean } = {}): Promise<Fixture> {
	const dir = tempDir();
	const db = openSqlite(join(dir, 'warden.db'));
	migrate(db, ingestMigrations);
	const real = createSqliteReportStore(db);
	const order: string[] = [];
	const store: ReportStore = { ...real, accept: (rs) => (real.accept(rs), order.push(`commit ${rs.map((r) => r.reportId).join(',')}`)) && undefined };
	const held: (() => void)[] = [];
	const bus = new EventBus();
	const clock = new VirtualClock(Date.UTC(2026, 5, 1));
	const ingest = createIngest({ store, bus, clock, minReportIntervalSec: 0, ...(opts.holdFlushes ? { schedule: (fn: () => void) => held.push(fn) } : {}) });
	const broker = await createBroker({ bus, clock, ingest });
	const port = await broker.listen('127.0.0.1', 0);
	return {
		broker,
		port,
		store,
		held,
		order,
		async close() {
			await broker.close();
			db.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

function publish(c: MqttClient, topic: string, payload: string, opts: { dup?: boolean } = {}): Promise<void> {
	return new Promise((resolve, reject) => c.publish(topic, payload, { qos: 1, ...opts }, (e) => (e ? reject(e) : resolve())));
}

// ---
const retransmit = suite('createBroker: QoS 1 report retransmission');

retransmit('the same bytes twice get two ACCEPTED replies and one stored row', async () => {
	const f = await start();
	const c = await connect(f.port, 'gw-retry');
	await subscribe(c, `${T('gw-retry')}/#`);
	const replies = collect(c, T('gw-retry'), 2);
	await publish(c, T('gw-retry'), report(9));
	await publish(c, T('gw-retry'), report(9), { dup: true });
	const got = (await replies).map((r) => [r.topic.split('/').pop(), JSON.parse(r.payload.toString()).reportId]);
	assert.equal(got, [['accepted', 9], ['accepted', 9]]);
	assert.is(f.store.count('gw-retry'), 1);
	await end(c);
	await f.close();
});

retransmit('other bytes with the same report_id are REJECTED as a Duplicate', async () => {
	const f = await start();
	const c = await connect(f.port, 'gw-reuse');
	await subscribe(c, `${T('gw-reuse')}/#`);
	const replies = collect(c, T('gw-reuse'), 2);
	await publish(c, T('gw-reuse'), report(9));
	await publish(c, T('gw-reuse'), report(9).replace('"bytes_in":9', '"bytes_in":10'));
	const [first, second] = await replies;
	assert.is(first!.topic, `${T('gw-reuse')}/accepted`);
	assert.is(second!.topic, `${T('gw-reuse')}/rejected`);
	assert.match(JSON.parse(second!.payload.toString()).statusDetails.ErrorMessage, /^Duplicate report_id 9:/);
	assert.is(f.store.count('gw-reuse'), 1);
	await end(c);
	await f.close();
});

retransmit.run();

// ---
const puback = suite('createBroker: report PUBACK after commit');

puback('the PUBACK of a QoS 1 report arrives only after its commit, and before its reply', async () => {
	const f = await start({ holdFlushes: true });
	const c = await connect(f.port, 'gw-ack');
	await subscribe(c, `${T('gw-ack')}/#`);
	c.on('message', (topic) => f.order.push(`reply ${topic.split('/').pop()}`));
	let acked = false;
	const reportAck = publish(c, T('gw-ack'), report(1)).then(() => ((acked = true), f.order.push('puback')));
	await until(() => f.held.length === 1, 'the report to be queued for commit');
	// A later publish on the same connection is acknowledged at once: an early report PUBACK would have come first.
	await publish(c, 'plain/topic', 'x');
	assert.is(acked, false, 'no PUBACK before the commit');
	assert.is(f.store.count(), 0);
	f.held.shift()!();
	await reportAck;
	await until(() => f.order.length === 3, 'the reply');
	assert.equal(f.order, ['commit 1', 'puback', 'reply accepted']);
	await end(c);
	await f.close();
});

puback('reports of many clients arriving together share one commit; every PUBACK follows it', async () => {
	const f = await start({ holdFlushes: true });
	let authorized = 0;
	f.broker.setHooks({ authorizePublish: () => ((authorized += 1), { allow: true }) });
	const clients = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => connect(f.port, `gw-many-${i}`)));
	const acks = clients.map((c, i) => publish(c, T(`gw-many-${i}`), report(1)).then(() => f.order.push('puback')));
	await until(() => authorized === 6, 'six reports authorized');
	await new Promise((r) => setImmediate(r)); // each is handed to ingest a few microtasks after its hook
	assert.is(f.held.length, 1, 'one flush scheduled for all six');
	f.held.shift()!();
	await Promise.all(acks);
	assert.equal(f.order, ['commit 1,1,1,1,1,1', 'puback', 'puback', 'puback', 'puback', 'puback', 'puback']);
	assert.is(f.store.count(), 6);
	for (const c of clients) await end(c);
	await f.close();
});

puback.run();

// ---
const order = suite('createBroker: per-client report order');

order('a burst of QoS 1 reports from one client is all ACCEPTED in order, even with a hook of uneven latency', async () => {
	const f = await start();
	// earlier reports take longer to authorize: without ordering they would reach ingest last and be Duplicates
	f.broker.setHooks({
		authorizePublish: async (_ctx, _topic, payload) => {
			const id = (JSON.parse(payload.toString()) as { header?: { report_id?: number } }).header?.report_id ?? 0;
			for (let i = 0; i < 30 - id; i++) await new Promise((r) => setImmediate(r));
			return { allow: true };
		},
	});
	const c = await connect(f.port, 'gw-burst');
	await subscribe(c, `${T('gw-burst')}/#`);
	const replies = collect(c, T('gw-burst'), 30);
	await Promise.all(Array.from({ length: 30 }, (_, i) => publish(c, T('gw-burst'), report(i + 1))));
	const got = (await replies).map((r) => `${r.topic.split('/').pop()} ${JSON.parse(r.payload.toString()).reportId}`);
	assert.equal(got, Array.from({ length: 30 }, (_, i) => `accepted ${i + 1}`));
	assert.equal(f.store.listByThing('gw-burst').map((r) => r.reportId), Array.from({ length: 30 }, (_, i) => i + 1));
	await end(c);
	await f.close();
});

order.run();
