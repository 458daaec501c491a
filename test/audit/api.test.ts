/** Audit and mitigation over the AWS-compatible HTTP API with the official IoTClient (SigV4, restJson1). */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
	CancelAuditTaskCommand, CreateAuditSuppressionCommand, CreateMitigationActionCommand, CreateScheduledAuditCommand, DeleteScheduledAuditCommand,
	DescribeAccountAuditConfigurationCommand, DescribeAuditFindingCommand, DescribeAuditMitigationActionsTaskCommand, DescribeAuditSuppressionCommand,
	DescribeAuditTaskCommand, DescribeMitigationActionCommand, DescribeScheduledAuditCommand, IoTClient, ListAuditFindingsCommand,
	ListAuditMitigationActionsExecutionsCommand, ListAuditMitigationActionsTasksCommand, ListAuditSuppressionsCommand, ListAuditTasksCommand,
	ListMitigationActionsCommand, ListRelatedResourcesForAuditFindingCommand, ListScheduledAuditsCommand, StartAuditMitigationActionsTaskCommand,
	StartOnDemandAuditTaskCommand, UpdateAccountAuditConfigurationCommand, UpdateScheduledAuditCommand, DeleteAuditSuppressionCommand,
	UpdateAuditSuppressionCommand, UpdateMitigationActionCommand, DeleteMitigationActionCommand, ListTagsForResourceCommand,
} from '@aws-sdk/client-iot';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock, systemClock } from '../../host/clock.ts';
import { createApiContext } from '../../host/api/context.ts';
import { startApi, type RunningApi } from '../../host/api/server.ts';
import { registerRoutes as auditRoutes } from '../../host/audit/api-routes.ts';
import { registerRoutes as mitigationRoutes } from '../../host/mitigation/api-routes.ts';
import { AUDIT_MIGRATIONS } from '../../host/audit/schema.ts';
import { MITIGATION_MIGRATIONS } from '../../host/mitigation/schema.ts';
import { emptySnapshot, type DeviceCertificateRecord } from '../../host/audit/snapshot.ts';
import { migrate, type SqlDatabase } from '../../host/storage/database.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import { MemoryPort } from '../mitigation/memory-port.ts';

