/**
 * HTTP routes of Audit (spec §7.2 "Audit – configuration & tasks", "Audit – findings &
 * suppressions"). Thin: path/query/body → AuditService; times in JSON are epoch seconds.
 */
import type { ApiApp, ApiContext } from '../api/context.ts';
import { Fields, checkTags, type JsonObject } from '../api/fields.ts';
import { tagStoreFor } from '../api/tag-store.ts';
import { type ApiCtx, epochSeconds, jsonBody, pageQuery, pathParam, queryBool, queryDate, queryString } from '../api/request.ts';
import { apiCall } from './api-errors.ts';
import type { AuditResource, ResourceIdentifier } from './finding.ts';
import { sqliteAuditStore } from './store.ts';
import { AuditService } from './service.ts';
import { emptySnapshot } from './snapshot.ts';
import type { AuditFinding, AuditSuppression, AuditTask, ScheduledAudit, TaskStatus, TaskType } from './types.ts';
import { resourceIdentifier } from './validate.ts';

const ID_RULE = { min: 1, max: 128, pattern: /^[a-zA-Z0-9_-]+$/, patternText: '[a-zA-Z0-9_-]+' };
const TASK_ID_RULE = { min: 1, max: 40, pattern: /^[a-zA-Z0-9-]+$/, patternText: '[a-zA-Z0-9-]+' };

const page = <K extends string, T>(key: K, p: { items: T[]; nextToken?: string }) => ({ [key]: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) });

export const findingJson = (f: AuditFinding) => ({
	findingId: f.findingId,
	taskId: f.taskId,
	checkName: f.checkName,
	taskStartTime: epochSeconds(f.taskStartTime),
	findingTime: epochSeconds(f.findingTime),
	severity: f.severity,
	nonCompliantResource: f.nonCompliantResource,
	relatedResources: f.relatedResources,
	reasonForNonCompliance: f.reasonForNonCompliance,
	reasonForNonComplianceCode: f.reasonForNonComplianceCode,
	isSuppressed: f.isSuppressed,
});

const taskJson = (t: AuditTask) => ({
	taskStatus: t.taskStatus,
	taskType: t.taskType,
	taskStartTime: epochSeconds(t.taskStartTime),
	taskStatistics: t.taskStatistics,
	...(t.scheduledAuditName ? { scheduledAuditName: t.scheduledAuditName } : {}),
	auditDetails: t.auditDetails,
});

const scheduledJson = (s: ScheduledAudit, arn: string) => ({
	frequency: s.frequency,
	...(s.dayOfMonth ? { dayOfMonth: s.dayOfMonth } : {}),
	...(s.dayOfWeek ? { dayOfWeek: s.dayOfWeek } : {}),
	targetCheckNames: s.targetCheckNames,
	scheduledAuditName: s.scheduledAuditName,
	scheduledAuditArn: arn,
});

const suppressionJson = (s: AuditSuppression) => ({
	checkName: s.checkName,
	resourceIdentifier: s.resourceIdentifier,
	...(s.expirationDate !== undefined ? { expirationDate: epochSeconds(s.expirationDate) } : {}),
	suppressIndefinitely: s.suppressIndefinitely,
	...(s.description !== undefined ? { description: s.description } : {}),
});

function optResource(b: JsonObject): ResourceIdentifier | undefined {
	return b.resourceIdentifier === undefined || b.resourceIdentifier === null ? undefined : apiCall(() => resourceIdentifier(b.resourceIdentifier));
}

const seconds = (f: Fields, key: string) => {
	const v = f.optNumber(key, { min: 0 });
	return v === undefined ? undefined : Math.round(v * 1000);
};

