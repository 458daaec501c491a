/** Mitigation actions and tasks against an in-memory port, with real audit findings in SQLite. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../host/clock.ts';
import { isWardenError } from '../../host/errors.ts';
import { migrate } from '../../host/storage/database.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import { AUDIT_MIGRATIONS } from '../../host/audit/schema.ts';
import { sqliteAuditStore } from '../../host/audit/store.ts';
import { AuditService } from '../../host/audit/service.ts';
import { emptySnapshot, type DeviceCertificateRecord } from '../../host/audit/snapshot.ts';
import { MITIGATION_MIGRATIONS } from '../../host/mitigation/schema.ts';
import { sqliteMitigationStore } from '../../host/mitigation/store.ts';
import { createMitigationService } from '../../host/mitigation/service.ts';
import type { ViolationRef } from '../../host/mitigation/types.ts';
import { MemoryPort } from './memory-port.ts';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 10, 9);
const ROLE = 'arn:aws:iam::123456789012:role/mitigation';
const id = (i: number) => i.toString(16).padStart(64, '0');

function cert(i: number, notAfter: number): DeviceCertificateRecord {
	return {
		certificateId: id(i), certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${id(i)}`, status: 'ACTIVE', caCertificateId: null, chain: [],
		subject: `CN=d${i}`, issuer: 'CN=ca', serialNumber: String(i), notBefore: 0, notAfter, isCa: false,
		key: { algorithm: 'EC', bits: 256, ecCurve: 'prime256v1' }, creationDate: 0, lastModifiedDate: 0,
	};
}

function setup(violations: ViolationRef[] = []) {
	const clock = new VirtualClock(START);
	const db = openSqlite(':memory:');
	migrate(db, [...AUDIT_MIGRATIONS, ...MITIGATION_MIGRATIONS]);
	const snap = emptySnapshot(START);
	snap.certificates.push(cert(1, START - DAY), cert(2, START + 5 * DAY), cert(3, START + 400 * DAY));
	snap.policies.push({ policyName: 'open', policyArn: 'arn:aws:iot:us-east-1:123456789012:policy/open', defaultVersionId: '1', document: { Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] }, creationDate: 0, lastModifiedDate: 0 });
	const auditStore = sqliteAuditStore(db);
	const audit = new AuditService({ store: auditStore, source: { snapshot: () => snap }, clock });
	const port = new MemoryPort();
	port.thingsByCert.set(id(1), ['cam-1']);
	port.thingsByCert.set(id(2), ['cam-2', 'cam-2b']);
	const m = createMitigationService({
		store: sqliteMitigationStore(db), audit: auditStore, port, clock,
		violations: { list: (f) => violations.filter((v) => (!f.violationIds || f.violationIds.includes(v.violationId)) && (!f.securityProfileName || v.securityProfileName === f.securityProfileName) && (!f.behaviorName || v.behaviorName === f.behaviorName) && v.startTime >= f.start && v.startTime <= f.end) },
	});
	return { clock, audit, port, m };
}

const code = (fn: () => unknown) => {
	try {
		fn();
	} catch (e) {
		return isWardenError(e) ? e.code : String(e);
	}
	return 'no error';
};

const actions = suite('MitigationActions');
actions('create, describe, update, list, delete with validation', () => {
	const { m } = setup();
	const r = m.actions.create('deactivate', { roleArn: ROLE, actionParams: { updateDeviceCertificateParams: { action: 'DEACTIVATE' } } });
	assert.is(r.actionArn, 'arn:aws:iot:us-east-1:123456789012:mitigationaction/deactivate');
	assert.is(m.actions.describe('deactivate').actionType, 'UPDATE_DEVICE_CERTIFICATE');
	assert.is(code(() => m.actions.create('deactivate', { roleArn: ROLE, actionParams: { updateDeviceCertificateParams: { action: 'DEACTIVATE' } } })), 'WARDEN_ERR_AUDIT_EXISTS');
	assert.is(code(() => m.actions.create('two', { roleArn: ROLE, actionParams: { updateDeviceCertificateParams: { action: 'DEACTIVATE' }, updateCACertificateParams: { action: 'DEACTIVATE' } } })), 'WARDEN_ERR_AUDIT_INVALID');
	assert.is(code(() => m.actions.create('log', { roleArn: ROLE, actionParams: { enableIoTLoggingParams: { roleArnForLogging: ROLE, logLevel: 'DISABLED' } } })), 'WARDEN_ERR_AUDIT_INVALID');
	assert.is(code(() => m.actions.create('grp', { roleArn: ROLE, actionParams: { addThingsToThingGroupParams: { thingGroupNames: [] } } })), 'WARDEN_ERR_AUDIT_INVALID');
	m.actions.create('quarantine', { roleArn: ROLE, actionParams: { addThingsToThingGroupParams: { thingGroupNames: ['quarantine'] } } });
	m.actions.update('quarantine', { actionParams: { addThingsToThingGroupParams: { thingGroupNames: ['quarantine', 'watch'] } } });
	assert.equal(m.actions.describe('quarantine').actionParams.addThingsToThingGroupParams?.thingGroupNames, ['quarantine', 'watch']);
	assert.is(code(() => m.actions.update('quarantine', { actionParams: { publishFindingToSnsParams: { topicArn: 'arn:aws:sns:us-east-1:123456789012:t' } } })), 'WARDEN_ERR_AUDIT_INVALID');
	assert.equal(m.actions.list({ actionType: 'ADD_THINGS_TO_THING_GROUP' }).items.map((a) => a.actionName), ['quarantine']);
	m.actions.delete('quarantine');
	assert.is(code(() => m.actions.describe('quarantine')), 'WARDEN_ERR_AUDIT_NOT_FOUND');
});
actions.run();

const auditTasks = suite('AuditMitigationTasks');
auditTasks('actions run in order per finding; a failure skips the rest and fails the task; suppressed findings are skipped', () => {
	const { audit, m, port } = setup();
	m.actions.create('deactivate', { roleArn: ROLE, actionParams: { updateDeviceCertificateParams: { action: 'DEACTIVATE' } } });
	m.actions.create('quarantine', { roleArn: ROLE, actionParams: { addThingsToThingGroupParams: { thingGroupNames: ['quarantine'] } } });
	m.actions.create('blank', { roleArn: ROLE, actionParams: { replaceDefaultPolicyVersionParams: { templateName: 'BLANK_POLICY' } } });
	m.actions.create('sns', { roleArn: ROLE, actionParams: { publishFindingToSnsParams: { topicArn: 'arn:aws:sns:us-east-1:123456789012:alerts' } } });
	m.actions.create('logging', { roleArn: ROLE, actionParams: { enableIoTLoggingParams: { roleArnForLogging: ROLE, logLevel: 'INFO' } } });
	audit.createAuditSuppression({ checkName: 'DEVICE_CERTIFICATE_EXPIRING_CHECK', resourceIdentifier: { deviceCertificateId: id(3) }, suppressIndefinitely: true });
	const { taskId: auditTaskId } = audit.startOnDemandAuditTask(['DEVICE_CERTIFICATE_EXPIRING_CHECK', 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK', 'LOGGING_DISABLED_CHECK']);
	port.failCerts.add(id(2));
	assert.is(code(() => m.auditTasks.start('t1', { target: { auditTaskId }, auditCheckToActionsMapping: { LOGGING_DISABLED_CHECK: ['blank'] }, clientRequestToken: 'a' })), 'WARDEN_ERR_AUDIT_INVALID');
	m.auditTasks.start('t1', {
		target: { auditTaskId },
		auditCheckToActionsMapping: { DEVICE_CERTIFICATE_EXPIRING_CHECK: ['deactivate', 'quarantine'], IOT_POLICY_OVERLY_PERMISSIVE_CHECK: ['blank', 'sns'], LOGGING_DISABLED_CHECK: ['logging'] },
		clientRequestToken: 'tok-1',
	});
	const t = m.auditTasks.describe('t1');
	assert.is(t.taskStatus, 'FAILED');
	assert.equal(t.taskStatistics.DEVICE_CERTIFICATE_EXPIRING_CHECK, { totalFindingsCount: 2, failedFindingsCount: 1, succeededFindingsCount: 1, skippedFindingsCount: 0, canceledFindingsCount: 0 });
	assert.equal(t.taskStatistics.IOT_POLICY_OVERLY_PERMISSIVE_CHECK, { totalFindingsCount: 1, failedFindingsCount: 0, succeededFindingsCount: 1, skippedFindingsCount: 0, canceledFindingsCount: 0 });
	assert.equal(port.certStatus.get(id(1)), 'INACTIVE');
	assert.is(port.certStatus.has(id(2)), false);
	assert.is(port.certStatus.has(id(3)), false); // suppressed (it was not even a finding: 400 days left)
	assert.equal([...port.groups.get('quarantine')!], ['cam-1']);
	assert.equal(port.policyVersions.get('open'), ['1', '2']);
	assert.is(port.logging?.level, 'INFO');
	assert.is(JSON.parse(port.published[0]!.message).checkName, 'IOT_POLICY_OVERLY_PERMISSIVE_CHECK');
	const failedFinding = audit.listAuditFindings({ taskId: auditTaskId, resourceIdentifier: { deviceCertificateId: id(2) } }).items[0]!;
	const ex = m.auditTasks.executions({ taskId: 't1', findingId: failedFinding.findingId }).items;
	assert.equal(ex.map((e) => [e.actionName, e.status]), [['deactivate', 'FAILED'], ['quarantine', 'SKIPPED']]);
	assert.is(ex[0]!.errorCode, 'WARDEN_ERR_REGISTRY_CONFLICT');
	// idempotent retry with the same token; another token is TaskAlreadyExists
	assert.equal(m.auditTasks.start('t1', { target: { auditTaskId }, auditCheckToActionsMapping: { LOGGING_DISABLED_CHECK: ['logging'] }, clientRequestToken: 'tok-1' }), { taskId: 't1' });
	assert.is(code(() => m.auditTasks.start('t1', { target: { auditTaskId }, auditCheckToActionsMapping: { LOGGING_DISABLED_CHECK: ['logging'] }, clientRequestToken: 'tok-2' })), 'WARDEN_ERR_TASK_EXISTS');
	assert.equal(m.auditTasks.list({ startTime: 0, endTime: START + 1, auditTaskId }).items.map((x) => x.taskId), ['t1']);
	assert.is(code(() => m.auditTasks.cancel('t1')), 'WARDEN_ERR_AUDIT_INVALID');
});
auditTasks('suppressed findings are skipped; reason-code filter and findingIds targets', () => {
	const { audit, m, port } = setup();
	m.actions.create('deactivate', { roleArn: ROLE, actionParams: { updateDeviceCertificateParams: { action: 'DEACTIVATE' } } });
	audit.createAuditSuppression({ checkName: 'DEVICE_CERTIFICATE_EXPIRING_CHECK', resourceIdentifier: { deviceCertificateId: id(1) }, suppressIndefinitely: true });
	const { taskId } = audit.startOnDemandAuditTask(['DEVICE_CERTIFICATE_EXPIRING_CHECK']);
	m.auditTasks.start('past-only', { target: { auditTaskId: taskId, auditCheckToReasonCodeFilter: { DEVICE_CERTIFICATE_EXPIRING_CHECK: ['CERTIFICATE_PAST_EXPIRATION'] } }, auditCheckToActionsMapping: { DEVICE_CERTIFICATE_EXPIRING_CHECK: ['deactivate'] }, clientRequestToken: 'x' });
	const t = m.auditTasks.describe('past-only');
	assert.is(t.taskStatus, 'COMPLETED');
	assert.equal(t.taskStatistics.DEVICE_CERTIFICATE_EXPIRING_CHECK, { totalFindingsCount: 1, failedFindingsCount: 0, succeededFindingsCount: 0, skippedFindingsCount: 1, canceledFindingsCount: 0 });
	assert.equal(port.calls, []);
	const soon = audit.listAuditFindings({ taskId, resourceIdentifier: { deviceCertificateId: id(2) } }).items[0]!;
	m.auditTasks.start('by-id', { target: { findingIds: [soon.findingId] }, auditCheckToActionsMapping: { DEVICE_CERT_APPROACHING_EXPIRATION_CHECK: ['deactivate'] }, clientRequestToken: 'y' });
	assert.equal(port.calls, [`cert ${id(2).slice(0, 4)} INACTIVE`]);
	assert.is(code(() => m.auditTasks.start('bad', { target: { findingIds: ['nope'] }, auditCheckToActionsMapping: { DEVICE_CERTIFICATE_EXPIRING_CHECK: ['deactivate'] }, clientRequestToken: 'z' })), 'WARDEN_ERR_AUDIT_NOT_FOUND');
});
auditTasks.run();

const detect = suite('DetectMitigationTasks');
detect('adds violating things to the quarantine group; skips inactive and suppressed as asked', () => {
	const v = (violationId: string, thingName: string, active: boolean, suppressed = false): ViolationRef => ({ violationId, thingName, securityProfileName: 'p', behaviorName: 'b', suppressed, active, startTime: START - DAY });
	const { m, port } = setup([v('v1', 'cam-1', true), v('v2', 'cam-2', false), v('v3', 'cam-3', true, true)]);
	m.actions.create('quarantine', { roleArn: ROLE, actionParams: { addThingsToThingGroupParams: { thingGroupNames: ['quarantine'] } } });
	m.actions.create('deactivate', { roleArn: ROLE, actionParams: { updateDeviceCertificateParams: { action: 'DEACTIVATE' } } });
	assert.is(code(() => m.detectTasks.start('d0', { target: { securityProfileName: 'p' }, actions: ['deactivate'], clientRequestToken: 'a' })), 'WARDEN_ERR_AUDIT_INVALID');
	m.detectTasks.start('d1', { target: { securityProfileName: 'p' }, actions: ['quarantine'], includeOnlyActiveViolations: true, clientRequestToken: 'a' });
	const t = m.detectTasks.describe('d1');
	assert.is(t.taskStatus, 'SUCCESSFUL');
	assert.equal(t.taskStatistics, { actionsExecuted: 1, actionsSkipped: 2, actionsFailed: 0 });
	assert.equal([...port.groups.get('quarantine')!], ['cam-1']);
	assert.equal(m.detectTasks.executions({ taskId: 'd1' }).items.map((e) => [e.violationId, e.status]), [['v1', 'SUCCESSFUL'], ['v2', 'SKIPPED'], ['v3', 'SKIPPED']]);
	m.detectTasks.start('d2', { target: { violationIds: ['v2', 'v3'] }, actions: ['quarantine'], includeSuppressedAlerts: true, clientRequestToken: 'b' });
	assert.equal([...port.groups.get('quarantine')!].sort(), ['cam-1', 'cam-2', 'cam-3']);
	assert.equal(m.detectTasks.executions({ thingName: 'cam-2' }).items.map((e) => [e.taskId, e.status]), [['d1', 'SKIPPED'], ['d2', 'SUCCESSFUL']]);
	assert.is(code(() => m.detectTasks.start('d2', { target: { violationIds: ['v2'] }, actions: ['quarantine'], clientRequestToken: 'c' })), 'WARDEN_ERR_TASK_EXISTS');
	assert.is(m.detectTasks.list({ startTime: 0, endTime: START + 1 }).items.length, 2);
});
detect.run();
