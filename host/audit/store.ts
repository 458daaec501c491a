/** The audit store port and its SQLite implementation (tables from AUDIT_MIGRATIONS). */
import type { SqlDatabase } from '../storage/database.ts';
import { resourceKey } from './finding.ts';
import type { AccountAuditConfig, AuditFinding, AuditSuppression, AuditTask, FindingFilter, ScheduledAudit, TaskStatus, TaskType } from './types.ts';

export interface AuditStore {
	transaction<R>(fn: () => R): R;
	getConfig(): AccountAuditConfig | null;
	putConfig(c: AccountAuditConfig, at: number): void;
	deleteConfig(): void;
	getScheduled(name: string): ScheduledAudit | null;
	listScheduled(): ScheduledAudit[];
	putScheduled(s: ScheduledAudit): void;
	deleteScheduled(name: string): boolean;
	putTask(t: AuditTask): void;
	getTask(id: string): AuditTask | null;
	listTasks(f: { startTime: number; endTime: number; taskType?: TaskType; taskStatus?: TaskStatus }): AuditTask[];
	countTasks(status: TaskStatus, type: TaskType): number;
	insertFindings(list: readonly AuditFinding[]): void;
	getFinding(id: string): AuditFinding | null;
	listFindings(f: FindingFilter, offset: number, limit: number): AuditFinding[];
	getSuppression(checkName: string, key: string): AuditSuppression | null;
	putSuppression(s: AuditSuppression): void;
	deleteSuppression(checkName: string, key: string): boolean;
	listSuppressions(f: { checkName?: string; resourceKey?: string; ascending: boolean }): AuditSuppression[];
	/** Delete tasks and findings that started before `before` (90-day retention, spec §8.1). */
	prune(before: number): void;
}

interface TaskRow { task_id: string; task_type: string; task_status: string; scheduled_audit_name: string | null; start_time: number; end_time: number | null; target_checks: string; statistics: string; details: string }
interface FindingRow { finding_id: string; task_id: string; check_name: string; task_start_time: number; finding_time: number; severity: string; resource: string; related: string; reason: string; reason_code: string; is_suppressed: number }
interface SchedRow { name: string; frequency: string; day_of_month: string | null; day_of_week: string | null; target_checks: string; tags: string; created_at: number; anchor_at: number; last_run_at: number | null; next_run_at: number }
interface SupRow { check_name: string; resource_identifier: string; expiration_date: number | null; suppress_indefinitely: number; description: string | null; client_request_token: string | null; created_at: number }

const taskOf = (r: TaskRow): AuditTask => ({
	taskId: r.task_id,
	taskType: r.task_type as TaskType,
	taskStatus: r.task_status as TaskStatus,
	...(r.scheduled_audit_name ? { scheduledAuditName: r.scheduled_audit_name } : {}),
	taskStartTime: r.start_time,
	...(r.end_time !== null ? { taskEndTime: r.end_time } : {}),
	targetCheckNames: JSON.parse(r.target_checks),
	taskStatistics: JSON.parse(r.statistics),
	auditDetails: JSON.parse(r.details),
});

const findingOf = (r: FindingRow): AuditFinding => ({
	findingId: r.finding_id,
	taskId: r.task_id,
	checkName: r.check_name,
	taskStartTime: r.task_start_time,
	findingTime: r.finding_time,
	severity: r.severity as AuditFinding['severity'],
	nonCompliantResource: JSON.parse(r.resource),
	relatedResources: JSON.parse(r.related),
	reasonForNonCompliance: r.reason,
	reasonForNonComplianceCode: r.reason_code,
	isSuppressed: r.is_suppressed === 1,
});

const schedOf = (r: SchedRow): ScheduledAudit => ({
	scheduledAuditName: r.name,
	frequency: r.frequency as ScheduledAudit['frequency'],
	...(r.day_of_month !== null ? { dayOfMonth: r.day_of_month } : {}),
	...(r.day_of_week !== null ? { dayOfWeek: r.day_of_week as ScheduledAudit['dayOfWeek'] & string } : {}),
	targetCheckNames: JSON.parse(r.target_checks),
	tags: JSON.parse(r.tags),
	createdAt: r.created_at,
	anchorAt: r.anchor_at,
	lastRunAt: r.last_run_at,
	nextRunAt: r.next_run_at,
});