const CREDS = { accessKeyId: 'AKIAWARDENTEST0001', secretAccessKey: 'wardenTestSecretKey/000000000000000000000' };
const START = Date.UTC(2026, 0, 10, 9);
const DAY = 86_400_000;
const ROLE = 'arn:aws:iam::123456789012:role/audit';
const id = (i: number) => i.toString(16).padStart(64, '0');
function cert(i: number, notAfter: number): DeviceCertificateRecord {
	return {
		certificateId: id(i), certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${id(i)}`, status: 'ACTIVE', caCertificateId: null, chain: [],
		subject: `CN=d${i}`, issuer: 'CN=ca', serialNumber: String(i), notBefore: 0, notAfter, isCa: false,
		key: { algorithm: 'EC', bits: 256, ecCurve: 'prime256v1' }, creationDate: 0, lastModifiedDate: 0,
	};
}

let dir = '';
let db: SqlDatabase;
let api: RunningApi;
let client: IoTClient;
const port = new MemoryPort();
const clock = new VirtualClock(START);

const flow = suite('audit API');
flow.before(async () => {
	dir = mkdtempSync(join(tmpdir(), 'warden-audit-api-'));
	db = openSqlite(join(dir, 'warden.db'));
	migrate(db, [...AUDIT_MIGRATIONS, ...MITIGATION_MIGRATIONS]);
	const snap = emptySnapshot(START);
	snap.certificates.push(cert(1, START - DAY), cert(2, START + 5 * DAY), cert(3, START + 300 * DAY));
	port.thingsByCert.set(id(1), ['cam-1']);
	const ctx = createApiContext({ clock, db, services: { auditSnapshot: { snapshot: () => snap }, mitigationActions: port } });
	api = await startApi({ port: 0, ctx, credentials: CREDS, routes: [auditRoutes, mitigationRoutes], authClock: systemClock });
	client = new IoTClient({ endpoint: api.endpoint, region: 'us-east-1', credentials: CREDS, maxAttempts: 1 });
});
flow.after(async () => {
	client.destroy();
	await api.close();
	db.close();
	rmSync(dir, { recursive: true, force: true });
});

const fail = async (p: Promise<unknown>) => {
	try {
		await p;
	} catch (e) {
		return (e as Error).name;
	}
	return 'no error';
};

flow('configuration, on-demand task, findings, related resources, suppressions', async () => {
	await client.send(new UpdateAccountAuditConfigurationCommand({
		roleArn: ROLE,
		auditCheckConfigurations: { DEVICE_CERTIFICATE_EXPIRING_CHECK: { enabled: true }, LOGGING_DISABLED_CHECK: { enabled: true } },
	}));
	const cfg = await client.send(new DescribeAccountAuditConfigurationCommand({}));
	assert.is(cfg.roleArn, ROLE);
	assert.is(cfg.auditCheckConfigurations?.DEVICE_CERTIFICATE_EXPIRING_CHECK?.enabled, true);
	assert.is(cfg.auditCheckConfigurations?.CA_CERTIFICATE_EXPIRING_CHECK?.enabled, false);
	assert.is(await fail(client.send(new UpdateAccountAuditConfigurationCommand({ auditCheckConfigurations: { NOT_A_CHECK: { enabled: true } } }))), 'InvalidRequestException');
	assert.is(await fail(client.send(new StartOnDemandAuditTaskCommand({ targetCheckNames: ['CA_CERTIFICATE_EXPIRING_CHECK'] }))), 'InvalidRequestException');

	const { taskId } = await client.send(new StartOnDemandAuditTaskCommand({ targetCheckNames: ['DEVICE_CERTIFICATE_EXPIRING_CHECK', 'LOGGING_DISABLED_CHECK'] }));
	assert.match(taskId!, /^[0-9a-f]{32}$/);
	const t = await client.send(new DescribeAuditTaskCommand({ taskId }));
	assert.is(t.taskStatus, 'COMPLETED');
	assert.is(t.taskStartTime?.getTime(), START);
	assert.is(t.taskStatistics?.nonCompliantChecks, 2);
	assert.is(t.auditDetails?.DEVICE_CERTIFICATE_EXPIRING_CHECK?.nonCompliantResourcesCount, 2);
	assert.is(t.auditDetails?.DEVICE_CERTIFICATE_EXPIRING_CHECK?.totalResourcesCount, 3);
	const tasks = await client.send(new ListAuditTasksCommand({ startTime: new Date(START - DAY), endTime: new Date(START + DAY) }));
	assert.equal(tasks.tasks?.map((x) => x.taskId), [taskId]);
	assert.is(await fail(client.send(new CancelAuditTaskCommand({ taskId }))), 'InvalidRequestException');
	assert.is(await fail(client.send(new DescribeAuditTaskCommand({ taskId: 'ffff' }))), 'ResourceNotFoundException');

	const findings = await client.send(new ListAuditFindingsCommand({ taskId, checkName: 'DEVICE_CERTIFICATE_EXPIRING_CHECK' }));
	assert.is(findings.findings?.length, 2);
	const past = findings.findings!.find((f) => f.reasonForNonComplianceCode === 'CERTIFICATE_PAST_EXPIRATION')!;
	assert.is(past.nonCompliantResource?.resourceIdentifier?.deviceCertificateId, id(1));
	assert.is(past.findingTime?.getTime(), START);
	const one = await client.send(new DescribeAuditFindingCommand({ findingId: past.findingId }));
	assert.is(one.finding?.severity, 'MEDIUM');
	const rel = await client.send(new ListRelatedResourcesForAuditFindingCommand({ findingId: past.findingId }));
	assert.equal(rel.relatedResources, []);
	assert.is(await fail(client.send(new ListAuditFindingsCommand({ taskId, startTime: new Date(0), endTime: new Date(START) }))), 'InvalidRequestException');

	await client.send(new CreateAuditSuppressionCommand({ checkName: 'DEVICE_CERTIFICATE_EXPIRING_CHECK', resourceIdentifier: { deviceCertificateId: id(2) }, expirationDate: new Date(START + 3 * DAY), clientRequestToken: 'sup-1' }));
	const sup = await client.send(new DescribeAuditSuppressionCommand({ checkName: 'DEVICE_CERTIFICATE_EXPIRING_CHECK', resourceIdentifier: { deviceCertificateId: id(2) } }));
	assert.is(sup.expirationDate?.getTime(), START + 3 * DAY);
	assert.is(sup.suppressIndefinitely, false);
	await client.send(new UpdateAuditSuppressionCommand({ checkName: 'DEVICE_CERTIFICATE_EXPIRING_CHECK', resourceIdentifier: { deviceCertificateId: id(2) }, description: 'new cert ordered' }));
	assert.is((await client.send(new ListAuditSuppressionsCommand({}))).suppressions?.[0]?.description, 'new cert ordered');
	const t2 = await client.send(new StartOnDemandAuditTaskCommand({ targetCheckNames: ['DEVICE_CERTIFICATE_EXPIRING_CHECK'] }));
	const sup2 = await client.send(new ListAuditFindingsCommand({ taskId: t2.taskId, listSuppressedFindings: true }));
	assert.equal(sup2.findings?.map((f) => f.nonCompliantResource?.resourceIdentifier?.deviceCertificateId), [id(2)]);
	await client.send(new DeleteAuditSuppressionCommand({ checkName: 'DEVICE_CERTIFICATE_EXPIRING_CHECK', resourceIdentifier: { deviceCertificateId: id(2) } }));
	assert.is(await fail(client.send(new DescribeAuditSuppressionCommand({ checkName: 'DEVICE_CERTIFICATE_EXPIRING_CHECK', resourceIdentifier: { deviceCertificateId: id(2) } }))), 'ResourceNotFoundException');
});

flow('scheduled audits', async () => {
	const { scheduledAuditArn } = await client.send(new CreateScheduledAuditCommand({ scheduledAuditName: 'monthly', frequency: 'MONTHLY', dayOfMonth: 'LAST', targetCheckNames: ['LOGGING_DISABLED_CHECK'], tags: [{ Key: 'team', Value: 'sec' }] }));
	assert.is(scheduledAuditArn, 'arn:aws:iot:us-east-1:123456789012:scheduledaudit/monthly');
	assert.equal((await client.send(new ListTagsForResourceCommand({ resourceArn: scheduledAuditArn }))).tags, [{ Key: 'team', Value: 'sec' }]);
	assert.is(await fail(client.send(new CreateScheduledAuditCommand({ scheduledAuditName: 'monthly', frequency: 'DAILY', targetCheckNames: ['LOGGING_DISABLED_CHECK'] }))), 'ResourceAlreadyExistsException');
	assert.is(await fail(client.send(new CreateScheduledAuditCommand({ scheduledAuditName: 'weekly', frequency: 'WEEKLY', targetCheckNames: ['LOGGING_DISABLED_CHECK'] }))), 'InvalidRequestException');
	await client.send(new UpdateScheduledAuditCommand({ scheduledAuditName: 'monthly', frequency: 'WEEKLY', dayOfWeek: 'MON' }));
	const d = await client.send(new DescribeScheduledAuditCommand({ scheduledAuditName: 'monthly' }));
	assert.equal([d.frequency, d.dayOfWeek, d.dayOfMonth], ['WEEKLY', 'MON', undefined]);
	assert.is((await client.send(new ListScheduledAuditsCommand({}))).scheduledAudits?.length, 1);
	await client.send(new DeleteScheduledAuditCommand({ scheduledAuditName: 'monthly' }));
	assert.is(await fail(client.send(new DescribeScheduledAuditCommand({ scheduledAuditName: 'monthly' }))), 'ResourceNotFoundException');
});

flow('mitigation actions and an audit mitigation task', async () => {
	const created = await client.send(new CreateMitigationActionCommand({ actionName: 'deactivate', roleArn: ROLE, actionParams: { updateDeviceCertificateParams: { action: 'DEACTIVATE' } }, tags: [{ Key: 'k', Value: 'v' }] }));
	assert.equal((await client.send(new ListTagsForResourceCommand({ resourceArn: created.actionArn }))).tags, [{ Key: 'k', Value: 'v' }]);
	assert.is(created.actionArn, 'arn:aws:iot:us-east-1:123456789012:mitigationaction/deactivate');
	await client.send(new CreateMitigationActionCommand({ actionName: 'quarantine', roleArn: ROLE, actionParams: { addThingsToThingGroupParams: { thingGroupNames: ['quarantine'] } } }));
	assert.is(await fail(client.send(new CreateMitigationActionCommand({ actionName: 'deactivate', roleArn: ROLE, actionParams: { updateDeviceCertificateParams: { action: 'DEACTIVATE' } } }))), 'ResourceAlreadyExistsException');
	const desc = await client.send(new DescribeMitigationActionCommand({ actionName: 'quarantine' }));
	assert.is(desc.actionType, 'ADD_THINGS_TO_THING_GROUP');
	assert.is(desc.creationDate?.getTime(), START);
	await client.send(new UpdateMitigationActionCommand({ actionName: 'quarantine', actionParams: { addThingsToThingGroupParams: { thingGroupNames: ['quarantine', 'watch'] } } }));
	assert.equal((await client.send(new ListMitigationActionsCommand({}))).actionIdentifiers?.map((a) => a.actionName), ['deactivate', 'quarantine']);

	const { taskId: auditTaskId } = await client.send(new StartOnDemandAuditTaskCommand({ targetCheckNames: ['DEVICE_CERTIFICATE_EXPIRING_CHECK'] }));
	await client.send(new StartAuditMitigationActionsTaskCommand({ taskId: 'fix-1', target: { auditTaskId }, auditCheckToActionsMapping: { DEVICE_CERTIFICATE_EXPIRING_CHECK: ['deactivate', 'quarantine'] }, clientRequestToken: 'tok' }));
	assert.is(await fail(client.send(new StartAuditMitigationActionsTaskCommand({ taskId: 'fix-1', target: { auditTaskId }, auditCheckToActionsMapping: { DEVICE_CERTIFICATE_EXPIRING_CHECK: ['deactivate'] }, clientRequestToken: 'other' }))), 'TaskAlreadyExistsException');
	const t = await client.send(new DescribeAuditMitigationActionsTaskCommand({ taskId: 'fix-1' }));
	assert.is(t.taskStatus, 'COMPLETED');
	assert.equal(t.taskStatistics?.DEVICE_CERTIFICATE_EXPIRING_CHECK, { totalFindingsCount: 2, failedFindingsCount: 0, succeededFindingsCount: 2, skippedFindingsCount: 0, canceledFindingsCount: 0 });
	assert.equal(t.actionsDefinition?.map((a) => a.name), ['deactivate', 'quarantine']);
	assert.is(port.certStatus.get(id(1)), 'INACTIVE');
	assert.equal([...port.groups.get('watch')!], ['cam-1']);
	const list = await client.send(new ListAuditMitigationActionsTasksCommand({ startTime: new Date(START - DAY), endTime: new Date(START + DAY) }));
	assert.equal(list.tasks?.map((x) => [x.taskId, x.taskStatus]), [['fix-1', 'COMPLETED']]);
	const finding = (await client.send(new ListAuditFindingsCommand({ taskId: auditTaskId, resourceIdentifier: { deviceCertificateId: id(1) } }))).findings![0]!;
	const ex = await client.send(new ListAuditMitigationActionsExecutionsCommand({ taskId: 'fix-1', findingId: finding.findingId }));
	assert.equal(ex.actionsExecutions?.map((e) => [e.actionName, e.status]), [['deactivate', 'COMPLETED'], ['quarantine', 'COMPLETED']]);
	await client.send(new DeleteMitigationActionCommand({ actionName: 'quarantine' }));
	assert.is(await fail(client.send(new DescribeMitigationActionCommand({ actionName: 'quarantine' }))), 'ResourceNotFoundException');
});
flow.run();
