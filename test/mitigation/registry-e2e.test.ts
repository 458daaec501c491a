/**
 * Mitigation end to end on the real registry, broker and mTLS listener (127.0.0.1, ephemeral
 * ports, real SQLite): an audit finds the problem, a mitigation task fixes it, the broker
 * enforces the fix on live sessions.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { systemClock } from '../../host/clock.ts';
import { migrate } from '../../host/storage/database.ts';
import { AUDIT_MIGRATIONS } from '../../host/audit/schema.ts';
import { sqliteAuditStore } from '../../host/audit/store.ts';
import { AuditService } from '../../host/audit/service.ts';
import { MITIGATION_MIGRATIONS } from '../../host/mitigation/schema.ts';
import { sqliteMitigationStore } from '../../host/mitigation/store.ts';
import { createMitigationService, type MitigationService } from '../../host/mitigation/service.ts';
import { registryActions } from '../../host/mitigation/registry-actions.ts';
import { registerCACertificate, registerCertificate, describeCertificate } from '../../host/registry/certificates.ts';
import { attachPolicy, createPolicy, getPolicy } from '../../host/registry/policies.ts';
import { attachThingPrincipal } from '../../host/registry/principals.ts';
import { getV2LoggingOptions } from '../../host/registry/settings.ts';
import { createThing, createThingGroup, listThingGroupsForThing } from '../../host/registry/things.ts';
import { closedByServer, connect, end, nextMessage, subscribe } from '../helpers/mqtt.ts';
import { type MtlsBed, connectTls, startMtlsBed, waitForEvent } from '../mtls/fixture.ts';

const A = 'arn:aws:iot:us-east-1:123456789012';
const ROLE = 'arn:aws:iam::123456789012:role/mitigation';
const THING_POLICY = JSON.stringify({
	Version: '2012-10-17',
	Statement: [
		{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${A}:client/\${iot:Connection.Thing.ThingName}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } },
		{ Effect: 'Allow', Action: ['iot:Publish', 'iot:Receive'], Resource: `${A}:topic/$aws/things/\${iot:Connection.Thing.ThingName}/*` },
		{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${A}:topicfilter/$aws/things/\${iot:Connection.Thing.ThingName}/*` },
	],
});

let bed: MtlsBed;
let audit: AuditService;
let m: MitigationService;

function provision(name: string, policy: string) {
	const cred = bed.device(name);
	const reg = bed.svc.registry;
	const { certificateId, certificateArn } = registerCertificate(reg, { certificatePem: cred.certPem, status: 'ACTIVE' });
	createThing(reg, { thingName: name });
	attachThingPrincipal(reg, name, certificateArn);
	attachPolicy(reg, policy, certificateArn);
	return { cred, certificateId };
}

async function liveSession(name: string, cred: ReturnType<MtlsBed['device']>) {
	const r = await connectTls(bed, name, cred);
	assert.ok(r.ok, r.ok ? '' : r.error);
	if (!r.ok) throw new Error('connect failed');
	return r.client;
}

const e2e = suite('registryActions');
e2e.before(async () => {
	bed = await startMtlsBed();
	const reg = bed.svc.registry;
	migrate(reg.db, [...AUDIT_MIGRATIONS, ...MITIGATION_MIGRATIONS]);
	registerCACertificate(reg, { caCertificate: bed.ca.certPem, setAsActive: true });
	createPolicy(reg, { policyName: 'thing-policy', policyDocument: THING_POLICY });
	createThingGroup(reg, { thingGroupName: 'quarantine' });
	createPolicy(reg, { policyName: 'quarantine-deny', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Deny', Action: 'iot:Publish', Resource: '*' }] }) });
	attachPolicy(reg, 'quarantine-deny', reg.arn('thinggroup/quarantine'));
	const auditStore = sqliteAuditStore(reg.db);
	audit = new AuditService({ store: auditStore, source: bed.svc.snapshotSource, clock: systemClock });
	m = createMitigationService({
		store: sqliteMitigationStore(reg.db), audit: auditStore, clock: systemClock,
		port: registryActions({ registry: reg, publish: (t, p) => bed.broker.publish(t, p, { qos: 1 }) }),
	});
	m.actions.create('quarantine', { roleArn: ROLE, actionParams: { addThingsToThingGroupParams: { thingGroupNames: ['quarantine'] } } });
	m.actions.create('deactivate', { roleArn: ROLE, actionParams: { updateDeviceCertificateParams: { action: 'DEACTIVATE' } } });
	m.actions.create('blank', { roleArn: ROLE, actionParams: { replaceDefaultPolicyVersionParams: { templateName: 'BLANK_POLICY' } } });
	m.actions.create('logging', { roleArn: ROLE, actionParams: { enableIoTLoggingParams: { roleArnForLogging: ROLE, logLevel: 'INFO' } } });
	m.actions.create('alert', { roleArn: ROLE, actionParams: { publishFindingToSnsParams: { topicArn: 'arn:aws:sns:us-east-1:123456789012:audit-alerts' } } });
});
e2e.after(() => bed.close());

e2e('quarantine applies the group policy on the next request; deactivate drops the session and refuses the reconnect', async () => {
	const { cred, certificateId } = provision('cam-1', 'thing-policy'); // dev certificates expire in 1 day: DEVICE_CERTIFICATE_EXPIRING_CHECK
	const client = await liveSession('cam-1', cred);
	const { taskId: auditTaskId } = audit.startOnDemandAuditTask(['DEVICE_CERTIFICATE_EXPIRING_CHECK']);
	const finding = audit.listAuditFindings({ taskId: auditTaskId, resourceIdentifier: { deviceCertificateId: certificateId } }).items[0];
	assert.is(finding?.reasonForNonComplianceCode, 'CERTIFICATE_APPROACHING_EXPIRATION');

	m.auditTasks.start('quarantine-cam-1', { target: { findingIds: [finding!.findingId] }, auditCheckToActionsMapping: { DEVICE_CERTIFICATE_EXPIRING_CHECK: ['quarantine'] }, clientRequestToken: 'q1' });
	assert.is(m.auditTasks.describe('quarantine-cam-1').taskStatus, 'COMPLETED');
	assert.equal(listThingGroupsForThing(bed.svc.registry, 'cam-1'), ['quarantine']);
	const denied = closedByServer(client);
	client.publish('$aws/things/cam-1/defender/metrics/json', '{}', { qos: 1 });
	await denied;
	const ev = await waitForEvent(bed, 'broker.auth-failure', (e) => e.clientId === 'cam-1' && e.action === 'publish');
	assert.match(ev.reason, 'quarantine-deny');
	await end(client);

	const again = await liveSession('cam-1', cred); // Deny covers publish only: connecting still works
	const dropped = closedByServer(again);
	m.auditTasks.start('deactivate-cam-1', { target: { findingIds: [finding!.findingId] }, auditCheckToActionsMapping: { DEVICE_CERTIFICATE_EXPIRING_CHECK: ['deactivate'] }, clientRequestToken: 'd1' });
	await dropped;
	assert.is(describeCertificate(bed.svc.registry, certificateId).status, 'INACTIVE');
	const refused = await connectTls(bed, 'cam-1', cred);
	assert.is(refused.ok, false);
	if (!refused.ok) assert.is(refused.code, 5);
	await end(again);
});

e2e('a blank default policy version takes effect on the next request', async () => {
	createPolicy(bed.svc.registry, { policyName: 'wide-open', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] }) });
	const { cred } = provision('cam-2', 'wide-open');
	const client = await liveSession('cam-2', cred);
	assert.is(await subscribe(client, 'anything/at/all'), 1);
	const { taskId } = audit.startOnDemandAuditTask(['IOT_POLICY_OVERLY_PERMISSIVE_CHECK']);
	assert.equal(audit.listAuditFindings({ taskId }).items.map((f) => f.nonCompliantResource.resourceIdentifier.policyVersionIdentifier?.policyName), ['wide-open']);
	m.auditTasks.start('blank-open', { target: { auditTaskId: taskId }, auditCheckToActionsMapping: { IOT_POLICY_OVERLY_PERMISSIVE_CHECK: ['blank', 'alert'] }, clientRequestToken: 'b1' });
	assert.is(m.auditTasks.describe('blank-open').taskStatus, 'COMPLETED');
	assert.is(getPolicy(bed.svc.registry, 'wide-open').defaultVersionId, '2');
	assert.is(await subscribe(client, 'anything/else'), 128);
	const refused = await connectTls(bed, 'cam-2b', cred);
	assert.is(refused.ok, false);
	await end(client);
	const next = audit.describeAuditTask(audit.startOnDemandAuditTask(['IOT_POLICY_OVERLY_PERMISSIVE_CHECK']).taskId);
	assert.is(next.auditDetails.IOT_POLICY_OVERLY_PERMISSIVE_CHECK!.checkCompliant, true);
});

e2e('enable logging turns v2 logging on; publish finding delivers it on the alert topic', async () => {
	const watcher = await connect(bed.plainPort, 'alert-watcher');
	await subscribe(watcher, 'warden/sns/audit-alerts');
	const got = nextMessage(watcher, 'warden/sns/audit-alerts');
	const { taskId } = audit.startOnDemandAuditTask(['LOGGING_DISABLED_CHECK']);
	m.auditTasks.start('logging-on', { target: { auditTaskId: taskId }, auditCheckToActionsMapping: { LOGGING_DISABLED_CHECK: ['alert', 'logging'] }, clientRequestToken: 'l1' });
	const msg = JSON.parse((await got).toString());
	assert.is(msg.checkName, 'LOGGING_DISABLED_CHECK');
	assert.is(msg.nonCompliantResource.resourceIdentifier.account, '123456789012');
	assert.equal(getV2LoggingOptions(bed.svc.registry)?.disableAllLogs, false);
	assert.is(getV2LoggingOptions(bed.svc.registry)?.defaultLogLevel, 'INFO');
	const next = audit.describeAuditTask(audit.startOnDemandAuditTask(['LOGGING_DISABLED_CHECK']).taskId);
	assert.is(next.auditDetails.LOGGING_DISABLED_CHECK!.checkCompliant, true);
	await end(watcher);
});
e2e.run();
