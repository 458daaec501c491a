/**
 * HTTP routes of mitigation (spec §7.2 "Mitigation"). Thin: path/query/body → the mitigation
 * service; times in JSON bodies are epoch seconds.
 */
import type { ApiApp, ApiContext } from '../api/context.ts';
import { epochSeconds, jsonBody, pathParam, queryDate, queryString, type ApiCtx } from '../api/request.ts';
import { apiCall } from '../audit/api-errors.ts';
import { checkTags } from '../api/fields.ts';
import { tagStoreFor } from '../api/tag-store.ts';
import { definedPage } from '../audit/api-routes.ts';
import { sqliteAuditStore } from '../audit/store.ts';
import type { MitigationActionsPort } from './actions-port.ts';
import { createMitigationService } from './service.ts';
import { sqliteMitigationStore } from './store.ts';
import type { AuditMitigationExecution, AuditMitigationTask, DetectMitigationExecution, DetectMitigationTask, MitigationAction } from './types.ts';

const ID_RULE = { min: 1, max: 128, pattern: /^[a-zA-Z0-9_-]+$/, patternText: '[a-zA-Z0-9_-]+' };

/** Without a registry every action fails with this message (the execution records it). */
const unavailable = (): never => {
	throw new Error('no registry is attached to this API server');
};
const NO_PORT: MitigationActionsPort = {
	updateCertificateStatus: unavailable, updateCaCertificateStatus: unavailable, replaceDefaultPolicyVersion: unavailable, thingsForCertificate: unavailable,
	addThingToThingGroups: unavailable, enableIoTLogging: unavailable, publishFinding: unavailable,
};

const page = <K extends string, T>(key: K, p: { items: T[]; nextToken?: string }) => ({ [key]: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) });

const actionDef = (a: MitigationAction) => ({ name: a.actionName, id: a.actionId, roleArn: a.roleArn, actionParams: a.actionParams });

const auditTaskJson = (t: AuditMitigationTask) => ({
	taskStatus: t.taskStatus,
	startTime: epochSeconds(t.startTime),
	...(t.endTime !== undefined ? { endTime: epochSeconds(t.endTime) } : {}),
	taskStatistics: t.taskStatistics,
	target: t.target,
	auditCheckToActionsMapping: t.auditCheckToActionsMapping,
	actionsDefinition: t.actionsDefinition.map(actionDef),
});

const auditExecJson = (e: AuditMitigationExecution) => ({
	taskId: e.taskId, findingId: e.findingId, actionName: e.actionName, actionId: e.actionId, status: e.status,
	startTime: epochSeconds(e.startTime), ...(e.endTime !== undefined ? { endTime: epochSeconds(e.endTime) } : {}),
	...(e.errorCode ? { errorCode: e.errorCode } : {}), ...(e.message ? { message: e.message } : {}),
});

const detectTaskJson = (t: DetectMitigationTask) => ({
	taskId: t.taskId,
	taskStatus: t.taskStatus,
	taskStartTime: epochSeconds(t.taskStartTime),
	...(t.taskEndTime !== undefined ? { taskEndTime: epochSeconds(t.taskEndTime) } : {}),
	target: t.target,
	...(t.violationEventOccurrenceRange ? { violationEventOccurrenceRange: { startTime: epochSeconds(t.violationEventOccurrenceRange.startTime), endTime: epochSeconds(t.violationEventOccurrenceRange.endTime) } } : {}),
	onlyActiveViolationsIncluded: t.onlyActiveViolationsIncluded,
	suppressedAlertsIncluded: t.suppressedAlertsIncluded,
	actionsDefinition: t.actionsDefinition.map(actionDef),
	taskStatistics: { actionsExecuted: t.taskStatistics.actionsExecuted, actionsSkipped: t.taskStatistics.actionsSkipped, actionsFailed: t.taskStatistics.actionsFailed },
});

const detectExecJson = (e: DetectMitigationExecution) => ({
	taskId: e.taskId, violationId: e.violationId, actionName: e.actionName, thingName: e.thingName,
	executionStartDate: epochSeconds(e.executionStartDate), ...(e.executionEndDate !== undefined ? { executionEndDate: epochSeconds(e.executionEndDate) } : {}),
	status: e.status, ...(e.errorCode ? { errorCode: e.errorCode } : {}), ...(e.message ? { message: e.message } : {}),
});

