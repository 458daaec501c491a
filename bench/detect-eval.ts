/**
 * Detect evaluation throughput and memory (in-process, one core).
 *
 *   node --import tsx bench/detect-eval.ts [--things 10000] [--rounds 3] [--file]
 *
 * A 10-behavior profile (static, windowed, set, custom and statistical criteria) targets every
 * thing. Each round, every thing sends one report (virtual time advances 5 minutes per round).
 * Printed:
 *  - baseline: raw ingest without Detect (the real ingest: decode, validate, store, reply), reports/s
 *  - ingest + Detect: the same with the engine subscribed to `report.accepted`, reports/s and ratio
 *  - engine alone: datapoints evaluated per second from pre-decoded reports
 *  - memory: heap and RSS growth per 10,000 tracked things (after GC)
 * Storage is SQLite in memory by default so the disk's fsync time does not dominate both sides
 * equally; `--file` uses a WAL file with synchronous=FULL as `warden serve` does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Behavior } from '@aws-sdk/client-iot';
import { VirtualClock } from '../host/clock.ts';
import { EventBus } from '../host/events.ts';
import { DetectEngine } from '../host/detect/engine/engine.ts';
import { MemoryDetectConfig } from '../host/detect/engine/memory-config.ts';
import { detectEngineMigrations } from '../host/detect/store/schema.ts';
import { SqliteDetectStore } from '../host/detect/store/sqlite-engine-store.ts';
import { createIngest } from '../host/ingest/ingest-service.ts';
import { ingestMigrations } from '../host/ingest/schema.ts';
import { createSqliteReportStore } from '../host/ingest/sqlite-report-store.ts';
import type { DeviceReport } from '../host/ingest/report-types.ts';
import { migrate, type SqlDatabase } from '../host/storage/database.ts';
import { openSqlite } from '../host/storage/sqlite.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const arg = (name: string, dflt: number) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const THINGS = arg('things', 10_000);
const ROUNDS = arg('rounds', 3);
const useFile = process.argv.includes('--file');

export const BEHAVIORS: Behavior[] = [
	{ name: 'tcp-count', metric: 'aws:num-listening-tcp-ports', criteria: { comparisonOperator: 'less-than', value: { count: 10 } } },
	{ name: 'tcp-set', metric: 'aws:listening-tcp-ports', criteria: { comparisonOperator: 'in-port-set', value: { ports: [22, 80, 443, 8080] } } },
	{ name: 'egress-15m', metric: 'aws:all-bytes-out', criteria: { comparisonOperator: 'less-than', value: { count: 5_000_000 }, durationSeconds: 900 } },
	{ name: 'ingress-5m', metric: 'aws:all-bytes-in', criteria: { comparisonOperator: 'less-than', value: { count: 5_000_000 }, durationSeconds: 300 } },
	{ name: 'packets-out', metric: 'aws:all-packets-out', criteria: { comparisonOperator: 'less-than', value: { count: 100_000 }, consecutiveDatapointsToAlarm: 2 } },
	{ name: 'conns', metric: 'aws:num-established-tcp-connections', criteria: { comparisonOperator: 'less-than', value: { count: 50 } } },
	{ name: 'dest-ips', metric: 'aws:destination-ip-addresses', criteria: { comparisonOperator: 'in-cidr-set', value: { cidrs: ['10.0.0.0/8', '203.0.113.0/24'] } } },
	{ name: 'udp-count', metric: 'aws:num-listening-udp-ports', criteria: { comparisonOperator: 'less-than', value: { count: 5 } } },
	{ name: 'egress-p90', metric: 'aws:all-bytes-out', criteria: { comparisonOperator: 'less-than-equals', statisticalThreshold: { statistic: 'p99' }, durationSeconds: 300 } },
	{ name: 'cpu', metric: 'cpu', criteria: { comparisonOperator: 'less-than', value: { number: 95 } } },
];

export function benchReport(i: number, round: number): DeviceReport {
	const odd = i % 97 === 0; // ~1 % of the fleet misbehaves
	return {
		header: { report_id: round + 1, version: '1.0' },
		metrics: {
			listening_tcp_ports: { ports: [{ port: 22 }, { port: 443 }, ...(odd ? [{ port: 4444 }] : [])], total: odd ? 3 : 2 },
			listening_udp_ports: { ports: [{ port: 53 }], total: 1 },
			network_stats: { bytes_in: 20_000 + (i % 1000), bytes_out: odd ? 9_000_000 : 30_000 + (i % 777), packets_in: 200, packets_out: 300 },
			tcp_connections: { established_connections: { connections: [{ remote_addr: `10.0.${i % 250}.1:443` }, { remote_addr: odd ? '198.51.100.9:6667' : '203.0.113.5:8883' }], total: 2 } },
		},
		custom_metrics: { cpu: { type: 'number', number: odd ? 99 : 20 + (i % 50) } },
	};
}

/** The report as a device sends it (custom metrics as `[{ number: n }]`, spec §1.3). */
export function wireReport(rep: DeviceReport): string {
	const cm: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(rep.custom_metrics ?? {})) {
		const { type: _type, ...inner } = v;
		void _type;
		cm[k] = [inner];
	}
	return JSON.stringify({ ...rep, custom_metrics: cm });
}

