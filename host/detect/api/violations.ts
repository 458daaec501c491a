/**
 * Detect's read/verify operations (spec §7.2 "Detect – violations, metric values"), as plain
 * functions over the DetectStore: ListActiveViolations, ListViolationEvents,
 * PutVerificationStateOnViolation, ListMetricValues. Inputs are already-parsed values;
 * responses are the restJson1 members (timestamps in epoch seconds). The HTTP layer is
 * api-routes.ts.
 */
import type { MetricValue } from '@aws-sdk/client-iot';
import { invalidRequest } from '../../api/aws-errors.ts';
import type { CriteriaType, DetectStore, StoredEvent, StoredViolation, VerificationState, ViolationFilter } from '../store/engine-store.ts';
import { dimensionKey } from '../engine/sample.ts';

export const VERIFICATION_STATES = ['FALSE_POSITIVE', 'BENIGN_POSITIVE', 'TRUE_POSITIVE', 'UNKNOWN'] as const;
export const CRITERIA_TYPES = ['STATIC', 'STATISTICAL', 'MACHINE_LEARNING'] as const;

export interface PageInput {
	nextToken?: string | undefined;
	maxResults?: number | undefined;
}

/** Opaque, operation-bound token around the store's cursor. */
function wrapToken(op: string, cursor: string | undefined): string | undefined {
	return cursor === undefined ? undefined : Buffer.from(JSON.stringify({ op, c: cursor })).toString('base64url');
}

function unwrapToken(op: string, token: string | undefined): string | undefined {
	if (token === undefined) return undefined;
	try {
		const d = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { op?: unknown; c?: unknown };
		if (d.op === op && typeof d.c === 'string') return d.c;
	} catch {
		// fall through
	}
	throw invalidRequest('nextToken is invalid');
}

const secs = (ms: number | null) => (ms === null ? undefined : ms / 1000);
const withVerification = (x: { verificationState?: VerificationState; verificationDescription?: string }) => ({
	verificationState: x.verificationState ?? 'UNKNOWN',
	...(x.verificationDescription !== undefined ? { verificationStateDescription: x.verificationDescription } : {}),
});

function activeViolationJson(v: StoredViolation) {
	return {
		violationId: v.violationId,
		thingName: v.thing,
		securityProfileName: v.profile,
		behavior: v.behavior,
		...(v.lastValue ? { lastViolationValue: v.lastValue } : {}),
		...withVerification(v),
		lastViolationTime: secs(v.lastTime),
		violationStartTime: secs(v.startTime),
	};
}

function violationEventJson(e: StoredEvent) {
	return {
		violationId: e.violationId,
		thingName: e.thing,
		securityProfileName: e.profile,
		behavior: e.behavior,
		...(e.value ? { metricValue: e.value } : {}),
		violationEventType: e.type,
		...withVerification(e),
		violationEventTime: e.at / 1000,
	};
}

export type ViolationQuery = ViolationFilter & PageInput;

export function listActiveViolations(store: DetectStore, q: ViolationQuery) {
	const page = store.listActiveViolations(q, q.maxResults ?? 250, unwrapToken('ListActiveViolations', q.nextToken));
	const nextToken = wrapToken('ListActiveViolations', page.next);
	return { activeViolations: page.items.map(activeViolationJson), ...(nextToken ? { nextToken } : {}) };
}

export function listViolationEvents(store: DetectStore, q: ViolationQuery & { startTime: number; endTime: number }) {
	if (q.endTime < q.startTime) throw invalidRequest('endTime must not be before startTime');
	const page = store.listViolationEvents({ ...q, start: q.startTime, end: q.endTime }, q.maxResults ?? 250, unwrapToken('ListViolationEvents', q.nextToken));
	const nextToken = wrapToken('ListViolationEvents', page.next);
	return { violationEvents: page.items.map(violationEventJson), ...(nextToken ? { nextToken } : {}) };
}

export function putVerificationStateOnViolation(
	store: DetectStore,
	now: number,
	violationId: string,
	input: { verificationState: VerificationState; verificationStateDescription?: string | undefined },
): Record<string, never> {
	if (!store.setVerification(violationId, input.verificationState, input.verificationStateDescription, now)) {
		throw invalidRequest(`violation ${violationId} does not exist`);
	}
	return {};
}

export function listMetricValues(
	store: DetectStore,
	q: PageInput & { thingName: string; metricName: string; dimensionName?: string | undefined; dimensionValueOperator?: 'IN' | 'NOT_IN' | undefined; startTime: number; endTime: number },
) {
	if (q.endTime < q.startTime) throw invalidRequest('endTime must not be before startTime');
	if (q.dimensionValueOperator && !q.dimensionName) throw invalidRequest('dimensionValueOperator needs dimensionName');
	const dim = dimensionKey(q.dimensionName, q.dimensionValueOperator);
	const page = store.listMetricValues(q.thingName, q.metricName, dim, q.startTime, q.endTime, q.maxResults ?? 250, unwrapToken('ListMetricValues', q.nextToken));
	const nextToken = wrapToken('ListMetricValues', page.next);
	return {
		metricDatumList: page.items.map((s) => ({ timestamp: s.at / 1000, value: s.value as MetricValue })),
		...(nextToken ? { nextToken } : {}),
	};
}

export type { CriteriaType };
