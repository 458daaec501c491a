/**
 * `warden sim` over mutual TLS: the --pki/--ca/--issue/--register options, and a short real run
 * as a child process against the broker's mTLS listener, issuing and registering every device's
 * certificate in the running service's warden.db.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSimArgs } from '../../host/cli/commands/sim.ts';
import { isWardenError } from '../../host/errors.ts';
import { type MtlsBed, startMtlsBed } from './fixture.ts';

const root = new URL('../..', import.meta.url).pathname;
const usageError = (e: unknown) => isWardenError(e) && e.code === 'WARDEN_ERR_CLI_USAGE';

const Args = suite('parseSimArgs: mTLS options');
Args('mqtts:// takes --pki (and --ca, --issue, --register with --data-dir)', () => {
	const a = parseSimArgs({ broker: 'mqtts://127.0.0.1:8883', devices: 2, pki: '/p' });
	assert.equal(a.pki, { dir: '/p', issue: false, accountId: '123456789012', region: 'us-east-1' });
	const b = parseSimArgs({ broker: 'mqtts://h', devices: 2, pki: '/p', ca: '/c.crt', issue: true, register: true, 'data-dir': '/d', region: 'eu-west-1' });
	assert.equal(b.pki, { dir: '/p', caFile: '/c.crt', issue: true, dataDir: '/d', accountId: '123456789012', region: 'eu-west-1' });
	assert.is(b.fleet.broker, 'mqtts://h');
	assert.is(parseSimArgs({ broker: 'mqtt://h', devices: 1 }).pki, undefined);
});
Args('usage errors', () => {
	for (const bad of [
		{ broker: 'mqtts://h', devices: 1 },
		{ broker: 'mqtts://h', devices: 1, pki: true },
		{ broker: 'mqtts://h', devices: 1, pki: '/p', register: true, 'data-dir': '/d' },
		{ broker: 'mqtts://h', devices: 1, pki: '/p', issue: 'yes' },
		{ broker: 'mqtt://h', devices: 1, pki: '/p' },
		{ broker: 'mqtt://h', devices: 1, ca: '/c' },
		{ broker: 'mqtt://h', devices: 1, issue: true },
	]) {
		assert.throws(() => parseSimArgs(bad), usageError, JSON.stringify(bad));
	}
});
Args.run();

const Cmd = suite('warden sim over mqtts://');
let bed: MtlsBed;
Cmd.before(async () => { bed = await startMtlsBed(); });
Cmd.after(() => bed.close());
Cmd('issues and registers the fleet certificates, reports over mTLS, exits 0', async () => {
	const pki = join(bed.dir, 'pki');
	mkdirSync(pki);
	writeFileSync(join(pki, 'ca.crt'), bed.ca.certPem);
	writeFileSync(join(pki, 'ca.key'), bed.ca.keyPem);
	const child = spawn(process.execPath, [
		'--import', 'tsx', 'host/cli/index.ts', 'sim', '--broker', `mqtts://127.0.0.1:${bed.svc.mtlsPort}`, '--devices', '2',
		'--pki', pki, '--issue', '--register', '--data-dir', bed.dir, '--time-scale', '600', '--duration', '1200', '--seed', '3',
	], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	child.stdout.on('data', (d) => { out += d; });
	child.stderr.on('data', (d) => { err += d; });
	const kill = setTimeout(() => child.kill('SIGKILL'), 45_000);
	try {
		const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
		assert.is(code, 0, err);
		assert.match(out, /issued and registered a certificate for sim-0/);
		assert.match(out, /issued and registered a certificate for sim-1/);
		assert.ok(existsSync(join(pki, 'sim-1.crt')) && existsSync(join(pki, 'sim-1.key')));
		const final = JSON.parse(out.trim().split('\n').at(-1)!) as { devices: Record<string, { accepted: number; rejected: number }> };
		for (const t of ['sim-0', 'sim-1']) {
			assert.ok(final.devices[t]!.accepted >= 2, out);
			assert.is(final.devices[t]!.rejected, 0);
		}
		const connects = (bed.events['broker.connect'] ?? []).filter((e) => e.certificateId !== null).map((e) => e.thingName);
		assert.equal([...new Set(connects)].sort(), ['sim-0', 'sim-1']);
		assert.is((bed.events['broker.auth-failure'] ?? []).length, 0);
	} finally {
		clearTimeout(kill);
		child.kill('SIGKILL');
	}
});
Cmd.run();
