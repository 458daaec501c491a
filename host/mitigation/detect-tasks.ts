/**
 * Detect mitigation actions tasks (spec §6.3): ADD_THINGS_TO_THING_GROUP actions applied to the
 * things of the target violations. Runs synchronously inside `start`.
 */
import type { Clock } from '../clock.ts';
import { WardenError } from '../errors.ts';
import { paginate, type Page } from '../audit/paging.ts';
import { checkName128, invalid, notFound, type MitigationActions } from './actions.ts';
import type { MitigationActionsPort } from './actions-port.ts';
import { applyToViolation } from './apply-action.ts';
import type { MitigationStore } from './store.ts';
import type { DetectMitigationExecution, DetectMitigationTarget, DetectMitigationTask, ViolationSource } from './types.ts';

const MAX_CONCURRENT = 5;
const RETENTION_MS = 90 * 86_400_000;

export interface DetectTaskDeps {
	store: MitigationStore;
	actions: MitigationActions;
	port: MitigationActionsPort;
	clock: Clock;
	/** Detect's violations; without it, StartDetectMitigationActionsTask answers InvalidRequest. */
	violations?: ViolationSource | undefined;
}

function checkTarget(v: unknown): DetectMitigationTarget {
	if (typeof v !== 'object' || v === null) throw invalid('target must be an object');
	const t = v as Record<string, unknown>;
	if (t.violationIds !== undefined) {
		if (t.securityProfileName !== undefined || t.behaviorName !== undefined) throw invalid('target.violationIds cannot be combined with securityProfileName or behaviorName');
		if (!Array.isArray(t.violationIds) || t.violationIds.length < 1 || t.violationIds.length > 25) throw invalid('target.violationIds must list 1 to 25 violation ids');
		return { violationIds: t.violationIds.map((id, i) => {
			if (typeof id !== 'string' || !/^[a-zA-Z0-9-]{1,128}$/.test(id)) throw invalid(`target.violationIds[${i}] must be 1-128 characters [a-zA-Z0-9-]`);
			return id;
		}) };
	}
	if (typeof t.securityProfileName !== 'string' || !/^[a-zA-Z0-9:_-]{1,128}$/.test(t.securityProfileName)) throw invalid('target must have violationIds or a securityProfileName');
	if (t.behaviorName !== undefined && (typeof t.behaviorName !== 'string' || !/^[a-zA-Z0-9:_-]{1,128}$/.test(t.behaviorName))) throw invalid('target.behaviorName must be a behavior name');
	return { securityProfileName: t.securityProfileName, ...(t.behaviorName !== undefined ? { behaviorName: t.behaviorName as string } : {}) };
}

export class DetectMitigationTasks {
	readonly #d: DetectTaskDeps;

	constructor(deps: DetectTaskDeps) {
		this.#d = deps;
	}

