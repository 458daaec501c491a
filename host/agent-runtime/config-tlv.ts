/**
 * The agent's configuration as TLV bytes written at `agent_config_ptr` (docs/abi.md
 * "Configuration"): `u8 tag`, `u16 len` (little-endian), `len` bytes.
 */
import { WardenError } from '../errors.ts';

export interface AgentConfig {
	/** Thing name, 1..128 UTF-8 bytes, no control characters, no `/`, `+` or `#` (a topic level). */
	thingName: string;
	/** MQTT client id, 1..128 UTF-8 bytes; default: the thing name. */
	clientId?: string;
	/** MQTT username, 0..128 UTF-8 bytes; default: none. */
	username?: string;
	/** MQTT password, 0..128 UTF-8 bytes, only together with a username; default: none. */
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
	/** Items per list before the agent samples, 1..256; default 50. */
	maxListItems?: number;
}

/** Size of the agent's configuration region, `agent_config_cap()` of the current module (docs/abi.md). */
export const AGENT_CONFIG_CAP = 640;
/** Longest thing name, client id, username or password the agent takes, in UTF-8 bytes. */
export const AGENT_MAX_STRING = 128;

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

/**
 * Validate `cfg` and encode it; raises WARDEN_ERR_AGENT_CONFIG, naming the field, on anything the
 * agent's `agent_init` would refuse (docs/abi.md "Configuration"), so the module never sees it.
 * `cap` is the module's `agent_config_cap()` (default AGENT_CONFIG_CAP).
 */
export function encodeConfig(cfg: AgentConfig, cap: number = AGENT_CONFIG_CAP): Uint8Array {
	const entries: [number, Uint8Array][] = [];
	const text = (label: string, v: unknown, min: number): Uint8Array => {
		if (typeof v !== 'string') bad(`${label} must be a string`);
		const b = utf8.encode(v);
		if (b.length < min || b.length > AGENT_MAX_STRING) bad(`${label} must be ${min} to ${AGENT_MAX_STRING} UTF-8 bytes (got ${b.length})`);
		return b;
	};
	const name = text('thingName', cfg.thingName, 1);
	// spec §1.1: no control characters; the name is also an MQTT topic level, so no `/`, `+` or `#`
	if (/[\u0000-\u001f\u007f]/.test(cfg.thingName)) bad('thingName must not contain control characters');
	if (/[/+#]/.test(cfg.thingName)) bad(`thingName must not contain '/', '+' or '#' (it is a topic level)`);
	entries.push([CONFIG_TAG.thingName, name]);
	if (cfg.clientId !== undefined) entries.push([CONFIG_TAG.clientId, text('clientId', cfg.clientId, 1)]);
	if (cfg.username !== undefined) entries.push([CONFIG_TAG.username, text('username', cfg.username, 0)]);
	if (cfg.password !== undefined) {
		// [MQTT-3.1.2-22] a password needs a username
		if (cfg.username === undefined) bad('password needs a username');
		entries.push([CONFIG_TAG.password, text('password', cfg.password, 0)]);
	}
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
	if (cfg.maxListItems !== undefined) u(CONFIG_TAG.maxItems, 2, checkInt('maxListItems', cfg.maxListItems, 1, 256));
	const size = entries.reduce((n, [, b]) => n + 3 + b.length, 0);
	if (size > cap) bad(`configuration is ${size} bytes, over the agent's ${cap}-byte configuration region (agent_config_cap)`);
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
