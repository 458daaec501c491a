/**
 * The audit service (spec §5.3–§5.6): account audit configuration, on-demand and scheduled audit
 * tasks, findings and suppressions. The HTTP routes and `warden audit` are thin over this class.
 * A task is stored IN_PROGRESS, the checks run over one snapshot, and the findings, details and
 * COMPLETED status are committed in one transaction. With `inWorker` (the service in startWarden)
 * the checks run in a worker thread (host/audit/worker-runner.ts) and the task completes later;
 * without it they run synchronously inside `startOnDemandAuditTask` / the scheduler tick.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { WardenError } from '../errors.ts';
import { AUDIT_CHECKS } from './catalogue.ts';
import { DAY_MS, resourceKey, type AuditResource, type ResourceIdentifier } from './finding.ts';
import { paginate, type Page } from './paging.ts';
import { emptyStatistics, runChecks, type RunChecksResult } from './run-checks.ts';
import { AuditWorkerTerminated, runChecksInWorker, runningAuditWorkers, terminateAuditWorker, type WorkerAuditInput } from './worker-runner.ts';
import { nextRunAfter } from './schedule.ts';
import { AuditSuppressions } from './suppressions.ts';
import type { AuditSnapshotSource } from './snapshot.ts';
import type { AuditStore } from './store.ts';
import type { AccountAuditConfig, AuditFinding, AuditTask, CheckConfig, FindingFilter, NotificationTarget, ScheduledAudit, TaskStatus, TaskType } from './types.ts';
import * as v from './validate.ts';

export interface AuditServiceOptions {
	store: AuditStore;
	/** The registry's snapshot adapter. */
	source: AuditSnapshotSource;
	clock: Clock;
	/** Account id used in ARNs and the LOGGING_DISABLED_CHECK resource (default 123456789012). */
	accountId?: string;
	/** Region used in ARNs (default us-east-1). */
	region?: string;
	/** CVE-2008-0166 blocklist fingerprints (openssl-blacklist format); default none. */
	debianWeakKeys?: ReadonlySet<string>;
	/** Id generator (default 32 random hex digits, as AWS task and finding ids look). */
	newId?: () => string;
	/** Called after every task completes (audit notifications, spec §5.7). */
	onTaskCompleted?: (task: AuditTask) => void;
	/**
	 * Deliver the task-completed notification to `auditNotificationTargetConfigurations.SNS`
	 * when it is enabled (spec §5.7); `message` is JSON (see auditNotification). Default: none.
	 */
	notify?: (targetArn: string, message: string) => void;
	/**
	 * Run the checks of every task in a worker thread so the event loop keeps serving (default
	 * false: synchronously, the task is COMPLETED when startOnDemandAuditTask returns).
	 */
	inWorker?: boolean;
}

/** The audit-completed notification body (spec §9 item 14: AWS's schema is unpublished; these are its commonly seen members). */
export function auditNotification(task: AuditTask, accountId: string): string {
	const s = task.taskStatistics;
	return JSON.stringify({
		accountId,
		taskId: task.taskId,
		taskStatus: task.taskStatus,
		taskType: task.taskType,
		...(task.scheduledAuditName ? { scheduledAuditName: task.scheduledAuditName } : {}),
		failedChecksCount: s.failedChecks,
		canceledChecksCount: s.canceledChecks,
		nonCompliantChecksCount: s.nonCompliantChecks,
		compliantChecksCount: s.compliantChecks,
		totalChecksCount: s.totalChecks,
		taskStartTime: task.taskStartTime,
		auditDetails: Object.entries(task.auditDetails).map(([checkName, d]) => ({
			checkName,
			checkRunStatus: d.checkRunStatus,
			nonCompliantResourcesCount: d.nonCompliantResourcesCount ?? 0,
			totalResourcesCount: d.totalResourcesCount ?? 0,
			suppressedNonCompliantResourceCount: d.suppressedNonCompliantResourcesCount ?? 0,
		})),
	});
}

const notFound = (message: string) => new WardenError('WARDEN_ERR_AUDIT_NOT_FOUND', message);
const RETENTION_MS = 90 * DAY_MS; // spec §8.1
const MAX_SCHEDULED = 5;
const MAX_IN_PROGRESS_ON_DEMAND = 10;
/** Connection-history look-back of on-demand audits, and the excluded recent part of the shared-certificate check (spec §5.2). */
const LOOKBACK_MS = 31 * DAY_MS;
const RECENT_EXCLUDED_MS = 2 * 3_600_000;

