/** `warden audit run|report|checks` as a process over a real data directory. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../host/clock.ts';
import { createDevCa, issueDeviceCertificate } from '../../host/registry/dev-pki.ts';
import { provisionDevice } from '../../host/registry/provision.ts';
import { openRegistry } from '../../host/registry/registry.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import { tempDir } from '../helpers/mqtt.ts';

const CLI = ['--import', 'tsx', 'host/cli/index.ts'];
const run = (args: string[]) => execa(process.execPath, [...CLI, ...args], { reject: false, timeout: 40_000 });

const cli = suite('warden audit');
let dir = '';
let certificateId = '';
cli.before(() => {
	dir = tempDir('warden-audit-cli-');
	const db = openSqlite(join(dir, 'warden.db'));
	const reg = openRegistry({ db, clock: systemClock });
	const now = Date.now();
	const ca = createDevCa({ commonName: 'CLI CA', notBefore: now - 86_400_000 });
	const dev = issueDeviceCertificate(ca, { commonName: 'cam-1', notBefore: now - 3_600_000, notAfter: now + 5 * 86_400_000 });
	certificateId = provisionDevice(reg, 'cam-1', dev.certPem, ca.certPem).certificateId;
	db.close();
});
cli.after(() => rmSync(dir, { recursive: true, force: true }));

cli('run prints the report; report --json returns the same task', async () => {
	const r = await run(['audit', 'run', '--data-dir', dir]);
	assert.is(r.exitCode, 0, r.stderr);
	assert.match(r.stdout, /DEVICE_CERTIFICATE_EXPIRING_CHECK\s+MEDIUM\s+1 of 1 \(100\.0%\)/);
	assert.match(r.stdout, /LOGGING_DISABLED_CHECK\s+LOW\s+1 of 1/);
	const taskId = /^Audit ([0-9a-f]{32}) \(on demand\)/.exec(r.stdout)?.[1];
	assert.ok(taskId);
	const j = await run(['audit', 'report', '--json', '--data-dir', dir]);
	assert.is(j.exitCode, 0, j.stderr);
	const report = JSON.parse(j.stdout);
	assert.is(report.taskId, taskId);
	assert.equal(report.nonCompliant.map((x: { checkName: string }) => x.checkName), ['DEVICE_CERTIFICATE_EXPIRING_CHECK', 'LOGGING_DISABLED_CHECK']);
	assert.ok(certificateId.length === 64);
});

cli('an unknown check name is a clear error with its code', async () => {
	const r = await run(['audit', 'run', '--checks', 'NOPE_CHECK', '--data-dir', dir]);
	assert.is(r.exitCode, 1);
	assert.match(r.stderr, /WARDEN_ERR_AUDIT_INVALID: .*NOPE_CHECK/);
});

cli('checks lists the catalogue', async () => {
	const r = await run(['audit', 'checks']);
	assert.is(r.exitCode, 0);
	assert.is(r.stdout.trim().split('\n').length, 20);
	assert.match(r.stdout, /DEVICE_CERTIFICATE_AGE_CHECK\s+LOW\s+disabled by default/);
});
cli.run();
