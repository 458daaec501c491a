/** DetectStore on the storage port (SQLite today). */
import type { MetricValue } from '@aws-sdk/client-iot';
import type { SqlDatabase, SqlStatement } from '../../storage/database.ts';
import type { AlarmState } from '../engine/alarm-machine.ts';
import type { Sample } from '../engine/sample.ts';
import type {
	AlarmKey,
	CommitBatch,
	CriteriaType,
	DetectStore,
	OutboxEntry,
	Page,
	StoredEvent,
	StoredViolation,
	VerificationState,
	ViolationEventType,
	ViolationFilter,
} from './engine-store.ts';

interface ViolationRow {
	seq: number;
	violation_id: string;
	thing: string;
	profile: string;
	behavior: string;
	criteria_type: string;
	suppressed: number;
	start_time: number;
	last_value: string | null;
	last_time: number | null;
	v_state: string | null;
	v_desc: string | null;
}

interface EventRow extends Omit<ViolationRow, 'start_time' | 'last_value' | 'last_time'> {
	event_type: string;
	metric_value: string | null;
	at: number;
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const parse = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));
/** JSON path of a series inside `vals`; names are `[a-zA-Z0-9:_-]` (plus `|`), quotes are refused. */
function jsonPath(metric: string, dimension: string): string {
	const key = `${metric}|${dimension}`;
	if (/["\\]/.test(key)) throw new RangeError(`invalid metric or dimension name: ${key}`);
	return `$."${key}"`;
}
const cursorOf = (c: string | undefined) => (c && /^\d+$/.test(c) ? Number(c) : 0);

function filterSql(f: ViolationFilter, alias: string): { where: string[]; params: unknown[] } {
	const where: string[] = [];
	const params: unknown[] = [];
	if (f.thingName !== undefined) (where.push(`${alias}.thing = ?`), params.push(f.thingName));
	if (f.securityProfileName !== undefined) (where.push(`${alias}.profile = ?`), params.push(f.securityProfileName));
	if (f.behaviorCriteriaType !== undefined) (where.push(`${alias}.criteria_type = ?`), params.push(f.behaviorCriteriaType));
	if (f.listSuppressedAlerts === false) where.push(`${alias}.suppressed = 0`);
	if (f.verificationState !== undefined) {
		if (f.verificationState === 'UNKNOWN') (where.push(`(v.state IS NULL OR v.state = ?)`), params.push('UNKNOWN'));
		else (where.push('v.state = ?'), params.push(f.verificationState));
	}
	return { where, params };
}

export class SqliteDetectStore implements DetectStore {
	readonly #db: SqlDatabase;
	readonly #s: Record<string, SqlStatement>;
	readonly #commit: (b: CommitBatch) => void;

	/** The database must have `detectEngineMigrations` applied (see schema.ts). */
	constructor(db: SqlDatabase) {
		this.#db = db;
		const p = (sql: string) => db.prepare(sql);
		this.#s = {
			insDp: p('INSERT INTO detect_datapoints (thing, at, vals) VALUES (?, ?, ?)'),
			putAlarm: p(`INSERT OR REPLACE INTO detect_alarm_state (thing, profile, behavior, dimension, violating, conforming, violation_id, start_time, last_value, last_violation_time, last_datapoint_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			delAlarm: p('DELETE FROM detect_alarm_state WHERE thing = ? AND profile = ? AND behavior = ? AND dimension = ?'),
			upViol: p(`INSERT INTO detect_active_violations (violation_id, thing, profile, behavior, criteria_type, suppressed, start_time, last_value, last_time)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (violation_id) DO UPDATE SET behavior = excluded.behavior, suppressed = excluded.suppressed, last_value = excluded.last_value, last_time = excluded.last_time`),
			delViol: p('DELETE FROM detect_active_violations WHERE violation_id = ?'),
			insEvent: p(`INSERT INTO detect_violation_events (violation_id, thing, profile, behavior, criteria_type, suppressed, event_type, metric_value, at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			insOutbox: p('INSERT INTO detect_alert_outbox (id, destination, body, attempts, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
			recent: p(`SELECT at, value FROM (SELECT at, rowid AS seq, json_extract(vals, ?) AS value FROM detect_datapoints
				WHERE thing = ? AND at > ?) WHERE value IS NOT NULL ORDER BY at, seq`),
			metricValues: p(`SELECT seq, at, value FROM (SELECT rowid AS seq, at, json_extract(vals, ?) AS value FROM detect_datapoints
				WHERE thing = ? AND at >= ? AND at <= ? AND rowid > ?) WHERE value IS NOT NULL ORDER BY seq LIMIT ?`),
			alarms: p('SELECT * FROM detect_alarm_state'),
			violExists: p(`SELECT 1 FROM detect_active_violations WHERE violation_id = ? UNION ALL SELECT 1 FROM detect_violation_events WHERE violation_id = ? LIMIT 1`),
			putVerif: p('INSERT OR REPLACE INTO detect_verification (violation_id, state, description, at) VALUES (?, ?, ?, ?)'),
			due: p('SELECT * FROM detect_alert_outbox WHERE delivered_at IS NULL AND next_at <= ? ORDER BY next_at, created_at LIMIT ?'),
			nextAlert: p('SELECT MIN(next_at) AS t FROM detect_alert_outbox WHERE delivered_at IS NULL'),
			delivered: p('UPDATE detect_alert_outbox SET delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?'),
			failed: p('UPDATE detect_alert_outbox SET attempts = ?, next_at = ?, last_error = ? WHERE id = ?'),
			pruneDp: p('DELETE FROM detect_datapoints WHERE at < ?'),
			pruneEv: p('DELETE FROM detect_violation_events WHERE at < ?'),
			pruneOut: p('DELETE FROM detect_alert_outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?'),
			pruneVerif: p(`DELETE FROM detect_verification WHERE at < ? AND violation_id NOT IN (SELECT violation_id FROM detect_active_violations)
				AND violation_id NOT IN (SELECT violation_id FROM detect_violation_events)`),
		};
		const s = this.#s;
		this.#commit = db.transaction((b: CommitBatch) => {
			const rows = new Map<string, { thing: string; at: number; vals: Record<string, unknown> }>();
			for (const d of b.datapoints) {
				const k = `${d.at}\u0000${d.thing}`;
				let r = rows.get(k);
				if (!r) rows.set(k, (r = { thing: d.thing, at: d.at, vals: {} }));
				r.vals[`${d.metric}|${d.dimension}`] = d.value;
			}
			for (const r of rows.values()) s.insDp!.run(r.thing, r.at, JSON.stringify(r.vals));
			for (const { key: k, state: st } of b.alarms) {
				if (!st) s.delAlarm!.run(k.thing, k.profile, k.behavior, k.dimension);
				else
					s.putAlarm!.run(k.thing, k.profile, k.behavior, k.dimension, st.violating, st.conforming, st.violationId, st.startTime, json(st.lastViolationValue), st.lastViolationTime, st.lastDatapointAt);
			}
			for (const v of b.upsertViolations)
				s.upViol!.run(v.violationId, v.thing, v.profile, JSON.stringify(v.behavior), v.criteriaType, v.suppressed ? 1 : 0, v.startTime, json(v.lastValue), v.lastTime);
			for (const id of b.deleteViolations) s.delViol!.run(id);
			for (const e of b.events)
				s.insEvent!.run(e.violationId, e.thing, e.profile, JSON.stringify(e.behavior), e.criteriaType, e.suppressed ? 1 : 0, e.type, json(e.value), e.at);
			for (const o of b.outbox) s.insOutbox!.run(o.id, o.destination, o.body, o.attempts, o.nextAt, o.createdAt);
		});
	}

	commit(batch: CommitBatch): void {
		this.#commit(batch);
	}

	loadAlarms(): Array<{ key: AlarmKey; state: AlarmState }> {
		return (this.#s.alarms!.all() as Record<string, unknown>[]).map((r) => ({
			key: { thing: r.thing as string, profile: r.profile as string, behavior: r.behavior as string, dimension: r.dimension as string },
			state: {
				violating: r.violating as number,
				conforming: r.conforming as number,
				violationId: (r.violation_id as string | null) ?? null,
				startTime: (r.start_time as number | null) ?? null,
				lastViolationValue: parse<MetricValue>(r.last_value as string | null),
				lastViolationTime: (r.last_violation_time as number | null) ?? null,
				lastDatapointAt: r.last_datapoint_at as number,
			},
		}));
	}

	recentSamples(thing: string, metric: string, dimension: string, since: number): Sample[] {
		return (this.#s.recent!.all(jsonPath(metric, dimension), thing, since) as Array<{ at: number; value: string }>).map((r) => ({
			thing,
			metric,
			dimension,
			at: r.at,
			value: JSON.parse(r.value) as MetricValue,
		}));
	}

	listMetricValues(thing: string, metric: string, dimension: string, start: number, end: number, limit: number, cursor?: string): Page<Sample> {
		const rows = this.#s.metricValues!.all(jsonPath(metric, dimension), thing, start, end, cursorOf(cursor), limit + 1) as Array<{
			seq: number;
			at: number;
			value: string;
		}>;
		const more = rows.length > limit;
		const page = rows.slice(0, limit);
		return {
			items: page.map((r) => ({ thing, metric, dimension, at: r.at, value: JSON.parse(r.value) as MetricValue })),
			next: more ? String(page[page.length - 1]!.seq) : undefined,
		};
	}

	listActiveViolations(f: ViolationFilter, limit: number, cursor?: string): Page<StoredViolation> {
		const { where, params } = filterSql(f, 'a');
		where.push('a.seq > ?');
		const rows = this.#db
			.prepare(
				`SELECT a.*, v.state AS v_state, v.description AS v_desc FROM detect_active_violations a
				LEFT JOIN detect_verification v ON v.violation_id = a.violation_id WHERE ${where.join(' AND ')} ORDER BY a.seq LIMIT ?`,
			)
			.all(...params, cursorOf(cursor), limit + 1) as ViolationRow[];
		const page = rows.slice(0, limit);
		return {
			items: page.map((r) => ({
				violationId: r.violation_id,
				thing: r.thing,
				profile: r.profile,
				behavior: JSON.parse(r.behavior),
				criteriaType: r.criteria_type as CriteriaType,
				suppressed: r.suppressed === 1,
				startTime: r.start_time,
				lastValue: parse<MetricValue>(r.last_value),
				lastTime: r.last_time,
				verificationState: (r.v_state ?? undefined) as VerificationState | undefined,
				verificationDescription: r.v_desc ?? undefined,
			})),
			next: rows.length > limit ? String(page[page.length - 1]!.seq) : undefined,
		};
	}

	listViolationEvents(f: ViolationFilter & { start: number; end: number }, limit: number, cursor?: string): Page<StoredEvent> {
		const { where, params } = filterSql(f, 'e');
		where.push('e.at >= ?', 'e.at <= ?', 'e.seq > ?');
		const rows = this.#db
			.prepare(
				`SELECT e.*, v.state AS v_state, v.description AS v_desc FROM detect_violation_events e
				LEFT JOIN detect_verification v ON v.violation_id = e.violation_id WHERE ${where.join(' AND ')} ORDER BY e.seq LIMIT ?`,
			)
			.all(...params, f.start, f.end, cursorOf(cursor), limit + 1) as EventRow[];
		const page = rows.slice(0, limit);
		return {
			items: page.map((r) => ({
				violationId: r.violation_id,
				thing: r.thing,
				profile: r.profile,
				behavior: JSON.parse(r.behavior),
				criteriaType: r.criteria_type as CriteriaType,
				suppressed: r.suppressed === 1,
				type: r.event_type as ViolationEventType,
				value: parse<MetricValue>(r.metric_value),
				at: r.at,
				verificationState: (r.v_state ?? undefined) as VerificationState | undefined,
				verificationDescription: r.v_desc ?? undefined,
			})),
			next: rows.length > limit ? String(page[page.length - 1]!.seq) : undefined,
		};
	}

	setVerification(violationId: string, state: VerificationState, description: string | undefined, at: number): boolean {
		if (!this.#s.violExists!.get(violationId, violationId)) return false;
		this.#s.putVerif!.run(violationId, state, description ?? null, at);
		return true;
	}

	dueAlerts(now: number, limit: number): OutboxEntry[] {
		return (this.#s.due!.all(now, limit) as Array<Record<string, unknown>>).map((r) => ({
			id: r.id as string,
			destination: r.destination as string,
			body: r.body as string,
			attempts: r.attempts as number,
			nextAt: r.next_at as number,
			createdAt: r.created_at as number,
		}));
	}

	nextAlertAt(): number | undefined {
		const r = this.#s.nextAlert!.get() as { t: number | null } | undefined;
		return r?.t ?? undefined;
	}

	markAlertDelivered(id: string, at: number): void {
		this.#s.delivered!.run(at, id);
	}

	batch(fn: () => void): void {
		this.#db.transaction(fn)();
	}

	markAlertFailed(id: string, attempts: number, nextAt: number, error: string): void {
		this.#s.failed!.run(attempts, nextAt, error.slice(0, 500), id);
	}

	prune(datapointsBefore: number, eventsBefore: number): { datapoints: number; events: number } {
		return this.#db.transaction(() => {
			const datapoints = this.#s.pruneDp!.run(datapointsBefore).changes;
			const events = this.#s.pruneEv!.run(eventsBefore).changes;
			this.#s.pruneOut!.run(eventsBefore);
			this.#s.pruneVerif!.run(eventsBefore);
			return { datapoints, events };
		})();
	}
}
