/** IP address text ⇄ network-order bytes, as the agent's records carry them (docs/abi.md kind 2, 3). */
import { isIPv4, isIPv6 } from 'node:net';

/** 4 bytes for IPv4, 16 for IPv6 (`::ffff:a.b.c.d` stays 16 bytes); null when not an address. */
export function ipToBytes(ip: string): Uint8Array | null {
	if (isIPv4(ip)) {
		const out = new Uint8Array(4);
		let part = 0;
		let n = 0;
		for (let i = 0; i < ip.length; i++) {
			const c = ip.charCodeAt(i);
			if (c === 0x2e) { out[part++] = n; n = 0; } else n = n * 10 + (c - 0x30);
		}
		out[3] = n;
		return out;
	}
	if (!isIPv6(ip)) return null;
	let text = ip;
	const tail: number[] = [];
	const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (v4) {
		const b = v4[1]!.split('.').map(Number);
		tail.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
		text = text.slice(0, v4.index + 1) + '0:0';
	}
	const [head, rest] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
	const hw = head ? head.split(':') : [];
	const rw = rest !== undefined && rest !== '' ? rest.split(':') : [];
	const words = rest === undefined ? hw : [...hw, ...Array<string>(8 - hw.length - rw.length).fill('0'), ...rw];
	const out = new Uint8Array(16);
	words.forEach((w, i) => {
		const n = parseInt(w, 16);
		out[i * 2] = n >> 8;
		out[i * 2 + 1] = n & 0xff;
	});
	if (tail.length) {
		out[12] = tail[0]! >> 8; out[13] = tail[0]! & 0xff; out[14] = tail[1]! >> 8; out[15] = tail[1]! & 0xff;
	}
	return out;
}

/** Canonical text of 4 or 16 network-order bytes (RFC 5952: lower case, longest zero run as `::`). */
export function bytesToIp(b: Uint8Array): string {
	if (b.length === 4) return Array.from(b).join('.');
	const words: number[] = [];
	for (let i = 0; i < 16; i += 2) words.push((b[i]! << 8) | b[i + 1]!);
	if (words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff) {
		return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
	}
	let bestAt = -1;
	let bestLen = 1;
	for (let i = 0; i < 8; ) {
		if (words[i] !== 0) { i++; continue; }
		let j = i;
		while (j < 8 && words[j] === 0) j++;
		if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
		i = j;
	}
	const hex = words.map((w) => w.toString(16));
	if (bestAt < 0) return hex.join(':');
	return `${hex.slice(0, bestAt).join(':')}::${hex.slice(bestAt + bestLen).join(':')}`;
}

/** The IPv4 text inside a v4-mapped IPv6 address (`::ffff:a.b.c.d`), else the input. */
export function unmapV4(ip: string): string {
	if (!ip.startsWith('::')) return ip;
	const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
	return m ? m[1]! : ip;
}
