/**
 * Field-level rules shared by the report validator: object shape with the one key table, integer
 * ranges, strings, `ip:port`. Every failure raises WARDEN_ERR_REPORT_INVALID with a message that
 * starts with the path of the offending value as it appears in the report.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { type KeyStyle, type LongKey, keyName, lookupKey } from './key-table.ts';
import { REPORT_LIMITS, invalid } from './limits.ts';

export const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export function join(path: string, key: string): string {
	return path === '' ? key : `${path}.${key}`;
}

export function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function requireObject(v: unknown, path: string): Record<string, unknown> {
	if (!isObject(v)) invalid(`${path} must be an object`, path);
	return v;
}

/** The fields of an object of the report, looked up through the key table. */
export class Fields {
	constructor(
		private readonly obj: Record<string, unknown>,
		private readonly at: string,
		private readonly style: KeyStyle,
	) {}

	get(key: LongKey): unknown {
		const wire = keyName(key, this.style);
		return Object.hasOwn(this.obj, wire) ? this.obj[wire] : undefined;
	}

	/** Path of a child as sent (its wire name in this report's style). */
	path(key: LongKey): string {
		return join(this.at, keyName(key, this.style));
	}
}

/**
 * Check every key of `obj` against `allowed` in the report's `style` (spec §1.2): unknown keys
 * and keys of the other style are rejected (decisions: no mixing, no unknown keys).
 */
export function readFields(obj: Record<string, unknown>, path: string, allowed: readonly LongKey[], style: KeyStyle): Fields {
	for (const wire of Object.keys(obj)) {
		const k = lookupKey(wire);
		if (!k || !allowed.includes(k.long)) invalid(`${join(path, wire)} is not a known key`, join(path, wire));
		if (k.style !== style) {
			invalid(`${join(path, wire)} is a ${k.style} key name but this report uses ${style} names`, join(path, wire));
		}
	}
	return new Fields(obj, path, style);
}

export function intInRange(v: unknown, path: string, min: number, max: number): number {
	if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
		invalid(`${path} must be an integer from ${min} to ${max}`, path);
	}
	return v;
}

export function requireArray(v: unknown, path: string): unknown[] {
	if (!Array.isArray(v)) invalid(`${path} must be an array`, path);
	if (v.length > REPORT_LIMITS.maxListLength) invalid(`${path} must have at most ${REPORT_LIMITS.maxListLength} entries`, path);
	return v;
}

// C0 and C1 control characters and DEL
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** An interface name or similar free-form label. */
export function label(v: unknown, path: string): string {
	if (typeof v !== 'string' || v.length === 0 || v.length > REPORT_LIMITS.maxStringLength || CONTROL.test(v)) {
		invalid(`${path} must be a string of 1 to ${REPORT_LIMITS.maxStringLength} characters without control characters`, path);
	}
	return v;
}

export function hasControlChars(s: string): boolean {
	return CONTROL.test(s);
}

const PORT = /^[0-9]{1,5}$/;

/** spec §1.2, §9 item 4: `a.b.c.d:port` or `[IPv6]:port`, port 1..65535. */
export function remoteAddr(v: unknown, path: string): string {
	if (typeof v === 'string' && v.length <= REPORT_LIMITS.maxStringLength) {
		const colon = v.lastIndexOf(':');
		const host = v.slice(0, colon);
		const port = v.slice(colon + 1);
		const portOk = colon > 0 && PORT.test(port) && Number(port) >= 1 && Number(port) <= 65535;
		if (portOk && (host.startsWith('[') ? host.endsWith(']') && isIPv6(host.slice(1, -1)) : isIPv4(host))) return v;
	}
	return invalid(`${path} must be "ipv4:port" or "[ipv6]:port" with a port from 1 to 65535`, path);
}
