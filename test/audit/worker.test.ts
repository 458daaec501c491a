/**
 * Audits run off the event loop: through startWarden, an audit long enough to notice (a batch GCD
 * over random RSA moduli) runs in a worker while the broker answers a device report and the HTTP
 * API answers DescribeAuditTask; the findings equal the in-process run on the same snapshot; a
 * canceled in-progress task ends CANCELED and its worker is gone.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { CancelAuditTaskCommand, DescribeAuditTaskCommand, IoTClient, StartOnDemandAuditTaskCommand } from '@aws-sdk/client-iot';
import { startWarden } from '../../host/server.ts';
import { VirtualClock } from '../../host/clock.ts';
import { AuditService } from '../../host/audit/service.ts';
import { sqliteAuditStore } from '../../host/audit/store.ts';
import { AUDIT_MIGRATIONS } from '../../host/audit/schema.ts';
import { runningAuditWorkers } from '../../host/audit/worker-runner.ts';
import { resourceKey } from '../../host/audit/finding.ts';
import { emptySnapshot, type AuditSnapshot } from '../../host/audit/snapshot.ts';
import type { AuditFinding } from '../../host/audit/types.ts';
import { migrate } from '../../host/storage/database.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import { connect, end, nextMessage, subscribe, tempDir } from '../helpers/mqtt.ts';

const NOW = Date.UTC(2026, 5, 1);
const DAY = 86_400_000;
/** Batch GCD over this many 2048-bit moduli takes a few seconds on a loaded 2-core machine. */
const FLEET = 1200;
const BOUND_MS = 2000;
const CHECKS = ['WARDEN_RSA_SHARED_PRIME_CHECK', 'DEVICE_CERTIFICATE_EXPIRING_CHECK', 'LOGGING_DISABLED_CHECK'];

