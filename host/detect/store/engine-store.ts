/**
 * The Detect engine's storage port. The engine only talks to this interface; the SQLite
 * implementation is sqlite-engine-store.ts (a PostgreSQL one would implement the same).
 * `commit` applies one evaluation step atomically.
 */
import type { Behavior, MetricValue } from '@aws-sdk/client-iot';
import type { AlarmState } from '../engine/alarm-machine.ts';
import type { Sample } from '../engine/sample.ts';

export type CriteriaType = 'STATIC' | 'STATISTICAL' | 'MACHINE_LEARNING';
export type ViolationEventType = 'in-alarm' | 'alarm-cleared' | 'alarm-invalidated';
export type VerificationState = 'FALSE_POSITIVE' | 'BENIGN_POSITIVE' | 'TRUE_POSITIVE' | 'UNKNOWN';

export interface AlarmKey {
	readonly thing: string;
	readonly profile: string;
	readonly behavior: string;
	readonly dimension: string;
}

export interface StoredViolation {
	readonly violationId: string;
	readonly thing: string;
	readonly profile: string;
	readonly behavior: Behavior;
	readonly criteriaType: CriteriaType;
	readonly suppressed: boolean;
	readonly startTime: number;
	readonly lastValue: MetricValue | null;
	readonly lastTime: number | null;
	readonly verificationState?: VerificationState;
	readonly verificationDescription?: string;
}

export interface StoredEvent {
	readonly violationId: string;
	readonly thing: string;
	readonly profile: string;
	readonly behavior: Behavior;
	readonly criteriaType: CriteriaType;
	readonly suppressed: boolean;
	readonly type: ViolationEventType;
	readonly value: MetricValue | null;
	readonly at: number;
	readonly verificationState?: VerificationState;
	readonly verificationDescription?: string;
}

export interface OutboxEntry {
	readonly id: string;
	/** JSON of the destination (see host/detect/alerts/destinations.ts). */
	readonly destination: string;
	readonly body: string;
	readonly attempts: number;
	readonly nextAt: number;
	readonly createdAt: number;
}

export interface CommitBatch {
	datapoints: Sample[];
	/** `state: null` deletes the row (back to a plain Normal). */
	alarms: Array<{ key: AlarmKey; state: AlarmState | null }>;
	upsertViolations: StoredViolation[];
	deleteViolations: string[];
	events: StoredEvent[];
	outbox: OutboxEntry[];
}

export interface ViolationFilter {
	thingName?: string;
	securityProfileName?: string;
	behaviorCriteriaType?: CriteriaType;
	/** false → leave out violations of behaviors with suppressAlerts; omitted/true → include them. */
	listSuppressedAlerts?: boolean;
	verificationState?: VerificationState;
}

export interface Page<T> {
	items: T[];
	/** Opaque cursor for the next page, absent on the last page. */
	next?: string;
}

export interface DetectStore {
	commit(batch: CommitBatch): void;
	loadAlarms(): Array<{ key: AlarmKey; state: AlarmState }>;
	/** Samples of one series with `at > since`, oldest first. */
	recentSamples(thing: string, metric: string, dimension: string, since: number): Sample[];
	listMetricValues(thing: string, metric: string, dimension: string, start: number, end: number, limit: number, cursor?: string): Page<Sample>;
	listActiveViolations(f: ViolationFilter, limit: number, cursor?: string): Page<StoredViolation>;
	listViolationEvents(f: ViolationFilter & { start: number; end: number }, limit: number, cursor?: string): Page<StoredEvent>;
	/** Record a verification state for a violation (active or past); false if the id is unknown. */
	setVerification(violationId: string, state: VerificationState, description: string | undefined, at: number): boolean;
	/** Undelivered alerts due at or before `now`, oldest first. */
	dueAlerts(now: number, limit: number): OutboxEntry[];
	/** Earliest `nextAt` of an undelivered alert, or undefined. */
	nextAlertAt(): number | undefined;
	markAlertDelivered(id: string, at: number): void;
	markAlertFailed(id: string, attempts: number, nextAt: number, error: string): void;
	/** Run `fn` (several marks) in one transaction. */
	batch(fn: () => void): void;
	/** Delete datapoints older than `datapointsBefore`, events and delivered alerts older than `eventsBefore`. */
	prune(datapointsBefore: number, eventsBefore: number): { datapoints: number; events: number };
}