export function registerRoutes(app: ApiApp, ctx: ApiContext): void {
	const m = createMitigationService({
		store: sqliteMitigationStore(ctx.db),
		audit: sqliteAuditStore(ctx.db),
		port: ctx.services.mitigationActions ?? NO_PORT,
		clock: ctx.clock,
		...(ctx.services.detectViolations ? { violations: ctx.services.detectViolations } : {}),
		accountId: ctx.accountId,
		region: ctx.region,
	});
	const h = (fn: (c: ApiCtx) => unknown) => (c: ApiCtx) => c.json(apiCall(() => fn(c)) as object);
	const id = (c: ApiCtx, name: string) => pathParam(c, name, ID_RULE);
	const tags = tagStoreFor(ctx.db);
	ctx.tags.register('mitigationaction', (name) => m.actions.list({ maxResults: 1000 }).items.some((a) => a.actionName === name));

	// --- action definitions (spec §6.1) ---
	app.post('/mitigationactions/actions/:actionName', h((c) => {
		const b = jsonBody(c);
		const t = b.tags === undefined || b.tags === null ? [] : checkTags(b.tags);
		const out = m.actions.create(id(c, 'actionName'), { roleArn: b.roleArn, actionParams: b.actionParams, tags: t });
		if (t.length > 0) tags.put(out.actionArn, t);
		return out;
	}));
	app.get('/mitigationactions/actions/:actionName', h((c) => {
		const a = m.actions.describe(id(c, 'actionName'));
		return { actionName: a.actionName, actionType: a.actionType, actionArn: a.actionArn, actionId: a.actionId, roleArn: a.roleArn, actionParams: a.actionParams, creationDate: epochSeconds(a.creationDate), lastModifiedDate: epochSeconds(a.lastModifiedDate) };
	}));
	app.patch('/mitigationactions/actions/:actionName', h((c) => {
		const b = jsonBody(c);
		return m.actions.update(id(c, 'actionName'), { ...(b.roleArn !== undefined ? { roleArn: b.roleArn } : {}), ...(b.actionParams !== undefined ? { actionParams: b.actionParams } : {}) });
	}));
	app.delete('/mitigationactions/actions/:actionName', h((c) => {
		const name = id(c, 'actionName');
		m.actions.delete(name);
		tags.clear(ctx.arn(`mitigationaction/${name}`));
		return {};
	}));
	app.get('/mitigationactions/actions', h((c) => {
		const actionType = queryString(c, 'actionType');
		const p = m.actions.list({ ...(actionType ? { actionType } : {}), ...definedPage(c) });
		return page('actionIdentifiers', { ...p, items: p.items.map((a) => ({ actionName: a.actionName, actionArn: a.actionArn, creationDate: epochSeconds(a.creationDate) })) });
	}));

	// --- audit mitigation tasks (spec §6.2) ---
	app.post('/audit/mitigationactions/tasks/:taskId', h((c) => m.auditTasks.start(id(c, 'taskId'), jsonBody(c))));
	app.get('/audit/mitigationactions/tasks/:taskId', h((c) => auditTaskJson(m.auditTasks.describe(id(c, 'taskId')))));
	app.put('/audit/mitigationactions/tasks/:taskId/cancel', h((c) => (m.auditTasks.cancel(id(c, 'taskId')), {})));
	app.get('/audit/mitigationactions/tasks', h((c) => {
		const auditTaskId = queryString(c, 'auditTaskId');
		const findingId = queryString(c, 'findingId');
		const taskStatus = queryString(c, 'taskStatus', { oneOf: ['IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELED'] });
		const p = m.auditTasks.list({
			startTime: queryDate(c, 'startTime', true)!, endTime: queryDate(c, 'endTime', true)!,
			...(auditTaskId ? { auditTaskId } : {}), ...(findingId ? { findingId } : {}), ...(taskStatus ? { taskStatus } : {}), ...definedPage(c),
		});
		return page('tasks', { ...p, items: p.items.map((t) => ({ taskId: t.taskId, startTime: epochSeconds(t.startTime), taskStatus: t.taskStatus })) });
	}));
	app.get('/audit/mitigationactions/executions', h((c) => {
		const actionStatus = queryString(c, 'actionStatus', { oneOf: ['IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELED', 'SKIPPED', 'PENDING'] });
		const p = m.auditTasks.executions({
			taskId: queryString(c, 'taskId', { ...ID_RULE, required: true })!, findingId: queryString(c, 'findingId', { ...ID_RULE, required: true })!,
			...(actionStatus ? { actionStatus } : {}), ...definedPage(c),
		});
		return page('actionsExecutions', { ...p, items: p.items.map(auditExecJson) });
	}));

	// --- detect mitigation tasks (spec §6.3) ---
	app.put('/detect/mitigationactions/tasks/:taskId', h((c) => {
		const b = jsonBody(c);
		const range = b.violationEventOccurrenceRange as { startTime?: unknown; endTime?: unknown } | undefined;
		const ms = (v: unknown) => (typeof v === 'number' ? Math.round(v * 1000) : v);
		return m.detectTasks.start(id(c, 'taskId'), {
			target: b.target, actions: b.actions, clientRequestToken: b.clientRequestToken,
			...(range ? { violationEventOccurrenceRange: { startTime: ms(range.startTime), endTime: ms(range.endTime) } } : {}),
			...(typeof b.includeOnlyActiveViolations === 'boolean' ? { includeOnlyActiveViolations: b.includeOnlyActiveViolations } : {}),
			...(typeof b.includeSuppressedAlerts === 'boolean' ? { includeSuppressedAlerts: b.includeSuppressedAlerts } : {}),
		});
	}));
	app.get('/detect/mitigationactions/tasks/:taskId', h((c) => ({ taskSummary: detectTaskJson(m.detectTasks.describe(id(c, 'taskId'))) })));
	app.put('/detect/mitigationactions/tasks/:taskId/cancel', h((c) => (m.detectTasks.cancel(id(c, 'taskId')), {})));
	app.get('/detect/mitigationactions/tasks', h((c) => {
		const p = m.detectTasks.list({ startTime: queryDate(c, 'startTime', true)!, endTime: queryDate(c, 'endTime', true)!, ...definedPage(c) });
		return page('tasks', { ...p, items: p.items.map(detectTaskJson) });
	}));
	app.get('/detect/mitigationactions/executions', h((c) => {
		const taskId = queryString(c, 'taskId');
		const violationId = queryString(c, 'violationId');
		const thingName = queryString(c, 'thingName');
		const startTime = queryDate(c, 'startTime');
		const endTime = queryDate(c, 'endTime');
		const p = m.detectTasks.executions({
			...(taskId ? { taskId } : {}), ...(violationId ? { violationId } : {}), ...(thingName ? { thingName } : {}),
			...(startTime !== undefined ? { startTime } : {}), ...(endTime !== undefined ? { endTime } : {}), ...definedPage(c),
		});
		return page('actionsExecutions', { ...p, items: p.items.map(detectExecJson) });
	}));
}