function fleet(): AuditSnapshot {
	const s = emptySnapshot(NOW);
	for (let i = 0; i < FLEET; i++) {
		const id = i.toString(16).padStart(64, '0');
		const n = BigInt(`0x${randomBytes(256).toString('hex')}`) | (1n << 2047n) | 1n;
		s.certificates.push({
			certificateId: id, certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${id}`, status: 'ACTIVE', caCertificateId: null, chain: [],
			subject: `CN=d${i}`, issuer: 'CN=ca', serialNumber: String(i), notBefore: 0, notAfter: NOW + (i % 60) * DAY, isCa: false,
			key: { algorithm: 'RSA', bits: 2048, rsaModulus: n, rsaExponent: 65537n }, creationDate: 0, lastModifiedDate: 0,
		});
	}
	return s;
}

/** Findings without their generated ids, in a stable order. */
const normal = (fs: AuditFinding[]) =>
	fs.map(({ findingId: _f, taskId: _t, ...rest }) => rest).sort((a, b) => `${a.checkName}|${resourceKey(a.nonCompliantResource.resourceIdentifier)}`.localeCompare(`${b.checkName}|${resourceKey(b.nonCompliantResource.resourceIdentifier)}`));

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v !== undefined) return v;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

const timed = async <T>(p: Promise<T>): Promise<{ value: T; ms: number }> => {
	const t = performance.now();
	const value = await p;
	return { value, ms: performance.now() - t };
};

const dir = tempDir('warden-audit-worker-');
let w: Awaited<ReturnType<typeof startWarden>>;
let client: IoTClient;
const snap = fleet();
let audit: AuditService;

const worker = suite('AuditService inWorker');
worker.before(async () => {
	w = await startWarden({ mqttPort: 0, httpPort: 0, dataDir: dir, minReportIntervalSec: 0 });
	// The audit service of the test shares startWarden's database, so the API describes and cancels its tasks.
	audit = new AuditService({ store: sqliteAuditStore(w.db), source: { snapshot: () => snap }, clock: new VirtualClock(NOW), inWorker: true });
});
// A fresh client per test: an idle keep-alive socket may be closed by the server during a long in-process run.
worker.before.each(() => {
	client = new IoTClient({ endpoint: `http://127.0.0.1:${w.httpPort}`, region: 'us-east-1', credentials: w.apiCredentials!, maxAttempts: 1 });
});
worker.after.each(() => client.destroy());
worker.after(async () => {
	await audit.close();
	await w.close();
	rmSync(dir, { recursive: true, force: true });
});

worker('the broker and the API keep answering while the audit runs; findings equal the in-process run', async () => {
	const { taskId } = audit.startOnDemandAuditTask(CHECKS);
	assert.ok(runningAuditWorkers().includes(taskId));

	const c = await connect(w.mqttPort, 'gw-busy');
	await subscribe(c, '$aws/things/gw-busy/defender/metrics/json/#');
	const reply = nextMessage(c, '$aws/things/gw-busy/defender/metrics/json/accepted', BOUND_MS * 2);
	const report = timed((async () => {
		await c.publishAsync('$aws/things/gw-busy/defender/metrics/json', JSON.stringify({ header: { report_id: 1, version: '1.0' }, metrics: {} }), { qos: 1 });
		return JSON.parse((await reply).toString()) as { status: string };
	})());
	const describe = timed(client.send(new DescribeAuditTaskCommand({ taskId })));
	const [r, d] = await Promise.all([report, describe]);
	await end(c);
	assert.is(r.value.status, 'ACCEPTED');
	assert.is(d.value.taskStatus, 'IN_PROGRESS', 'the audit was still running when the API answered');
	assert.ok(r.ms < BOUND_MS, `report answered in ${r.ms.toFixed(0)} ms`);
	assert.ok(d.ms < BOUND_MS, `DescribeAuditTask answered in ${d.ms.toFixed(0)} ms`);

	const done = await audit.taskEnded(taskId);
	assert.is(done.taskStatus, 'COMPLETED');
	assert.not.ok(runningAuditWorkers().includes(taskId));
	const described = await client.send(new DescribeAuditTaskCommand({ taskId }));
	assert.is(described.taskStatus, 'COMPLETED');

	// The same snapshot, in-process (the synchronous path) on its own database.
	const db = openSqlite(':memory:');
	migrate(db, AUDIT_MIGRATIONS);
	const inline = new AuditService({ store: sqliteAuditStore(db), source: { snapshot: () => snap }, clock: new VirtualClock(NOW) });
	const expected = inline.describeAuditTask(inline.startOnDemandAuditTask(CHECKS).taskId);
	assert.is(expected.taskStatus, 'COMPLETED');
	assert.equal(done.taskStatistics, expected.taskStatistics);
	assert.equal(done.auditDetails, expected.auditDetails);
	const got = normal(audit.store.listFindings({ taskId }, 0, 1_000_000));
	const want = normal(inline.store.listFindings({ taskId: expected.taskId }, 0, 1_000_000));
	assert.ok(want.length > 2, 'the fleet has findings to compare');
	assert.equal(got, want);
	db.close();
});

worker('CancelAuditTask through the API terminates the worker; the task ends CANCELED with no findings', async () => {
	const { taskId } = audit.startOnDemandAuditTask(CHECKS);
	assert.ok(runningAuditWorkers().includes(taskId));
	await client.send(new CancelAuditTaskCommand({ taskId }));
	const ended = await audit.taskEnded(taskId);
	assert.is(ended.taskStatus, 'CANCELED');
	assert.not.ok(runningAuditWorkers().includes(taskId), 'the worker is gone');
	const t = await client.send(new DescribeAuditTaskCommand({ taskId }));
	assert.is(t.taskStatus, 'CANCELED');
	assert.is(t.taskStatistics?.canceledChecks, CHECKS.length);
	assert.is(t.auditDetails?.LOGGING_DISABLED_CHECK?.checkRunStatus, 'CANCELED');
	assert.is(audit.store.listFindings({ taskId }, 0, 10).length, 0);
	let err = '';
	await client.send(new CancelAuditTaskCommand({ taskId })).catch((e: Error) => (err = e.name));
	assert.is(err, 'InvalidRequestException');
});

worker('StartOnDemandAuditTask through startWarden runs in a worker and completes', async () => {
	const { taskId } = await client.send(new StartOnDemandAuditTaskCommand({ targetCheckNames: ['LOGGING_DISABLED_CHECK', 'DEVICE_CERTIFICATE_EXPIRING_CHECK'] }));
	assert.ok(taskId && runningAuditWorkers().includes(taskId), 'the API task runs in a worker');
	const done = await until('the API task to complete', async () => {
		const t = await client.send(new DescribeAuditTaskCommand({ taskId }));
		return t.taskStatus === 'IN_PROGRESS' ? undefined : t;
	});
	assert.is(done.taskStatus, 'COMPLETED');
	assert.is(done.auditDetails?.LOGGING_DISABLED_CHECK?.checkRunStatus, 'COMPLETED_NON_COMPLIANT');
	assert.not.ok(runningAuditWorkers().includes(taskId));
});

worker('close() terminates running workers and marks their tasks FAILED', async () => {
	const { taskId } = audit.startOnDemandAuditTask(CHECKS);
	assert.ok(runningAuditWorkers().includes(taskId));
	await audit.close();
	assert.equal(runningAuditWorkers(), []);
	const t = audit.describeAuditTask(taskId);
	assert.is(t.taskStatus, 'FAILED');
	assert.is(t.auditDetails.LOGGING_DISABLED_CHECK!.message, 'the service stopped before the audit finished');
	assert.is(audit.store.listFindings({ taskId }, 0, 10).length, 0);
});

worker('failInterruptedTasks() fails IN_PROGRESS tasks without a worker (a process killed mid-audit)', async () => {
	const { taskId } = audit.startOnDemandAuditTask(CHECKS);
	const stale = { ...audit.describeAuditTask(taskId), taskId: 'f'.repeat(32) };
	audit.store.putTask(stale);
	assert.equal(audit.failInterruptedTasks(), [stale.taskId]);
	assert.is(audit.describeAuditTask(stale.taskId).taskStatus, 'FAILED');
	assert.is(audit.describeAuditTask(taskId).taskStatus, 'IN_PROGRESS', 'a task whose worker runs is left alone');
	await audit.close();
});

worker('a scheduled audit runs in a worker when it fires', async () => {
	const clock = new VirtualClock(NOW + 3_600_000);
	const db = openSqlite(':memory:');
	migrate(db, AUDIT_MIGRATIONS);
	const small = emptySnapshot(NOW);
	const scheduled = new AuditService({ store: sqliteAuditStore(db), source: { snapshot: () => small }, clock, inWorker: true });
	scheduled.createScheduledAudit('daily', { frequency: 'DAILY', targetCheckNames: ['LOGGING_DISABLED_CHECK'] });
	const stop = scheduled.startScheduler();
	clock.advance(DAY);
	const [t] = scheduled.listAuditTasks({ startTime: 0, endTime: NOW + 2 * DAY }).items;
	assert.is(t?.taskStatus, 'IN_PROGRESS');
	assert.ok(runningAuditWorkers().includes(t!.taskId));
	const done = await scheduled.taskEnded(t!.taskId);
	assert.is(done.taskStatus, 'COMPLETED');
	assert.is(done.taskType, 'SCHEDULED_AUDIT_TASK');
	assert.is(done.taskStartTime, NOW + DAY);
	assert.is(scheduled.store.listFindings({ taskId: t!.taskId }, 0, 10).length, 1);
	stop();
	await scheduled.close();
	db.close();
});

worker.run();
