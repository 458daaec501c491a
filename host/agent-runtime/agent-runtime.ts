/**
 * The Node runtime of agent.wasm: instantiates the module, writes its configuration, drives
 * `agent_step` on the injected Clock (again after the returned delay, and at once when the
 * transport has news), restarts the module after a trap (slots survive, so report ids stay
 * monotonic) and turns the module's counters into events a UI can follow live.
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../clock.ts';
import { WardenError } from '../errors.ts';
import { AgentClock } from './agent-clock.ts';
import { encodeConfig, type AgentConfig } from './config-tlv.ts';
import type { MetricSource } from './metric-source.ts';
import type { SlotStore } from './slot-store.ts';
import { MemorySlotStore } from './slot-store.ts';
import type { ByteTransport } from './tcp-transport.ts';
export { agentWasmPath, loadAgentModule } from './agent-module.ts';
import { AgentTrap, createImports, cryptoEntropy, type LogLevel } from './wasm-imports.ts';
import { AGENT_STAT, type AgentStats, type AgentEvents, zeroStats, ERROR_CODE_NAMES } from './stats.ts';

/** The module's exports, as docs/abi.md lists them. */
export interface AgentExports {
	memory: WebAssembly.Memory;
	agent_config_ptr(): number;
	agent_config_cap(): number;
	agent_init(len: number): number;
	agent_step(): number;
	agent_report_now(): void;
	agent_stat(id: number): bigint;
	agent_io_ptr(): number;
	agent_io_cap(): number;
	agent_encode(flags: number, ptr: number, cap: number): number;
}

export interface AgentRuntimeOptions {
	/** Compiled agent.wasm (loadAgentModule()). */
	module: WebAssembly.Module;
	config: AgentConfig;
	source: MetricSource;
	transport: ByteTransport;
	clock: Clock;
	/** Persistent slots; default in memory. */
	slots?: SlotStore;
	/** 32 random bits; default the platform CSPRNG (the simulator passes a seeded one). */
	entropy?: () => number;
	/** Whether `epoch_ms` reports the clock (true, default) or 0 ("no trusted clock"). */
	trustedClock?: boolean;
	/** Module log lines and runtime notices; default discarded. */
	log?: (level: LogLevel, text: string) => void;
	/** Schedules "as soon as possible" work; default setImmediate. */
	defer?: (fn: () => void) => void;
	/**
	 * While the broker owes the agent an answer (TCP connect, CONNACK, SUBACK, PUBACK, PINGRESP),
	 * received bytes wait for the queued step, or a step runs, the agent's `clock_ms` runs this many times
	 * slower than `clock`: pass the scale of a
	 * ScaledClock so network latency stays wall time and the agent's 10 s handshake and ack
	 * deadlines are not 10 s / scale of wall time. Default 1 (no change).
	 */
	networkTimeScale?: number;
}

/** Steps that returned 0 in a row before the runtime waits 1 ms of clock time instead. */
const MAX_IMMEDIATE_STEPS = 64;

export class AgentRuntime {
	readonly #o: Required<Omit<AgentRuntimeOptions, 'log' | 'trustedClock'>> & Pick<AgentRuntimeOptions, 'log' | 'trustedClock'>;
	readonly #agentClock: AgentClock;
	readonly #events = new EventEmitter();
	readonly #config: Uint8Array;
	#exports: AgentExports | undefined;
	#resetSnapshot: () => void = () => {};
	#cancelTimer: (() => void) | undefined;
	#deferred = false;
	#immediateRun = 0;
	#running = false;
	#stepping = false;
	/** Counters of earlier module instances (the module's own reset at each restart). */
	#base = zeroStats();
	#last = zeroStats();
	#traps = 0;
	/** Unanswered reports when the current MQTT session started. */
	#lostBefore = 0;
	#lastTrapAt = -Infinity;
	#consecutiveTraps = 0;

