/**
 * Security-profile behavior validation (spec §3.2, §2.1–2.5, §8.1). One validator serves
 * ValidateSecurityProfileBehaviors (every error, one message per offending behavior) and
 * Create/UpdateSecurityProfile (the first error as InvalidRequestException). Messages name the
 * member path and the rule, e.g. `behaviors[1].criteria.durationSeconds must be one of 300, 600, 900, 1800, 3600`.
 *
 * Decisions where the spec is silent (spec §9 items 7, 8, 9):
 * - `durationSeconds` is required for windowed counters (num-messages-*, bytes/packets, connection
 *   attempts, disconnects, authorization failures) and for every statisticalThreshold; optional for
 *   point-in-time numbers; forbidden for list metrics and ML behaviors.
 * - `metricDimension.operator` defaults to IN.
 */
import type { Behavior, MetricValue } from '@aws-sdk/client-iot';
import { isApiError } from '../../api/aws-errors.ts';
import { checkArray, checkNumber, checkString, Fields, NAME_RULE } from '../../api/fields.ts';
import { invalidRequest } from '../../api/aws-errors.ts';
import type { CustomMetricType } from '../engine/config-port.ts';
import { BUILTIN_METRICS, metricInfo, type MetricInfo } from '../engine/metrics.ts';

export const MAX_BEHAVIORS = 100; // spec §8.1
export const MAX_VALUE_ELEMENTS = 1000; // spec §8.1
export const DURATIONS = [300, 600, 900, 1800, 3600] as const;
export const STATISTICS = ['p0', 'p0.1', 'p0.01', 'p1', 'p10', 'p50', 'p90', 'p99', 'p99.9', 'p99.99', 'p100'] as const;
export const CONFIDENCE_LEVELS = ['LOW', 'MEDIUM', 'HIGH'] as const;

const NUMERIC_OPS = ['less-than', 'less-than-equals', 'greater-than', 'greater-than-equals'] as const;
const OPERATORS_BY_FIELD: Readonly<Record<string, readonly string[]>> = {
	count: NUMERIC_OPS,
	number: NUMERIC_OPS,
	cidrs: ['in-cidr-set', 'not-in-cidr-set'],
	ports: ['in-port-set', 'not-in-port-set'],
	numbers: ['in-set', 'not-in-set'],
	strings: ['in-set', 'not-in-set'],
};
/** ML Detect supports these built-ins (spec §2.1/2.2 "ML Detect" column) and custom `number`. */
const NO_ML = new Set(['aws:disconnect-duration', 'aws:source-ip-address']);

/** What the validator needs to know about the account's other resources. */
export interface ValidationLookups {
	customMetricType(name: string): CustomMetricType | undefined;
	dimensionExists(name: string): boolean;
}

const CIDR_RE = /^[a-fA-F0-9:./]+$/;

