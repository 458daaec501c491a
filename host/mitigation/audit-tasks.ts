/**
 * Audit mitigation actions tasks (spec §6.2). A task runs synchronously inside `start`: for each
 * target finding, the actions mapped to its check run in order; a failure skips that finding's
 * remaining actions and the task ends FAILED; suppressed findings are skipped.
 */
import type { Clock } from '../clock.ts';
import { WardenError } from '../errors.ts';
import { canonicalCheckName } from '../audit/catalogue.ts';
import { paginate, type Page } from '../audit/paging.ts';
import type { AuditStore } from '../audit/store.ts';
import type { AuditFinding } from '../audit/types.ts';
import { checkName128, invalid, notFound, type MitigationActions } from './actions.ts';
import type { MitigationActionsPort } from './actions-port.ts';
import { actionApplies } from './applicability.ts';
import { NotApplicable, applyToFinding } from './apply-action.ts';
import type { MitigationStore } from './store.ts';
import type { AuditExecutionStatus, AuditMitigationExecution, AuditMitigationTarget, AuditMitigationTask, AuditMitigationTaskStatus, MitigationAction } from './types.ts';

const MAX_CONCURRENT = 10;
const RETENTION_MS = 90 * 86_400_000;

export interface AuditTaskDeps {
	store: MitigationStore;
	audit: AuditStore;
	actions: MitigationActions;
	port: MitigationActionsPort;
	clock: Clock;
}

function checkToken(v: unknown): string {
	if (typeof v !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(v)) throw invalid('clientRequestToken must be 1-64 characters [a-zA-Z0-9_-]');
	return v;
}

function checkTarget(v: unknown): AuditMitigationTarget {
	if (typeof v !== 'object' || v === null) throw invalid('target must be an object');
	const t = v as Record<string, unknown>;
	const out: AuditMitigationTarget = {};
	if (t.auditTaskId !== undefined) {
		if (typeof t.auditTaskId !== 'string' || !/^[a-zA-Z0-9-]{1,40}$/.test(t.auditTaskId)) throw invalid('target.auditTaskId must be 1-40 characters [a-zA-Z0-9-]');
		out.auditTaskId = t.auditTaskId;
	}
	if (t.findingIds !== undefined) {
		if (!Array.isArray(t.findingIds) || t.findingIds.length < 1 || t.findingIds.length > 25) throw invalid('target.findingIds must list 1 to 25 finding ids');
		out.findingIds = t.findingIds.map((id, i) => checkName128(id, `target.findingIds[${i}]`));
	}
	if (t.auditCheckToReasonCodeFilter !== undefined) {
		const f = t.auditCheckToReasonCodeFilter as Record<string, unknown>;
		if (typeof f !== 'object' || f === null) throw invalid('target.auditCheckToReasonCodeFilter must be an object');
		out.auditCheckToReasonCodeFilter = {};
		for (const [k, codes] of Object.entries(f)) {
			const name = canonicalCheckName(k);
			if (!name) throw invalid(`target.auditCheckToReasonCodeFilter key ${k} is not a known audit check`);
			if (!Array.isArray(codes) || codes.length < 1 || codes.length > 25 || codes.some((c) => typeof c !== 'string')) throw invalid(`target.auditCheckToReasonCodeFilter.${k} must list 1 to 25 reason codes`);
			out.auditCheckToReasonCodeFilter[name] = codes as string[];
		}
	}
	// Decision: findingIds stand alone; auditCheckToReasonCodeFilter narrows an auditTaskId (or, alone, the latest completed audit).
	if (out.findingIds && (out.auditTaskId || out.auditCheckToReasonCodeFilter)) throw invalid('target.findingIds cannot be combined with auditTaskId or auditCheckToReasonCodeFilter');
	if (!out.findingIds && !out.auditTaskId && !out.auditCheckToReasonCodeFilter) throw invalid('target must have auditTaskId, findingIds or auditCheckToReasonCodeFilter');
	return out;
}

export class AuditMitigationTasks {
	readonly #d: AuditTaskDeps;

	constructor(deps: AuditTaskDeps) {
		this.#d = deps;
	}

