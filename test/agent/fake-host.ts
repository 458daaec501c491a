/**
 * A small in-test host for build/agent.debug.wasm: implements every `warden` import of docs/abi.md
 * with a fake clock, a fake byte stream, fake metrics and an in-memory store.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

export const DEBUG_WASM = new URL('../../build/agent.debug.wasm', import.meta.url);
export const RELEASE_WASM = new URL('../../build/agent.wasm', import.meta.url);

export interface Port { port: number; iface?: string }
export interface Connection { remote: string; remotePort: number; localPort: number; iface?: string }
export type Custom =
	| { name: string; type: 'number'; value: number }
	| { name: string; type: 'number-list'; values: number[] }
	| { name: string; type: 'string-list'; values: string[] }
	| { name: string; type: 'ip-address-list'; values: string[] };

export type { AgentExports } from '../../host/agent-runtime/agent-runtime.ts';
import type { AgentExports } from '../../host/agent-runtime/agent-runtime.ts';

export interface AgentConfig {
	thing: string;
	clientId?: string;
	username?: string;
	password?: string;
	keepalive?: number;
	interval?: number;
	flags?: number;
	maxItems?: number;
}

export const Stat = {
	published: 0, accepted: 1, rejected: 2, lastError: 3, connections: 4, retransmissions: 5,
	protocolErrors: 6, connState: 7, lastReportId: 8, memoryHighWater: 9,
} as const;

/** Deterministic 32-bit generator (xorshift32) for entropy and fuzzing. */
export function xorshift(seed: number): () => number {
	let s = seed >>> 0 || 1;
	return () => {
		s ^= s << 13; s >>>= 0;
		s ^= s >>> 17;
		s ^= s << 5; s >>>= 0;
		return s;
	};
}

export function ipBytes(ip: string): { family: 4 | 6; bytes: Uint8Array } {
	const fam = isIP(ip);
	if (fam === 4) return { family: 4, bytes: Uint8Array.from(ip.split('.').map(Number)) };
	if (fam !== 6) throw new Error(`not an IP: ${ip}`);
	let [head, tail] = ip.includes('::') ? ip.split('::') as [string, string] : [ip, undefined];
	const parse = (s: string | undefined): number[] => {
		if (!s) return [];
		const out: number[] = [];
		for (const part of s.split(':')) {
			if (part.includes('.')) {
				const v = part.split('.').map(Number) as [number, number, number, number];
				out.push((v[0] << 8) | v[1], (v[2] << 8) | v[3]);
			} else out.push(parseInt(part, 16));
		}
		return out;
	};
	const h = parse(head);
	const t = tail === undefined ? [] : parse(tail);
	const groups = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
	const bytes = new Uint8Array(16);
	groups.forEach((g, i) => { bytes[2 * i] = g >> 8; bytes[2 * i + 1] = g & 0xff; });
	return { family: 6, bytes };
}

export class FakeHost {
	clockMs = 0n;
	epochMs = 0n;
	random: () => number = xorshift(12345);
	/** 0 closed, 1 connecting, 2 connected. */
	netState = 0;
	/** What net_open does: 'connect' → state 2 at once, 'pending' → state 1, 'fail' → -1. */
	openMode: 'connect' | 'pending' | 'fail' = 'connect';
	opens = 0;
	closes = 0;
	/** Bytes the agent sent, in order. */
	sent: number[] = [];
	/** Max bytes net_send takes per call (partial writes). */
	sendChunk = Infinity;
	/** Bytes the transport still takes before it reports "full" (returns 0). */
	sendBudget = Infinity;
	/** Bytes waiting for net_recv. */
	inbound: number[] = [];
	/** Max bytes net_recv hands out per call. */
	recvChunk = Infinity;
	counters: [bigint, bigint, bigint, bigint] | null = null;
	tcp: Port[] = [];
	udp: Port[] = [];
	connections: Connection[] = [];
	custom: Custom[] = [];
	store = new Map<number, bigint>();
	logs: { level: number; text: string }[] = [];
	itemCalls = 0;
	/** Encoded records per item object (items are not mutated in place). */
	private records = new WeakMap<object, Uint8Array>();
	exports!: AgentExports;

