/** startWarden / resolveWardenOptions: options, restart durability, `kill -9` durability, CLI usage errors. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { resolveWardenOptions, startWarden } from '../../host/server.ts';
import { VirtualClock } from '../../host/clock.ts';
import { isWardenError } from '../../host/errors.ts';
import { collect, connect, end, nextMessage, subscribe, tempDir } from '../helpers/mqtt.ts';

const root = new URL('../..', import.meta.url).pathname;
const T = (thing: string) => `$aws/things/${thing}/defender/metrics/json`;
const report = (id: number) => JSON.stringify({ header: { report_id: id, version: '1.0' }, metrics: { network_stats: { bytes_in: id } } });

// ---
const options = suite('resolveWardenOptions');

options('defaults are applied and frozen', () => {
	const o = resolveWardenOptions();
	assert.is(o.host, '127.0.0.1');
	assert.is(o.mqttPort, 1883);
	assert.is(o.httpPort, 8443);
	assert.is(o.dataDir, './.warden');
	assert.is(o.accountId, '123456789012');
	assert.is(o.region, 'us-east-1');
	assert.is(o.minReportIntervalSec, 300);
	assert.ok(Object.isFrozen(o));
});

options('bad values raise WARDEN_ERR_CONFIG naming the option', () => {
	const cases: [Record<string, unknown>, string][] = [
		[{ mqttPort: 70000 }, 'mqttPort must be an integer from 0 to 65535 (got 70000)'],
		[{ httpPort: -1 }, 'httpPort must be an integer from 0 to 65535 (got -1)'],
		[{ accountId: '12' }, 'accountId must be 12 digits (got 12)'],
		[{ region: 'moon' }, 'region must look like us-east-1 (got moon)'],
		[{ minReportIntervalSec: -5 }, 'minReportIntervalSec must be a number >= 0 (got -5)'],
		[{ dataDir: '' }, 'dataDir must be a non-empty string'],
	];
	for (const [opts, message] of cases) {
		try {
			resolveWardenOptions(opts);
			assert.unreachable(`accepted ${JSON.stringify(opts)}`);
		} catch (e) {
			assert.ok(isWardenError(e));
			assert.is(e.code, 'WARDEN_ERR_CONFIG');
			assert.is(e.message, message);
		}
	}
});

options.run();

// ---
const restart = suite('startWarden: restart on the same data dir');

restart('keeps stored reports and the duplicate/throttle state', async () => {
	const dir = tempDir();
	const clock = new VirtualClock(Date.UTC(2026, 5, 1));
	let w = await startWarden({ mqttPort: 0, httpPort: null, dataDir: dir, clock, minReportIntervalSec: 300 });
	let c = await connect(w.mqttPort, 'gw-restart');
	await subscribe(c, `${T('gw-restart')}/#`);
	let got = nextMessage(c, `${T('gw-restart')}/accepted`);
	await c.publishAsync(T('gw-restart'), report(42), { qos: 1 });
	await got;
	await end(c);
	await w.close();

	clock.advance(100_000);
	w = await startWarden({ mqttPort: 0, httpPort: null, dataDir: dir, clock, minReportIntervalSec: 300 });
	assert.is(w.reports.count('gw-restart'), 1);
	assert.is(w.reports.listByThing('gw-restart')[0]!.report.metrics!.network_stats!.bytes_in, 42);
	c = await connect(w.mqttPort, 'gw-restart');
	await subscribe(c, `${T('gw-restart')}/#`);
	const replies = collect(c, T('gw-restart'), 3);
	await c.publishAsync(T('gw-restart'), report(42), { qos: 1 }); // the same bytes again: a retransmission, answered ACCEPTED
	await c.publishAsync(T('gw-restart'), `${report(42)} `, { qos: 1 }); // other bytes, same report_id: duplicate across the restart
	await c.publishAsync(T('gw-restart'), report(43), { qos: 1 }); // 100 s after: throttled across the restart
	const [again, dup, thr] = (await replies).map((r) => JSON.parse(r.payload.toString()));
	assert.equal([again.status, again.reportId], ['ACCEPTED', 42]);
	assert.is(dup.statusDetails.ErrorMessage, 'Duplicate report_id 42: not greater than the last accepted report_id 42');
	assert.is(thr.statusDetails.ErrorCode, 'Throttled');
	assert.is(w.reports.count('gw-restart'), 1);
	clock.advance(300_000);
	got = nextMessage(c, `${T('gw-restart')}/accepted`);
	await c.publishAsync(T('gw-restart'), report(44), { qos: 1 });
	assert.is(JSON.parse((await got).toString()).reportId, 44);
	await end(c);
	await w.close();
	rmSync(dir, { recursive: true, force: true });
});

restart.run();

// ---
const crash = suite('warden serve: kill -9 durability');

function startServe(dir: string): Promise<{ child: ReturnType<typeof spawn>; port: number }> {
	const child = spawn(process.execPath, ['bin/warden.js', 'serve', '--mqtt-port', '0', '--no-api', '--data-dir', dir, '--min-report-interval', '0'], {
		cwd: root,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	return new Promise((resolve, reject) => {
		let out = '';
		const t = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`serve did not start: ${out}`))), 30_000);
		child.stdout!.on('data', (d: Buffer) => {
			out += d.toString();
			const m = /MQTT listening on mqtt:\/\/127\.0\.0\.1:(\d+)/.exec(out);
			if (m) {
				clearTimeout(t);
				resolve({ child, port: Number(m[1]) });
			}
		});
		child.once('exit', (code) => (clearTimeout(t), reject(new Error(`serve exited with ${code}: ${out}`))));
	});
}

crash('no acknowledged report is lost when the server is killed mid-stream', async () => {
	const dir = tempDir();
	const { child, port } = await startServe(dir);
	child.removeAllListeners('exit');
	const acked = new Set<number>();
	const c = await connect(port, 'gw-crash');
	await subscribe(c, `${T('gw-crash')}/accepted`);
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	let killed = false;
	c.on('message', (_t, p) => {
		acked.add(JSON.parse(p.toString()).reportId as number);
		if (acked.size === 150 && !killed) {
			killed = true;
			child.kill('SIGKILL');
		}
	});
	c.on('error', () => {});
	// a continuous stream: keep publishing until the server is gone
	for (let id = 1; id <= 2000 && !killed; id++) {
		c.publish(T('gw-crash'), report(id), { qos: 0 });
		if (id % 20 === 0) await new Promise((r) => setImmediate(r));
	}
	await exited;
	await end(c);
	assert.ok(killed, 'the server was killed while reports were still being acknowledged');
	const db = new Database(join(dir, 'warden.db'), { readonly: true });
	const stored = new Set((db.prepare("SELECT report_id FROM device_reports WHERE thing_name = 'gw-crash'").all() as { report_id: number }[]).map((r) => r.report_id));
	db.close();
	const lost = [...acked].filter((id) => !stored.has(id));
	assert.equal(lost, []);
	assert.ok(acked.size >= 150);
	rmSync(dir, { recursive: true, force: true });
});

crash.run();

// ---
const usage = suite('warden serve: usage errors');

usage('a non-numeric --mqtt-port exits 2 with a WARDEN_ERR_CLI_USAGE line', async () => {
	const child = spawn(process.execPath, ['bin/warden.js', 'serve', '--mqtt-port', 'abc'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
	let err = '';
	child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
	const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
	assert.is(code, 2);
	assert.is(err.trim(), 'warden: WARDEN_ERR_CLI_USAGE: --mqtt-port must be an integer from 0 to 65535 (got abc)');
});

usage.run();
