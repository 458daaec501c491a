/**
 * The `warden` import object of agent.wasm (docs/abi.md "Imports"), bound to a transport, a metric
 * source, a slot store and a clock. Every pointer the module passes is bounds-checked; a bad one
 * throws `AgentTrap`, which the runtime handles like a WebAssembly trap.
 */
import { webcrypto } from 'node:crypto';
import type { MetricSource } from './metric-source.ts';
import { encodeConnection, encodeCounters, encodeCustom, encodePort, METRIC_KIND } from './records.ts';
import type { SlotStore } from './slot-store.ts';
import type { ByteTransport } from './tcp-transport.ts';

/** A module fault detected on the host side (bad pointer); treated like a trap. */
export class AgentTrap extends Error {
	override name = 'AgentTrap';
}

export const LOG_LEVEL = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVEL)[number];

export interface ImportContext {
	memory(): WebAssembly.Memory;
	transport: ByteTransport;
	source: MetricSource;
	slots: SlotStore;
	/** Monotonic ms since the runtime started. */
	clockMs(): number;
	/** The runtime clock's time in Unix ms (given to the metric source). */
	now(): number;
	/** Wall-clock Unix ms, or 0 for "no trusted clock". */
	epochMs(): number;
	entropy(): number;
	log(level: LogLevel, text: string): void;
}

interface EncodedSnapshot {
	counters: Uint8Array | null;
	items: Uint8Array[][];
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

function encodeAll<T>(list: T[], enc: (x: T) => Uint8Array, ctx: ImportContext, what: string): Uint8Array[] {
	const out: Uint8Array[] = [];
	for (const x of list) {
		try {
			out.push(enc(x));
		} catch (e) {
			ctx.log('warn', `skipping ${what}: ${(e as Error).message}`);
		}
	}
	return out;
}

/** Build the import object. `resetSnapshot()` must be called before each `agent_step`. */
export function createImports(ctx: ImportContext): { imports: WebAssembly.Imports; resetSnapshot(): void } {
	let snap: EncodedSnapshot | undefined;
	const bytes = (ptr: number, len: number): Uint8Array => {
		const mem = ctx.memory().buffer;
		if (ptr < 0 || len < 0 || ptr + len > mem.byteLength) {
			throw new AgentTrap(`range [${ptr}, ${ptr + len}) outside linear memory of ${mem.byteLength} bytes`);
		}
		return new Uint8Array(mem, ptr, len);
	};
	const snapshot = (): EncodedSnapshot => {
		if (snap) return snap;
		const s = ctx.source.snapshot(ctx.now());
		const items: Uint8Array[][] = [];
		items[METRIC_KIND.listeningTcp] = encodeAll(s.listeningTcp, encodePort, ctx, 'TCP port');
		items[METRIC_KIND.listeningUdp] = encodeAll(s.listeningUdp, encodePort, ctx, 'UDP port');
		items[METRIC_KIND.connections] = encodeAll(s.connections, encodeConnection, ctx, 'connection');
		items[METRIC_KIND.custom] = encodeAll(s.custom, encodeCustom, ctx, 'custom metric');
		snap = { counters: s.counters ? encodeCounters(s.counters) : null, items };
		return snap;
	};
	const warden = {
		clock_ms: (): bigint => BigInt(Math.floor(ctx.clockMs())),
		epoch_ms: (): bigint => BigInt(Math.floor(ctx.epochMs())),
		entropy: (): number => ctx.entropy() | 0,
		net_open: (): number => ctx.transport.open(),
		net_state: (): number => ctx.transport.state(),
		net_send: (ptr: number, len: number): number => ctx.transport.send(bytes(ptr, len)),
		net_recv: (ptr: number, cap: number): number => {
			const dst = bytes(ptr, cap);
			const got = ctx.transport.recv(cap);
			if (got === null) return -1;
			dst.set(got);
			return got.length;
		},
		net_close: (): void => ctx.transport.close(),
		metrics_counters: (ptr: number): number => {
			const dst = bytes(ptr, 32);
			const c = snapshot().counters;
			if (!c) return 1;
			dst.set(c);
			return 0;
		},
		metrics_count: (kind: number): number => snapshot().items[kind]?.length ?? 0,
		metrics_item: (kind: number, index: number, ptr: number, cap: number): number => {
			const rec = snapshot().items[kind]?.[index];
			if (!rec) return -1;
			if (rec.length > cap) return -2;
			bytes(ptr, cap).set(rec);
			return rec.length;
		},
		store_load: (slot: number): bigint => ctx.slots.load(slot),
		store_save: (slot: number, value: bigint): number => (ctx.slots.save(slot, value) ? 0 : -1),
		log: (level: number, ptr: number, len: number): void => {
			ctx.log(LOG_LEVEL[level] ?? 'debug', utf8.decode(bytes(ptr, len)));
		},
	};
	return { imports: { warden }, resetSnapshot: () => { snap = undefined; } };
}

/** Default entropy: 32 bits from the platform CSPRNG. */
export function cryptoEntropy(): number {
	return webcrypto.getRandomValues(new Uint32Array(1))[0]! | 0;
}
