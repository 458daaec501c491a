/**
 * The one key table of the device report (spec §1.2): long name → short name. Both decoders
 * (JSON and CBOR) and the validator look keys up here; the agent's encoder mirrors it.
 * Custom-metric inner keys (`number`, `number_list`, ...) have no short form (spec §1.3).
 */
export const REPORT_KEYS = {
	header: 'hed',
	report_id: 'rid',
	version: 'v',
	metrics: 'met',
	custom_metrics: 'cmet',
	listening_tcp_ports: 'tp',
	listening_udp_ports: 'up',
	ports: 'pts',
	port: 'pt',
	interface: 'if',
	total: 't',
	network_stats: 'ns',
	bytes_in: 'bi',
	bytes_out: 'bo',
	packets_in: 'pi',
	packets_out: 'po',
	tcp_connections: 'tc',
	established_connections: 'ec',
	connections: 'cs',
	remote_addr: 'rad',
	local_port: 'lp',
	local_interface: 'li',
} as const;

export type LongKey = keyof typeof REPORT_KEYS;
export type ShortKey = (typeof REPORT_KEYS)[LongKey];
/** `long`: the report uses long names only; `short`: short names only (mixing is rejected). */
export type KeyStyle = 'long' | 'short';

const SHORT_TO_LONG: ReadonlyMap<string, LongKey> = new Map(
	(Object.entries(REPORT_KEYS) as [LongKey, ShortKey][]).map(([l, s]) => [s, l]),
);
const LONG_KEYS: ReadonlySet<string> = new Set(Object.keys(REPORT_KEYS));

/** The wire name of `key` in the given style. */
export function keyName(key: LongKey, style: KeyStyle): string {
	return style === 'long' ? key : REPORT_KEYS[key];
}

/** Classify a wire key: its long name and style, or null when it is in neither table. */
export function lookupKey(wire: string): { long: LongKey; style: KeyStyle } | null {
	if (LONG_KEYS.has(wire)) return { long: wire as LongKey, style: 'long' };
	const long = SHORT_TO_LONG.get(wire);
	return long ? { long, style: 'short' } : null;
}
