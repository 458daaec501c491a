/**
 * The byte records the runtime hands the module through `metrics_counters` and `metrics_item`
 * (docs/abi.md "Metric kinds and records"). Pure encoders; the runtime copies the result into
 * linear memory only when it fits the module's `cap`.
 */
import type { ConnectionRecord, CustomMetricRecord, NetCounters, PortRecord } from './metric-source.ts';
import { ipToBytes, unmapV4 } from './ip-bytes.ts';

export const METRIC_KIND = { listeningTcp: 0, listeningUdp: 1, connections: 2, custom: 3 } as const;
const CUSTOM_TYPE = { number: 1, 'number-list': 2, 'string-list': 3, 'ip-address-list': 4 } as const;
const MAX_IFACE = 15;
const utf8 = new TextEncoder();

/** 4 cumulative u64 little-endian counters: bytes_in, bytes_out, packets_in, packets_out. */
export function encodeCounters(c: NetCounters): Uint8Array {
	const out = new Uint8Array(32);
	const v = new DataView(out.buffer);
	[c.bytesIn, c.bytesOut, c.packetsIn, c.packetsOut].forEach((n, i) => {
		v.setBigUint64(i * 8, BigInt(Math.max(0, Math.floor(n))) & 0xffff_ffff_ffff_ffffn, true);
	});
	return out;
}

const ifaceCache = new Map<string, Uint8Array>();

function ifaceBytes(name: string | undefined): Uint8Array {
	const key = name ?? '';
	let b = ifaceCache.get(key);
	if (!b) {
		b = utf8.encode(key);
		if (b.length > MAX_IFACE) b = b.subarray(0, MAX_IFACE);
		if (ifaceCache.size < 256) ifaceCache.set(key, b);
	}
	return b;
}

function putU16(out: Uint8Array, at: number, n: number): void {
	out[at] = n & 0xff;
	out[at + 1] = (n >> 8) & 0xff;
}

/** Kind 0/1: `u16 port`, `u8 ifLen`, interface name. */
export function encodePort(p: PortRecord): Uint8Array {
	const name = ifaceBytes(p.iface);
	const out = new Uint8Array(3 + name.length);
	putU16(out, 0, p.port);
	out[2] = name.length;
	out.set(name, 3);
	return out;
}

/** Kind 2: `u8 family`, 16 address bytes, `u16 remotePort`, `u16 localPort`, `u8 ifLen`, name. */
export function encodeConnection(c: ConnectionRecord): Uint8Array {
	const addr = ipToBytes(unmapV4(c.remoteIp));
	if (!addr) throw new RangeError(`not an IP address: ${c.remoteIp}`);
	const name = ifaceBytes(c.iface);
	const out = new Uint8Array(22 + name.length);
	out[0] = addr.length === 4 ? 4 : 6;
	out.set(addr, 1);
	putU16(out, 17, c.remotePort);
	putU16(out, 19, c.localPort);
	out[21] = name.length;
	out.set(name, 22);
	return out;
}

/** Kind 3: `u8 type`, `u8 nameLen`, name, `u16 count`, values (f64 / u8 len + bytes / u8 family + addr). */
export function encodeCustom(m: CustomMetricRecord): Uint8Array {
	const name = utf8.encode(m.name);
	if (name.length > 255) throw new RangeError(`custom metric name longer than 255 bytes: ${m.name}`);
	const parts: Uint8Array[] = [];
	let count = 0;
	if (m.type === 'number' || m.type === 'number-list') {
		const values = m.type === 'number' ? [m.value] : m.value;
		for (const n of values) {
			const b = new Uint8Array(8);
			new DataView(b.buffer).setFloat64(0, n, true);
			parts.push(b);
		}
		count = values.length;
	} else if (m.type === 'string-list') {
		for (const s of m.value) {
			const b = utf8.encode(s);
			if (b.length > 255) throw new RangeError(`custom metric string longer than 255 bytes in ${m.name}`);
			parts.push(Uint8Array.of(b.length), b);
		}
		count = m.value.length;
	} else {
		for (const ip of m.value) {
			const b = ipToBytes(ip);
			if (!b) throw new RangeError(`not an IP address in ${m.name}: ${ip}`);
			parts.push(Uint8Array.of(b.length === 4 ? 4 : 6), b);
		}
		count = m.value.length;
	}
	const body = parts.reduce((n, p) => n + p.length, 0);
	const out = new Uint8Array(4 + name.length + body);
	out[0] = CUSTOM_TYPE[m.type];
	out[1] = name.length;
	out.set(name, 2);
	new DataView(out.buffer).setUint16(2 + name.length, count, true);
	let at = 4 + name.length;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}
