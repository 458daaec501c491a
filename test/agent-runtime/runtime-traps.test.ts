/** Trap handling of AgentRuntime with a small hand-written module (fixtures/trapper.wat). */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AgentRuntime, loadAgentModule } from '../../host/agent-runtime/agent-runtime.ts';
import { SimulatedDeviceState } from '../../host/agent-runtime/simulated-device.ts';
import { MemorySlotStore } from '../../host/agent-runtime/slot-store.ts';
import type { ByteTransport } from '../../host/agent-runtime/tcp-transport.ts';
import { VirtualClock } from '../../host/clock.ts';

const wasm = new URL('./fixtures/trapper.wasm', import.meta.url).pathname;

const T = suite('AgentRuntime traps');
T('a host-detected bad pointer and a real unreachable both restart the module; slots survive', () => {
	const clock = new VirtualClock();
	const queue: (() => void)[] = [];
	const flush = () => { while (queue.length) queue.shift()!(); };
	let closes = 0;
	const transport: ByteTransport = {
		open: () => 0, state: () => 0, send: () => -1, recv: () => null, close: () => { closes++; }, awaitingAnswer: false, onActivity: undefined,
	};
	const slots = new MemorySlotStore();
	const logs: string[] = [];
	const traps: string[] = [];
	const rt = new AgentRuntime({
		module: loadAgentModule(wasm), config: { thingName: 'trap-1' }, source: new SimulatedDeviceState(), transport, clock, slots,
		defer: (fn) => { queue.push(fn); }, log: (level, text) => logs.push(`${level} ${text}`),
	});
	rt.on('trap', (e) => traps.push(e.message));
	rt.start();
	flush();
	assert.is(slots.load(0), 1n);
	clock.advance(1000); // step 2: bad pointer → restart, stepped again at once
	assert.is(traps.length, 1);
	assert.match(traps[0]!, /outside linear memory/);
	flush();
	assert.is(slots.load(0), 3n);
	clock.advance(1000); // step 4: unreachable → restart; a second trap within a minute backs off 1 s
	assert.is(traps.length, 2);
	assert.match(traps[1]!, /unreachable/);
	flush();
	assert.is(slots.load(0), 4n);
	clock.advance(999);
	assert.is(slots.load(0), 4n);
	clock.advance(1);
	assert.is(slots.load(0), 5n);
	assert.is(rt.stats().traps, 2);
	assert.is(logs.filter((l) => l.startsWith('error WARDEN_ERR_AGENT_TRAP')).length, 2);
	assert.ok(closes >= 2, 'the link is dropped on every restart');
	rt.stop();
	clock.advance(10_000);
	assert.is(slots.load(0), 5n, 'no steps after stop');
});
T('a JS error thrown by a metric source is handled like a trap (the process keeps running)', () => {
	const source = new SimulatedDeviceState();
	let fail = true;
	source.beforeSnapshot = () => { if (fail) { fail = false; throw new TypeError('source broke'); } };
	const logs: string[] = [];
	const rt = new AgentRuntime({
		module: loadAgentModule(), config: { thingName: 'src-1' }, source, clock: new VirtualClock(), defer: () => {},
		transport: { open: () => -1, state: () => 0, send: () => -1, recv: () => null, close() {}, awaitingAnswer: false, onActivity: undefined },
		log: (level, text) => logs.push(`${level} ${text}`),
	}).start();
	assert.throws(() => rt.encodeReport(0), (e: { code?: string }) => e.code === 'WARDEN_ERR_AGENT_TRAP');
	assert.is(rt.stats().traps, 1);
	assert.ok(logs.some((l) => /WARDEN_ERR_AGENT_TRAP: host error inside a module call: source broke/.test(l)));
	assert.ok(rt.encodeReport(0).length > 0, 'the restarted module encodes again');
	rt.stop();
});
T('networkTimeScale: the agent clock runs at 1/scale while the broker owes an answer', () => {
	const clock = new VirtualClock();
	const t = { open: () => 0, state: () => 2 as 0 | 1 | 2, send: () => -1, recv: () => null, close() {}, awaitingAnswer: false, onActivity: undefined };
	const rt = new AgentRuntime({
		module: loadAgentModule(wasm), config: { thingName: 'n' }, source: new SimulatedDeviceState(), transport: t, clock, defer: () => {}, networkTimeScale: 100,
	});
	clock.advance(1000);
	assert.is(rt.agentClockMs, 1000);
	t.awaitingAnswer = true;
	assert.is(rt.agentClockMs, 1000);
	clock.advance(10_000);
	assert.is(rt.agentClockMs, 1100);
	t.awaitingAnswer = false;
	assert.is(rt.agentClockMs, 1100); // sampled when the answer arrives (the runtime does so on transport activity)
	clock.advance(1000);
	assert.is(rt.agentClockMs, 2100);
	t.state = () => 1; // connecting counts as waiting too
	assert.is(rt.agentClockMs, 2100); // sampled right after the step that opened the link
	clock.advance(500);
	assert.is(rt.agentClockMs, 2105);
	clock.advance(500);
	assert.is(rt.agentClockMs, 2110);
	assert.throws(() => new AgentRuntime({
		module: loadAgentModule(wasm), config: { thingName: 'n' }, source: new SimulatedDeviceState(), transport: t, clock, networkTimeScale: 0.5,
	}), /networkTimeScale/);
});
T('a configuration the module refuses raises WARDEN_ERR_AGENT_CONFIG', () => {
	assert.throws(() => new AgentRuntime({
		module: loadAgentModule(wasm), config: { thingName: 'x'.repeat(128), clientId: 'c'.repeat(600) }, source: new SimulatedDeviceState(),
		transport: { open: () => 0, state: () => 0, send: () => -1, recv: () => null, close() {}, awaitingAnswer: false, onActivity: undefined },
		clock: new VirtualClock(), defer: () => {},
	}).start(), (e: { code?: string }) => e.code === 'WARDEN_ERR_AGENT_CONFIG');
});
T.run();