function openDb(): { db: SqlDatabase; cleanup: () => void } {
	if (!useFile) return { db: openSqlite(':memory:'), cleanup: () => {} };
	const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
	const db = openSqlite(join(dir, 'warden.db'));
	return { db, cleanup: () => (db.close(), rmSync(dir, { recursive: true, force: true })) };
}

function config(): MemoryDetectConfig {
	const c = new MemoryDetectConfig();
	c.putCustomMetric('cpu', 'number');
	c.putProfile({ name: 'fleet', behaviors: BEHAVIORS, targets: ['arn:aws:iot:us-east-1:123456789012:all/things'] });
	return c;
}

/** Ingest every thing's report per round, with or without the engine; returns reports/s and datapoints. */
function runIngest(withDetect: boolean): { perSec: number; datapoints: number } {
	const { db, cleanup } = openDb();
	migrate(db, [...ingestMigrations, ...detectEngineMigrations]);
	const clock = new VirtualClock();
	const bus = new EventBus((_name, e) => {
		throw e;
	});
	const ingest = createIngest({ store: createSqliteReportStore(db), bus, clock, minReportIntervalSec: 0 });
	let engine: DetectEngine | undefined;
	if (withDetect) {
		engine = new DetectEngine({ clock, store: new SqliteDetectStore(db), config: config(), planCacheMs: 3_600_000 });
		engine.start(bus);
	}
	const payloads = Array.from({ length: ROUNDS }, (_, r) => Array.from({ length: THINGS }, (_, i) => Buffer.from(wireReport(benchReport(i, r)))));
	let ms = 0;
	for (let r = 0; r < ROUNDS; r++) {
		const t = performance.now();
		for (let i = 0; i < THINGS; i++) {
			const res = ingest.handle({ thingName: `thing-${i}`, clientId: `thing-${i}`, format: 'json', payload: payloads[r]![i]! });
			if (!res.accepted) throw new Error(`rejected: ${JSON.stringify(res.reply)}`);
		}
		clock.advance(300_000); // statistical batch + cloud buckets happen here (counted)
		ms += performance.now() - t;
	}
	engine?.stop();
	const datapoints = engine?.datapointsEvaluated ?? 0;
	cleanup();
	return { perSec: (ROUNDS * THINGS) / (ms / 1000), datapoints };
}

function runEngineAlone(): { perSec: number; datapoints: number; heapPer10k: number; rssPer10k: number } {
	const { db, cleanup } = openDb();
	migrate(db, detectEngineMigrations);
	const clock = new VirtualClock();
	const reports = Array.from({ length: ROUNDS }, (_, r) => Array.from({ length: THINGS }, (_, i) => benchReport(i, r)));
	gc();
	const heap0 = process.memoryUsage().heapUsed;
	const rss0 = process.memoryUsage().rss;
	const engine = new DetectEngine({ clock, store: new SqliteDetectStore(db), config: config(), planCacheMs: 3_600_000 });
	engine.start();
	let ms = 0;
	for (let r = 0; r < ROUNDS; r++) {
		const t = performance.now();
		for (let i = 0; i < THINGS; i++) engine.onReport({ thingName: `thing-${i}`, clientId: `thing-${i}`, reportId: r + 1, format: 'json', report: reports[r]![i]!, at: clock.now() });
		clock.advance(300_000);
		ms += performance.now() - t;
	}
	gc();
	const heap1 = process.memoryUsage().heapUsed;
	const rss1 = process.memoryUsage().rss;
	if (reports.length !== ROUNDS) throw new Error('unreachable'); // keep the inputs alive until measured
	const datapoints = engine.datapointsEvaluated;
	engine.stop();
	cleanup();
	const per10k = 10_000 / THINGS;
	return { perSec: datapoints / (ms / 1000), datapoints, heapPer10k: ((heap1 - heap0) * per10k) / 2 ** 20, rssPer10k: ((rss1 - rss0) * per10k) / 2 ** 20 };
}

console.log(`detect-eval: ${THINGS} things x ${ROUNDS} rounds, ${BEHAVIORS.length}-behavior profile, SQLite ${useFile ? 'file (WAL, synchronous=FULL)' : 'in memory'}`);
const alone = runEngineAlone();
console.log(`  engine alone:        ${Math.round(alone.perSec).toLocaleString('en')} datapoints/s evaluated (${alone.datapoints.toLocaleString('en')} datapoints)`);
console.log(`  memory:              heap +${alone.heapPer10k.toFixed(1)} MiB, RSS +${alone.rssPer10k.toFixed(1)} MiB per 10,000 tracked things (includes the in-memory SQLite pages when not --file)`);
const base = runIngest(false);
console.log(`  baseline raw ingest: ${Math.round(base.perSec).toLocaleString('en')} reports/s (no Detect)`);
const det = runIngest(true);
console.log(`  ingest + Detect:     ${Math.round(det.perSec).toLocaleString('en')} reports/s, ${Math.round((det.perSec * det.datapoints) / (ROUNDS * THINGS)).toLocaleString('en')} datapoints/s`);
console.log(`  ratio (ingest+Detect / raw ingest): ${(det.perSec / base.perSec).toFixed(2)}`);
