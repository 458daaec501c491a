/**
 * DetectConfigStore over the storage port. The engine reads profiles on every report, so the
 * decoded profile list is cached and dropped on every write made through this store; use
 * `detectConfigStoreFor(db)` so the API routes and the engine share one instance per database.
 */
import type { SqlDatabase, SqlStatement } from '../../storage/database.ts';
import { migrate } from '../../storage/database.ts';
import { targetMatches, type CustomMetricType, type DetectProfile, type DimensionDef, type ThingIdentity } from '../engine/config-port.ts';
import { detectConfigMigrations } from './schema.ts';
import type { CustomMetricRecord, DetectConfigStore, DimensionRecord, ProfileRecord } from './store.ts';

interface ProfileRow {
	name: string;
	arn: string;
	description: string | null;
	behaviors: string;
	alert_targets: string | null;
	metrics_to_retain: string | null;
	metrics_to_retain_v2: string | null;
	metrics_export_config: string | null;
	tags: string | null;
	version: number;
	created_at: number;
	modified_at: number;
}
interface MetricRow {
	name: string;
	arn: string;
	metric_type: string;
	display_name: string | null;
	tags: string | null;
	client_request_token: string | null;
	created_at: number;
	modified_at: number;
}
interface DimensionRow {
	name: string;
	arn: string;
	type: string;
	string_values: string;
	tags: string | null;
	client_request_token: string | null;
	created_at: number;
	modified_at: number;
}

const j = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
const p = <T>(s: string | null): T | undefined => (s === null ? undefined : (JSON.parse(s) as T));

/** Drop members whose value is undefined, so records compare equal to what was stored. */
function compact<T extends object>(o: T): T {
	for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
	return o;
}

function toProfile(r: ProfileRow): ProfileRecord {
	return compact({
		name: r.name,
		arn: r.arn,
		description: r.description ?? undefined,
		behaviors: JSON.parse(r.behaviors),
		alertTargets: p(r.alert_targets),
		additionalMetricsToRetain: p(r.metrics_to_retain),
		additionalMetricsToRetainV2: p(r.metrics_to_retain_v2),
		metricsExportConfig: p(r.metrics_export_config),
		tags: p(r.tags),
		version: r.version,
		createdAt: r.created_at,
		modifiedAt: r.modified_at,
	});
}

function toMetric(r: MetricRow): CustomMetricRecord {
	return compact({
		name: r.name,
		arn: r.arn,
		metricType: r.metric_type as CustomMetricType,
		displayName: r.display_name ?? undefined,
		tags: p(r.tags),
		clientRequestToken: r.client_request_token ?? undefined,
		createdAt: r.created_at,
		modifiedAt: r.modified_at,
	});
}

function toDimension(r: DimensionRow): DimensionRecord {
	return compact({
		name: r.name,
		arn: r.arn,
		type: 'TOPIC_FILTER',
		stringValues: JSON.parse(r.string_values),
		tags: p(r.tags),
		clientRequestToken: r.client_request_token ?? undefined,
		createdAt: r.created_at,
		modifiedAt: r.modified_at,
	});
}

export class SqliteDetectConfigStore implements DetectConfigStore {
	readonly #db: SqlDatabase;
	readonly #s: Record<string, SqlStatement>;
	#profiles: readonly DetectProfile[] | undefined;
	readonly #listeners = new Set<() => void>();
	#depth = 0;
	#dirty = false;
	#metricTypes: Map<string, CustomMetricType> | undefined;
	#dimensions: Map<string, DimensionDef> | undefined;