	#mapping(v: unknown): { mapping: Record<string, string[]>; defs: Map<string, MitigationAction> } {
		if (typeof v !== 'object' || v === null || Object.keys(v).length === 0) throw invalid('auditCheckToActionsMapping must map at least one check to action names');
		const mapping: Record<string, string[]> = {};
		const defs = new Map<string, MitigationAction>();
		for (const [k, names] of Object.entries(v as Record<string, unknown>)) {
			const check = canonicalCheckName(k);
			if (!check) throw invalid(`auditCheckToActionsMapping key ${k} is not a known audit check`);
			if (!Array.isArray(names) || names.length < 1 || names.length > 5) throw invalid(`auditCheckToActionsMapping.${k} must list 1 to 5 action names`);
			mapping[check] = names.map((n, i) => {
				const a = this.#d.actions.describe(checkName128(n, `auditCheckToActionsMapping.${k}[${i}]`));
				if (!actionApplies(check, a.actionType)) throw invalid(`action ${a.actionName} (${a.actionType}) cannot be applied to ${check} findings`);
				defs.set(a.actionName, a);
				return a.actionName;
			});
		}
		return { mapping, defs };
	}

	#findings(t: AuditMitigationTarget): AuditFinding[] {
		const audit = this.#d.audit;
		if (t.findingIds) {
			return t.findingIds.map((id) => {
				const f = audit.getFinding(id);
				if (!f) throw notFound(`audit finding ${id} does not exist`);
				return f;
			});
		}
		const taskId = t.auditTaskId ?? audit.listTasks({ startTime: 0, endTime: Number.MAX_SAFE_INTEGER, taskStatus: 'COMPLETED' })[0]?.taskId;
		if (!taskId || !audit.getTask(taskId)) throw notFound(`audit task ${taskId ?? '(latest)'} does not exist`);
		const all = audit.listFindings({ taskId }, 0, 1_000_000);
		const filter = t.auditCheckToReasonCodeFilter;
		return filter ? all.filter((f) => filter[f.checkName]?.includes(f.reasonForNonComplianceCode)) : all;
	}

	start(taskId: string, input: { target?: unknown; auditCheckToActionsMapping?: unknown; clientRequestToken?: unknown }): { taskId: string } {
		checkName128(taskId, 'taskId');
		const token = checkToken(input.clientRequestToken);
		const { store, clock, port } = this.#d;
		const existing = store.getAuditTask(taskId);
		if (existing) {
			if (existing.clientRequestToken === token) return { taskId };
			throw new WardenError('WARDEN_ERR_TASK_EXISTS', `audit mitigation actions task ${taskId} already exists`);
		}
		const target = checkTarget(input.target);
		const { mapping, defs } = this.#mapping(input.auditCheckToActionsMapping);
		if (store.listAuditTasks().filter((x) => x.taskStatus === 'IN_PROGRESS').length >= MAX_CONCURRENT) {
			throw new WardenError('WARDEN_ERR_AUDIT_LIMIT', `at most ${MAX_CONCURRENT} audit mitigation actions tasks may run at once`);
		}
		const findings = this.#findings(target).filter((f) => mapping[f.checkName]);
		const start = clock.now();
		const task: AuditMitigationTask = {
			taskId, taskStatus: 'IN_PROGRESS', startTime: start, target, auditCheckToActionsMapping: mapping,
			actionsDefinition: [...defs.values()], taskStatistics: {}, clientRequestToken: token,
		};
		store.putAuditTask(task);
		const executions: AuditMitigationExecution[] = [];
		let failed = false;
		for (const f of findings) {
			const stats = (task.taskStatistics[f.checkName] ??= { totalFindingsCount: 0, failedFindingsCount: 0, succeededFindingsCount: 0, skippedFindingsCount: 0, canceledFindingsCount: 0 });
			stats.totalFindingsCount++;
			let outcome: 'ok' | 'failed' | 'skipped' = f.isSuppressed ? 'skipped' : 'ok';
			for (const name of mapping[f.checkName]!) {
				const a = defs.get(name)!;
				const at = clock.now();
				const exec: AuditMitigationExecution = { taskId, findingId: f.findingId, actionName: name, actionId: a.actionId, status: 'PENDING', startTime: at };
				let status: AuditExecutionStatus;
				if (outcome !== 'ok') {
					status = 'SKIPPED';
					exec.message = f.isSuppressed ? 'the finding is suppressed' : 'an earlier action for this finding failed';
				} else {
					try {
						applyToFinding(port, a, f);
						status = 'COMPLETED';
					} catch (e) {
						if (e instanceof NotApplicable) {
							status = 'SKIPPED';
							exec.message = e.message;
						} else {
							status = 'FAILED';
							outcome = 'failed';
							exec.errorCode = (e as { code?: string }).code ?? 'InternalFailureException';
							exec.message = String((e as Error)?.message ?? e).slice(0, 2048);
						}
					}
				}
				executions.push({ ...exec, status, endTime: clock.now() });
			}
			if (outcome === 'failed') {
				stats.failedFindingsCount++;
				failed = true;
			} else if (outcome === 'skipped') stats.skippedFindingsCount++;
			else stats.succeededFindingsCount++;
		}
		const status: AuditMitigationTaskStatus = failed ? 'FAILED' : 'COMPLETED';
		Object.assign(task, { taskStatus: status, endTime: clock.now() });
		store.transaction(() => {
			store.putAuditExecutions(executions);
			store.putAuditTask(task);
			store.prune(start - RETENTION_MS);
		});
		return { taskId };
	}

	describe(taskId: string): AuditMitigationTask {
		const t = this.#d.store.getAuditTask(taskId);
		if (!t) throw notFound(`audit mitigation actions task ${taskId} does not exist`);
		return t;
	}

	cancel(taskId: string): void {
		const t = this.describe(taskId);
		if (t.taskStatus !== 'IN_PROGRESS') throw invalid(`audit mitigation actions task ${taskId} is ${t.taskStatus}; only IN_PROGRESS tasks can be canceled`);
		this.#d.store.putAuditTask({ ...t, taskStatus: 'CANCELED', endTime: this.#d.clock.now() });
	}

	list(f: { startTime: number; endTime: number; auditTaskId?: string; findingId?: string; taskStatus?: string; nextToken?: string; maxResults?: number }): Page<AuditMitigationTask> {
		const all = this.#d.store.listAuditTasks().filter(
			(t) =>
				t.startTime >= f.startTime && t.startTime <= f.endTime &&
				(f.taskStatus === undefined || t.taskStatus === f.taskStatus) &&
				(f.auditTaskId === undefined || t.target.auditTaskId === f.auditTaskId) &&
				(f.findingId === undefined || (t.target.findingIds ?? []).includes(f.findingId) || this.#d.store.listAuditExecutions(t.taskId).some((e) => e.findingId === f.findingId)),
		);
		return paginate(all, f.nextToken, f.maxResults ?? 25);
	}

	executions(f: { taskId: string; findingId: string; actionStatus?: string; nextToken?: string; maxResults?: number }): Page<AuditMitigationExecution> {
		this.describe(f.taskId);
		const all = this.#d.store.listAuditExecutions(f.taskId).filter((e) => e.findingId === f.findingId && (f.actionStatus === undefined || e.status === f.actionStatus));
		return paginate(all, f.nextToken, f.maxResults ?? 25);
	}
}