/** IPv4/IPv6 address with optional /prefix (spec §3.2: 2–43 chars `[a-fA-F0-9:\.\/]+`). */
export function isCidr(s: string): boolean {
	if (s.length < 2 || s.length > 43 || !CIDR_RE.test(s)) return false;
	const [addr = '', prefix, extra] = s.split('/');
	if (extra !== undefined) return false;
	const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
	let bits: number;
	if (v4) {
		if (v4.slice(1).some((o) => +o > 255)) return false;
		bits = 32;
	} else {
		if (!addr.includes(':') || addr.split('::').length > 2) return false;
		const groups = addr.split(':').filter((g) => g !== '');
		if (groups.length > 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return false;
		if (!addr.includes('::') && groups.length !== 8) return false;
		bits = 128;
	}
	if (prefix === undefined) return true;
	return /^\d{1,3}$/.test(prefix) && +prefix <= bits;
}

function valueElements(v: MetricValue | undefined): number {
	if (!v) return 0;
	return (v.count !== undefined ? 1 : 0) + (v.number !== undefined ? 1 : 0) + (v.cidrs?.length ?? 0) + (v.ports?.length ?? 0) + (v.numbers?.length ?? 0) + (v.strings?.length ?? 0);
}

function checkValue(f: Fields, field: string, metric: string): MetricValue {
	const present = ['count', 'cidrs', 'ports', 'number', 'numbers', 'strings'].filter((k) => f.has(k));
	if (present.length !== 1 || present[0] !== field) {
		throw invalidRequest(`${f.path} must set exactly one member, ${field}, for metric ${metric}${present.length ? ` (got ${present.join(', ')})` : ''}`);
	}
	switch (field) {
		case 'count':
			return { count: f.number('count', { integer: true, min: 0 }) };
		case 'number':
			return { number: f.number('number') };
		case 'cidrs':
			return {
				cidrs: f.array('cidrs', { min: 1 }).map((c, i) => {
					const s = checkString(c, `${f.at('cidrs')}[${i}]`);
					if (!isCidr(s)) throw invalidRequest(`${f.at('cidrs')}[${i}] must be an IPv4 or IPv6 address or CIDR block (got ${JSON.stringify(s.slice(0, 50))})`);
					return s;
				}),
			};
		case 'ports':
			return { ports: f.array('ports', { min: 1 }).map((p, i) => checkNumber(p, `${f.at('ports')}[${i}]`, { integer: true, min: 0, max: 65535 })) };
		case 'numbers':
			return { numbers: f.array('numbers', { min: 1 }).map((n, i) => checkNumber(n, `${f.at('numbers')}[${i}]`)) };
		default:
			return { strings: f.array('strings', { min: 1 }).map((s, i) => checkString(s, `${f.at('strings')}[${i}]`, { min: 1, max: 1024 })) };
	}
}

/** Resolve a metric name (built-in `aws:*` or a defined custom metric) or throw. */
export function resolveMetric(metric: string, path: string, lookups: ValidationLookups): MetricInfo {
	if (metric.startsWith('aws:')) {
		const info = BUILTIN_METRICS[metric];
		if (!info) throw invalidRequest(`${path} ${metric} is not a supported metric`);
		return info;
	}
	const type = lookups.customMetricType(metric);
	if (!type) throw invalidRequest(`${path} ${metric} is neither a built-in metric (aws:...) nor a custom metric created with CreateCustomMetric`);
	const info = metricInfo(metric, type);
	if (!info) throw invalidRequest(`${path} ${metric} has an unknown custom metric type ${type}`);
	return info;
}

/** Validate and normalise one behavior; throws InvalidRequestException naming the first problem. */
export function validateBehavior(raw: unknown, path: string, lookups: ValidationLookups): Behavior {
	const f = new Fields(raw, path);
	const name = f.string('name', NAME_RULE);
	const metric = f.string('metric', { min: 1, max: 128 });
	const info = resolveMetric(metric, f.at('metric'), lookups);
	const out: Behavior = { name, metric };

	const dim = f.optObject('metricDimension');
	if (dim) {
		const dimensionName = dim.string('dimensionName', NAME_RULE);
		const operator = (dim.optString('operator', { oneOf: ['IN', 'NOT_IN'] }) ?? 'IN') as 'IN' | 'NOT_IN';
		if (info.source === 'custom') throw invalidRequest(`${f.at('metricDimension')} cannot be used with custom metric ${metric}`);
		if (!info.dimensionable) throw invalidRequest(`${f.at('metricDimension')} cannot be used with metric ${metric}`);
		if (!lookups.dimensionExists(dimensionName)) throw invalidRequest(`${dim.at('dimensionName')} ${dimensionName} does not exist`);
		out.metricDimension = { dimensionName, operator };
	}

	const c = f.object('criteria');
	const kinds = ['value', 'statisticalThreshold', 'mlDetectionConfig'].filter((k) => c.has(k));
	if (kinds.length !== 1) {
		throw invalidRequest(`${c.path} must set exactly one of value, statisticalThreshold, mlDetectionConfig${kinds.length ? ` (got ${kinds.join(', ')})` : ''}`);
	}
	const kind = kinds[0]!;
	if (kind === 'mlDetectionConfig') {
		const ml = c.object('mlDetectionConfig');
		const confidenceLevel = ml.string('confidenceLevel', { oneOf: CONFIDENCE_LEVELS }) as 'LOW' | 'MEDIUM' | 'HIGH';
		if (info.aggregation === 'set' || NO_ML.has(metric)) throw invalidRequest(`${c.at('mlDetectionConfig')} cannot be used with metric ${metric}`);
		for (const k of ['comparisonOperator', 'durationSeconds', 'consecutiveDatapointsToAlarm', 'consecutiveDatapointsToClear']) {
			if (c.has(k)) throw invalidRequest(`${c.at(k)} cannot be used with mlDetectionConfig`);
		}
		out.criteria = { mlDetectionConfig: { confidenceLevel } };
	} else {
		const allowed = OPERATORS_BY_FIELD[info.field] ?? [];
		const op = c.string('comparisonOperator');
		if (!allowed.includes(op)) throw invalidRequest(`${c.at('comparisonOperator')} must be one of ${allowed.join(', ')} for metric ${metric} (got ${op.slice(0, 40)})`);
		out.criteria = { comparisonOperator: op as NonNullable<Behavior['criteria']>['comparisonOperator'] };
		if (kind === 'value') {
			out.criteria.value = checkValue(c.object('value'), info.field, metric);
		} else {
			if (info.aggregation === 'set') throw invalidRequest(`${c.at('statisticalThreshold')} cannot be used with list metric ${metric}`);
			const statistic = c.object('statisticalThreshold').string('statistic', { oneOf: STATISTICS });
			out.criteria.statisticalThreshold = { statistic };
		}
		const duration = c.optNumber('durationSeconds', { integer: true });
		if (duration !== undefined) {
			if (info.aggregation === 'set') throw invalidRequest(`${c.at('durationSeconds')} cannot be used with list metric ${metric}`);
			checkNumber(duration, c.at('durationSeconds'), { oneOf: DURATIONS });
			out.criteria.durationSeconds = duration;
		} else if (info.aggregation === 'sum' || kind === 'statisticalThreshold') {
			throw invalidRequest(`${c.at('durationSeconds')} is required for ${kind === 'statisticalThreshold' ? 'a statisticalThreshold' : `metric ${metric}`} (one of ${DURATIONS.join(', ')})`);
		}
		const toAlarm = c.optNumber('consecutiveDatapointsToAlarm', { integer: true, min: 1, max: 10 });
		const toClear = c.optNumber('consecutiveDatapointsToClear', { integer: true, min: 1, max: 10 });
		if (toAlarm !== undefined) out.criteria.consecutiveDatapointsToAlarm = toAlarm;
		if (toClear !== undefined) out.criteria.consecutiveDatapointsToClear = toClear;
	}
	const suppressAlerts = f.optBoolean('suppressAlerts');
	const exportMetric = f.optBoolean('exportMetric');
	if (suppressAlerts !== undefined) out.suppressAlerts = suppressAlerts;
	if (exportMetric !== undefined) out.exportMetric = exportMetric;
	return out;
}

export interface BehaviorCheck {
	behaviors: Behavior[];
	/** One message per offending behavior, plus profile-level rules (names unique, quotas). */
	errors: string[];
}

/** Validate a whole `behaviors` list, collecting every error (ValidateSecurityProfileBehaviors). */
export function checkBehaviors(raw: unknown, lookups: ValidationLookups, path = 'behaviors'): BehaviorCheck {
	const list = checkArray(raw, path, { max: MAX_BEHAVIORS });
	const behaviors: Behavior[] = [];
	const errors: string[] = [];
	const seen = new Map<string, number>();
	list.forEach((b, i) => {
		try {
			const v = validateBehavior(b, `${path}[${i}]`, lookups);
			const first = seen.get(v.name!);
			if (first !== undefined) errors.push(`${path}[${i}].name ${v.name} is already used by ${path}[${first}]; behavior names must be unique within a security profile`);
			else seen.set(v.name!, i);
			behaviors.push(v);
		} catch (e) {
			if (!isApiError(e)) throw e;
			errors.push(e.message);
		}
	});
	const elements = behaviors.reduce((n, b) => n + valueElements(b.criteria?.value), 0);
	if (elements > MAX_VALUE_ELEMENTS) {
		errors.push(`${path} hold ${elements} metric value elements; a security profile allows at most ${MAX_VALUE_ELEMENTS}`);
	}
	return { behaviors, errors };
}

/** Validate for Create/Update: the normalised list, or InvalidRequestException with the first error. */
export function requireValidBehaviors(raw: unknown, lookups: ValidationLookups): Behavior[] {
	const { behaviors, errors } = checkBehaviors(raw, lookups);
	if (errors.length > 0) throw invalidRequest(errors.length === 1 ? errors[0]! : `${errors[0]} (and ${errors.length - 1} more error(s))`);
	return behaviors;
}