const supOf = (r: SupRow): AuditSuppression => ({
	checkName: r.check_name,
	resourceIdentifier: JSON.parse(r.resource_identifier),
	...(r.expiration_date !== null ? { expirationDate: r.expiration_date } : {}),
	suppressIndefinitely: r.suppress_indefinitely === 1,
	...(r.description !== null ? { description: r.description } : {}),
	...(r.client_request_token !== null ? { clientRequestToken: r.client_request_token } : {}),
	createdAt: r.created_at,
});

export function sqliteAuditStore(db: SqlDatabase): AuditStore {
	const q = {
		getConfig: db.prepare('SELECT * FROM audit_account_config WHERE id = 1'),
		putConfig: db.prepare(`INSERT INTO audit_account_config (id, role_arn, notification_targets, check_configs, updated_at) VALUES (1, ?, ?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET role_arn = excluded.role_arn, notification_targets = excluded.notification_targets, check_configs = excluded.check_configs, updated_at = excluded.updated_at`),
		deleteConfig: db.prepare('DELETE FROM audit_account_config'),
		getSched: db.prepare('SELECT * FROM audit_scheduled WHERE name = ?'),
		listSched: db.prepare('SELECT * FROM audit_scheduled ORDER BY name'),
		putSched: db.prepare(`INSERT OR REPLACE INTO audit_scheduled (name, frequency, day_of_month, day_of_week, target_checks, tags, created_at, anchor_at, last_run_at, next_run_at)
			VALUES (?,?,?,?,?,?,?,?,?,?)`),
		delSched: db.prepare('DELETE FROM audit_scheduled WHERE name = ?'),
		putTask: db.prepare(`INSERT OR REPLACE INTO audit_tasks (task_id, task_type, task_status, scheduled_audit_name, start_time, end_time, target_checks, statistics, details)
			VALUES (?,?,?,?,?,?,?,?,?)`),
		getTask: db.prepare('SELECT * FROM audit_tasks WHERE task_id = ?'),
		listTasks: db.prepare(`SELECT * FROM audit_tasks WHERE start_time >= ? AND start_time <= ? AND (? IS NULL OR task_type = ?) AND (? IS NULL OR task_status = ?)
			ORDER BY start_time DESC, task_id`),
		countTasks: db.prepare('SELECT COUNT(*) AS n FROM audit_tasks WHERE task_status = ? AND task_type = ?'),
		insFinding: db.prepare(`INSERT INTO audit_findings (finding_id, task_id, check_name, task_start_time, finding_time, severity, resource_key, resource, related, reason, reason_code, is_suppressed)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`),
		getFinding: db.prepare('SELECT * FROM audit_findings WHERE finding_id = ?'),
		listFindings: db.prepare(`SELECT * FROM audit_findings WHERE (? IS NULL OR task_id = ?) AND (? IS NULL OR check_name = ?) AND (? IS NULL OR resource_key = ?)
			AND (? IS NULL OR finding_time >= ?) AND (? IS NULL OR finding_time <= ?) AND (? IS NULL OR is_suppressed = ?)
			ORDER BY finding_time DESC, check_name, finding_id LIMIT ? OFFSET ?`),
		getSup: db.prepare('SELECT * FROM audit_suppressions WHERE check_name = ? AND resource_key = ?'),
		putSup: db.prepare(`INSERT OR REPLACE INTO audit_suppressions (check_name, resource_key, resource_identifier, expiration_date, suppress_indefinitely, description, client_request_token, created_at)
			VALUES (?,?,?,?,?,?,?,?)`),
		delSup: db.prepare('DELETE FROM audit_suppressions WHERE check_name = ? AND resource_key = ?'),
		listSup: db.prepare('SELECT * FROM audit_suppressions WHERE (? IS NULL OR check_name = ?) AND (? IS NULL OR resource_key = ?) ORDER BY check_name, resource_key'),
		pruneTasks: db.prepare('DELETE FROM audit_tasks WHERE start_time < ?'),
		pruneFindings: db.prepare('DELETE FROM audit_findings WHERE task_start_time < ?'),
	};
	return {
		transaction: <R>(fn: () => R): R => db.transaction(fn)(),
		getConfig() {
			const r = q.getConfig.get() as { role_arn: string | null; notification_targets: string; check_configs: string } | undefined;
			if (!r) return null;
			return {
				...(r.role_arn !== null ? { roleArn: r.role_arn } : {}),
				auditNotificationTargetConfigurations: JSON.parse(r.notification_targets),
				auditCheckConfigurations: JSON.parse(r.check_configs),
			};
		},
		putConfig: (c, at) => void q.putConfig.run(c.roleArn ?? null, JSON.stringify(c.auditNotificationTargetConfigurations), JSON.stringify(c.auditCheckConfigurations), at),
		deleteConfig: () => void q.deleteConfig.run(),
		getScheduled: (name) => {
			const r = q.getSched.get(name) as SchedRow | undefined;
			return r ? schedOf(r) : null;
		},
		listScheduled: () => (q.listSched.all() as SchedRow[]).map(schedOf),
		putScheduled: (s) =>
			void q.putSched.run(s.scheduledAuditName, s.frequency, s.dayOfMonth ?? null, s.dayOfWeek ?? null, JSON.stringify(s.targetCheckNames), JSON.stringify(s.tags), s.createdAt, s.anchorAt, s.lastRunAt, s.nextRunAt),
		deleteScheduled: (name) => q.delSched.run(name).changes > 0,
		putTask: (t) =>
			void q.putTask.run(t.taskId, t.taskType, t.taskStatus, t.scheduledAuditName ?? null, t.taskStartTime, t.taskEndTime ?? null, JSON.stringify(t.targetCheckNames), JSON.stringify(t.taskStatistics), JSON.stringify(t.auditDetails)),
		getTask: (id) => {
			const r = q.getTask.get(id) as TaskRow | undefined;
			return r ? taskOf(r) : null;
		},
		listTasks: (f) => (q.listTasks.all(f.startTime, f.endTime, f.taskType ?? null, f.taskType ?? null, f.taskStatus ?? null, f.taskStatus ?? null) as TaskRow[]).map(taskOf),
		countTasks: (status, type) => (q.countTasks.get(status, type) as { n: number }).n,
		insertFindings(list) {
			for (const f of list) {
				q.insFinding.run(f.findingId, f.taskId, f.checkName, f.taskStartTime, f.findingTime, f.severity, resourceKey(f.nonCompliantResource.resourceIdentifier), JSON.stringify(f.nonCompliantResource), JSON.stringify(f.relatedResources), f.reasonForNonCompliance, f.reasonForNonComplianceCode, f.isSuppressed ? 1 : 0);
			}
		},
		getFinding: (id) => {
			const r = q.getFinding.get(id) as FindingRow | undefined;
			return r ? findingOf(r) : null;
		},
		listFindings(f, offset, limit) {
			const sup = f.suppressed === undefined ? null : f.suppressed ? 1 : 0;
			const a = (v: string | number | null | undefined) => [v ?? null, v ?? null];
			return (q.listFindings.all(...a(f.taskId), ...a(f.checkName), ...a(f.resourceKey), ...a(f.startTime), ...a(f.endTime), sup, sup, limit, offset) as FindingRow[]).map(findingOf);
		},
		getSuppression: (checkName, key) => {
			const r = q.getSup.get(checkName, key) as SupRow | undefined;
			return r ? supOf(r) : null;
		},
		putSuppression: (s) =>
			void q.putSup.run(s.checkName, resourceKey(s.resourceIdentifier), JSON.stringify(s.resourceIdentifier), s.expirationDate ?? null, s.suppressIndefinitely ? 1 : 0, s.description ?? null, s.clientRequestToken ?? null, s.createdAt),
		deleteSuppression: (checkName, key) => q.delSup.run(checkName, key).changes > 0,
		listSuppressions(f) {
			const rows = (q.listSup.all(f.checkName ?? null, f.checkName ?? null, f.resourceKey ?? null, f.resourceKey ?? null) as SupRow[]).map(supOf);
			return f.ascending ? rows : rows.reverse();
		},
		prune(before) {
			q.pruneFindings.run(before);
			q.pruneTasks.run(before);
		},
	};
}
