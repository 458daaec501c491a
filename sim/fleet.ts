/**
 * The fleet simulator: N devices, each the real agent.wasm under an AgentRuntime fed by a
 * DeviceModel, plus labelled scenarios. Runs on any Clock: a ScaledClock for live runs against
 * any broker, a VirtualClock for replay (`runVirtual` advances in steps and waits for every
 * agent's outstanding publishes to be answered before moving time again).
 */
import { ScaledClock, systemClock, VirtualClock, type Clock } from '../host/clock.ts';
import { WardenError } from '../host/errors.ts';
import { AgentRuntime, loadAgentModule } from '../host/agent-runtime/agent-runtime.ts';
import type { AgentStats } from '../host/agent-runtime/stats.ts';
import { parseBrokerUrl } from '../host/agent-runtime/tcp-transport.ts';
import { createBrokerTransport } from '../host/agent-runtime/broker-transport.ts';
import type { TlsCredentials } from '../host/agent-runtime/tls-transport.ts';
import type { LogLevel } from '../host/agent-runtime/wasm-imports.ts';
import { drawProfile } from './device-profile.ts';
import { DeviceModel } from './device-model.ts';
import { ACTORS, type Actor } from './mqtt-actors.ts';
import { Rng } from './rng.ts';
import { drawFixed, isScenarioName, SCENARIOS, type ScenarioName } from './scenarios.ts';

export interface ScenarioRequest {
	name: ScenarioName;
	/** Device index (0-based) or thing name; default: device 0. */
	device?: number | string;
	/** Offset from the fleet start in ms; default two report intervals (a baseline first). */
	startMs?: number;
	/** Length in ms; default the scenario's own. */
	durationMs?: number;
}

export interface ScenarioLabel {
	thingName: string;
	scenario: ScenarioName;
	/** Unix ms, inclusive. */
	start: number;
	/** Unix ms, exclusive. */
	end: number;
}

export interface FleetOptions {
	/** `mqtt://host:port`, or `mqtts://host:port` (then `tls` is required). */
	broker: string;
	/**
	 * Mutual-TLS credentials of each device for an mqtts:// broker, asked once per thing name at
	 * start (sim/fleet-pki.ts reads them from a `warden certs` directory). Refused for mqtt://.
	 */
	tls?: (thingName: string) => TlsCredentials;
	/** Number of devices, 1..1000. */
	devices: number;
	scenarios?: ScenarioRequest[];
	clock: Clock;
	/** Seed of every random choice; default 1. */
	seed?: number;
	format?: 'json' | 'cbor';
	keys?: 'long' | 'short';
	/** Report interval in seconds; default 300. Below 300 sets the agent's short-interval flag. */
	intervalSec?: number;
	/**
	 * MQTT keepalive of every agent in seconds; default 60, or 0 on a VirtualClock (a jump of
	 * virtual time would otherwise expire PINGRESP deadlines before the broker can answer).
	 */
	keepaliveSec?: number;
	/** Thing names are `${prefix}-${index}`; default `sim`. */
	thingPrefix?: string;
	/** MQTT credentials every device uses (optional). */
	username?: string;
	password?: string;
	/** A device's `warden.log` lines and runtime notices; default discarded. */
	log?: (thingName: string, level: LogLevel, text: string) => void;
	/** Compiled agent module; default build/agent.wasm. */
	module?: WebAssembly.Module;
}

export interface FleetDevice {
	thingName: string;
	runtime: AgentRuntime;
	model: DeviceModel;
	/** Its mTLS credentials (mqtts:// brokers). */
	tls?: TlsCredentials;
}

export interface FleetHandle {
	readonly devices: readonly FleetDevice[];
	/** Every scheduled scenario window (fixed when the fleet starts). */
	readonly labels: readonly ScenarioLabel[];
	readonly startedAt: number;
	stats(): { devices: number; published: number; accepted: number; rejected: number; connected: number; traps: number; perDevice: Record<string, AgentStats> };
	/** Resolves when every agent and scenario actor is idle (nothing in flight); rejects after `timeoutMs` of wall time. */
	settle(timeoutMs?: number): Promise<void>;
	stop(): void;
}

function check(cond: boolean, message: string): void {
	if (!cond) throw new WardenError('WARDEN_ERR_CONFIG', message);
}

