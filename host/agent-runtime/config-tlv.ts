/**
 * The agent's configuration as TLV bytes written at `agent_config_ptr` (docs/abi.md
 * "Configuration"): `u8 tag`, `u16 len` (little-endian), `len` bytes.
 */
import { WardenError } from '../errors.ts';

export interface AgentConfig {
	/** Thing name, 1..128 UTF-8 bytes, no control characters. */
	thingName: string;
	/** MQTT client id; default: the thing name. */
	clientId?: string;
	username?: string;
	password?: string;
	/** MQTT keepalive in seconds; default 60. */
	keepaliveSec?: number;
	/** Report interval in seconds; default 300. */
	intervalSec?: number;
	/** Report encoding; default json. */
	format?: 'json' | 'cbor';
	/** Key style; default long. */
	keys?: 'long' | 'short';
	/** Allow an interval below 300 s; default false. */
	allowShortInterval?: boolean;
	/** Items per list before the agent samples; default 50. */
	maxListItems?: number;
}

export const CONFIG_TAG = {
	thingName: 1, clientId: 2, username: 3, password: 4, keepalive: 5, interval: 6, flags: 7, maxItems: 8,
} as const;

const utf8 = new TextEncoder();

function bad(message: string): never {
	throw new WardenError('WARDEN_ERR_AGENT_CONFIG', message);
}

function checkInt(name: string, n: number, min: number, max: number): number {
	if (!Number.isInteger(n) || n < min || n > max) bad(`${name} must be an integer from ${min} to ${max} (got ${n})`);
	return n;
}

/** Validate `cfg` and encode it; raises WARDEN_ERR_AGENT_CONFIG on a bad value. */
export function encodeConfig(cfg: AgentConfig): Uint8Array {
	const entries: [number, Uint8Array][] = [];
	const name = utf8.encode(cfg.thingName);
	if (name.length < 1 || name.length > 128) bad('thingName must be 1 to 128 UTF-8 bytes');
	// spec §1.1: names with control characters are rejected
	if (/[\u0000-\u001f\u007f]/.test(cfg.thingName)) bad('thingName must not contain control characters');
	entries.push([CONFIG_TAG.thingName, name]);
	const text = (tag: number, label: string, v: string | undefined) => {
		if (v === undefined) return;
		const b = utf8.encode(v);
		if (b.length < 1 || b.length > 0xffff) bad(`${label} must be 1 to 65535 UTF-8 bytes`);
		entries.push([tag, b]);
	};
	text(CONFIG_TAG.clientId, 'clientId', cfg.clientId);
	text(CONFIG_TAG.username, 'username', cfg.username);
	text(CONFIG_TAG.password, 'password', cfg.password);
	const u = (tag: number, bytes: 2 | 4, n: number) => {
		const b = new Uint8Array(bytes);
		const v = new DataView(b.buffer);
		if (bytes === 2) v.setUint16(0, n, true);
		else v.setUint32(0, n, true);
		entries.push([tag, b]);
	};
	if (cfg.keepaliveSec !== undefined) u(CONFIG_TAG.keepalive, 2, checkInt('keepaliveSec', cfg.keepaliveSec, 0, 0xffff));
	if (cfg.intervalSec !== undefined) u(CONFIG_TAG.interval, 4, checkInt('intervalSec', cfg.intervalSec, 1, 0xffff_ffff));
	const flags = (cfg.format === 'cbor' ? 1 : 0) | (cfg.keys === 'short' ? 2 : 0) | (cfg.allowShortInterval ? 4 : 0);
	u(CONFIG_TAG.flags, 4, flags);
	if (cfg.maxListItems !== undefined) u(CONFIG_TAG.maxItems, 2, checkInt('maxListItems', cfg.maxListItems, 1, 0xffff));
	const size = entries.reduce((n, [, b]) => n + 3 + b.length, 0);
	const out = new Uint8Array(size);
	const view = new DataView(out.buffer);
	let at = 0;
	for (const [tag, b] of entries) {
		out[at] = tag;
		view.setUint16(at + 1, b.length, true);
		out.set(b, at + 3);
		at += 3 + b.length;
	}
	return out;
}