	imports(): WebAssembly.Imports {
		const mem = () => new Uint8Array(this.exports.memory.buffer);
		return {
			warden: {
				clock_ms: () => this.clockMs,
				epoch_ms: () => this.epochMs,
				entropy: () => this.random() | 0,
				net_open: () => {
					this.opens++;
					if (this.openMode === 'fail') return -1;
					this.netState = this.openMode === 'connect' ? 2 : 1;
					return 0;
				},
				net_state: () => this.netState,
				net_send: (ptr: number, len: number) => {
					if (this.netState !== 2) return -1;
					const n = Math.min(len, this.sendChunk, this.sendBudget);
					this.sendBudget -= n;
					this.sent.push(...mem().subarray(ptr, ptr + n));
					return n;
				},
				net_recv: (ptr: number, cap: number) => {
					if (this.netState !== 2) return -1;
					const n = Math.min(cap, this.recvChunk, this.inbound.length);
					mem().set(this.inbound.splice(0, n), ptr);
					return n;
				},
				net_close: () => { this.closes++; this.netState = 0; },
				metrics_counters: (ptr: number) => {
					if (!this.counters) return 1;
					const v = new DataView(this.exports.memory.buffer, ptr, 32);
					this.counters.forEach((c, i) => v.setBigUint64(i * 8, c, true));
					return 0;
				},
				metrics_count: (kind: number) => [this.tcp, this.udp, this.connections, this.custom][kind]?.length ?? 0,
				metrics_item: (kind: number, index: number, ptr: number, cap: number) => {
					this.itemCalls++;
					const list = [this.tcp, this.udp, this.connections, this.custom][kind];
					if (!list || index < 0 || index >= list.length) return -1;
					const it = list[index]!;
					let rec = this.records.get(it);
					if (!rec) {
						rec = kind <= 1 ? portRecord(it as Port) : kind === 2 ? connRecord(it as Connection) : customRecord(it as Custom);
						this.records.set(it, rec);
					}
					if (rec.length > cap) return -2;
					mem().set(rec, ptr);
					return rec.length;
				},
				store_load: (slot: number) => this.store.get(slot) ?? -1n,
				store_save: (slot: number, value: bigint) => { this.store.set(slot, value); return 0; },
				log: (level: number, ptr: number, len: number) => {
					this.logs.push({ level, text: Buffer.from(mem().subarray(ptr, ptr + len)).toString('utf8') });
				},
			},
		};
	}

	/** Queues bytes for the agent to receive. */
	push(bytes: Uint8Array | number[]): void {
		this.inbound.push(...bytes);
	}

	/** Takes everything the agent sent so far. */
	takeSent(): Buffer {
		const b = Buffer.from(this.sent);
		this.sent = [];
		return b;
	}
}

function str(s: string | undefined): Buffer {
	return Buffer.from(s ?? '', 'utf8');
}

export function portRecord(p: Port): Uint8Array {
	const name = str(p.iface);
	const b = Buffer.alloc(3 + name.length);
	b.writeUInt16LE(p.port, 0);
	b[2] = name.length;
	name.copy(b, 3);
	return b;
}

export function connRecord(c: Connection): Uint8Array {
	const name = str(c.iface);
	const b = Buffer.alloc(22 + name.length);
	const ip = ipBytes(c.remote);
	b[0] = ip.family;
	b.set(ip.bytes, 1);
	b.writeUInt16LE(c.remotePort, 17);
	b.writeUInt16LE(c.localPort, 19);
	b[21] = name.length;
	name.copy(b, 22);
	return b;
}