	start(taskId: string, input: { target?: unknown; actions?: unknown; violationEventOccurrenceRange?: { startTime?: unknown; endTime?: unknown }; includeOnlyActiveViolations?: boolean; includeSuppressedAlerts?: boolean; clientRequestToken?: unknown }): { taskId: string } {
		checkName128(taskId, 'taskId');
		const token = input.clientRequestToken;
		if (typeof token !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(token)) throw invalid('clientRequestToken must be 1-64 characters [a-zA-Z0-9_-]');
		const { store, clock, port } = this.#d;
		const existing = store.getDetectTask(taskId);
		if (existing) {
			if (existing.clientRequestToken === token) return { taskId };
			throw new WardenError('WARDEN_ERR_TASK_EXISTS', `detect mitigation actions task ${taskId} already exists`);
		}
		const target = checkTarget(input.target);
		if (!Array.isArray(input.actions) || input.actions.length < 1 || input.actions.length > 5) throw invalid('actions must list 1 to 5 mitigation action names');
		const defs = input.actions.map((n, i) => {
			const a = this.#d.actions.describe(checkName128(n, `actions[${i}]`));
			if (a.actionType !== 'ADD_THINGS_TO_THING_GROUP') throw invalid(`action ${a.actionName} is ${a.actionType}; Detect violations accept only ADD_THINGS_TO_THING_GROUP`);
			return a;
		});
		const now = clock.now();
		let range: { startTime: number; endTime: number } | undefined;
		if (input.violationEventOccurrenceRange !== undefined) {
			const { startTime, endTime } = input.violationEventOccurrenceRange;
			if (typeof startTime !== 'number' || typeof endTime !== 'number' || endTime < startTime) throw invalid('violationEventOccurrenceRange needs startTime <= endTime');
			range = { startTime, endTime };
		}
		if (!this.#d.violations) throw invalid('Detect violations are not available in this server');
		if (store.listDetectTasks().filter((x) => x.taskStatus === 'IN_PROGRESS').length >= MAX_CONCURRENT) {
			throw new WardenError('WARDEN_ERR_AUDIT_LIMIT', `at most ${MAX_CONCURRENT} detect mitigation actions tasks may run at once`);
		}
		const onlyActive = input.includeOnlyActiveViolations ?? false;
		const withSuppressed = input.includeSuppressedAlerts ?? false;
		const violations = this.#d.violations.list({
			...(target.violationIds ? { violationIds: target.violationIds } : {}),
			...(target.securityProfileName ? { securityProfileName: target.securityProfileName } : {}),
			...(target.behaviorName ? { behaviorName: target.behaviorName } : {}),
			start: range?.startTime ?? 0,
			end: range?.endTime ?? now,
		});
		const task: DetectMitigationTask = {
			taskId, taskStatus: 'IN_PROGRESS', taskStartTime: now, target,
			...(range ? { violationEventOccurrenceRange: range } : {}),
			onlyActiveViolationsIncluded: onlyActive, suppressedAlertsIncluded: withSuppressed,
			actionsDefinition: defs, taskStatistics: { actionsExecuted: 0, actionsSkipped: 0, actionsFailed: 0 }, clientRequestToken: token,
		};
		store.putDetectTask(task);
		const executions: DetectMitigationExecution[] = [];
		for (const v of violations) {
			const skip = (onlyActive && !v.active) ? 'the violation is no longer active' : (!withSuppressed && v.suppressed) ? 'the behavior suppresses alerts' : null;
			let failedEarlier = false;
			for (const a of defs) {
				const exec: DetectMitigationExecution = { taskId, violationId: v.violationId, actionName: a.actionName, thingName: v.thingName, executionStartDate: clock.now(), status: 'IN_PROGRESS' };
				if (skip || failedEarlier) {
					executions.push({ ...exec, status: 'SKIPPED', message: skip ?? 'an earlier action for this violation failed', executionEndDate: clock.now() });
					task.taskStatistics.actionsSkipped++;
					continue;
				}
				try {
					applyToViolation(port, a, v);
					executions.push({ ...exec, status: 'SUCCESSFUL', executionEndDate: clock.now() });
					task.taskStatistics.actionsExecuted++;
				} catch (e) {
					failedEarlier = true;
					task.taskStatistics.actionsFailed++;
					executions.push({ ...exec, status: 'FAILED', errorCode: (e as { code?: string }).code ?? 'InternalFailureException', message: String((e as Error)?.message ?? e).slice(0, 2048), executionEndDate: clock.now() });
				}
			}
		}
		Object.assign(task, { taskStatus: task.taskStatistics.actionsFailed > 0 ? 'FAILED' : 'SUCCESSFUL', taskEndTime: clock.now() });
		store.transaction(() => {
			store.putDetectExecutions(executions);
			store.putDetectTask(task);
			store.prune(now - RETENTION_MS);
		});
		return { taskId };
	}

	describe(taskId: string): DetectMitigationTask {
		const t = this.#d.store.getDetectTask(taskId);
		if (!t) throw notFound(`detect mitigation actions task ${taskId} does not exist`);
		return t;
	}

	cancel(taskId: string): void {
		const t = this.describe(taskId);
		if (t.taskStatus !== 'IN_PROGRESS') throw invalid(`detect mitigation actions task ${taskId} is ${t.taskStatus}; only IN_PROGRESS tasks can be canceled`);
		this.#d.store.putDetectTask({ ...t, taskStatus: 'CANCELED', taskEndTime: this.#d.clock.now() });
	}

	list(f: { startTime: number; endTime: number; nextToken?: string; maxResults?: number }): Page<DetectMitigationTask> {
		return paginate(this.#d.store.listDetectTasks().filter((t) => t.taskStartTime >= f.startTime && t.taskStartTime <= f.endTime), f.nextToken, f.maxResults ?? 25);
	}

	executions(f: { taskId?: string; violationId?: string; thingName?: string; startTime?: number; endTime?: number; nextToken?: string; maxResults?: number }): Page<DetectMitigationExecution> {
		const all = this.#d.store
			.listDetectExecutions({ ...(f.taskId ? { taskId: f.taskId } : {}), ...(f.violationId ? { violationId: f.violationId } : {}), ...(f.thingName ? { thingName: f.thingName } : {}) })
			.filter((e) => (f.startTime === undefined || e.executionStartDate >= f.startTime) && (f.endTime === undefined || e.executionStartDate <= f.endTime));
		return paginate(all, f.nextToken, f.maxResults ?? 25);
	}
}
