/**
 * `warden agent` over mutual TLS: the --cert/--key/--ca options, and the real command as a child
 * process reporting to the broker's mTLS listener on 127.0.0.1 (certificates made in the test,
 * registered ACTIVE with the per-thing policy).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAgentArgs } from '../../host/cli/commands/agent.ts';
import { isWardenError } from '../../host/errors.ts';
import { provisionDevice } from '../../host/registry/provision.ts';
import { createDevCa } from '../../host/registry/dev-pki.ts';
import { type MtlsBed, startMtlsBed } from './fixture.ts';

const root = new URL('../..', import.meta.url).pathname;
const code = (c: string) => (e: unknown) => isWardenError(e) && e.code === c;

let bed: MtlsBed;
let files: { cert: string; key: string; ca: string };
let url = '';
let certPem = '';

function write(name: string, text: string): string {
	const p = join(bed.dir, name);
	writeFileSync(p, text);
	return p;
}

const Args = suite('parseAgentArgs: TLS options');
Args.before(async () => {
	bed = await startMtlsBed();
	const kc = bed.device('cli-tls');
	certPem = kc.certPem;
	provisionDevice(bed.svc.registry, 'cli-tls', kc.certPem, bed.ca.certPem);
	files = { cert: write('cli-tls.crt', kc.certPem), key: write('cli-tls.key', kc.keyPem), ca: write('ca.crt', bed.ca.certPem) };
	url = `mqtts://127.0.0.1:${bed.svc.mtlsPort}`;
});

Args('mqtts:// with the three files: credentials read and checked', () => {
	const a = parseAgentArgs({ thing: 'cli-tls', broker: url, ...files });
	assert.equal(a.broker, { host: '127.0.0.1', port: bed.svc.mtlsPort, tls: true });
	assert.is(a.tls!.certPem, certPem);
	assert.match(a.tls!.keyPem, /BEGIN PRIVATE KEY/);
	assert.is(a.tls!.caPem, bed.ca.certPem);
	assert.is(parseAgentArgs({ thing: 'cli-tls', broker: 'mqtt://127.0.0.1:1883' }).tls, undefined);
});
Args('usage errors: files missing for mqtts://, files given for mqtt://', () => {
	const usage = code('WARDEN_ERR_CLI_USAGE');
	for (const bad of [
		{ broker: url },
		{ broker: url, cert: files.cert, key: files.key },
		{ broker: url, cert: files.cert, ca: files.ca },
		{ broker: url, key: files.key, ca: files.ca },
		{ broker: url, ...files, cert: true },
		{ broker: 'mqtt://127.0.0.1:1883', cert: files.cert },
		{ broker: 'mqtt://127.0.0.1:1883', ...files },
		{ broker: 'mqtt://127.0.0.1:1883', ca: files.ca },
	]) {
		assert.throws(() => parseAgentArgs({ thing: 'cli-tls', ...bad }), usage, JSON.stringify(bad));
	}
	try {
		parseAgentArgs({ thing: 'cli-tls', broker: url, cert: files.cert });
		assert.unreachable();
	} catch (e) {
		assert.match((e as Error).message, /needs --cert, --key and --ca \(missing --key, --ca\)/);
	}
});
Args('unreadable or invalid PEM files: WARDEN_ERR_TLS_CREDENTIALS naming the file', () => {
	const creds = code('WARDEN_ERR_TLS_CREDENTIALS');
	assert.throws(() => parseAgentArgs({ thing: 'cli-tls', broker: url, ...files, key: join(bed.dir, 'nope.key') }), creds);
	assert.throws(() => parseAgentArgs({ thing: 'cli-tls', broker: url, ...files, cert: files.key }), creds);
	assert.throws(() => parseAgentArgs({ thing: 'cli-tls', broker: url, ...files, ca: write('bad-ca.crt', 'garbage') }), (e: unknown) => creds(e) && /bad-ca\.crt/.test((e as Error).message));
});
Args.run();

function run(args: string[]) {
	const child = spawn(process.execPath, ['--import', 'tsx', 'host/cli/index.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	child.stdout.on('data', (d) => { out += d; });
	child.stderr.on('data', (d) => { err += d; });
	const exit = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
	return { child, exit, out: () => out, err: () => err };
}

async function waitOut(p: ReturnType<typeof run>, re: RegExp, ms: number): Promise<void> {
	const deadline = Date.now() + ms;
	while (!re.test(p.out())) {
		if (Date.now() > deadline) throw new Error(`no ${re} within ${ms} ms; stdout: ${p.out()} stderr: ${p.err()}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

const Cmd = suite('warden agent over mqtts://');
Cmd.after(() => bed.close());
Cmd('reports over mutual TLS, prints ACCEPTED, exits 0 on SIGINT', async () => {
	const p = run(['agent', '--thing', 'cli-tls', '--broker', url, '--cert', files.cert, '--key', files.key, '--ca', files.ca, '--interval', '1', '--allow-short-interval']);
	try {
		await waitOut(p, /report \d+ ACCEPTED accepted=1 rejected=0/, 40_000); // generous: the CLI loads every command through tsx
		assert.match(p.out(), new RegExp(`reporting to mqtts://127\\.0\\.0\\.1:${bed.svc.mtlsPort} \\(mutual TLS\\)`));
		assert.match(p.out(), /connection MQTT session up/);
		assert.ok((bed.events['broker.connect'] ?? []).some((e) => e.clientId === 'cli-tls' && e.thingName === 'cli-tls' && e.certificateId !== null));
		p.child.kill('SIGINT');
		assert.is(await p.exit, 0);
		assert.match(p.out(), /agent stopped/);
	} finally {
		p.child.kill('SIGKILL');
	}
});
Cmd('an untrusted broker certificate: WARDEN_ERR_TLS_HANDSHAKE on stderr, retries, still exits 0 on SIGINT', async () => {
	const other = createDevCa({ commonName: 'Unrelated CA', notBefore: Date.now() - 86_400_000 });
	const p = run(['agent', '--thing', 'cli-tls', '--broker', url, '--cert', files.cert, '--key', files.key, '--ca', write('other-ca.crt', other.certPem)]);
	try {
		const deadline = Date.now() + 40_000;
		while ((p.err().match(/WARDEN_ERR_TLS_HANDSHAKE/g) ?? []).length < 2) { // the first attempt and a retry after the backoff
			if (Date.now() > deadline) throw new Error(`no two handshake errors; stderr: ${p.err()}`);
			await new Promise((r) => setTimeout(r, 100));
		}
		assert.match(p.err(), /agent warn: link: WARDEN_ERR_TLS_HANDSHAKE: TLS handshake with 127\.0\.0\.1:\d+ failed/);
		assert.not.match(p.out(), /MQTT session up/);
		p.child.kill('SIGINT');
		assert.is(await p.exit, 0);
	} finally {
		p.child.kill('SIGKILL');
	}
});
Cmd('usage and credential errors exit 2 and 1 with their codes', async () => {
	const usage = run(['agent', '--thing', 'cli-tls', '--broker', url, '--cert', files.cert]);
	const creds = run(['agent', '--thing', 'cli-tls', '--broker', url, '--cert', files.cert, '--key', join(bed.dir, 'missing.key'), '--ca', files.ca]);
	assert.is(await usage.exit, 2);
	assert.match(usage.err(), /WARDEN_ERR_CLI_USAGE: an mqtts:\/\/ broker needs --cert, --key and --ca/);
	assert.is(await creds.exit, 1);
	assert.match(creds.err(), /WARDEN_ERR_TLS_CREDENTIALS: cannot read the key file .*missing\.key: ENOENT/);
});
Cmd.run();
