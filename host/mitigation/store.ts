/** The mitigation store port and its SQLite implementation (tables from MITIGATION_MIGRATIONS). */
import type { SqlDatabase } from '../storage/database.ts';
import type { AuditMitigationExecution, AuditMitigationTask, DetectMitigationExecution, DetectMitigationTask, MitigationAction } from './types.ts';

export interface MitigationStore {
	transaction<R>(fn: () => R): R;
	getAction(name: string): MitigationAction | null;
	listActions(): MitigationAction[];
	putAction(a: MitigationAction): void;
	deleteAction(name: string): boolean;
	getAuditTask(id: string): AuditMitigationTask | null;
	putAuditTask(t: AuditMitigationTask): void;
	listAuditTasks(): AuditMitigationTask[];
	putAuditExecutions(list: readonly AuditMitigationExecution[]): void;
	listAuditExecutions(taskId: string): AuditMitigationExecution[];
	getDetectTask(id: string): DetectMitigationTask | null;
	putDetectTask(t: DetectMitigationTask): void;
	listDetectTasks(): DetectMitigationTask[];
	putDetectExecutions(list: readonly DetectMitigationExecution[]): void;
	listDetectExecutions(f: { taskId?: string; violationId?: string; thingName?: string }): DetectMitigationExecution[];
	/** Delete tasks (and their executions) started before `before` (90-day retention, spec §8.1). */
	prune(before: number): void;
}

const parse = <T>(rows: unknown[]): T[] => (rows as { body: string }[]).map((r) => JSON.parse(r.body) as T);

export function sqliteMitigationStore(db: SqlDatabase): MitigationStore {
	const q = {
		getAction: db.prepare('SELECT body FROM mitigation_actions WHERE action_name = ?'),
		listActions: db.prepare('SELECT body FROM mitigation_actions ORDER BY creation_date, action_name'),
		putAction: db.prepare('INSERT OR REPLACE INTO mitigation_actions (action_name, action_type, creation_date, body) VALUES (?,?,?,?)'),
		delAction: db.prepare('DELETE FROM mitigation_actions WHERE action_name = ?'),
		getAudit: db.prepare('SELECT body FROM mitigation_audit_tasks WHERE task_id = ?'),
		putAudit: db.prepare('INSERT OR REPLACE INTO mitigation_audit_tasks (task_id, start_time, task_status, body) VALUES (?,?,?,?)'),
		listAudit: db.prepare('SELECT body FROM mitigation_audit_tasks ORDER BY start_time DESC, task_id'),
		putAuditExec: db.prepare('INSERT OR REPLACE INTO mitigation_audit_executions (task_id, finding_id, action_name, seq, status, body) VALUES (?,?,?,?,?,?)'),
		listAuditExec: db.prepare('SELECT body FROM mitigation_audit_executions WHERE task_id = ? ORDER BY seq'),
		getDetect: db.prepare('SELECT body FROM mitigation_detect_tasks WHERE task_id = ?'),
		putDetect: db.prepare('INSERT OR REPLACE INTO mitigation_detect_tasks (task_id, start_time, task_status, body) VALUES (?,?,?,?)'),
		listDetect: db.prepare('SELECT body FROM mitigation_detect_tasks ORDER BY start_time DESC, task_id'),
		putDetectExec: db.prepare('INSERT OR REPLACE INTO mitigation_detect_executions (task_id, violation_id, action_name, thing_name, start_time, seq, body) VALUES (?,?,?,?,?,?,?)'),
		listDetectExec: db.prepare(`SELECT body FROM mitigation_detect_executions WHERE (? IS NULL OR task_id = ?) AND (? IS NULL OR violation_id = ?) AND (? IS NULL OR thing_name = ?)
			ORDER BY start_time, task_id, seq`),
		pruneAudit: [
			db.prepare('DELETE FROM mitigation_audit_executions WHERE task_id IN (SELECT task_id FROM mitigation_audit_tasks WHERE start_time < ?)'),
			db.prepare('DELETE FROM mitigation_audit_tasks WHERE start_time < ?'),
			db.prepare('DELETE FROM mitigation_detect_executions WHERE task_id IN (SELECT task_id FROM mitigation_detect_tasks WHERE start_time < ?)'),
			db.prepare('DELETE FROM mitigation_detect_tasks WHERE start_time < ?'),
		],
	};
	let seq = 0;
	return {
		transaction: <R>(fn: () => R): R => db.transaction(fn)(),
		getAction: (name) => parse<MitigationAction>(q.getAction.all(name))[0] ?? null,
		listActions: () => parse<MitigationAction>(q.listActions.all()),
		putAction: (a) => void q.putAction.run(a.actionName, a.actionType, a.creationDate, JSON.stringify(a)),
		deleteAction: (name) => q.delAction.run(name).changes > 0,
		getAuditTask: (id) => parse<AuditMitigationTask>(q.getAudit.all(id))[0] ?? null,
		putAuditTask: (t) => void q.putAudit.run(t.taskId, t.startTime, t.taskStatus, JSON.stringify(t)),
		listAuditTasks: () => parse<AuditMitigationTask>(q.listAudit.all()),
		putAuditExecutions(list) {
			for (const e of list) q.putAuditExec.run(e.taskId, e.findingId, e.actionName, ++seq, e.status, JSON.stringify(e));
		},
		listAuditExecutions: (taskId) => parse<AuditMitigationExecution>(q.listAuditExec.all(taskId)),
		getDetectTask: (id) => parse<DetectMitigationTask>(q.getDetect.all(id))[0] ?? null,
		putDetectTask: (t) => void q.putDetect.run(t.taskId, t.taskStartTime, t.taskStatus, JSON.stringify(t)),
		listDetectTasks: () => parse<DetectMitigationTask>(q.listDetect.all()),
		putDetectExecutions(list) {
			for (const e of list) q.putDetectExec.run(e.taskId, e.violationId, e.actionName, e.thingName, e.executionStartDate, ++seq, JSON.stringify(e));
		},
		listDetectExecutions: (f) => parse<DetectMitigationExecution>(q.listDetectExec.all(f.taskId ?? null, f.taskId ?? null, f.violationId ?? null, f.violationId ?? null, f.thingName ?? null, f.thingName ?? null)),
		prune(before) {
			for (const s of q.pruneAudit) s.run(before);
		},
	};
}
