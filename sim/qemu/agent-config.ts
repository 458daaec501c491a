/**
 * The agent's configuration block (docs/abi.md "Configuration"): TLV entries u8 tag, u16 len
 * (little-endian), value. Built on the host and sent to the device in the link's 'K' frame.
 */
import { WardenError } from '../../host/errors.ts';

export interface AgentConfig {
	/** Thing name, 1..128 bytes UTF-8, no control characters. */
	readonly thingName: string;
	/** MQTT client id; default the thing name. */
	readonly clientId?: string;
	readonly username?: string;
	readonly password?: string;
	/** MQTT keepalive in seconds; default 60. */
	readonly keepaliveS?: number;
	/** Report interval in seconds; default 300. */
	readonly intervalS?: number;
	/** Report encoding; default json. */
	readonly format?: 'json' | 'cbor';
	/** Short key names; default false (long names). */
	readonly shortKeys?: boolean;
	/** Allow an interval below 300 s; default false. */
	readonly allowShortInterval?: boolean;
	/** Items per list before sampling; default 50. */
	readonly maxListItems?: number;
}

const TAG = { thing: 1, clientId: 2, username: 3, password: 4, keepalive: 5, interval: 6, flags: 7, maxItems: 8 } as const;

export function encodeAgentConfig(c: AgentConfig): Buffer {
	const thing = Buffer.from(c.thingName, 'utf8');
	if (thing.length < 1 || thing.length > 128 || /[\u0000-\u001f\u007f]/.test(c.thingName)) {
		throw new WardenError('WARDEN_ERR_CONFIG', 'thingName must be 1..128 bytes of UTF-8 without control characters', { field: 'thingName' });
	}
	const parts: Buffer[] = [];
	const add = (tag: number, value: Buffer): void => {
		const h = Buffer.alloc(3);
		h.writeUInt8(tag, 0);
		h.writeUInt16LE(value.length, 1);
		parts.push(h, value);
	};
	const u16 = (v: number): Buffer => { const b = Buffer.alloc(2); b.writeUInt16LE(v); return b; };
	const u32 = (v: number): Buffer => { const b = Buffer.alloc(4); b.writeUInt32LE(v); return b; };
	add(TAG.thing, thing);
	if (c.clientId !== undefined) add(TAG.clientId, Buffer.from(c.clientId, 'utf8'));
	if (c.username !== undefined) add(TAG.username, Buffer.from(c.username, 'utf8'));
	if (c.password !== undefined) add(TAG.password, Buffer.from(c.password, 'utf8'));
	if (c.keepaliveS !== undefined) add(TAG.keepalive, u16(c.keepaliveS));
	if (c.intervalS !== undefined) add(TAG.interval, u32(c.intervalS));
	const flags = (c.format === 'cbor' ? 1 : 0) | (c.shortKeys ? 2 : 0) | (c.allowShortInterval ? 4 : 0);
	add(TAG.flags, u32(flags));
	if (c.maxListItems !== undefined) add(TAG.maxItems, u16(c.maxListItems));
	return Buffer.concat(parts);
}
