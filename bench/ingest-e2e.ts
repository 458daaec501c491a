/**
 * End-to-end report ingest, reports/s: N MQTT.js publisher clients on loopback send QoS 1 reports
 * (at most W unacknowledged each) to the Warden broker with ingest on a real SQLite file
 * (WAL, synchronous=FULL), and each waits for its ACCEPTED reply. Measured three ways in the same
 * run, in alternating rounds (median of each):
 *  - baseline: a bare aedes broker forwarding the same publishes back to their sender, no ingest;
 *  - one transaction per report (maxBatch 1: the behaviour before group commit);
 *  - group commit (the default: what arrives in one event-loop turn, up to 256, in one transaction).
 * Run: node --import tsx bench/ingest-e2e.ts [clients=16] [reportsPerClient=100] [window=16]
 */
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBroker } from '../host/broker/broker.ts';
import { systemClock } from '../host/clock.ts';
import { EventBus } from '../host/events.ts';
import { createIngest } from '../host/ingest/ingest-service.ts';
import { ingestMigrations } from '../host/ingest/schema.ts';
import { createSqliteReportStore } from '../host/ingest/sqlite-report-store.ts';
import { migrate } from '../host/storage/database.ts';
import { openSqlite } from '../host/storage/sqlite.ts';

const CLIENTS = Number(process.argv[2] ?? 16);
const PER_CLIENT = Number(process.argv[3] ?? 100);
const WINDOW = Number(process.argv[4] ?? 16);
const ROUNDS = 3;

const topic = (i: number) => `$aws/things/bench-${i}/defender/metrics/json`;
/** A typical small report (spec §1.2 fields), distinct per report_id. */
const report = (id: number) =>
	JSON.stringify({
		header: { report_id: id, version: '1.0' },
		metrics: {
			listening_tcp_ports: { ports: [{ interface: 'eth0', port: 22 }, { interface: 'eth0', port: 443 }], total: 2 },
			network_stats: { bytes_in: 29358 + id, bytes_out: 26485, packets_in: 10013, packets_out: 11382 },
			tcp_connections: { established_connections: { connections: [{ local_interface: 'eth0', local_port: 443, remote_addr: '192.0.2.10:51022' }], total: 1 } },
		},
	});

interface Target {
	port: number;
	/** Topic on which client i sees the answer to its publish. */
	answerTopic(i: number): string;
	close(): Promise<void>;
}

async function listen(server: Server): Promise<number> {
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	return (server.address() as { port: number }).port;
}

async function bareAedes(): Promise<Target> {
	const aedes = await Aedes.createBroker();
	const server = createServer((s) => (s.setNoDelay(true), aedes.handle(s)));
	const port = await listen(server);
	return {
		port,
		answerTopic: topic,
		close: async () => {
			await new Promise<void>((r) => aedes.close(() => r()));
			await new Promise<void>((r) => server.close(() => r()));
		},
	};
}

async function warden(maxBatch: number | undefined): Promise<Target> {
	const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
	const db = openSqlite(join(dir, 'warden.db'));
	migrate(db, ingestMigrations);
	const bus = new EventBus();
	const ingest = createIngest({ store: createSqliteReportStore(db), bus, clock: systemClock, minReportIntervalSec: 0, ...(maxBatch ? { maxBatch } : {}) });
	const broker = await createBroker({ bus, clock: systemClock, ingest });
	const port = await broker.listen('127.0.0.1', 0);
	return {
		port,
		answerTopic: (i) => `${topic(i)}/accepted`,
		close: async () => {
			await broker.close();
			db.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

async function connectAll(port: number, prefix: string, target: Target): Promise<MqttClient[]> {
	return Promise.all(
		Array.from({ length: CLIENTS }, async (_, i) => {
			const c = mqtt.connect({ host: '127.0.0.1', port, clientId: `${prefix}-${i}`, reconnectPeriod: 0 });
			await new Promise<void>((resolve, reject) => (c.once('connect', () => resolve()), c.once('error', reject)));
			await c.subscribeAsync([target.answerTopic(i), `${topic(i)}/rejected`], { qos: 1 });
			return c;
		}),
	);
}

/** Reports/s until every client saw the answer to each of its reports. */
async function run(make: () => Promise<Target>, name: string): Promise<number> {
	const target = await make();
	const clients = await connectAll(target.port, name, target);
	const started = process.hrtime.bigint();
	await Promise.all(
		clients.map(
			(c, i) =>
				new Promise<void>((resolve, reject) => {
					let sent = 0;
					let answered = 0;
					let inFlight = 0;
					const pump = () => {
						while (inFlight < WINDOW && sent < PER_CLIENT) {
							sent += 1;
							inFlight += 1;
							c.publish(topic(i), report(sent), { qos: 1 }, (e) => (e ? reject(e) : ((inFlight -= 1), pump())));
						}
					};
					c.on('message', (t) => {
						if (t !== target.answerTopic(i)) return reject(new Error(`${name}: unexpected answer on ${t}`));
						if (++answered === PER_CLIENT) resolve();
					});
					pump();
				}),
		),
	);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	await Promise.all(clients.map((c) => c.endAsync(true)));
	await target.close();
	return (CLIENTS * PER_CLIENT) / seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en').padStart(7);

const bare: number[] = [];
const single: number[] = [];
const grouped: number[] = [];
await run(() => warden(undefined), 'warmup'); // JIT and page cache
for (let round = 0; round < ROUNDS; round++) {
	bare.push(await run(bareAedes, `bare${round}`));
	single.push(await run(() => warden(1), `single${round}`));
	grouped.push(await run(() => warden(undefined), `grouped${round}`));
}
const b = median(bare);
const s = median(single);
const g = median(grouped);
console.log(`ingest end to end: ${CLIENTS} clients × ${PER_CLIENT} QoS 1 reports, window ${WINDOW}, loopback, SQLite WAL synchronous=FULL (median of ${ROUNDS})`);
console.log(`  baseline bare aedes (forward, no ingest):     ${fmt(b)} reports/s`);
console.log(`  one transaction per report (before):         ${fmt(s)} reports/s   ratio to bare ${(s / b).toFixed(3)}`);
console.log(`  group commit (after):                        ${fmt(g)} reports/s   ratio to bare ${(g / b).toFixed(3)}`);
console.log(`  group commit / one transaction per report:   ${(g / s).toFixed(2)}×`);
