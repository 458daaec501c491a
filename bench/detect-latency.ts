/**
 * Publish → violation latency through a real broker on loopback (MQTT.js clients, SQLite file,
 * wall clock), at a steady report rate.
 *
 *   node --import tsx bench/detect-latency.ts [--rate 1000] [--seconds 5] [--things 1000]
 *
 * Every thing alternates a violating and a conforming report, so every report produces one
 * violation event (in-alarm / alarm-cleared). Measured per report:
 *  - baseline: publish → ACCEPTED reply (ingest alone: decode, validate, commit, reply)
 *  - Detect:   publish → alert received on `warden/detect/alerts/<profile>` (ingest, evaluation,
 *    violation + outbox commit, dispatcher, broker delivery)
 * Prints p50/p99/max of both and the p50/p99 ratios. `--no-profile` runs the same load with no
 * profile attached (Detect idle) to show what ingest alone sustains on the machine.
 *
 * The service runs on the main thread; the publishers and the measuring clients run in a worker
 * thread, so the load generator does not take the service's core. Times are absolute
 * (`performance.timeOrigin + performance.now()`), comparable across the two threads.
 */
import { rmSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { MqttClient } from 'mqtt';
import { detectConfigStoreFor } from '../host/detect/config/sqlite-store.ts';
import { startWarden } from '../host/server.ts';
import { connect, subscribe, tempDir } from '../test/helpers/mqtt.ts';

const arg = (name: string, dflt: number) => {
	const i = process.argv.indexOf(`--${name}`);
	return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RATE = arg('rate', 1000);
const SECONDS = arg('seconds', 5);
const THINGS = arg('things', 1000);
const CLIENTS = 20;
/** `--no-profile`: no security profile, so Detect has nothing to evaluate (ingest-only baseline run). */
const NO_PROFILE = process.argv.includes('--no-profile');

const pct = (xs: number[], q: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]! : NaN;
};

const nowAbs = () => performance.timeOrigin + performance.now();

interface LoadResult {
	sendSeconds: number;
	total: number;
	alerts: number;
	ingestLat: number[];
	alertLat: number[];
}

if (isMainThread) {
	const dir = tempDir('warden-bench-');
	const w = await startWarden({ mqttPort: 0, httpPort: null, dataDir: dir, minReportIntervalSec: 0 });
	const now = Date.now();
	const cfg = detectConfigStoreFor(w.db);
	cfg.insertProfile({
		name: 'bench',
		arn: 'arn:aws:iot:us-east-1:123456789012:securityprofile/bench',
		behaviors: [{ name: 'ports', metric: 'aws:num-listening-tcp-ports', criteria: { comparisonOperator: 'less-than', value: { count: 3 } } }],
		version: 1,
		createdAt: now,
		modifiedAt: now,
	});
	if (!NO_PROFILE) cfg.attach('bench', 'arn:aws:iot:us-east-1:123456789012:all/things', now);
	// Node 20 workers do not inherit `--import tsx`: the worker registers tsx, then loads this file.
	const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
	const worker = new Worker(boot, { eval: true, workerData: { port: w.mqttPort } });
	const r = await new Promise<LoadResult>((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
	});
	await worker.terminate();
	const { sendSeconds, total, alerts, ingestLat, alertLat } = r;
	console.log(`detect-latency: ${total} reports over ${sendSeconds.toFixed(1)} s (${Math.round(total / sendSeconds)} reports/s offered), ${THINGS} things, ${CLIENTS} MQTT clients, real broker on 127.0.0.1, SQLite file`);
	console.log(`  baseline publish→ACCEPTED:  n=${ingestLat.length} p50=${pct(ingestLat, 0.5).toFixed(1)} ms p99=${pct(ingestLat, 0.99).toFixed(1)} ms max=${pct(ingestLat, 1).toFixed(1)} ms`);
	console.log(`  publish→violation alert:    n=${alertLat.length} p50=${pct(alertLat, 0.5).toFixed(1)} ms p99=${pct(alertLat, 0.99).toFixed(1)} ms max=${pct(alertLat, 1).toFixed(1)} ms`);
	console.log(`  ratio alert/ACCEPTED: p50 ${(pct(alertLat, 0.5) / pct(ingestLat, 0.5)).toFixed(2)}, p99 ${(pct(alertLat, 0.99) / pct(ingestLat, 0.99)).toFixed(2)}`);
	if (!NO_PROFILE && alerts < total) console.log(`  WARNING: only ${alerts}/${total} alerts arrived within 15 s after the run`);
	await w.close();
	rmSync(dir, { recursive: true, force: true });
} else {
	const port = (workerData as { port: number }).port;
	const watcher = await connect(port, 'bench-watcher');
	await subscribe(watcher, 'warden/detect/alerts/#');
	const clients: MqttClient[] = [];
	for (let i = 0; i < CLIENTS; i++) {
		const c = await connect(port, `bench-pub-${i}`);
		// only its own things' replies: a `+` filter would deliver every reply to every client
		const mine: string[] = [];
		for (let t = i; t < THINGS; t += CLIENTS) mine.push(`$aws/things/bench-thing-${t}/defender/metrics/json/accepted`);
		await c.subscribeAsync(mine, { qos: 1 });
		clients.push(c);
	}

	const sentAt = new Map<string, number[]>(); // thing → send times of reports whose alert is pending
	const acceptPending = new Map<string, number>(); // `${thing}/${reportId}` → send time
	const ingestLat: number[] = [];
	const alertLat: number[] = [];
	const seq = new Array<number>(THINGS).fill(0);

	for (const c of clients) {
		c.on('message', (topic, payload) => {
			if (!topic.endsWith('/accepted')) return;
			const r = JSON.parse(payload.toString()) as { thingName: string; reportId: number };
			const k = `${r.thingName}/${r.reportId}`;
			const t = acceptPending.get(k);
			if (t !== undefined) {
				ingestLat.push(nowAbs() - t);
				acceptPending.delete(k);
			}
		});
	}
	let alerts = 0;
	watcher.on('message', (_topic, payload) => {
		const a = JSON.parse(payload.toString()) as { thingName: string };
		const q = sentAt.get(a.thingName);
		const t = q?.shift();
		if (t !== undefined) alertLat.push(nowAbs() - t);
		alerts++;
	});

	const total = RATE * SECONDS;
	let sent = 0;
	const tickMs = 10;
	const perTick = Math.max(1, Math.round((RATE * tickMs) / 1000));
	const started = nowAbs();
	await new Promise<void>((resolve) => {
		const timer = setInterval(() => {
			for (let k = 0; k < perTick && sent < total; k++, sent++) {
				const i = sent % THINGS;
				const thing = `bench-thing-${i}`;
				const n = ++seq[i]!;
				const violating = n % 2 === 1;
				const ports = violating ? [{ port: 22 }, { port: 23 }, { port: 80 }] : [{ port: 22 }];
				const body = JSON.stringify({ header: { report_id: n, version: '1.0' }, metrics: { listening_tcp_ports: { ports, total: ports.length } } });
				const t = nowAbs();
				let q = sentAt.get(thing);
				if (!q) sentAt.set(thing, (q = []));
				q.push(t);
				acceptPending.set(`${thing}/${n}`, t);
				clients[i % CLIENTS]!.publish(`$aws/things/${thing}/defender/metrics/json`, body, { qos: 1 });
			}
			if (sent >= total) {
				clearInterval(timer);
				resolve();
			}
		}, tickMs);
	});
	const sendSeconds = (nowAbs() - started) / 1000;
	const deadline = nowAbs() + 15_000;
	while (((!NO_PROFILE && alerts < total) || ingestLat.length < total) && nowAbs() < deadline) await new Promise((r) => setTimeout(r, 50));

	for (const c of clients) await c.endAsync();
	await watcher.endAsync();
	parentPort!.postMessage({ sendSeconds, total, alerts, ingestLat, alertLat } satisfies LoadResult);
}