	/** Applies the detect/config migrations on `db`. */
	constructor(db: SqlDatabase) {
		migrate(db, detectConfigMigrations);
		this.#db = db;
		const q = (sql: string) => db.prepare(sql);
		this.#s = {
			getProfile: q('SELECT * FROM detect_security_profiles WHERE name = ?'),
			listProfiles: q('SELECT * FROM detect_security_profiles ORDER BY name'),
			insertProfile: q(`INSERT INTO detect_security_profiles (name, arn, description, behaviors, alert_targets, metrics_to_retain, metrics_to_retain_v2,
				metrics_export_config, tags, version, created_at, modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			updateProfile: q(`UPDATE detect_security_profiles SET description = ?, behaviors = ?, alert_targets = ?, metrics_to_retain = ?, metrics_to_retain_v2 = ?,
				metrics_export_config = ?, tags = ?, version = ?, modified_at = ? WHERE name = ?`),
			deleteProfile: q('DELETE FROM detect_security_profiles WHERE name = ?'),
			targetsOf: q('SELECT target_arn FROM detect_profile_targets WHERE profile = ? ORDER BY target_arn'),
			allTargets: q('SELECT profile, target_arn FROM detect_profile_targets ORDER BY profile, target_arn'),
			onTarget: q('SELECT profile FROM detect_profile_targets WHERE target_arn = ? ORDER BY profile'),
			attach: q('INSERT OR IGNORE INTO detect_profile_targets (profile, target_arn, attached_at) VALUES (?, ?, ?)'),
			detach: q('DELETE FROM detect_profile_targets WHERE profile = ? AND target_arn = ?'),
			getMetric: q('SELECT * FROM detect_custom_metrics WHERE name = ?'),
			listMetrics: q('SELECT * FROM detect_custom_metrics ORDER BY name'),
			putMetric: q(`INSERT OR REPLACE INTO detect_custom_metrics (name, arn, metric_type, display_name, tags, client_request_token, created_at, modified_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
			deleteMetric: q('DELETE FROM detect_custom_metrics WHERE name = ?'),
			getDimension: q('SELECT * FROM detect_dimensions WHERE name = ?'),
			listDimensions: q('SELECT * FROM detect_dimensions ORDER BY name'),
			putDimension: q(`INSERT OR REPLACE INTO detect_dimensions (name, arn, type, string_values, tags, client_request_token, created_at, modified_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
			deleteDimension: q('DELETE FROM detect_dimensions WHERE name = ?'),
		};
	}

	#changed(): void {
		this.#profiles = undefined;
		this.#metricTypes = undefined;
		this.#dimensions = undefined;
		this.#dirty = true;
		if (this.#depth === 0) this.#notify();
	}

	#notify(): void {
		if (!this.#dirty) return;
		this.#dirty = false;
		for (const fn of this.#listeners) {
			try {
				fn();
			} catch {
				// a listener's failure must not undo or block a committed write
			}
		}
	}

	/**
	 * Call `fn` after every committed change to profiles, targets, custom metrics or dimensions
	 * (once per outermost transaction). The Detect engine hooks `configChanged()` here. Returns
	 * an unsubscribe function.
	 */
	onChange(fn: () => void): () => void {
		this.#listeners.add(fn);
		return () => this.#listeners.delete(fn);
	}

	transaction<T>(fn: () => T): T {
		this.#depth++;
		let out: T;
		try {
			out = this.#db.transaction(fn)();
		} catch (e) {
			this.#depth--;
			if (this.#depth === 0) {
				// rolled back: drop caches (they may hold uncommitted reads) but do not notify
				this.#profiles = undefined;
				this.#metricTypes = undefined;
				this.#dimensions = undefined;
				this.#dirty = false;
			}
			throw e;
		}
		this.#depth--;
		if (this.#depth === 0) this.#notify();
		return out;
	}

	getProfile(name: string): ProfileRecord | undefined {
		const r = this.#s.getProfile!.get(name) as ProfileRow | undefined;
		return r ? toProfile(r) : undefined;
	}
	listProfileRecords(): ProfileRecord[] {
		return (this.#s.listProfiles!.all() as ProfileRow[]).map(toProfile);
	}
	insertProfile(r: ProfileRecord): void {
		this.#s.insertProfile!.run(r.name, r.arn, r.description ?? null, JSON.stringify(r.behaviors), j(r.alertTargets), j(r.additionalMetricsToRetain),
			j(r.additionalMetricsToRetainV2), j(r.metricsExportConfig), j(r.tags), r.version, r.createdAt, r.modifiedAt);
		this.#changed();
	}
	updateProfile(r: ProfileRecord): void {
		this.#s.updateProfile!.run(r.description ?? null, JSON.stringify(r.behaviors), j(r.alertTargets), j(r.additionalMetricsToRetain),
			j(r.additionalMetricsToRetainV2), j(r.metricsExportConfig), j(r.tags), r.version, r.modifiedAt, r.name);
		this.#changed();
	}
	deleteProfile(name: string): boolean {
		const n = this.#s.deleteProfile!.run(name).changes;
		this.#changed();
		return n > 0;
	}

	targetsOf(profileName: string): string[] {
		return (this.#s.targetsOf!.all(profileName) as { target_arn: string }[]).map((r) => r.target_arn);
	}
	profilesOnTarget(targetArn: string): string[] {
		return (this.#s.onTarget!.all(targetArn) as { profile: string }[]).map((r) => r.profile);
	}
	attach(profileName: string, targetArn: string, at: number): boolean {
		const n = this.#s.attach!.run(profileName, targetArn, at).changes;
		this.#changed();
		return n > 0;
	}
	detach(profileName: string, targetArn: string): boolean {
		const n = this.#s.detach!.run(profileName, targetArn).changes;
		this.#changed();
		return n > 0;
	}

	getCustomMetric(name: string): CustomMetricRecord | undefined {
		const r = this.#s.getMetric!.get(name) as MetricRow | undefined;
		return r ? toMetric(r) : undefined;
	}
	listCustomMetrics(): CustomMetricRecord[] {
		return (this.#s.listMetrics!.all() as MetricRow[]).map(toMetric);
	}
	putCustomMetric(r: CustomMetricRecord): void {
		this.#s.putMetric!.run(r.name, r.arn, r.metricType, r.displayName ?? null, j(r.tags), r.clientRequestToken ?? null, r.createdAt, r.modifiedAt);
		this.#changed();
	}
	deleteCustomMetric(name: string): boolean {
		const n = this.#s.deleteMetric!.run(name).changes;
		this.#changed();
		return n > 0;
	}

	getDimension(name: string): DimensionRecord | undefined {
		const r = this.#s.getDimension!.get(name) as DimensionRow | undefined;
		return r ? toDimension(r) : undefined;
	}
	listDimensions(): DimensionRecord[] {
		return (this.#s.listDimensions!.all() as DimensionRow[]).map(toDimension);
	}
	putDimension(r: DimensionRecord): void {
		this.#s.putDimension!.run(r.name, r.arn, r.type, JSON.stringify(r.stringValues), j(r.tags), r.clientRequestToken ?? null, r.createdAt, r.modifiedAt);
		this.#changed();
	}
	deleteDimension(name: string): boolean {
		const n = this.#s.deleteDimension!.run(name).changes;
		this.#changed();
		return n > 0;
	}

	// --- DetectConfigPort (the engine's read side), cached until the next write ---

	listProfiles(): readonly DetectProfile[] {
		if (!this.#profiles) {
			const targets = new Map<string, string[]>();
			for (const r of this.#s.allTargets!.all() as { profile: string; target_arn: string }[]) {
				const l = targets.get(r.profile) ?? [];
				l.push(r.target_arn);
				targets.set(r.profile, l);
			}
			this.#profiles = Object.freeze(
				this.listProfileRecords().map((r) => {
					const prof: DetectProfile = {
						name: r.name,
						arn: r.arn,
						version: r.version,
						behaviors: r.behaviors,
						targets: Object.freeze(targets.get(r.name) ?? []),
						...(r.alertTargets ? { alertTargets: r.alertTargets } : {}),
						...(r.additionalMetricsToRetainV2 ? { additionalMetricsToRetainV2: r.additionalMetricsToRetainV2 } : {}),
					};
					return Object.freeze(prof);
				}),
			);
		}
		return this.#profiles;
	}

	profilesForThing(_thingName: string, identity: ThingIdentity): readonly DetectProfile[] {
		return this.listProfiles().filter((prof) => prof.targets.some((t) => targetMatches(t, identity)));
	}

	customMetricType(metricName: string): CustomMetricType | undefined {
		this.#metricTypes ??= new Map(this.listCustomMetrics().map((m) => [m.name, m.metricType]));
		return this.#metricTypes.get(metricName);
	}

	dimension(name: string): DimensionDef | undefined {
		this.#dimensions ??= new Map(
			this.listDimensions().map((d) => [d.name, Object.freeze({ name: d.name, type: d.type, stringValues: Object.freeze([...d.stringValues]) })]),
		);
		return this.#dimensions.get(name);
	}
}

const shared = new WeakMap<SqlDatabase, SqliteDetectConfigStore>();

/** The one store instance for `db` (the API routes and the Detect engine must share it for the cache). */
export function detectConfigStoreFor(db: SqlDatabase): SqliteDetectConfigStore {
	let s = shared.get(db);
	if (!s) {
		s = new SqliteDetectConfigStore(db);
		shared.set(db, s);
	}
	return s;
}
