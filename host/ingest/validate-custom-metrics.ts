/**
 * spec §1.3: `custom_metrics` maps a metric name to an array holding exactly one object with
 * exactly one of `number`, `number_list`, `string_list`, `ip_list`. Values that break the value
 * rules are rejected (decision: reject, not drop, so the device learns about it).
 */
import { isIP } from 'node:net';
import type { CustomMetricValue } from './report-types.ts';
import { REPORT_LIMITS, invalid } from './limits.ts';
import { isObject, join, requireArray, requireObject } from './validate-fields.ts';

// CreateCustomMetric's metricName pattern; `aws:` is reserved for built-in metrics
const METRIC_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
// SDK sample README: letters and `: _ - / .`; the documented examples also use digits ("value_1")
const STRING_VALUE = /^[A-Za-z0-9:_\-/.]+$/;
const INNER_KEYS = ['number', 'number_list', 'string_list', 'ip_list'] as const;

/** Numbers up to 15 significant digits, positive or negative (spec §1.3). */
function metricNumber(v: unknown, path: string): number {
	// integers below 10^15 have at most 15 digits; only other values need the toPrecision test
	if (typeof v !== 'number' || !((Number.isInteger(v) && Math.abs(v) < 1e15) || (Number.isFinite(v) && Number(v.toPrecision(15)) === v))) {
		invalid(`${path} must be a finite number of at most 15 significant digits`, path);
	}
	return v;
}

function metricString(v: unknown, path: string): string {
	if (typeof v !== 'string' || v.length > REPORT_LIMITS.maxStringLength || !STRING_VALUE.test(v)) {
		invalid(`${path} must be a string of 1 to ${REPORT_LIMITS.maxStringLength} characters from A-Z a-z 0-9 : _ - / .`, path);
	}
	return v;
}

function metricIp(v: unknown, path: string): string {
	if (typeof v !== 'string' || v.length > REPORT_LIMITS.maxStringLength || isIP(v) === 0) {
		invalid(`${path} must be an IPv4 or IPv6 address`, path);
	}
	return v;
}

function value(wrapper: unknown, path: string): CustomMetricValue {
	if (!Array.isArray(wrapper) || wrapper.length !== 1 || !isObject(wrapper[0])) {
		invalid(`${path} must be an array of exactly one object`, path);
	}
	const inner = wrapper[0] as Record<string, unknown>;
	const at = `${path}[0]`;
	const keys = Object.keys(inner);
	for (const k of keys) {
		if (!(INNER_KEYS as readonly string[]).includes(k)) invalid(`${join(at, k)} is not a known key`, join(at, k));
	}
	if (keys.length !== 1) invalid(`${at} must have exactly one of ${INNER_KEYS.join(', ')}`, at);
	const key = keys[0] as (typeof INNER_KEYS)[number];
	const p = join(at, key);
	const v = inner[key];
	switch (key) {
		case 'number':
			return { type: 'number', number: metricNumber(v, p) };
		case 'number_list':
			return { type: 'number-list', number_list: requireArray(v, p).map((x, i) => metricNumber(x, `${p}[${i}]`)) };
		case 'string_list':
			return { type: 'string-list', string_list: requireArray(v, p).map((x, i) => metricString(x, `${p}[${i}]`)) };
		case 'ip_list':
			return { type: 'ip-address-list', ip_list: requireArray(v, p).map((x, i) => metricIp(x, `${p}[${i}]`)) };
	}
}

/** Validate a `custom_metrics` object; `path` is its wire name (`custom_metrics` or `cmet`). */
export function validateCustomMetrics(raw: unknown, path: string): Record<string, CustomMetricValue> {
	const obj = requireObject(raw, path);
	const names = Object.keys(obj);
	if (names.length > REPORT_LIMITS.maxMapEntries) invalid(`${path} must have at most ${REPORT_LIMITS.maxMapEntries} entries`, path);
	const out: Record<string, CustomMetricValue> = {};
	for (const name of names) {
		if (!METRIC_NAME.test(name) || name.startsWith('aws:')) {
			invalid(`${path} key ${JSON.stringify(name)} is not a valid custom metric name (1 to 128 of A-Z a-z 0-9 : _ -, not starting with aws:)`, path);
		}
		// defineProperty: a metric may legally be named `__proto__`
		Object.defineProperty(out, name, { value: value(obj[name], join(path, name)), enumerable: true, writable: true, configurable: true });
	}
	return out;
}
