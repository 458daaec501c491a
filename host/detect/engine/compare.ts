/**
 * Behavior criteria evaluation (spec §3.2). A behavior describes NORMAL behavior: a datapoint
 * conforms when `metric <operator> value` holds and violates otherwise (spec §3.4).
 * List operators: `in-*-set` violates if any element is outside the set, `not-in-*-set` if any
 * element is inside it; an empty list always conforms (spec §1.4).
 */
import type { ComparisonOperator, MetricValue } from '@aws-sdk/client-iot';
import { cidrContains, parseCidr, type Cidr } from './ip-match.ts';
import { numericOf } from './metrics.ts';

export const NUMERIC_OPERATORS = ['less-than', 'less-than-equals', 'greater-than', 'greater-than-equals'] as const;
export const LIST_OPERATORS = ['in-cidr-set', 'not-in-cidr-set', 'in-port-set', 'not-in-port-set', 'in-set', 'not-in-set'] as const;

/** Numeric comparison; `undefined` for an operator that is not numeric. */
export function compareNumber(operator: string, actual: number, threshold: number): boolean | undefined {
	switch (operator) {
		case 'less-than':
			return actual < threshold;
		case 'less-than-equals':
			return actual <= threshold;
		case 'greater-than':
			return actual > threshold;
		case 'greater-than-equals':
			return actual >= threshold;
		default:
			return undefined;
	}
}

const cidrCache = new WeakMap<readonly string[], Cidr[]>();
const setCache = new WeakMap<readonly unknown[], Set<unknown>>();

function cidrsOf(list: readonly string[]): Cidr[] {
	let c = cidrCache.get(list);
	if (!c) {
		c = list.map(parseCidr).filter((x): x is Cidr => x !== undefined);
		cidrCache.set(list, c);
	}
	return c;
}

function setOf(list: readonly unknown[]): Set<unknown> {
	let s = setCache.get(list);
	if (!s) {
		s = new Set(list);
		setCache.set(list, s);
	}
	return s;
}

/** Elements of the datapoint for a list operator, or undefined if the datapoint has no such list. */
function elementsOf(operator: string, actual: MetricValue): readonly unknown[] | undefined {
	if (operator.endsWith('cidr-set')) return actual.cidrs;
	if (operator.endsWith('port-set')) return actual.ports;
	return actual.numbers ?? actual.strings;
}

/**
 * Does the datapoint `actual` conform to `operator` + static `value`?
 * Returns undefined when the two cannot be compared (wrong value member for the operator).
 */
export function conforms(operator: ComparisonOperator | string, value: MetricValue, actual: MetricValue): boolean | undefined {
	const n = numericOf(actual);
	if (n !== undefined) {
		const t = numericOf(value);
		return t === undefined ? undefined : compareNumber(operator, n, t);
	}
	const elems = elementsOf(operator, actual);
	if (!elems) return undefined;
	if (elems.length === 0) return true; // spec §1.4: empty list conforms
	const negate = operator.startsWith('not-in-');
	if (operator.endsWith('cidr-set')) {
		const blocks = cidrsOf(value.cidrs ?? []);
		const inside = (ip: unknown) => blocks.some((b) => cidrContains(b, String(ip)));
		return negate ? !elems.some(inside) : elems.every(inside);
	}
	const allowed = operator.endsWith('port-set') ? value.ports : (value.numbers ?? value.strings);
	if (!allowed) return undefined;
	const s = setOf(allowed);
	return negate ? !elems.some((e) => s.has(e)) : elems.every((e) => s.has(e));
}
