/** Behaviour models of the fleet simulator: pure, seeded, on virtual time. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../sim/rng.ts';
import { CPU_METRIC, DAY_MS, dailyFactor, drawProfile, normalCpu, normalRates } from '../../sim/device-profile.ts';
import { DeviceModel } from '../../sim/device-model.ts';
import { drawFixed, SCENARIOS, SCENARIO_NAMES, type ScenarioName } from '../../sim/scenarios.ts';
import type { MetricSnapshot } from '../../host/agent-runtime/metric-source.ts';

const T0 = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

const R = suite('Rng');
R('same seed, same stream; forks are independent and reproducible', () => {
	const a = new Rng(7), b = new Rng(7), c = new Rng(8);
	const xs = Array.from({ length: 5 }, () => a.u32());
	assert.equal(Array.from({ length: 5 }, () => b.u32()), xs);
	assert.not.equal(Array.from({ length: 5 }, () => c.u32()), xs);
	assert.is(new Rng(7).fork('x').u32(), new Rng(7).fork('x').u32());
	assert.is.not(new Rng(7).fork('x').u32(), new Rng(7).fork('y').u32());
});
R('ranges', () => {
	const r = new Rng(1);
	for (let i = 0; i < 1000; i++) {
		const f = r.float();
		assert.ok(f >= 0 && f < 1);
		const n = r.int(3, 5);
		assert.ok(n >= 3 && n <= 5 && Number.isInteger(n));
		const ip = r.publicIp().split('.').map(Number);
		assert.ok(![10, 127, 192, 172].includes(ip[0]!) && ip.every((x) => x >= 0 && x <= 255));
	}
	const mean = Array.from({ length: 4000 }, () => r.normal(10, 2)).reduce((s, x) => s + x, 0) / 4000;
	assert.ok(Math.abs(mean - 10) < 0.2, String(mean));
});
R.run();

const P = suite('drawProfile');
P('deterministic per seed; stable ports and servers', () => {
	const a = drawProfile('d', new Rng(3));
	assert.equal(drawProfile('d', new Rng(3)), a);
	assert.ok(a.listeningTcp.length >= 1);
	assert.ok(a.servers.length >= 2 && a.servers.length <= 3);
	assert.ok(a.base.bytesOut > 0 && a.cpuBase > 0);
});
P.run();

const D = suite('dailyFactor');
D('peaks at the peak hour and repeats daily', () => {
	const p = drawProfile('d', new Rng(4));
	const peak = T0 + p.peakHour * HOUR;
	assert.ok(Math.abs(dailyFactor(p, peak) - (1 + p.dailySwing)) < 1e-9);
	assert.ok(Math.abs(dailyFactor(p, peak + 12 * HOUR) - (1 - p.dailySwing)) < 1e-9);
	assert.ok(Math.abs(dailyFactor(p, peak + 3 * DAY_MS) - dailyFactor(p, peak)) < 1e-9);
});
D.run();

const N = suite('normalRates');
N('noisy around the daily mean, never negative', () => {
	const p = drawProfile('d', new Rng(5));
	const rng = new Rng(6);
	const t = T0 + p.peakHour * HOUR;
	const xs = Array.from({ length: 2000 }, () => normalRates(p, t, rng).bytesOut);
	const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
	assert.ok(xs.every((x) => x >= 0));
	assert.ok(Math.abs(mean / (p.base.bytesOut * (1 + p.dailySwing)) - 1) < 0.03, String(mean));
	assert.ok(Math.abs(normalCpu(p, t, rng) - p.cpuBase * (1 + p.dailySwing)) < 10);
});
N.run();

/** Run one device for `hours` with an optional scenario from hour 2 to hour 3; snapshot every 5 min. */
function simulate(scenario: ScenarioName | null, seed = 11, hours = 4) {
	const rng = new Rng(seed);
	const model = new DeviceModel(drawProfile('dev', rng.fork('p')), rng.fork('b'), T0);
	if (scenario) {
		const srng = rng.fork('s');
		model.windows.push({ name: scenario, start: T0 + 2 * HOUR, end: T0 + 3 * HOUR, fixed: drawFixed(scenario, srng), rng: srng.fork('a') });
	}
	const snaps: { t: number; s: MetricSnapshot }[] = [];
	for (let t = T0 + 5 * 60_000; t <= T0 + hours * HOUR; t += 5 * 60_000) snaps.push({ t, s: model.state.snapshot(t) });
	return { model, snaps };
}

const inWindow = (t: number) => t > T0 + 2 * HOUR && t <= T0 + 3 * HOUR;
const outBytes = (snaps: { t: number; s: MetricSnapshot }[], from: number, to: number) =>
	snaps.find((x) => x.t === to)!.s.counters!.bytesOut - snaps.find((x) => x.t === from)!.s.counters!.bytesOut;

