/**
 * The metric catalogue (spec §2): where each metric comes from, which MetricValue member it
 * uses and how samples combine inside a `durationSeconds` window.
 *
 * - `sum`: per-interval counters and device deltas (bytes/packets, message counts) — the window
 *   value is the sum of the samples in the window.
 * - `max`: point-in-time values (port/connection counts, custom `number`, largest message
 *   size, disconnect duration) — the window value is the largest sample in the window.
 * - `set`: lists (ports, IPs, custom lists) — never windowed (spec §2: durationSeconds is not
 *   allowed for list metrics); each sample is one datapoint.
 */
import type { MetricValue } from '@aws-sdk/client-iot';
import type { CustomMetricType } from './config-port.ts';

export type Aggregation = 'sum' | 'max' | 'set';
export type MetricSource = 'cloud' | 'device' | 'custom';
export type ValueField = keyof MetricValue;

export interface MetricInfo {
	readonly source: MetricSource;
	readonly field: ValueField;
	readonly aggregation: Aggregation;
	/** May carry a TOPIC_FILTER dimension (spec §2.5). */
	readonly dimensionable: boolean;
}

const m = (source: MetricSource, field: ValueField, aggregation: Aggregation, dimensionable = false): MetricInfo =>
	Object.freeze({ source, field, aggregation, dimensionable });

export const BUILTIN_METRICS: Readonly<Record<string, MetricInfo>> = Object.freeze({
	// spec §2.1 cloud-side
	'aws:message-byte-size': m('cloud', 'count', 'max', true),
	'aws:num-messages-sent': m('cloud', 'count', 'sum', true),
	'aws:num-messages-received': m('cloud', 'count', 'sum', true),
	'aws:num-authorization-failures': m('cloud', 'count', 'sum', true),
	'aws:source-ip-address': m('cloud', 'cidrs', 'set'), // a TOPIC_FILTER dimension on it is ignored (connections have no topic)
	'aws:num-connection-attempts': m('cloud', 'count', 'sum'),
	'aws:num-disconnects': m('cloud', 'count', 'sum'),
	'aws:disconnect-duration': m('cloud', 'count', 'max'),
	// spec §2.2 device-side
	'aws:all-bytes-out': m('device', 'count', 'sum'),
	'aws:all-bytes-in': m('device', 'count', 'sum'),
	'aws:all-packets-out': m('device', 'count', 'sum'),
	'aws:all-packets-in': m('device', 'count', 'sum'),
	'aws:num-listening-tcp-ports': m('device', 'count', 'max'),
	'aws:num-listening-udp-ports': m('device', 'count', 'max'),
	'aws:num-established-tcp-connections': m('device', 'count', 'max'),
	'aws:listening-tcp-ports': m('device', 'ports', 'set'),
	'aws:listening-udp-ports': m('device', 'ports', 'set'),
	'aws:destination-ip-addresses': m('device', 'cidrs', 'set'),
});

const CUSTOM: Readonly<Record<CustomMetricType, MetricInfo>> = Object.freeze({
	number: m('custom', 'number', 'max'),
	'number-list': m('custom', 'numbers', 'set'),
	'string-list': m('custom', 'strings', 'set'),
	'ip-address-list': m('custom', 'cidrs', 'set'),
});

/** Catalogue entry for a built-in metric, or for a custom metric of the given type. */
export function metricInfo(name: string, customType?: CustomMetricType): MetricInfo | undefined {
	if (name.startsWith('aws:')) return BUILTIN_METRICS[name];
	return customType ? CUSTOM[customType] : undefined;
}

/** The single number a numeric MetricValue carries (`count` or `number`), else undefined. */
export function numericOf(v: MetricValue): number | undefined {
	if (typeof v.count === 'number') return v.count;
	if (typeof v.number === 'number') return v.number;
	return undefined;
}

/** A MetricValue with `field` set to `n`. */
export function numericValue(field: ValueField, n: number): MetricValue {
	return field === 'number' ? { number: n } : { count: n };
}