	constructor(opts: AgentRuntimeOptions) {
		this.#config = encodeConfig(opts.config);
		this.#o = Object.freeze({
			slots: new MemorySlotStore(),
			entropy: cryptoEntropy,
			defer: (fn: () => void) => { setImmediate(fn); },
			networkTimeScale: 1,
			...opts,
		});
		const t = this.#o.transport;
		// in flight for the agent: a broker answer owed, a connect, received bytes waiting for the
		// queued step, or the host's own time inside a step
		this.#agentClock = new AgentClock(opts.clock, this.#o.networkTimeScale,
			() => t.awaitingAnswer || t.state() === 1 || this.#deferred || this.#stepping);
		this.#o.transport.onActivity = () => {
			this.#wake();
			this.#clockMs(); // notes a change of the waiting state at the moment it happens
		};
	}

	/** Instantiate and initialise the module and start stepping. */
	start(): this {
		if (this.#running) return this;
		this.#running = true;
		this.#instantiate();
		this.#wake();
		return this;
	}

	/** Stop stepping and drop the connection. */
	stop(): void {
		this.#running = false;
		this.#cancelTimer?.();
		this.#cancelTimer = undefined;
		this.#o.transport.close();
	}

	get running(): boolean {
		return this.#running;
	}

	/** Ask the agent to build and publish a report on its next step (which is scheduled now). */
	reportNow(): void {
		if (!this.#exports) return;
		this.#guard(() => this.#exports!.agent_report_now());
		this.#wake();
	}

	/** Counters (cumulative across module restarts where that makes sense). */
	stats(): AgentStats {
		return { ...this.#last, traps: this.#traps };
	}

	/**
	 * Reports published on the current MQTT session that have no reply yet. Reports still
	 * unanswered when a new session starts count as lost (a reply may yet arrive; never below 0).
	 */
	get outstanding(): number {
		const s = this.#last;
		return Math.max(0, s.published - s.accepted - s.rejected - this.#lostBefore);
	}

	/**
	 * True when nothing is in flight on the wire: no step queued, not connecting, and when the
	 * link is up no answer is owed to the agent (transport.awaitingAnswer), the MQTT session is
	 * up and every report is answered. An idle agent only waits for
	 * its clock (what a virtual-time driver needs to know before advancing).
	 */
	get idle(): boolean {
		if (!this.#running) return true;
		if (this.#deferred || this.#stepping) return false;
		const link = this.#o.transport.state();
		if (link === 1) return false;
		if (link === 2) return !this.#o.transport.awaitingAnswer && this.#last.connectionState === 2 && this.outstanding <= 0;
		return true;
	}

	on<K extends keyof AgentEvents>(name: K, fn: (ev: AgentEvents[K]) => void): () => void {
		this.#events.on(name, fn);
		return () => this.#events.off(name, fn);
	}

	/**
	 * Encode one report with the module's encoder into its scratch region (no network): `flags`
	 * as config tag 7 (bit 0 CBOR, bit 1 short keys). Returns a copy of the bytes.
	 */
	encodeReport(flags: number): Uint8Array {
		const x = this.#exports;
		if (!x) throw new WardenError('WARDEN_ERR_CONFIG', 'agent runtime not started');
		this.#resetSnapshot();
		const ptr = x.agent_io_ptr();
		const n = this.#guard(() => x.agent_encode(flags, ptr, x.agent_io_cap()));
		if (n === undefined) throw new WardenError('WARDEN_ERR_AGENT_TRAP', 'the agent trapped while encoding and was restarted');
		if (n < 0) throw new WardenError('WARDEN_ERR_AGENT_CONFIG', `agent_encode failed with status ${n}`);
		return new Uint8Array(x.memory.buffer, ptr, n).slice();
	}

	/** The agent's `clock_ms`: ms since start, minus time hidden while waiting (networkTimeScale). */
	get agentClockMs(): number {
		return this.#clockMs();
	}

	#clockMs(): number {
		return this.#agentClock.sample();
	}

	#instantiate(): void {
		const { imports, resetSnapshot } = createImports({
			memory: () => this.#exports!.memory,
			transport: this.#o.transport,
			source: this.#o.source,
			slots: this.#o.slots,
			clockMs: () => this.#clockMs(),
			now: () => this.#o.clock.now(),
			epochMs: () => (this.#o.trustedClock === false ? 0 : this.#o.clock.now()),
			entropy: this.#o.entropy,
			log: (level, text) => this.#o.log?.(level, text),
		});
		this.#resetSnapshot = resetSnapshot;
		const instance = new WebAssembly.Instance(this.#o.module, imports);
		const x = instance.exports as unknown as AgentExports;
		const ptr = x.agent_config_ptr();
		const cap = x.agent_config_cap();
		if (this.#config.length > cap) {
			throw new WardenError('WARDEN_ERR_AGENT_CONFIG', `configuration is ${this.#config.length} bytes, the agent takes ${cap}`);
		}
		if (ptr < 0 || ptr + cap > x.memory.buffer.byteLength) throw new AgentTrap('agent_config_ptr outside memory');
		new Uint8Array(x.memory.buffer, ptr, this.#config.length).set(this.#config);
		this.#exports = x;
		const status = x.agent_init(this.#config.length);
		if (status < 0) {
			this.#exports = undefined;
			throw new WardenError('WARDEN_ERR_AGENT_CONFIG', `agent_init rejected the configuration (status ${status})`, { status });
		}
	}

	#wake(): void {
		if (!this.#running || this.#deferred) return;
		this.#deferred = true;
		this.#o.defer(() => {
			this.#deferred = false;
			this.#step();
		});
	}

	#step(): void {
		if (!this.#running || this.#stepping || !this.#exports) return;
		this.#cancelTimer?.();
		this.#cancelTimer = undefined;
		this.#stepping = true;
		this.#clockMs(); // a step starts: host time spent in it is hidden from the agent (networkTimeScale)
		let wait = 0;
		try {
			this.#resetSnapshot();
			const r = this.#guard(() => this.#exports!.agent_step());
			if (r === undefined) {
				wait = this.#restartDelay();
			} else if (r < 0) {
				this.#o.log?.('error', `WARDEN_ERR_AGENT_CONFIG: agent_step returned status ${r}; agent stopped`);
				this.stop();
				return;
			} else {
				wait = r;
			}
			this.#publishStats();
		} finally {
			this.#stepping = false;
		}
		if (!this.#running) return;
		if (wait <= 0 && this.#immediateRun++ < MAX_IMMEDIATE_STEPS) {
			this.#wake();
		} else {
			this.#immediateRun = 0;
			this.#cancelTimer = this.#o.clock.setTimer(Math.max(1, wait), () => {
				this.#cancelTimer = undefined;
				this.#step();
			});
		}
		this.#clockMs(); // the step is over: a wait for the broker (a send in it) or nothing
		this.#events.emit('step', this.#last);
	}

	/** Run a module call; on a trap: log, restart the module and return undefined. */
	#guard<T>(fn: () => T): T | undefined {
		try {
			return fn();
		} catch (e) {
			// A JS error thrown by an import (a metric source, the transport) unwinds the module
			// just like a trap and leaves its state undefined: it is handled the same way.
			const fault = e instanceof WebAssembly.RuntimeError || e instanceof AgentTrap
				? (e as Error)
				: new Error(`host error inside a module call: ${(e as Error)?.message ?? String(e)}`);
			this.#onTrap(fault);
			return undefined;
		}
	}

	#onTrap(e: Error): void {
		this.#traps++;
		const now = this.#clockMs();
		this.#consecutiveTraps = now - this.#lastTrapAt < 60_000 ? this.#consecutiveTraps + 1 : 1;
		this.#lastTrapAt = now;
		this.#o.log?.('error', `WARDEN_ERR_AGENT_TRAP: ${e.message}; restarting the agent`);
		this.#base = { ...this.#last, traps: 0 };
		this.#o.transport.close();
		try {
			this.#instantiate();
		} catch (err) {
			this.#exports = undefined;
			this.#o.log?.('error', `WARDEN_ERR_AGENT_TRAP: the agent could not be restarted (${(err as Error).message}); agent stopped`);
			this.stop();
		}
		this.#events.emit('trap', { message: e.message, traps: this.#traps });
	}

	/** Clock ms to wait before stepping a freshly restarted module: none for a lone trap, then 1 s doubling to 60 s while traps come less than a minute apart. */
	#restartDelay(): number {
		return this.#consecutiveTraps <= 1 ? 0 : Math.min(60_000, 1000 * 2 ** (this.#consecutiveTraps - 2));
	}

	#publishStats(): void {
		const x = this.#exports;
		if (!x) return;
		const raw = (id: number) => Number(x.agent_stat(id));
		const b = this.#base;
		const prev = this.#last;
		const next: AgentStats = {
			published: b.published + raw(AGENT_STAT.published),
			accepted: b.accepted + raw(AGENT_STAT.accepted),
			rejected: b.rejected + raw(AGENT_STAT.rejected),
			lastErrorCode: raw(AGENT_STAT.lastErrorCode),
			connections: b.connections + raw(AGENT_STAT.connections),
			retransmissions: b.retransmissions + raw(AGENT_STAT.retransmissions),
			protocolErrors: b.protocolErrors + raw(AGENT_STAT.protocolErrors),
			connectionState: raw(AGENT_STAT.connectionState),
			lastReportId: raw(AGENT_STAT.lastReportId),
			memoryHighWater: raw(AGENT_STAT.memoryHighWater),
			traps: this.#traps,
		};
		this.#last = next;
		if (next.connections !== prev.connections) this.#lostBefore = Math.max(0, next.published - next.accepted - next.rejected);
		if (next.published !== prev.published) this.#events.emit('published', { reportId: next.lastReportId, stats: next });
		if (next.accepted !== prev.accepted) {
			this.#events.emit('report', { status: 'ACCEPTED', reportId: next.lastReportId, errorCode: null, stats: next });
		}
		if (next.rejected !== prev.rejected) {
			const errorCode = ERROR_CODE_NAMES[next.lastErrorCode] ?? 'Other';
			this.#events.emit('report', { status: 'REJECTED', reportId: next.lastReportId, errorCode, stats: next });
		}
		if (next.connectionState !== prev.connectionState) {
			this.#events.emit('connection', { state: next.connectionState, stats: next });
		}
	}
}