const M = suite('DeviceModel');
M('normal behaviour: counters grow at the profile rate, lists stay put', () => {
	const { model, snaps } = simulate(null);
	const p = model.profile;
	const hourOut = outBytes(snaps, T0 + HOUR, T0 + 2 * HOUR);
	assert.ok(hourOut > p.base.bytesOut * 3600 * (1 - p.dailySwing) * 0.8 && hourOut < p.base.bytesOut * 3600 * (1 + p.dailySwing) * 1.2, String(hourOut));
	for (const { s } of snaps) {
		assert.equal(s.listeningTcp, p.listeningTcp);
		assert.equal(s.connections, p.servers);
		assert.is(s.custom[0]!.name, CPU_METRIC);
	}
	for (let i = 1; i < snaps.length; i++) assert.ok(snaps[i]!.s.counters!.bytesIn >= snaps[i - 1]!.s.counters!.bytesIn);
});
M('deterministic for a seed', () => {
	assert.equal(simulate('botnet', 3).snaps, simulate('botnet', 3).snaps);
	assert.not.equal(simulate(null, 3).snaps, simulate(null, 4).snaps);
});
M('activeAt follows the windows', () => {
	const { model } = simulate('dos');
	assert.equal(model.activeAt(T0 + 2 * HOUR), ['dos']);
	assert.equal(model.activeAt(T0 + 3 * HOUR), []);
	assert.equal(model.activeAt(T0), []);
});
M.run();

const S = suite('SCENARIOS');
S('every scenario has a description, signals, and either a device effect or an MQTT actor', () => {
	for (const n of SCENARIO_NAMES) {
		const s = SCENARIOS[n];
		assert.is(s.name, n);
		assert.ok(s.description.length > 10 && s.signals.length > 0 && s.defaultDurationMs > 0);
		assert.ok(Boolean(s.apply) !== Boolean(s.actor), n);
	}
});
S('dos: outbound bytes and packets surge only inside the window', () => {
	const base = simulate(null).snaps;
	const { snaps } = simulate('dos');
	const normal = outBytes(base, T0 + 2 * HOUR, T0 + 3 * HOUR);
	const attack = outBytes(snaps, T0 + 2 * HOUR, T0 + 3 * HOUR);
	assert.ok(attack > normal * 20, `${attack} vs ${normal}`);
	assert.ok(Math.abs(outBytes(snaps, T0 + 3 * HOUR, T0 + 4 * HOUR) / outBytes(base, T0 + 3 * HOUR, T0 + 4 * HOUR) - 1) < 0.2);
});
S('botnet: many new public destinations while active', () => {
	const { model, snaps } = simulate('botnet');
	const known = new Set(model.profile.servers.map((c) => c.remoteIp));
	for (const { t, s } of snaps) {
		const fresh = new Set(s.connections.map((c) => c.remoteIp).filter((ip) => !known.has(ip)));
		if (inWindow(t)) assert.ok(fresh.size >= 25, String(fresh.size));
		else assert.is(fresh.size, 0);
	}
});
S('lateral-movement: connections to many local hosts on admin ports', () => {
	const { snaps } = simulate('lateral-movement');
	for (const { t, s } of snaps) {
		const scans = s.connections.filter((c) => c.remoteIp.startsWith('10.0.') && [22, 23, 445, 3389].includes(c.remotePort));
		if (inWindow(t)) assert.ok(scans.length >= 20);
		else assert.ok(scans.length <= 1);
	}
});
S('crypto-mining: a stratum-port connection and CPU above 90 %', () => {
	const { snaps } = simulate('crypto-mining');
	for (const { t, s } of snaps) {
		const pool = s.connections.some((c) => [3333, 4444, 14444].includes(c.remotePort));
		const cpu = (s.custom[0] as { value: number }).value;
		assert.is(pool, inWindow(t));
		if (inWindow(t)) assert.ok(cpu >= 90, String(cpu));
		else assert.ok(cpu < 60, String(cpu));
	}
});
S('exfiltration: bulk upload to one new address', () => {
	const base = simulate(null).snaps;
	const { model, snaps } = simulate('exfiltration');
	assert.ok(outBytes(snaps, T0 + 2 * HOUR, T0 + 3 * HOUR) - outBytes(base, T0 + 2 * HOUR, T0 + 3 * HOUR) > 500_000 * 3600 * 0.99);
	const known = new Set(model.profile.servers.map((c) => c.remoteIp));
	for (const { t, s } of snaps) assert.is(s.connections.filter((c) => !known.has(c.remoteIp)).length, inWindow(t) ? 1 : 0);
});
S('backdoor: a new listening TCP port while active', () => {
	const { snaps } = simulate('backdoor');
	for (const { t, s } of snaps) assert.is(s.listeningTcp.some((p) => p.port === 4444), inWindow(t));
});
S.run();