/** Start the fleet: devices connect at once; scenario windows open and close on the clock. */
export function startFleet(opts: FleetOptions): FleetHandle {
	check(Number.isInteger(opts.devices) && opts.devices >= 1 && opts.devices <= 1000, 'devices must be an integer from 1 to 1000');
	const broker = parseBrokerUrl(opts.broker);
	check(!broker.tls || opts.tls !== undefined, 'an mqtts:// broker needs per-device TLS credentials (tls)');
	check(broker.tls === true || opts.tls === undefined, 'TLS credentials were given for a plain mqtt:// broker; use mqtts://');
	const interval = opts.intervalSec ?? 300;
	check(Number.isInteger(interval) && interval >= 1, 'intervalSec must be a positive integer');
	const clock = opts.clock;
	const seed = opts.seed ?? 1;
	const root = new Rng(seed);
	const prefix = opts.thingPrefix ?? 'sim';
	const module = opts.module ?? loadAgentModule();
	const startedAt = clock.now();
	const devices: FleetDevice[] = [];
	for (let i = 0; i < opts.devices; i++) {
		const thingName = `${prefix}-${i}`;
		const rng = root.fork(`device:${thingName}`);
		const model = new DeviceModel(drawProfile(thingName, rng.fork('profile')), rng.fork('behaviour'), startedAt);
		const entropyRng = rng.fork('entropy');
		const tls = opts.tls?.(thingName);
		const runtime = new AgentRuntime({
			module,
			config: {
				thingName,
				intervalSec: interval,
				keepaliveSec: opts.keepaliveSec ?? (clock instanceof VirtualClock ? 0 : 60),
				allowShortInterval: interval < 300,
				format: opts.format ?? 'json',
				keys: opts.keys ?? 'long',
				...(opts.username ? { username: opts.username } : {}),
				...(opts.password ? { password: opts.password } : {}),
			},
			source: model.state,
			transport: createBrokerTransport(broker, tls, (e) => opts.log?.(thingName, 'warn', `link: ${(e as { code?: string }).code ?? 'error'}: ${e.message}`)),
			clock,
			// network answers take wall time even when the simulation is sped up
			networkTimeScale: clock instanceof ScaledClock ? clock.scale : 1,
			entropy: () => entropyRng.u32(),
			log: (level, text) => opts.log?.(thingName, level, text),
		});
		devices.push({ thingName, runtime, model, ...(tls ? { tls } : {}) });
	}

	const labels: ScenarioLabel[] = [];
	const actors = new Set<Actor>();
	const cancels: (() => void)[] = [];
	for (const [n, req] of (opts.scenarios ?? []).entries()) {
		check(isScenarioName(req.name), `unknown scenario ${String(req.name)}`);
		const dev = typeof req.device === 'string' ? devices.find((d) => d.thingName === req.device) : devices[req.device ?? 0];
		check(dev !== undefined, `scenario ${req.name}: no device ${String(req.device)}`);
		const spec = SCENARIOS[req.name];
		const start = startedAt + (req.startMs ?? 2 * interval * 1000);
		const end = start + (req.durationMs ?? spec.defaultDurationMs);
		check(end > start, `scenario ${req.name}: duration must be positive`);
		const rng = root.fork(`scenario:${n}:${req.name}`);
		dev!.model.windows.push({ name: req.name, start, end, fixed: drawFixed(req.name, rng), rng: rng.fork('apply') });
		labels.push({ thingName: dev!.thingName, scenario: req.name, start, end });
		if (spec.actor) {
			const make = ACTORS[spec.actor];
			let actor: Actor | undefined;
			cancels.push(clock.setTimer(start - clock.now(), () => {
				actor = make({
					broker, thingName: dev!.thingName, clientId: dev!.thingName, clock, rng: rng.fork('actor'),
					...(dev!.tls ? { tls: dev!.tls } : {}),
					...(opts.username ? { username: opts.username } : {}),
					...(opts.password ? { password: opts.password } : {}),
				});
				actors.add(actor);
			}));
			cancels.push(clock.setTimer(end - clock.now(), () => {
				if (actor) { actor.stop(); actors.delete(actor); }
			}));
		}
	}
	for (const d of devices) d.runtime.start();

	const stats = () => {
		const perDevice: Record<string, AgentStats> = {};
		const t = { devices: devices.length, published: 0, accepted: 0, rejected: 0, connected: 0, traps: 0, perDevice };
		for (const d of devices) {
			const s = d.runtime.stats();
			perDevice[d.thingName] = s;
			t.published += s.published; t.accepted += s.accepted; t.rejected += s.rejected; t.traps += s.traps;
			if (s.connectionState === 2) t.connected++;
		}
		return t;
	};

	const settle = (timeoutMs = 10_000) => new Promise<void>((resolve, reject) => {
		const idle = () => devices.every((d) => d.runtime.idle) && [...actors].every((a) => a.idle);
		if (idle()) return resolve();
		const offs: (() => void)[] = [];
		const done = (e?: Error) => {
			cancelTimer();
			for (const off of offs) off();
			if (e) reject(e); else resolve();
		};
		const cancelTimer = systemClock.setTimer(timeoutMs, () => {
			const s = stats();
			done(new WardenError('WARDEN_ERR_CONFIG', `fleet did not settle within ${timeoutMs} ms (connected ${s.connected}/${s.devices}, published ${s.published}, answered ${s.accepted + s.rejected})`));
		});
		for (const d of devices) offs.push(d.runtime.on('step', () => { if (idle()) done(); }));
		// scenario actors have no events of their own: look again every 10 ms of wall time
		const poll = () => {
			if (idle()) return done();
			offs.push(systemClock.setTimer(10, poll));
		};
		offs.push(systemClock.setTimer(10, poll));
	});

	return {
		devices,
		labels,
		startedAt,
		stats,
		settle,
		stop() {
			for (const c of cancels) c();
			for (const a of actors) a.stop();
			actors.clear();
			for (const d of devices) d.runtime.stop();
		},
	};
}

/**
 * Replay on a VirtualClock: advance `totalMs` in steps of `stepMs`, waiting after each step until
 * every agent is connected and all its reports are answered. Returns the virtual time reached.
 */
export async function runVirtual(fleet: FleetHandle, clock: VirtualClock, totalMs: number, stepMs = 10_000, settleTimeoutMs = 10_000): Promise<number> {
	const until = clock.now() + totalMs;
	await fleet.settle(settleTimeoutMs);
	while (clock.now() < until) {
		clock.advanceTo(Math.min(until, clock.now() + stepMs));
		await fleet.settle(settleTimeoutMs);
	}
	return clock.now();
}
