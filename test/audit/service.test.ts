/** AuditService over SQLite: configuration, task statistics, findings, suppressions, schedules on a VirtualClock, report. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../host/clock.ts';
import { isWardenError } from '../../host/errors.ts';
import { migrate } from '../../host/storage/database.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import { AUDIT_MIGRATIONS } from '../../host/audit/schema.ts';
import { sqliteAuditStore } from '../../host/audit/store.ts';
import { AuditService } from '../../host/audit/service.ts';
import { auditReport, formatAuditReport } from '../../host/audit/report.ts';
import { emptySnapshot, type AuditSnapshot, type DeviceCertificateRecord } from '../../host/audit/snapshot.ts';

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 10, 9);

function cert(i: number, notAfter: number): DeviceCertificateRecord {
	const id = i.toString(16).padStart(64, '0');
	return {
		certificateId: id, certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${id}`, status: 'ACTIVE', caCertificateId: null, chain: [],
		subject: `CN=d${i}`, issuer: 'CN=ca', serialNumber: String(i), notBefore: 0, notAfter, isCa: false,
		key: { algorithm: 'EC', bits: 256, ecCurve: 'prime256v1' }, creationDate: 0, lastModifiedDate: 0,
	};
}

function setup() {
	const clock = new VirtualClock(START);
	const db = openSqlite(':memory:');
	migrate(db, AUDIT_MIGRATIONS);
	let snap: AuditSnapshot = emptySnapshot(START);
	const fleet = () => {
		const s = emptySnapshot(clock.now());
		// 4 certificates: 1 expired, 1 expiring in 10 days, 2 fine (relative to the clock).
		s.certificates.push(cert(1, clock.now() - DAY), cert(2, clock.now() + 10 * DAY), cert(3, clock.now() + 100 * DAY), cert(4, clock.now() + 200 * DAY));
		return s;
	};
	snap = fleet();
	const source = { calls: [] as { now: number; connectionsSince: number }[], snapshot(o: { now: number; connectionsSince: number }) { this.calls.push(o); return snap; } };
	let n = 0;
	const completed: string[] = [];
	const notified: { arn: string; message: string }[] = [];
	const service = new AuditService({
		store: sqliteAuditStore(db), source, clock, newId: () => (++n).toString(16).padStart(32, '0'), onTaskCompleted: (t) => completed.push(t.taskId),
		notify: (arn, message) => notified.push({ arn, message }),
	});
	return { clock, service, source, completed, notified, refresh: () => (snap = fleet()), set: (s: AuditSnapshot) => (snap = s) };
}

const code = (fn: () => unknown) => {
	try {
		fn();
	} catch (e) {
		return isWardenError(e) ? e.code : String(e);
	}
	return 'no error';
};

const config = suite('updateAccountAuditConfiguration');
config('defaults, first-update rule, aliases, validation, scheduled-check protection', () => {
	const { service } = setup();
	const d = service.describeAccountAuditConfiguration().auditCheckConfigurations;
	assert.is(Object.keys(d).length, 20);
	assert.is(d.DEVICE_CERTIFICATE_EXPIRING_CHECK!.enabled, true);
	assert.is(d.DEVICE_CERTIFICATE_AGE_CHECK!.enabled, false);
	assert.is(code(() => service.updateAccountAuditConfiguration({ auditCheckConfigurations: { LOGGING_DISABLED_CHECK: { enabled: false } } })), 'WARDEN_ERR_AUDIT_INVALID');
	assert.is(code(() => service.updateAccountAuditConfiguration({ auditCheckConfigurations: { NOPE_CHECK: { enabled: true } } })), 'WARDEN_ERR_AUDIT_INVALID');
	assert.is(code(() => service.updateAccountAuditConfiguration({ auditCheckConfigurations: { DEVICE_CERTIFICATE_AGE_CHECK: { enabled: true, configuration: { CERT_AGE_THRESHOLD_IN_DAYS: '10' } } } })), 'WARDEN_ERR_AUDIT_INVALID');
	service.updateAccountAuditConfiguration({
		roleArn: 'arn:aws:iam::123456789012:role/audit',
		auditCheckConfigurations: { DEVICE_CERT_APPROACHING_EXPIRATION_CHECK: { enabled: true, configuration: { CERT_EXPIRATION_THRESHOLD_IN_DAYS: '60' } }, IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK: { enabled: true } },
	});
	const after = service.describeAccountAuditConfiguration();
	assert.is(after.roleArn, 'arn:aws:iam::123456789012:role/audit');
	assert.equal(after.auditCheckConfigurations.DEVICE_CERTIFICATE_EXPIRING_CHECK, { enabled: true, configuration: { CERT_EXPIRATION_THRESHOLD_IN_DAYS: '60' } });
	assert.is(after.auditCheckConfigurations.IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK!.enabled, true);
	assert.is(after.auditCheckConfigurations.LOGGING_DISABLED_CHECK!.enabled, false);
	service.createScheduledAudit('daily', { frequency: 'DAILY', targetCheckNames: ['DEVICE_CERTIFICATE_EXPIRING_CHECK'] });
	assert.is(code(() => service.updateAccountAuditConfiguration({ auditCheckConfigurations: { DEVICE_CERTIFICATE_EXPIRING_CHECK: { enabled: false } } })), 'WARDEN_ERR_AUDIT_INVALID');
	assert.is(code(() => service.deleteAccountAuditConfiguration(false)), 'WARDEN_ERR_AUDIT_INVALID');
	service.deleteAccountAuditConfiguration(true);
	assert.is(service.listScheduledAudits().items.length, 0);
});
config.run();

const tasks = suite('startOnDemandAuditTask');
tasks('per-check statistics, findings and their filters', () => {
	const { service, completed } = setup();
	assert.is(code(() => service.startOnDemandAuditTask(['DEVICE_CERTIFICATE_AGE_CHECK'])), 'WARDEN_ERR_AUDIT_INVALID');
	const { taskId } = service.startOnDemandAuditTask(['DEVICE_CERTIFICATE_EXPIRING_CHECK', 'LOGGING_DISABLED_CHECK', 'CA_CERTIFICATE_EXPIRING_CHECK']);
	assert.equal(completed, [taskId]);
	const t = service.describeAuditTask(taskId);
	assert.is(t.taskStatus, 'COMPLETED');
	assert.is(t.taskType, 'ON_DEMAND_AUDIT_TASK');
	assert.equal(t.taskStatistics, { totalChecks: 3, inProgressChecks: 0, waitingForDataCollectionChecks: 0, compliantChecks: 1, nonCompliantChecks: 2, failedChecks: 0, canceledChecks: 0 });
	assert.equal(t.auditDetails.DEVICE_CERTIFICATE_EXPIRING_CHECK, {
		checkRunStatus: 'COMPLETED_NON_COMPLIANT', checkCompliant: false, totalResourcesCount: 4, nonCompliantResourcesCount: 2, suppressedNonCompliantResourcesCount: 0,
	});
	assert.is(t.auditDetails.CA_CERTIFICATE_EXPIRING_CHECK!.checkRunStatus, 'COMPLETED_COMPLIANT');
	const all = service.listAuditFindings({ taskId });
	assert.is(all.items.length, 3);
	assert.is(service.listAuditFindings({ taskId, checkName: 'LOGGING_DISABLED_CHECK' }).items.length, 1);
	const page1 = service.listAuditFindings({ taskId, maxResults: 2 });
	assert.is(page1.items.length, 2);
	const page2 = service.listAuditFindings({ taskId, maxResults: 2, nextToken: page1.nextToken! });
	assert.is(page2.items.length, 1);
	assert.is(page2.nextToken, undefined);
	const byResource = service.listAuditFindings({ resourceIdentifier: { deviceCertificateId: cert(1, 0).certificateId }, startTime: 0, endTime: START + DAY });
	assert.equal(byResource.items.map((f) => f.reasonForNonComplianceCode), ['CERTIFICATE_PAST_EXPIRATION']);
	const f = service.describeAuditFinding(byResource.items[0]!.findingId);
	assert.is(f.taskId, taskId);
	assert.is(f.isSuppressed, false);
	assert.is(code(() => service.listAuditFindings({ taskId, startTime: 0, endTime: 1 })), 'WARDEN_ERR_AUDIT_INVALID');
	assert.is(code(() => service.describeAuditFinding('nope')), 'WARDEN_ERR_AUDIT_NOT_FOUND');
	assert.is(code(() => service.cancelAuditTask(taskId)), 'WARDEN_ERR_AUDIT_INVALID');
	assert.equal(service.listAuditTasks({ startTime: 0, endTime: START + 1 }).items.map((x) => x.taskId), [taskId]);
	assert.is(service.listAuditTasks({ startTime: 0, endTime: START + 1, taskType: 'SCHEDULED_AUDIT_TASK' }).items.length, 0);
});
tasks('the SNS notification goes out only when enabled', () => {
	const { service, notified } = setup();
	service.startOnDemandAuditTask(['LOGGING_DISABLED_CHECK']);
	assert.is(notified.length, 0);
	service.updateAccountAuditConfiguration({ auditNotificationTargetConfigurations: { SNS: { targetArn: 'arn:aws:sns:us-east-1:123456789012:audits', roleArn: 'arn:aws:iam::123456789012:role/sns', enabled: true } }, auditCheckConfigurations: { LOGGING_DISABLED_CHECK: { enabled: true } } });
	const { taskId } = service.startOnDemandAuditTask(['LOGGING_DISABLED_CHECK']);
	assert.is(notified.length, 1);
	assert.is(notified[0]!.arn, 'arn:aws:sns:us-east-1:123456789012:audits');
	const body = JSON.parse(notified[0]!.message);
	assert.equal([body.taskId, body.taskStatus, body.nonCompliantChecksCount, body.auditDetails[0].checkName], [taskId, 'COMPLETED', 1, 'LOGGING_DISABLED_CHECK']);
	assert.is(code(() => service.updateAccountAuditConfiguration({ auditNotificationTargetConfigurations: { EMAIL: {} } })), 'WARDEN_ERR_AUDIT_INVALID');
});
tasks('a check that throws is FAILED, the others still complete', () => {
	const { service, set } = setup();
	const s = emptySnapshot(START);
	(s as unknown as { certificates: unknown }).certificates = null;
	set(s);
	const t = service.describeAuditTask(service.startOnDemandAuditTask(['DEVICE_CERTIFICATE_EXPIRING_CHECK', 'LOGGING_DISABLED_CHECK']).taskId);
	assert.is(t.auditDetails.DEVICE_CERTIFICATE_EXPIRING_CHECK!.checkRunStatus, 'FAILED');
	assert.is(t.auditDetails.LOGGING_DISABLED_CHECK!.checkRunStatus, 'COMPLETED_NON_COMPLIANT');
	assert.is(t.taskStatistics.failedChecks, 1);
});
tasks.run();

const sup = suite('createAuditSuppression');
sup('indefinite and expiring suppressions mark findings suppressed and do not decide compliance', () => {
	const { service, clock, refresh } = setup();
	const expired = { deviceCertificateId: cert(1, 0).certificateId };
	const soon = { deviceCertificateId: cert(2, 0).certificateId };
	service.createAuditSuppression({ checkName: 'DEVICE_CERTIFICATE_EXPIRING_CHECK', resourceIdentifier: expired, suppressIndefinitely: true, clientRequestToken: 'tok-1' });
	service.createAuditSuppression({ checkName: 'DEVICE_CERT_APPROACHING_EXPIRATION_CHECK', resourceIdentifier: soon, expirationDate: START + 5 * DAY, description: 'replacing' });
	service.createAuditSuppression({ checkName: 'DEVICE_CERTIFICATE_EXPIRING_CHECK', resourceIdentifier: expired, suppressIndefinitely: true, clientRequestToken: 'tok-1' }); // idempotent
	assert.is(code(() => service.createAuditSuppression({ checkName: 'DEVICE_CERTIFICATE_EXPIRING_CHECK', resourceIdentifier: expired, clientRequestToken: 'tok-2' })), 'WARDEN_ERR_AUDIT_EXISTS');
	assert.is(service.listAuditSuppressions({}).items.length, 2);
	assert.is(service.describeAuditSuppression('DEVICE_CERTIFICATE_EXPIRING_CHECK', soon).description, 'replacing');

	let t = service.describeAuditTask(service.startOnDemandAuditTask(['DEVICE_CERTIFICATE_EXPIRING_CHECK']).taskId);
	assert.equal(t.auditDetails.DEVICE_CERTIFICATE_EXPIRING_CHECK, {
		checkRunStatus: 'COMPLETED_COMPLIANT', checkCompliant: true, totalResourcesCount: 4, nonCompliantResourcesCount: 2, suppressedNonCompliantResourcesCount: 2,
	});
	assert.is(service.listAuditFindings({ taskId: t.taskId, listSuppressedFindings: true }).items.length, 2);
	assert.is(service.listAuditFindings({ taskId: t.taskId, listSuppressedFindings: false }).items.length, 0);

	clock.advance(6 * DAY); // the expiring suppression lapses
	refresh();
	t = service.describeAuditTask(service.startOnDemandAuditTask(['DEVICE_CERTIFICATE_EXPIRING_CHECK']).taskId);
	assert.is(t.auditDetails.DEVICE_CERTIFICATE_EXPIRING_CHECK!.suppressedNonCompliantResourcesCount, 1);
	assert.is(t.auditDetails.DEVICE_CERTIFICATE_EXPIRING_CHECK!.checkCompliant, false);
	const open = service.listAuditFindings({ taskId: t.taskId, listSuppressedFindings: false }).items;
	assert.equal(open.map((f) => f.nonCompliantResource.resourceIdentifier.deviceCertificateId), [soon.deviceCertificateId]);

	service.updateAuditSuppression({ checkName: 'DEVICE_CERTIFICATE_EXPIRING_CHECK', resourceIdentifier: soon, suppressIndefinitely: true });
	assert.is(service.describeAuditSuppression('DEVICE_CERTIFICATE_EXPIRING_CHECK', soon).suppressIndefinitely, true);
	service.deleteAuditSuppression('DEVICE_CERTIFICATE_EXPIRING_CHECK', soon);
	assert.is(code(() => service.describeAuditSuppression('DEVICE_CERTIFICATE_EXPIRING_CHECK', soon)), 'WARDEN_ERR_AUDIT_NOT_FOUND');
	assert.is(code(() => service.createAuditSuppression({ checkName: 'LOGGING_DISABLED_CHECK', resourceIdentifier: { account: '12' } })), 'WARDEN_ERR_AUDIT_INVALID');
});
sup.run();

const sched = suite('startScheduler');
sched('MONTHLY LAST and BIWEEKLY audits fire at UTC midnight on a VirtualClock', () => {
	const { service, clock, refresh, source } = setup();
	service.createScheduledAudit('month-end', { frequency: 'MONTHLY', dayOfMonth: 'LAST', targetCheckNames: ['DEVICE_CERTIFICATE_EXPIRING_CHECK'] });
	service.createScheduledAudit('fortnight', { frequency: 'BIWEEKLY', dayOfWeek: 'MON', targetCheckNames: ['LOGGING_DISABLED_CHECK'] });
	assert.is(code(() => service.createScheduledAudit('month-end', { frequency: 'DAILY', targetCheckNames: ['LOGGING_DISABLED_CHECK'] })), 'WARDEN_ERR_AUDIT_EXISTS');
	assert.is(code(() => service.createScheduledAudit('bad', { frequency: 'WEEKLY', targetCheckNames: ['LOGGING_DISABLED_CHECK'] })), 'WARDEN_ERR_AUDIT_INVALID');
	assert.is(code(() => service.createScheduledAudit('bad', { frequency: 'MONTHLY', dayOfMonth: '32', targetCheckNames: ['LOGGING_DISABLED_CHECK'] })), 'WARDEN_ERR_AUDIT_INVALID');
	const stop = service.startScheduler();
	refresh();
	clock.advanceTo(Date.UTC(2026, 2, 31, 12));
	stop();
	const runs = service.listAuditTasks({ startTime: 0, endTime: clock.now(), taskType: 'SCHEDULED_AUDIT_TASK', maxResults: 100 }).items;
	const at = (name: string) => runs.filter((t) => t.scheduledAuditName === name).map((t) => new Date(t.taskStartTime).toISOString()).sort();
	assert.equal(at('month-end'), ['2026-01-31T00:00:00.000Z', '2026-02-28T00:00:00.000Z', '2026-03-31T00:00:00.000Z']);
	assert.equal(at('fortnight'), ['2026-01-12T00:00:00.000Z', '2026-01-26T00:00:00.000Z', '2026-02-09T00:00:00.000Z', '2026-02-23T00:00:00.000Z', '2026-03-09T00:00:00.000Z', '2026-03-23T00:00:00.000Z']);
	// The second fortnightly run looks at connections since 2 h before the first one (spec §5.2).
	const second = source.calls.find((c) => c.now === Date.UTC(2026, 0, 26));
	assert.is(second?.connectionsSince, Date.UTC(2026, 0, 12) - 2 * 3_600_000);
	assert.is(service.describeScheduledAudit('month-end').nextRunAt, Date.UTC(2026, 3, 30));
	service.updateScheduledAudit('month-end', { dayOfMonth: '15' });
	assert.is(service.describeScheduledAudit('month-end').nextRunAt, Date.UTC(2026, 3, 15));
	assert.is(code(() => service.createScheduledAudit('x', { frequency: 'DAILY', targetCheckNames: ['DEVICE_CERTIFICATE_AGE_CHECK'] })), 'WARDEN_ERR_AUDIT_INVALID');
});
sched.run();

const report = suite('auditReport');
report('non-compliant checks by severity with counts and percentages', () => {
	const { service } = setup();
	const { taskId } = service.startOnDemandAuditTask(['DEVICE_CERTIFICATE_EXPIRING_CHECK', 'LOGGING_DISABLED_CHECK', 'CA_CERTIFICATE_EXPIRING_CHECK', 'DEVICE_CERTIFICATE_KEY_QUALITY_CHECK']);
	const r = auditReport(service);
	assert.is(r.taskId, taskId);
	assert.equal(r.nonCompliant.map((x) => [x.checkName, x.severity, x.nonCompliantResourcesCount, x.totalResourcesCount, x.percentNonCompliant]), [
		['DEVICE_CERTIFICATE_EXPIRING_CHECK', 'MEDIUM', 2, 4, 50],
		['LOGGING_DISABLED_CHECK', 'LOW', 1, 1, 100],
	]);
	assert.equal(r.compliant, ['CA_CERTIFICATE_EXPIRING_CHECK', 'DEVICE_CERTIFICATE_KEY_QUALITY_CHECK']);
	const text = formatAuditReport(r);
	assert.match(text, /DEVICE_CERTIFICATE_EXPIRING_CHECK\s+MEDIUM\s+2 of 4 \(50\.0%\)/);
});
report.run();
