/**
 * Integration: the real agent.wasm under AgentRuntime, over real TCP to a real aedes broker on
 * 127.0.0.1 with an in-test responder (helpers/responder.ts). Time is a VirtualClock; the tests
 * wait on runtime events with bounded wall-time timeouts, never on sleeps.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentRuntime, loadAgentModule } from '../../host/agent-runtime/agent-runtime.ts';
import { SimulatedDeviceState } from '../../host/agent-runtime/simulated-device.ts';
import { FileSlotStore, type SlotStore } from '../../host/agent-runtime/slot-store.ts';
import type { AgentEvents } from '../../host/agent-runtime/stats.ts';
import { parseBrokerUrl, TcpTransport } from '../../host/agent-runtime/tcp-transport.ts';
import type { AgentConfig } from '../../host/agent-runtime/config-tlv.ts';
import { VirtualClock } from '../../host/clock.ts';
import { startResponder, type Responder } from './helpers/responder.ts';

function waitEvent<K extends keyof AgentEvents>(rt: AgentRuntime, name: K, pred: (e: AgentEvents[K]) => boolean = () => true, ms = 10_000): Promise<AgentEvents[K]> {
	return new Promise((resolve, reject) => {
		const t = setTimeout(() => { off(); reject(new Error(`no ${name} event within ${ms} ms: ${JSON.stringify(rt.stats())}`)); }, ms);
		const off = rt.on(name, (e) => { if (pred(e)) { clearTimeout(t); off(); resolve(e); } });
	});
}

async function waitIdle(rt: AgentRuntime, ms = 10_000): Promise<void> {
	const deadline = Date.now() + ms;
	while (!rt.idle) {
		if (Date.now() > deadline) throw new Error(`agent not idle within ${ms} ms`);
		await new Promise((res) => setTimeout(res, 5));
	}
}

function device(): SimulatedDeviceState {
	const s = new SimulatedDeviceState();
	s.listeningTcp = [{ port: 22, iface: 'eth0' }, { port: 1883 }];
	s.connections = [{ remoteIp: '10.0.0.1', remotePort: 8883, localPort: 40001, iface: 'eth0' }];
	s.custom = [{ name: 'cpu_usage', type: 'number', value: 42 }];
	return s;
}

interface Setup { rt: AgentRuntime; clock: VirtualClock; state: SimulatedDeviceState; logs: string[] }

function setup(r: Responder, config: Partial<AgentConfig> = {}, extra: { slots?: SlotStore; trustedClock?: boolean; state?: SimulatedDeviceState } = {}): Setup {
	const clock = new VirtualClock();
	const state = extra.state ?? device();
	const logs: string[] = [];
	const rt = new AgentRuntime({
		module: loadAgentModule(),
		// keepalive 0: a virtual clock jumps whole intervals, which would expire PINGRESP deadlines mid-jump
		config: { thingName: 'dev-1', keepaliveSec: 0, ...config },
		source: state,
		transport: new TcpTransport(parseBrokerUrl(r.url)),
		clock,
		log: (level, text) => logs.push(`${level} ${text}`),
		...(extra.slots ? { slots: extra.slots } : {}),
		...(extra.trustedClock !== undefined ? { trustedClock: extra.trustedClock } : {}),
	});
	return { rt, clock, state, logs };
}

const Run = suite('AgentRuntime over MQTT');
let r: Responder;
Run.before(async () => { r = await startResponder(); });
Run.after(async () => { await r.close(); });
Run.before.each(() => { r.received.length = 0; r.decide = (x) => (x.report ? { status: 'ACCEPTED' } : { status: 'REJECTED', code: 'InvalidPayload' }); });

for (const [format, keys] of [['json', 'long'], ['json', 'short'], ['cbor', 'long'], ['cbor', 'short']] as const) {
	Run(`publishes a ${format}/${keys} report that decodes to the device state and counts the reply`, async () => {
		const { rt } = setup(r, { thingName: `dev-${format}-${keys}`, format, keys });
		const accepted = waitEvent(rt, 'report');
		rt.start();
		const got = await r.waitFor(1);
		const ev = await accepted;
		rt.stop();
		assert.is(got.thingName, `dev-${format}-${keys}`);
		assert.is(got.format, format);
		assert.is(got.error, null);
		const text = got.payload.toString('latin1');
		assert.is(text.includes(keys === 'long' ? 'listening_tcp_ports' : 'tp'), true);
		assert.is(text.includes('listening_tcp_ports'), keys === 'long');
		assert.equal(got.report!.metrics?.listening_tcp_ports, { ports: [{ port: 22, interface: 'eth0' }, { port: 1883 }], total: 2 });
		assert.equal(got.report!.metrics?.tcp_connections?.established_connections?.connections, [{ remote_addr: '10.0.0.1:8883', local_port: 40001, local_interface: 'eth0' }]);
		assert.equal(got.report!.custom_metrics, { cpu_usage: { type: 'number', number: 42 } });
		assert.is(ev.status, 'ACCEPTED');
		assert.is(ev.reportId, got.report!.header.report_id);
		assert.is(ev.stats.accepted, 1);
		assert.is(ev.stats.published, 1);
		assert.is(ev.stats.connections, 1);
	});
}

Run('reports again after the interval of clock time; network stats are deltas', async () => {
	const { rt, clock, state } = setup(r, { intervalSec: 300 });
	rt.start();
	await waitEvent(rt, 'report');
	state.addTraffic({ bytesIn: 1234, bytesOut: 99, packetsIn: 7, packetsOut: 3 });
	const second = waitEvent(rt, 'report');
	clock.advance(300_000);
	const ev = await second;
	rt.stop();
	assert.is(ev.stats.accepted, 2);
	const rep = r.received[1]!.report!;
	assert.equal(rep.metrics?.network_stats, { bytes_in: 1234, bytes_out: 99, packets_in: 7, packets_out: 3 });
	assert.ok(rep.header.report_id > r.received[0]!.report!.header.report_id);
});

Run('a rejection is counted with its error code', async () => {
	r.decide = () => ({ status: 'REJECTED', code: 'Throttled' });
	const { rt } = setup(r);
	const rejected = waitEvent(rt, 'report');
	rt.start();
	const ev = await rejected;
	rt.stop();
	assert.is(ev.status, 'REJECTED');
	assert.is(ev.errorCode, 'Throttled');
	assert.is(ev.stats.rejected, 1);
	assert.is(ev.stats.lastErrorCode, 2);
	assert.is(ev.stats.accepted, 0);
});

Run('a trap restarts the module; report ids stay increasing through the slot store', async () => {
	const state = device();
	let armed = false;
	const inner = state.snapshot.bind(state);
	state.snapshot = (now: number) => {
		if (armed) { armed = false; throw new WebAssembly.RuntimeError('unreachable (injected)'); }
		return inner(now);
	};
	const { rt, clock, logs } = setup(r, { intervalSec: 300 }, { state, trustedClock: false });
	rt.start();
	const first = await waitEvent(rt, 'report');
	armed = true;
	const trap = waitEvent(rt, 'trap');
	const after = waitEvent(rt, 'report', (e) => e.stats.accepted === 2);
	clock.advance(300_000);
	await trap;
	const ev = await after;
	rt.stop();
	assert.is(ev.stats.traps, 1);
	assert.ok(ev.reportId > first.reportId, `${ev.reportId} > ${first.reportId}`);
	assert.ok(logs.some((l) => l.startsWith('error WARDEN_ERR_AGENT_TRAP')));
	assert.is(ev.stats.connections, 2, 'the restarted module connects again');
	const ids = r.received.map((x) => x.report!.header.report_id);
	assert.equal([...ids].sort((a, b) => a - b), ids);
});

Run('survives a broker restart: reconnects and reports again', async () => {
	const { rt, clock } = setup(r, { intervalSec: 300 });
	rt.start();
	await waitEvent(rt, 'report');
	const down = waitEvent(rt, 'connection', (e) => e.state === 0);
	await r.kill();
	await down;
	await r.restart();
	const up = waitEvent(rt, 'connection', (e) => e.state === 2, 15_000);
	// let the agent's reconnect backoff elapse in clock time, one second at a time, until it is back
	let done = false;
	void up.then(() => { done = true; });
	for (let i = 0; i < 600 && !done; i++) {
		clock.advance(1000);
		await new Promise((res) => setImmediate(res));
		if (!rt.idle) await new Promise((res) => setTimeout(res, 5));
	}
	await up;
	await waitIdle(rt); // the SUBSCRIBE of the new session is answered before time jumps
	const again = waitEvent(rt, 'report', (e) => e.stats.accepted >= 2);
	clock.advance(300_000);
	const ev = await again;
	rt.stop();
	assert.ok(ev.stats.connections >= 2);
	assert.is(r.received.at(-1)!.thingName, 'dev-1');
});
Run.run();

const Slots = suite('FileSlotStore');
Slots('persists report ids across runtime instances', () => {
	const dir = mkdtempSync(join(tmpdir(), 'warden-slots-'));
	const a = new FileSlotStore(dir, 'thing/1');
	assert.is(a.load(0), -1n);
	assert.ok(a.save(0, 41n));
	assert.is(new FileSlotStore(dir, 'thing/1').load(0), 41n);
	assert.equal(JSON.parse(readFileSync(a.file, 'utf8')), { 0: '41' });
	assert.ok(a.file.endsWith('thing_1.slots.json'));
});
Slots.run();