export function registerRoutes(app: ApiApp, ctx: ApiContext): void {
	const audit = new AuditService({
		store: sqliteAuditStore(ctx.db),
		source: ctx.services.auditSnapshot ?? { snapshot: ({ now }) => emptySnapshot(now, ctx.accountId, ctx.region) },
		clock: ctx.clock,
		accountId: ctx.accountId,
		region: ctx.region,
		inWorker: ctx.services.auditInWorker ?? false,
		...(ctx.services.mitigationActions ? { notify: (arn: string, message: string) => ctx.services.mitigationActions!.publishFinding(arn, message) } : {}),
	});
	const h = (fn: (c: ApiCtx) => unknown) => (c: ApiCtx) => c.json(apiCall(() => fn(c)) as object);
	const tags = tagStoreFor(ctx.db);
	ctx.tags.register('scheduledaudit', (name) => audit.store.getScheduled(name) !== null);

	// --- configuration (spec §5.3) ---
	app.patch('/audit/configuration', h((c) => {
		const b = new Fields(jsonBody(c));
		const roleArn = b.optString('roleArn', { min: 20, max: 2048 });
		audit.updateAccountAuditConfiguration({
			...(roleArn !== undefined ? { roleArn } : {}),
			...(b.has('auditNotificationTargetConfigurations') ? { auditNotificationTargetConfigurations: b.object('auditNotificationTargetConfigurations').obj as never } : {}),
			...(b.has('auditCheckConfigurations') ? { auditCheckConfigurations: b.object('auditCheckConfigurations').obj } : {}),
		});
		return {};
	}));
	app.get('/audit/configuration', h(() => audit.describeAccountAuditConfiguration()));
	app.delete('/audit/configuration', h((c) => (audit.deleteAccountAuditConfiguration(queryBool(c, 'deleteScheduledAudits') ?? false), {})));

	// --- tasks (spec §5.4) ---
	app.post('/audit/tasks', h((c) => audit.startOnDemandAuditTask(new Fields(jsonBody(c)).array('targetCheckNames', { min: 1 }))));
	app.put('/audit/tasks/:taskId/cancel', h((c) => (audit.cancelAuditTask(pathParam(c, 'taskId', TASK_ID_RULE)), {})));
	app.get('/audit/tasks/:taskId', h((c) => taskJson(audit.describeAuditTask(pathParam(c, 'taskId', TASK_ID_RULE)))));
	app.get('/audit/tasks', h((c) => {
		const taskType = queryString(c, 'taskType', { oneOf: ['ON_DEMAND_AUDIT_TASK', 'SCHEDULED_AUDIT_TASK'] }) as TaskType | undefined;
		const taskStatus = queryString(c, 'taskStatus', { oneOf: ['IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELED'] }) as TaskStatus | undefined;
		const p = audit.listAuditTasks({
			startTime: queryDate(c, 'startTime', true)!, endTime: queryDate(c, 'endTime', true)!,
			...(taskType ? { taskType } : {}), ...(taskStatus ? { taskStatus } : {}), ...definedPage(c),
		});
		return page('tasks', { ...p, items: p.items.map((t) => ({ taskId: t.taskId, taskStatus: t.taskStatus, taskType: t.taskType })) });
	}));

	// --- scheduled audits (spec §5.4) ---
	const schedArn = (name: string) => ctx.arn(`scheduledaudit/${name}`);
	const schedInput = (b: JsonObject) => ({ frequency: b.frequency, dayOfMonth: b.dayOfMonth ?? undefined, dayOfWeek: b.dayOfWeek ?? undefined, targetCheckNames: b.targetCheckNames ?? undefined });
	app.post('/audit/scheduledaudits/:name', h((c) => {
		const b = jsonBody(c);
		const t = b.tags === undefined || b.tags === null ? [] : checkTags(b.tags);
		const out = audit.createScheduledAudit(pathParam(c, 'name', ID_RULE), { ...schedInput(b), tags: t });
		if (t.length > 0) tags.put(out.scheduledAuditArn, t);
		return out;
	}));
	app.get('/audit/scheduledaudits/:name', h((c) => {
		const name = pathParam(c, 'name', ID_RULE);
		return scheduledJson(audit.describeScheduledAudit(name), schedArn(name));
	}));
	app.patch('/audit/scheduledaudits/:name', h((c) => audit.updateScheduledAudit(pathParam(c, 'name', ID_RULE), schedInput(jsonBody(c)))));
	app.delete('/audit/scheduledaudits/:name', h((c) => {
		const name = pathParam(c, 'name', ID_RULE);
		audit.deleteScheduledAudit(name);
		tags.clear(schedArn(name));
		return {};
	}));
	app.get('/audit/scheduledaudits', h((c) => {
		const q = definedPage(c);
		const p = audit.listScheduledAudits(q.nextToken, q.maxResults);
		return page('scheduledAudits', { ...p, items: p.items.map((s) => scheduledJson(s, schedArn(s.scheduledAuditName))) });
	}));

	// --- findings (spec §5.5) ---
	app.post('/audit/findings', h((c) => {
		const raw = jsonBody(c);
		const b = new Fields(raw);
		const resource = optResource(raw);
		const taskId = b.optString('taskId', TASK_ID_RULE);
		const checkName = b.optString('checkName');
		const startTime = seconds(b, 'startTime');
		const endTime = seconds(b, 'endTime');
		const sup = b.optBoolean('listSuppressedFindings');
		const nextToken = b.optString('nextToken');
		const maxResults = b.optNumber('maxResults', { integer: true, min: 1, max: 250 });
		const p = audit.listAuditFindings({
			...(taskId !== undefined ? { taskId } : {}), ...(checkName !== undefined ? { checkName } : {}), ...(resource ? { resourceIdentifier: resource } : {}),
			...(startTime !== undefined ? { startTime } : {}), ...(endTime !== undefined ? { endTime } : {}), ...(sup !== undefined ? { listSuppressedFindings: sup } : {}),
			...(nextToken !== undefined ? { nextToken } : {}), ...(maxResults !== undefined ? { maxResults } : {}),
		});
		return page('findings', { ...p, items: p.items.map(findingJson) });
	}));
	app.get('/audit/findings/:findingId', h((c) => ({ finding: findingJson(audit.describeAuditFinding(pathParam(c, 'findingId', ID_RULE))) })));
	app.get('/audit/relatedResources', h((c) => {
		const q = definedPage(c);
		const p = audit.listRelatedResourcesForAuditFinding(queryString(c, 'findingId', { ...ID_RULE, required: true })!, q.nextToken, q.maxResults);
		return page<'relatedResources', AuditResource>('relatedResources', p);
	}));

	// --- suppressions (spec §5.6) ---
	const supInput = (raw: JsonObject) => {
		const b = new Fields(raw);
		const expirationDate = seconds(b, 'expirationDate');
		const suppressIndefinitely = b.optBoolean('suppressIndefinitely');
		const description = b.optString('description', { max: 1000 });
		return { checkName: b.string('checkName'), resourceIdentifier: b.object('resourceIdentifier').obj, ...(expirationDate !== undefined ? { expirationDate } : {}), ...(suppressIndefinitely !== undefined ? { suppressIndefinitely } : {}), ...(description !== undefined ? { description } : {}) };
	};
	app.post('/audit/suppressions/create', h((c) => {
		const raw = jsonBody(c);
		const token = new Fields(raw).string('clientRequestToken', { min: 1, max: 64, pattern: /^[a-zA-Z0-9-_]+$/, patternText: '[a-zA-Z0-9-_]+' });
		audit.createAuditSuppression({ ...supInput(raw), clientRequestToken: token });
		return {};
	}));
	app.post('/audit/suppressions/describe', h((c) => {
		const b = new Fields(jsonBody(c));
		return suppressionJson(audit.describeAuditSuppression(b.string('checkName'), b.object('resourceIdentifier').obj));
	}));
	app.patch('/audit/suppressions/update', h((c) => (audit.updateAuditSuppression(supInput(jsonBody(c))), {})));
	app.post('/audit/suppressions/delete', h((c) => {
		const b = new Fields(jsonBody(c));
		audit.deleteAuditSuppression(b.string('checkName'), b.object('resourceIdentifier').obj);
		return {};
	}));
	app.post('/audit/suppressions/list', h((c) => {
		const raw = jsonBody(c);
		const b = new Fields(raw);
		const resource = optResource(raw);
		const checkName = b.optString('checkName');
		const ascendingOrder = b.optBoolean('ascendingOrder');
		const nextToken = b.optString('nextToken');
		const maxResults = b.optNumber('maxResults', { integer: true, min: 1, max: 250 });
		const p = audit.listAuditSuppressions({
			...(checkName !== undefined ? { checkName } : {}), ...(resource ? { resourceIdentifier: resource } : {}), ...(ascendingOrder !== undefined ? { ascendingOrder } : {}),
			...(nextToken !== undefined ? { nextToken } : {}), ...(maxResults !== undefined ? { maxResults } : {}),
		});
		return page('suppressions', { ...p, items: p.items.map(suppressionJson) });
	}));
}

/** nextToken / maxResults from the query, leaving out absent ones. */
export function definedPage(c: ApiCtx): { nextToken?: string; maxResults?: number } {
	const q = pageQuery(c);
	return { ...(q.nextToken !== undefined ? { nextToken: q.nextToken } : {}), ...(q.maxResults !== undefined ? { maxResults: q.maxResults } : {}) };
}
