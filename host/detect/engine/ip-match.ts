/** IPv4/IPv6 parsing and CIDR membership for the `in-cidr-set` / `not-in-cidr-set` operators. */
import { isIP } from 'node:net';

/** Parse an IP address into a 128-bit bigint (IPv4 mapped into ::ffff:0:0/96). */
export function parseIp(ip: string): { v: bigint; bits: 32 | 128 } | undefined {
	const kind = isIP(ip);
	if (kind === 4) {
		let v = 0n;
		for (const part of ip.split('.')) v = (v << 8n) | BigInt(Number(part));
		return { v, bits: 32 };
	}
	if (kind === 6) {
		let s = ip;
		const pct = s.indexOf('%');
		if (pct >= 0) s = s.slice(0, pct);
		// an embedded dotted IPv4 tail becomes two hex groups
		const lastColon = s.lastIndexOf(':');
		const tail = s.slice(lastColon + 1);
		if (tail.includes('.')) {
			const t = parseIp(tail);
			if (!t) return undefined;
			s = `${s.slice(0, lastColon + 1)}${((t.v >> 16n) & 0xffffn).toString(16)}:${(t.v & 0xffffn).toString(16)}`;
		}
		const [head, rest] = s.includes('::') ? s.split('::') : [s, undefined];
		const h = head ? head.split(':') : [];
		const r = rest !== undefined && rest !== '' ? rest.split(':') : [];
		const fill = rest === undefined ? 0 : 8 - h.length - r.length;
		const groups = [...h, ...Array<string>(fill).fill('0'), ...r];
		if (groups.length !== 8) return undefined;
		let v = 0n;
		for (const g of groups) v = (v << 16n) | BigInt(parseInt(g, 16));
		return { v, bits: 128 };
	}
	return undefined;
}

export interface Cidr {
	readonly base: bigint;
	readonly prefix: number;
	readonly bits: 32 | 128;
}

/** Parse `a.b.c.d/n`, `x::/n` or a bare address (a /32 or /128). */
export function parseCidr(text: string): Cidr | undefined {
	const slash = text.indexOf('/');
	const ip = parseIp(slash >= 0 ? text.slice(0, slash) : text);
	if (!ip) return undefined;
	const prefix = slash >= 0 ? Number(text.slice(slash + 1)) : ip.bits;
	if (!Number.isInteger(prefix) || prefix < 0 || prefix > ip.bits) return undefined;
	const shift = BigInt(ip.bits - prefix);
	return { base: (ip.v >> shift) << shift, prefix, bits: ip.bits };
}

/** Is `ip` inside `cidr`? IPv4 never matches an IPv6 block and vice versa (except ::ffff:a.b.c.d). */
export function cidrContains(cidr: Cidr, ip: string): boolean {
	let p = parseIp(ip);
	if (!p) return false;
	if (p.bits === 128 && cidr.bits === 32 && p.v >> 32n === 0xffffn) p = { v: p.v & 0xffffffffn, bits: 32 };
	if (p.bits !== cidr.bits) return false;
	const shift = BigInt(cidr.bits - cidr.prefix);
	return p.v >> shift === cidr.base >> shift;
}

/** The IP part of a `remote_addr` (`1.2.3.4:443`, `[::1]:443`, or a bare address). */
export function hostOf(remoteAddr: string): string {
	if (remoteAddr.startsWith('[')) {
		const end = remoteAddr.indexOf(']');
		return end > 0 ? remoteAddr.slice(1, end) : remoteAddr;
	}
	const colons = remoteAddr.split(':').length - 1;
	if (colons === 1) return remoteAddr.slice(0, remoteAddr.indexOf(':'));
	return remoteAddr; // bare IPv4, or bare IPv6 without a port
}