export function customRecord(c: Custom): Uint8Array {
	const name = str(c.name);
	const parts: Buffer[] = [];
	const type = { number: 1, 'number-list': 2, 'string-list': 3, 'ip-address-list': 4 }[c.type];
	const values: (number | string)[] = c.type === 'number' ? [c.value] : c.values;
	const head = Buffer.alloc(2 + name.length + 2);
	head[0] = type;
	head[1] = name.length;
	name.copy(head, 2);
	head.writeUInt16LE(values.length, 2 + name.length);
	parts.push(head);
	for (const v of values) {
		if (c.type === 'number' || c.type === 'number-list') {
			const f = Buffer.alloc(8);
			f.writeDoubleLE(v as number, 0);
			parts.push(f);
		} else if (c.type === 'string-list') {
			const s = str(v as string);
			parts.push(Buffer.from([s.length]), s);
		} else {
			const ip = ipBytes(v as string);
			parts.push(Buffer.from([ip.family]), Buffer.from(ip.bytes.subarray(0, ip.family === 4 ? 4 : 16)));
		}
	}
	return Buffer.concat(parts);
}

/** TLV configuration bytes (docs/abi.md "Configuration"). */
export function configBytes(c: AgentConfig): Buffer {
	const parts: Buffer[] = [];
	const tlv = (tag: number, v: Buffer) => {
		const h = Buffer.alloc(3);
		h[0] = tag;
		h.writeUInt16LE(v.length, 1);
		parts.push(h, v);
	};
	const u16 = (n: number) => { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; };
	const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
	tlv(1, str(c.thing));
	if (c.clientId !== undefined) tlv(2, str(c.clientId));
	if (c.username !== undefined) tlv(3, str(c.username));
	if (c.password !== undefined) tlv(4, str(c.password));
	if (c.keepalive !== undefined) tlv(5, u16(c.keepalive));
	if (c.interval !== undefined) tlv(6, u32(c.interval));
	if (c.flags !== undefined) tlv(7, u32(c.flags));
	if (c.maxItems !== undefined) tlv(8, u16(c.maxItems));
	return Buffer.concat(parts);
}

export interface Agent {
	host: FakeHost;
	x: AgentExports;
	mem(): Uint8Array;
	init(c: AgentConfig): number;
	/** agent_encode into the io region; returns the bytes or the status. */
	encode(flags: number, cap?: number): Buffer | number;
	stat(id: number): bigint;
}

const modules = new Map<string, WebAssembly.Module>();

/** Instantiates the agent (debug build unless told) with a fresh fake host. */
export function loadAgent(wasm: URL = DEBUG_WASM, host = new FakeHost()): Agent {
	let mod = modules.get(wasm.href);
	if (!mod) {
		mod = new WebAssembly.Module(readFileSync(wasm));
		modules.set(wasm.href, mod);
	}
	const inst = new WebAssembly.Instance(mod, host.imports());
	const x = inst.exports as unknown as AgentExports;
	host.exports = x;
	const mem = () => new Uint8Array(x.memory.buffer);
	return {
		host,
		x,
		mem,
		init(c) {
			const b = configBytes(c);
			mem().set(b, x.agent_config_ptr());
			return x.agent_init(b.length);
		},
		encode(flags, cap) {
			const ptr = x.agent_io_ptr();
			const n = x.agent_encode(flags, ptr, cap ?? x.agent_io_cap());
			return n < 0 ? n : Buffer.from(mem().subarray(ptr, ptr + n));
		},
		stat: (id) => x.agent_stat(id),
	};
}

/** The three spec §1.7 examples' data, as fake-host metrics. */
export function specExampleMetrics(host: FakeHost): void {
	host.tcp = [{ iface: 'eth0', port: 24800 }, { iface: 'eth0', port: 22 }, { iface: 'eth0', port: 53 }];
	host.udp = [{ iface: 'eth0', port: 5353 }, { iface: 'eth0', port: 67 }];
	host.connections = [
		{ iface: 'eth0', localPort: 80, remote: '192.168.0.1', remotePort: 8000 },
		{ iface: 'eth0', localPort: 80, remote: '192.168.0.1', remotePort: 8000 },
	];
	host.custom = [
		{ name: 'MyMetricOfType_Number', type: 'number', value: 1 },
		{ name: 'MyMetricOfType_NumberList', type: 'number-list', values: [1, 2, 3] },
		{ name: 'MyMetricOfType_StringList', type: 'string-list', values: ['value_1', 'value_2'] },
		{ name: 'MyMetricOfType_IpList', type: 'ip-address-list', values: ['172.0.0.0', '172.0.0.10'] },
	];
}