export class AuditService extends AuditSuppressions {
	readonly #o: Required<Pick<AuditServiceOptions, 'accountId' | 'region'>> & AuditServiceOptions;
	readonly #newId: () => string;

	constructor(opts: AuditServiceOptions) {
		super(opts.store, opts.clock);
		this.#o = Object.freeze({ accountId: '123456789012', region: 'us-east-1', ...opts });
		this.#newId = opts.newId ?? (() => randomBytes(16).toString('hex'));
	}

	get store(): AuditStore {
		return this.#o.store;
	}

	arn(resource: string): string {
		return `arn:aws:iot:${this.#o.region}:${this.#o.accountId}:${resource}`;
	}

	// ---- account audit configuration (spec §5.3) ----

	/** Enabled state per check: stored configuration, else each check's default. */
	effectiveChecks(): Record<string, CheckConfig> {
		const stored = this.#o.store.getConfig();
		const out: Record<string, CheckConfig> = {};
		for (const c of AUDIT_CHECKS) out[c.name] = stored?.auditCheckConfigurations[c.name] ?? { enabled: stored ? false : c.enabledByDefault };
		return out;
	}

	updateAccountAuditConfiguration(input: { roleArn?: string; auditNotificationTargetConfigurations?: Record<string, NotificationTarget>; auditCheckConfigurations?: Record<string, unknown> }): void {
		const store = this.#o.store;
		const current = store.getConfig();
		const next: AccountAuditConfig = current ?? { auditNotificationTargetConfigurations: {}, auditCheckConfigurations: {} };
		if (input.roleArn !== undefined) next.roleArn = input.roleArn;
		if (input.auditNotificationTargetConfigurations) {
			for (const [k, t] of Object.entries(input.auditNotificationTargetConfigurations)) {
				if (k !== 'SNS') throw v.invalid(`auditNotificationTargetConfigurations key must be SNS (got ${k})`);
				next.auditNotificationTargetConfigurations[k] = t;
			}
		}
		const scheduledChecks = new Set(store.listScheduled().flatMap((s) => s.targetCheckNames));
		for (const [raw, cfg] of Object.entries(input.auditCheckConfigurations ?? {})) {
			const name = v.checkName(raw, 'auditCheckConfigurations key');
			const c = v.checkConfig(name, cfg);
			if (!c.enabled && scheduledChecks.has(name)) throw v.invalid(`${name} is used by a scheduled audit and cannot be disabled`);
			next.auditCheckConfigurations[name] = c;
		}
		if (!current && !Object.values(next.auditCheckConfigurations).some((c) => c.enabled)) {
			throw v.invalid('the first UpdateAccountAuditConfiguration must enable at least one check');
		}
		store.putConfig(next, this.#o.clock.now());
	}

	describeAccountAuditConfiguration(): AccountAuditConfig {
		const stored = this.#o.store.getConfig();
		return {
			...(stored?.roleArn !== undefined ? { roleArn: stored.roleArn } : {}),
			auditNotificationTargetConfigurations: stored?.auditNotificationTargetConfigurations ?? {},
			auditCheckConfigurations: this.effectiveChecks(),
		};
	}

	deleteAccountAuditConfiguration(deleteScheduledAudits = false): void {
		const store = this.#o.store;
		store.transaction(() => {
			const scheduled = store.listScheduled();
			if (scheduled.length > 0 && !deleteScheduledAudits) throw v.invalid('scheduled audits exist; pass deleteScheduledAudits=true to delete them too');
			for (const s of scheduled) store.deleteScheduled(s.scheduledAuditName);
			store.deleteConfig();
		});
	}

	// ---- tasks (spec §5.4) ----

	startOnDemandAuditTask(targetCheckNames: unknown): { taskId: string } {
		const names = v.checkNames(targetCheckNames);
		const enabled = this.effectiveChecks();
		for (const n of names) if (!enabled[n]?.enabled) throw v.invalid(`${n} is not enabled in the account audit configuration`);
		if (this.#o.store.countTasks('IN_PROGRESS', 'ON_DEMAND_AUDIT_TASK') >= MAX_IN_PROGRESS_ON_DEMAND) {
			throw new WardenError('WARDEN_ERR_AUDIT_LIMIT', `at most ${MAX_IN_PROGRESS_ON_DEMAND} on-demand audits may be in progress`);
		}
		const start = this.#o.clock.now();
		const task = this.#runTask('ON_DEMAND_AUDIT_TASK', names, start, undefined, start - LOOKBACK_MS);
		return { taskId: task.taskId };
	}

	#runTask(type: TaskType, names: string[], start: number, scheduledAuditName: string | undefined, previousRun: number): AuditTask {
		const store = this.#o.store;
		const taskId = this.#newId();
		const task: AuditTask = {
			taskId,
			taskType: type,
			taskStatus: 'IN_PROGRESS',
			...(scheduledAuditName ? { scheduledAuditName } : {}),
			taskStartTime: start,
			targetCheckNames: names,
			taskStatistics: { ...emptyStatistics(names.length), inProgressChecks: names.length },
			auditDetails: Object.fromEntries(names.map((n) => [n, { checkRunStatus: 'IN_PROGRESS' as const }])),
		};
		store.putTask(task);
		const configs = this.effectiveChecks();
		// spec §5.2: shared certificates exclude the last 2 h; scheduled runs start 2 h before the previous run.
		const windowFor = (check: string) =>
			check === 'DEVICE_CERTIFICATE_SHARED_CHECK'
				? { from: type === 'SCHEDULED_AUDIT_TASK' ? previousRun - RECENT_EXCLUDED_MS : previousRun, to: start - RECENT_EXCLUDED_MS }
				: { from: previousRun, to: start };
		let input: WorkerAuditInput;
		try {
			input = {
				snapshot: this.#o.source.snapshot({ now: start, connectionsSince: previousRun - RECENT_EXCLUDED_MS }),
				checkNames: names,
				taskId,
				startTime: start,
				configs: Object.fromEntries(Object.entries(configs).map(([k, c]) => [k, c.configuration ?? {}])),
				windows: Object.fromEntries(names.map((n) => [n, windowFor(n)])),
				suppressions: store.listSuppressions({ ascending: true }),
				debianWeakKeys: this.#o.debianWeakKeys,
			};
		} catch (e) {
			this.#finish(task, e);
			return task;
		}
		if (!this.#o.inWorker) {
			let outcome: RunChecksResult | unknown;
			try {
				outcome = runChecks({ ...input, windowFor, newId: this.#newId });
			} catch (e) {
				outcome = e;
			}
			this.#finish(task, outcome);
			return task;
		}
		const done = runChecksInWorker(input).then(
			(result) => this.#finish(task, result),
			(e) => (e instanceof AuditWorkerTerminated ? this.describeAuditTask(taskId) : this.#finish(task, e)),
		).catch(() => ({ ...task })); // the store is closed: the service is stopping
		this.#running.set(taskId, done);
		void done.finally(() => this.#running.delete(taskId));
		return { ...task };
	}

	/** Store the outcome of a task (a RunChecksResult, or the error that failed it) and notify. */
	#finish(task: AuditTask, outcome: unknown): AuditTask {
		const store = this.#o.store;
		// A task canceled while its worker ran keeps CANCELED (spec §5.4).
		if (this.#o.inWorker && store.getTask(task.taskId)?.taskStatus !== 'IN_PROGRESS') return this.describeAuditTask(task.taskId);
		const result = outcome as RunChecksResult;
		if (outcome && typeof outcome === 'object' && 'statistics' in outcome && 'findings' in outcome) {
			Object.assign(task, { taskStatus: 'COMPLETED', taskEndTime: this.#o.clock.now(), taskStatistics: result.statistics, auditDetails: result.details });
			store.transaction(() => {
				store.insertFindings(result.findings);
				store.putTask(task);
				store.prune(task.taskStartTime - RETENTION_MS);
			});
		} else {
			Object.assign(task, { taskStatus: 'FAILED', taskEndTime: this.#o.clock.now() });
			for (const n of task.targetCheckNames) task.auditDetails[n] = { checkRunStatus: 'FAILED', message: String((outcome as Error)?.message ?? outcome).slice(0, 2048) };
			task.taskStatistics = { ...emptyStatistics(task.targetCheckNames.length), failedChecks: task.targetCheckNames.length };
			store.putTask(task);
		}
		this.#o.onTaskCompleted?.(task);
		const sns = this.#o.store.getConfig()?.auditNotificationTargetConfigurations.SNS;
		if (this.#o.notify && sns?.enabled && sns.targetArn) {
			try {
				this.#o.notify(sns.targetArn, auditNotification(task, this.#o.accountId));
			} catch {
				// a failed notification never fails the audit
			}
		}
		return task;
	}

	readonly #running = new Map<string, Promise<AuditTask>>();

	/** The task once it has ended (COMPLETED, FAILED or CANCELED); resolves at once for an ended task. */
	async taskEnded(taskId: string): Promise<AuditTask> {
		return (await this.#running.get(taskId)) ?? this.describeAuditTask(taskId);
	}

	/**
	 * Stop: terminate every audit worker of the process (this service's and those of other
	 * AuditServices over the same database, e.g. the HTTP API's) and mark their tasks FAILED
	 * ("the service stopped"), so no task stays IN_PROGRESS in the database.
	 */
	async close(): Promise<void> {
		const ids = [...new Set([...this.#running.keys(), ...runningAuditWorkers()])];
		const stopped: Promise<unknown>[] = [];
		for (const id of ids) {
			const t = this.#o.store.getTask(id);
			if (t?.taskStatus === 'IN_PROGRESS') this.#markStopped(t);
			stopped.push(terminateAuditWorker(id));
		}
		await Promise.allSettled([...stopped, ...this.#running.values()]);
	}

	/**
	 * Mark FAILED every IN_PROGRESS task that has no worker in this process: tasks of a process
	 * that was killed mid-audit (call at start-up). Returns their ids.
	 */
	failInterruptedTasks(): string[] {
		const live = new Set(runningAuditWorkers());
		const stale = this.#o.store.listTasks({ startTime: Number.MIN_SAFE_INTEGER, endTime: Number.MAX_SAFE_INTEGER, taskStatus: 'IN_PROGRESS' }).filter((t) => !live.has(t.taskId));
		for (const t of stale) this.#markStopped(t);
		return stale.map((t) => t.taskId);
	}

	#markStopped(t: AuditTask): void {
		Object.assign(t, { taskStatus: 'FAILED', taskEndTime: this.#o.clock.now() });
		for (const n of t.targetCheckNames) t.auditDetails[n] = { checkRunStatus: 'FAILED', message: 'the service stopped before the audit finished' };
		t.taskStatistics = { ...emptyStatistics(t.targetCheckNames.length), failedChecks: t.targetCheckNames.length };
		this.#o.store.putTask(t);
	}

	describeAuditTask(taskId: string): AuditTask {
		const t = this.#o.store.getTask(taskId);
		if (!t) throw notFound(`audit task ${taskId} does not exist`);
		return t;
	}

	cancelAuditTask(taskId: string): void {
		const t = this.describeAuditTask(taskId);
		if (t.taskStatus !== 'IN_PROGRESS') throw v.invalid(`audit task ${taskId} is ${t.taskStatus}; only IN_PROGRESS tasks can be canceled`);
		// spec §5.4: the checks still running are CANCELED; the worker (if any in this process) stops.
		t.taskStatus = 'CANCELED';
		t.taskEndTime = this.#o.clock.now();
		for (const n of t.targetCheckNames) if (t.auditDetails[n]?.checkRunStatus === 'IN_PROGRESS') t.auditDetails[n] = { checkRunStatus: 'CANCELED' };
		t.taskStatistics = { ...t.taskStatistics, canceledChecks: t.taskStatistics.canceledChecks + t.taskStatistics.inProgressChecks, inProgressChecks: 0 };
		this.#o.store.putTask(t);
		void terminateAuditWorker(taskId);
	}

	listAuditTasks(f: { startTime: number; endTime: number; taskType?: TaskType; taskStatus?: TaskStatus; nextToken?: string; maxResults?: number }): Page<AuditTask> {
		if (f.endTime < f.startTime) throw v.invalid('endTime must not be before startTime');
		return paginate(this.#o.store.listTasks(f), f.nextToken, f.maxResults ?? 25);
	}

	// ---- findings (spec §5.5) ----

	listAuditFindings(f: { taskId?: string; checkName?: string; resourceIdentifier?: ResourceIdentifier; startTime?: number; endTime?: number; listSuppressedFindings?: boolean; nextToken?: string; maxResults?: number }): Page<AuditFinding> {
		if (f.taskId !== undefined && (f.startTime !== undefined || f.endTime !== undefined)) throw v.invalid('give either taskId or startTime and endTime, not both');
		if ((f.startTime === undefined) !== (f.endTime === undefined)) throw v.invalid('startTime and endTime must be given together');
		const filter: FindingFilter = {
			...(f.taskId !== undefined ? { taskId: f.taskId } : {}),
			...(f.checkName !== undefined ? { checkName: v.checkName(f.checkName) } : {}),
			...(f.resourceIdentifier ? { resourceKey: resourceKey(f.resourceIdentifier) } : {}),
			...(f.startTime !== undefined ? { startTime: f.startTime } : {}),
			...(f.endTime !== undefined ? { endTime: f.endTime } : {}),
			...(f.listSuppressedFindings !== undefined ? { suppressed: f.listSuppressedFindings } : {}),
		};
		const max = f.maxResults ?? 25;
		const off = f.nextToken === undefined ? 0 : Number(Buffer.from(f.nextToken, 'base64url').toString('utf8').slice(1));
		if (!Number.isInteger(off) || off < 0) throw v.invalid('nextToken is not a token this service issued');
		const rows = this.#o.store.listFindings(filter, off, max + 1);
		const items = rows.slice(0, max);
		return rows.length > max ? { items, nextToken: Buffer.from(`o${off + max}`).toString('base64url') } : { items };
	}

	describeAuditFinding(findingId: string): AuditFinding {
		const f = this.#o.store.getFinding(findingId);
		if (!f) throw notFound(`audit finding ${findingId} does not exist`);
		// spec §5.5: DescribeAuditFinding caps relatedResources at 10; the intermediate-CA check lists none here.
		const related = f.checkName === 'INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK' ? [] : f.relatedResources.slice(0, 10);
		return { ...f, relatedResources: related };
	}

	listRelatedResourcesForAuditFinding(findingId: string, nextToken?: string, maxResults?: number): Page<AuditResource> {
		const f = this.#o.store.getFinding(findingId);
		if (!f) throw notFound(`audit finding ${findingId} does not exist`);
		return paginate(f.relatedResources, nextToken, maxResults ?? 25);
	}

	// ---- scheduled audits (spec §5.4) ----

	#schedule(name: string, input: { frequency?: unknown; dayOfMonth?: unknown; dayOfWeek?: unknown; targetCheckNames?: unknown }, prev: ScheduledAudit | null, tags: ScheduledAudit['tags']): ScheduledAudit {
		const frequency = v.frequency(input.frequency ?? prev?.frequency);
		const weekly = frequency === 'WEEKLY' || frequency === 'BIWEEKLY';
		const dayOfWeek = weekly ? v.dayOfWeek(input.dayOfWeek ?? prev?.dayOfWeek) : undefined;
		const dayOfMonth = frequency === 'MONTHLY' ? v.dayOfMonth(input.dayOfMonth ?? prev?.dayOfMonth) : undefined;
		if (!weekly && input.dayOfWeek !== undefined) throw v.invalid(`dayOfWeek is only allowed with WEEKLY or BIWEEKLY frequency`);
		if (frequency !== 'MONTHLY' && input.dayOfMonth !== undefined) throw v.invalid(`dayOfMonth is only allowed with MONTHLY frequency`);
		const targetCheckNames = input.targetCheckNames !== undefined ? v.checkNames(input.targetCheckNames) : prev!.targetCheckNames;
		const enabled = this.effectiveChecks();
		for (const n of targetCheckNames) if (!enabled[n]?.enabled) throw v.invalid(`${n} is not enabled in the account audit configuration`);
		const now = this.#o.clock.now();
		const spec = { frequency, dayOfWeek, dayOfMonth };
		const changed = !prev || prev.frequency !== frequency || prev.dayOfWeek !== dayOfWeek || prev.dayOfMonth !== dayOfMonth;
		const anchorAt = changed ? nextRunAfter(spec, now) : prev.anchorAt;
		return {
			scheduledAuditName: name,
			frequency,
			...(dayOfWeek ? { dayOfWeek } : {}),
			...(dayOfMonth ? { dayOfMonth } : {}),
			targetCheckNames,
			tags,
			createdAt: prev?.createdAt ?? now,
			anchorAt,
			lastRunAt: prev?.lastRunAt ?? null,
			nextRunAt: changed ? anchorAt : prev.nextRunAt,
		};
	}

	createScheduledAudit(name: string, input: { frequency?: unknown; dayOfMonth?: unknown; dayOfWeek?: unknown; targetCheckNames?: unknown; tags?: ScheduledAudit['tags'] }): { scheduledAuditArn: string } {
		v.name128(name, 'scheduledAuditName');
		const store = this.#o.store;
		if (store.getScheduled(name)) throw new WardenError('WARDEN_ERR_AUDIT_EXISTS', `scheduled audit ${name} already exists`, { resourceId: name, resourceArn: this.arn(`scheduledaudit/${name}`) });
		if (store.listScheduled().length >= MAX_SCHEDULED) throw new WardenError('WARDEN_ERR_AUDIT_LIMIT', `at most ${MAX_SCHEDULED} scheduled audits are allowed`);
		store.putScheduled(this.#schedule(name, input, null, input.tags ?? []));
		this.#rearm?.();
		return { scheduledAuditArn: this.arn(`scheduledaudit/${name}`) };
	}

	updateScheduledAudit(name: string, input: { frequency?: unknown; dayOfMonth?: unknown; dayOfWeek?: unknown; targetCheckNames?: unknown }): { scheduledAuditArn: string } {
		const prev = this.describeScheduledAudit(name);
		this.#o.store.putScheduled(this.#schedule(name, input, prev, prev.tags));
		this.#rearm?.();
		return { scheduledAuditArn: this.arn(`scheduledaudit/${name}`) };
	}

	describeScheduledAudit(name: string): ScheduledAudit {
		const s = this.#o.store.getScheduled(name);
		if (!s) throw notFound(`scheduled audit ${name} does not exist`);
		return s;
	}

	deleteScheduledAudit(name: string): void {
		if (!this.#o.store.deleteScheduled(name)) throw notFound(`scheduled audit ${name} does not exist`);
		this.#rearm?.();
	}

	listScheduledAudits(nextToken?: string, maxResults?: number): Page<ScheduledAudit> {
		return paginate(this.#o.store.listScheduled(), nextToken, maxResults ?? 25);
	}

	/** Run every scheduled audit whose firing time has come; returns the task ids started. */
	runDueScheduledAudits(): string[] {
		const now = this.#o.clock.now();
		const started: string[] = [];
		for (const s of this.#o.store.listScheduled()) {
			if (s.nextRunAt > now) continue;
			const enabled = this.effectiveChecks();
			const names = s.targetCheckNames.filter((n) => enabled[n]?.enabled);
			const previous = s.lastRunAt ?? s.nextRunAt - LOOKBACK_MS;
			const task = this.#runTask('SCHEDULED_AUDIT_TASK', names.length > 0 ? names : s.targetCheckNames, s.nextRunAt, s.scheduledAuditName, previous);
			started.push(task.taskId);
			this.#o.store.putScheduled({ ...s, lastRunAt: s.nextRunAt, nextRunAt: nextRunAfter(s, Math.max(now, s.nextRunAt), s.anchorAt) });
		}
		return started;
	}

	#rearm: (() => void) | undefined;

	/** Start the scheduler on the injected clock; returns a stop function. */
	startScheduler(): () => void {
		let cancel: (() => void) | undefined;
		const arm = () => {
			cancel?.();
			const next = Math.min(...this.#o.store.listScheduled().map((s) => s.nextRunAt));
			if (!Number.isFinite(next)) return;
			// Re-check at least hourly: long timers overflow setTimeout (about 24.8 days), and schedules
			// created by another AuditService over the same database are picked up.
			const delay = Math.min(Math.max(0, next - this.#o.clock.now()), 3_600_000);
			cancel = this.#o.clock.setTimer(delay, () => {
				cancel = undefined;
				this.runDueScheduledAudits();
				arm();
			});
		};
		this.#rearm = arm;
		arm();
		return () => {
			cancel?.();
			this.#rearm = undefined;
		};
	}
}
