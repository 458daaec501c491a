/**
 * Integration: a simulated fleet (real agent.wasm per device) against a real aedes broker on
 * 127.0.0.1 with the in-test responder, replayed on a VirtualClock with `runVirtual`.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../host/clock.ts';
import { runVirtual, startFleet, type FleetHandle } from '../../sim/fleet.ts';
import { startResponder, type Responder } from '../agent-runtime/helpers/responder.ts';

const MIN = 60_000;

async function until(pred: () => boolean, what: string, ms = 10_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!pred()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((res) => setTimeout(res, 10));
	}
}

const F = suite('startFleet');
let r: Responder;
let fleet: FleetHandle | undefined;
F.before(async () => { r = await startResponder(); });
F.after(async () => { await r.close(); });
F.before.each(() => {
	r.received.length = 0; r.connects.length = 0; r.publishes.length = 0; r.subscribes.length = 0;
	r.authenticate = () => true;
});
F.after.each(() => { fleet?.stop(); fleet = undefined; });

F('devices report on virtual time; labelled scenarios show up in their reports only', async () => {
	const clock = new VirtualClock();
	r.now = () => clock.now();
	fleet = startFleet({
		broker: r.url, devices: 3, clock, seed: 42, format: 'cbor', keys: 'short',
		scenarios: [
			{ name: 'crypto-mining', device: 1, startMs: 10 * MIN, durationMs: 30 * MIN },
			{ name: 'backdoor', device: 'sim-2', startMs: 20 * MIN, durationMs: 20 * MIN },
		],
	});
	const t0 = fleet.startedAt;
	assert.equal(fleet.labels, [
		{ thingName: 'sim-1', scenario: 'crypto-mining', start: t0 + 10 * MIN, end: t0 + 40 * MIN },
		{ thingName: 'sim-2', scenario: 'backdoor', start: t0 + 20 * MIN, end: t0 + 40 * MIN },
	]);
	await runVirtual(fleet, clock, 60 * MIN, 30_000);
	const s = fleet.stats();
	assert.is(s.connected, 3);
	assert.is(s.rejected, 0);
	assert.ok(s.accepted >= 3 * 12, String(s.accepted));
	assert.is(s.accepted, s.published);
	assert.is(r.received.length, s.published);
	const of = (thing: string) => r.received.filter((x) => x.thingName === thing);
	for (const x of r.received) assert.is(x.error, null);
	const inside = (at: number, l: { start: number; end: number }) => at > l.start && at < l.end;
	const [mining, backdoor] = fleet.labels;
	for (const x of of('sim-1')) {
		const cpu = (x.report!.custom_metrics!.cpu_usage as { number: number }).number;
		const pool = x.report!.metrics!.tcp_connections!.established_connections!.connections.some((c) => /:(3333|4444|14444)$/.test(c.remote_addr));
		if (inside(x.at, mining!)) { assert.ok(cpu >= 90, String(cpu)); assert.ok(pool); }
		if (x.at < mining!.start || x.at > mining!.end + 1000) { assert.ok(cpu < 60, String(cpu)); assert.not.ok(pool); }
	}
	assert.ok(of('sim-1').filter((x) => inside(x.at, mining!)).length >= 5);
	for (const x of of('sim-2')) {
		const open4444 = x.report!.metrics!.listening_tcp_ports!.ports.some((p) => p.port === 4444);
		if (inside(x.at, backdoor!)) assert.ok(open4444);
		if (x.at < backdoor!.start || x.at > backdoor!.end + 1000) assert.not.ok(open4444);
	}
	for (const x of of('sim-0')) assert.not.ok(x.report!.metrics!.listening_tcp_ports!.ports.some((p) => p.port === 4444));
	// network stats are deltas of the modelled counters: their sum matches the model
	const sim0 = fleet.devices[0]!;
	const sumOut = of('sim-0').reduce((n, x) => n + (x.report!.metrics!.network_stats?.bytes_out ?? 0), 0);
	assert.ok(sumOut > 0 && sumOut <= sim0.model.state.counters!.bytesOut);
});

F('same seed, same reports', async () => {
	const run = async () => {
		r.received.length = 0;
		const clock = new VirtualClock();
		const f = startFleet({ broker: r.url, devices: 2, clock, seed: 9, thingPrefix: 'det' });
		await runVirtual(f, clock, 20 * MIN, 60_000);
		f.stop();
		return r.received.map((x) => ({ thing: x.thingName, rep: { ...x.report!, header: undefined } }))
			.sort((a, b) => a.thing.localeCompare(b.thing));
	};
	const a = await run();
	const b = await run();
	assert.ok(a.length >= 8, String(a.length));
	assert.equal(a, b);
});

F('credential stuffing: refused connects with the device id while the device keeps reporting', async () => {
	r.authenticate = (_id, _u, p) => p === 'secret';
	const clock = new VirtualClock();
	fleet = startFleet({
		broker: r.url, devices: 1, clock, username: 'sim', password: 'secret',
		scenarios: [{ name: 'credential-stuffing', startMs: MIN, durationMs: 2 * MIN }],
	});
	await runVirtual(fleet, clock, 10 * MIN, 5_000);
	await until(() => r.connects.filter((c) => !c.ok).length >= 8, 'refused connects');
	const refused = r.connects.filter((c) => !c.ok);
	assert.ok(refused.every((c) => c.clientId === 'sim-0'));
	assert.ok(refused.length <= 9, JSON.stringify(r.connects));
	assert.is(fleet.stats().accepted, fleet.stats().published);
	assert.ok(fleet.stats().accepted >= 2);
});

F('cloud abuse: a message flood and a subscribe to everything', async () => {
	const clock = new VirtualClock();
	fleet = startFleet({ broker: r.url, devices: 1, clock, scenarios: [{ name: 'cloud-abuse', startMs: 0, durationMs: 3 * MIN }] });
	await runVirtual(fleet, clock, 5 * MIN, 10_000);
	await until(() => r.publishes.filter((p) => p.clientId === 'sim-0-abuse').length >= 120, 'flood');
	assert.ok(r.publishes.some((p) => p.topic === 'things/sim-0/telemetry' && p.bytes >= 512));
	assert.ok(r.subscribes.some((s) => s.clientId === 'sim-0-abuse' && s.topic === '#'));
});

F('cloned identity: the device client id also connects from another address', async () => {
	const clock = new VirtualClock();
	fleet = startFleet({ broker: r.url, devices: 1, clock, scenarios: [{ name: 'cloned-identity', startMs: MIN, durationMs: 3 * MIN }] });
	await runVirtual(fleet, clock, 8 * MIN, 5_000);
	await until(() => r.connects.some((c) => c.clientId === 'sim-0' && c.address === '127.0.0.2'), 'clone connect');
	const addrs = new Set(r.connects.filter((c) => c.clientId === 'sim-0').map((c) => c.address));
	assert.equal([...addrs].sort(), ['127.0.0.1', '127.0.0.2']);
	assert.ok(fleet.stats().perDevice['sim-0']!.connections >= 2, 'the device was kicked and came back');
});
F.run();
