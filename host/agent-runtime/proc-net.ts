/**
 * Pure parsers over the text of Linux `/proc/net/{dev,tcp,tcp6,udp,udp6}` (proc(5)). Addresses in
 * the socket tables are hex dumps of the kernel's in-memory words: IPv4 is one 32-bit word, IPv6
 * four, each printed in host byte order (little-endian on every Linux target we run on), so the
 * bytes of each word are reversed to get network order. Ports are plain hex numbers.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import type { ConnectionRecord, NetCounters, PortRecord } from './metric-source.ts';
import { bytesToIp, unmapV4 } from './ip-bytes.ts';

/** Per-interface cumulative counters from `/proc/net/dev`. */
export function parseNetDev(text: string): Map<string, NetCounters> {
	const out = new Map<string, NetCounters>();
	for (const line of text.split('\n')) {
		const colon = line.indexOf(':');
		if (colon < 0 || line.includes('|')) continue;
		const name = line.slice(0, colon).trim();
		const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
		// receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes packets ...
		if (!name || f.length < 10 || f.some((n) => !Number.isFinite(n))) continue;
		out.set(name, { bytesIn: f[0]!, packetsIn: f[1]!, bytesOut: f[8]!, packetsOut: f[9]! });
	}
	return out;
}

/** Sum of every interface except loopback (`lo`): traffic that leaves the device. */
export function totalCounters(perIface: Map<string, NetCounters>): NetCounters {
	const t: NetCounters = { bytesIn: 0, bytesOut: 0, packetsIn: 0, packetsOut: 0 };
	for (const [name, c] of perIface) {
		if (name === 'lo') continue;
		t.bytesIn += c.bytesIn; t.bytesOut += c.bytesOut; t.packetsIn += c.packetsIn; t.packetsOut += c.packetsOut;
	}
	return t;
}

/** Decode a `/proc/net` hex address (8 hex digits IPv4, 32 hex digits IPv6) to text. */
export function decodeProcAddress(hex: string): string {
	if (!/^[0-9A-Fa-f]+$/.test(hex) || (hex.length !== 8 && hex.length !== 32)) {
		throw new RangeError(`bad /proc/net address: ${hex}`);
	}
	const bytes = new Uint8Array(hex.length / 2);
	for (let word = 0; word < hex.length / 8; word++) {
		for (let i = 0; i < 4; i++) {
			// byte i of the word in memory order is printed at position 3 - i
			bytes[word * 4 + i] = parseInt(hex.substr(word * 8 + (3 - i) * 2, 2), 16);
		}
	}
	return bytesToIp(bytes);
}

export interface SocketEntry {
	localIp: string;
	localPort: number;
	remoteIp: string;
	remotePort: number;
	/** Kernel state number: 0x0A LISTEN, 0x01 ESTABLISHED, 0x07 CLOSE (unconnected UDP). */
	state: number;
}

/** Rows of `/proc/net/tcp`, `tcp6`, `udp` or `udp6` (the header line and malformed rows are skipped). */
export function parseSocketTable(text: string): SocketEntry[] {
	const out: SocketEntry[] = [];
	for (const line of text.split('\n')) {
		const f = line.trim().split(/\s+/);
		if (f.length < 4 || !/^\d+:$/.test(f[0]!)) continue;
		const [lip, lport] = f[1]!.split(':');
		const [rip, rport] = f[2]!.split(':');
		try {
			out.push({
				localIp: decodeProcAddress(lip ?? ''),
				localPort: parseInt(lport ?? '', 16),
				remoteIp: decodeProcAddress(rip ?? ''),
				remotePort: parseInt(rport ?? '', 16),
				state: parseInt(f[3]!, 16),
			});
		} catch {
			continue;
		}
	}
	return out.filter((e) => Number.isInteger(e.localPort) && Number.isInteger(e.remotePort) && Number.isInteger(e.state));
}

/** Local address → interface name, from `os.networkInterfaces()` (v4-mapped addresses unmapped). */
export function interfaceIndex(ifaces: NodeJS.Dict<NetworkInterfaceInfo[]>): Map<string, string> {
	const map = new Map<string, string>();
	for (const [name, infos] of Object.entries(ifaces)) {
		for (const info of infos ?? []) map.set(unmapV4(info.address.replace(/%.*$/, '')), name);
	}
	return map;
}

const WILDCARD = new Set(['0.0.0.0', '::']);

function ifaceOf(ip: string, index: Map<string, string>): string | undefined {
	const plain = unmapV4(ip);
	return WILDCARD.has(plain) ? undefined : index.get(plain);
}

/** Listening TCP (state 0A) or UDP (state 07 with no remote) ports, one per (port, interface). */
export function listeningPorts(entries: SocketEntry[], proto: 'tcp' | 'udp', index: Map<string, string>): PortRecord[] {
	const seen = new Map<string, PortRecord>();
	for (const e of entries) {
		const listening = proto === 'tcp'
			? e.state === 0x0a
			: e.state === 0x07 && e.remotePort === 0 && WILDCARD.has(unmapV4(e.remoteIp));
		if (!listening || e.localPort === 0) continue;
		const iface = ifaceOf(e.localIp, index);
		const key = `${e.localPort}/${iface ?? ''}`;
		if (!seen.has(key)) seen.set(key, iface === undefined ? { port: e.localPort } : { port: e.localPort, iface });
	}
	return [...seen.values()].sort((a, b) => a.port - b.port || (a.iface ?? '').localeCompare(b.iface ?? ''));
}

/** Established TCP connections (state 01); v4-mapped remotes are reported as IPv4. */
export function establishedConnections(entries: SocketEntry[], index: Map<string, string>): ConnectionRecord[] {
	const out: ConnectionRecord[] = [];
	for (const e of entries) {
		if (e.state !== 0x01) continue;
		const iface = ifaceOf(e.localIp, index);
		const c: ConnectionRecord = { remoteIp: unmapV4(e.remoteIp), remotePort: e.remotePort, localPort: e.localPort };
		if (iface !== undefined) c.iface = iface;
		out.push(c);
	}
	return out;
}
