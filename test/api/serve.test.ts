/**
 * The API inside the whole service: startWarden serves it with generated credentials that
 * persist across restarts, and `warden serve` prints the endpoint and (first start only) the
 * credentials. Real sockets on 127.0.0.1, real SQLite files.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttachSecurityProfileCommand, CreateSecurityProfileCommand, DescribeSecurityProfileCommand, IoTClient, ListSecurityProfilesCommand } from '@aws-sdk/client-iot';
import './helpers.ts';
import { startWarden } from '../../host/server.ts';
import { detectConfigStoreFor } from '../../host/detect/config/sqlite-store.ts';

const root = new URL('../..', import.meta.url).pathname;
const client = (endpoint: string, c: { accessKeyId: string; secretAccessKey: string }) =>
	new IoTClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey }, maxAttempts: 1 });

const svc = suite('startWarden serves the API');

svc('generated credentials work, persist, and profiles reach the engine-facing store', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'warden-serve-'));
	let w = await startWarden({ mqttPort: 0, httpPort: 0, dataDir: dir });
	try {
		assert.is(w.apiCredentials?.source, 'generated');
		const iot = client(`http://127.0.0.1:${w.httpPort}`, w.apiCredentials!);
		await iot.send(
			new CreateSecurityProfileCommand({
				securityProfileName: 'e2e',
				behaviors: [{ name: 'ports', metric: 'aws:listening-tcp-ports', criteria: { comparisonOperator: 'in-port-set', value: { ports: [443] } } }],
			}),
		);
		await iot.send(new AttachSecurityProfileCommand({ securityProfileName: 'e2e', securityProfileTargetArn: 'arn:aws:iot:us-east-1:123456789012:all/things' }));
		iot.destroy();
		const forEngine = detectConfigStoreFor(w.db).profilesForThing('any-thing', { registered: false, groups: [] });
		assert.equal(forEngine.map((p) => p.name), ['e2e']);
		const first = w.apiCredentials!;
		await w.close();
		w = await startWarden({ mqttPort: 0, httpPort: 0, dataDir: dir });
		assert.is(w.apiCredentials?.source, 'file');
		assert.is(w.apiCredentials?.accessKeyId, first.accessKeyId);
		const again = client(`http://127.0.0.1:${w.httpPort}`, w.apiCredentials!);
		const d = await again.send(new DescribeSecurityProfileCommand({ securityProfileName: 'e2e' }));
		again.destroy();
		assert.equal(d.behaviors?.[0]?.criteria?.value, { ports: [443] });
	} finally {
		await w.close();
		rmSync(dir, { recursive: true, force: true });
	}
});

svc('httpPort null starts no API', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'warden-serve-'));
	const w = await startWarden({ mqttPort: 0, httpPort: null, dataDir: dir });
	assert.is(w.httpPort, null);
	assert.is(w.apiCredentials, null);
	await w.close();
	rmSync(dir, { recursive: true, force: true });
});

svc.run();

const cli = suite('warden serve');

/** Read the child's stdout until `done(text)` is true or the bound elapses. */
function readUntil(child: ReturnType<typeof spawn>, done: (text: string) => boolean, ms: number): Promise<string> {
	return new Promise((resolve, reject) => {
		let text = '';
		const timer = setTimeout(() => reject(new Error(`timed out; output so far:\n${text}`)), ms);
		child.stdout!.on('data', (b: Buffer) => {
			text += b.toString();
			if (done(text)) {
				clearTimeout(timer);
				resolve(text);
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`exited with ${code}; output:\n${text}`));
		});
	});
}

cli('prints the endpoint and the generated credentials once; they authenticate', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'warden-cli-'));
	const env = { ...process.env };
	delete env.WARDEN_ACCESS_KEY_ID;
	delete env.WARDEN_SECRET_ACCESS_KEY;
	const run = () => spawn(process.execPath, ['bin/warden.js', 'serve', '--mqtt-port', '0', '--http-port', '0', '--data-dir', dir], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
	const stop = (child: ReturnType<typeof spawn>) =>
		new Promise<void>((resolve) => {
			if (child.exitCode !== null) return resolve();
			child.once('exit', () => resolve());
			child.kill('SIGTERM');
		});
	let child = run();
	try {
		const out = await readUntil(child, (t) => /AWS_SECRET_ACCESS_KEY=\S+\n/.test(t) && /data in/.test(t), 30_000);
		const endpoint = /HTTP API listening on (http:\/\/\S+)/.exec(out)?.[1];
		const accessKeyId = /AWS_ACCESS_KEY_ID=(\S+)/.exec(out)?.[1];
		const secretAccessKey = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(out)?.[1];
		assert.ok(endpoint && accessKeyId && secretAccessKey, out);
		const iot = client(endpoint!, { accessKeyId: accessKeyId!, secretAccessKey: secretAccessKey! });
		const l = await iot.send(new ListSecurityProfilesCommand({}));
		iot.destroy();
		assert.equal(l.securityProfileIdentifiers, []);
		await stop(child);
		child = run();
		const second = await readUntil(child, (t) => /data in/.test(t), 30_000);
		assert.not.match(second, /AWS_SECRET_ACCESS_KEY/);
		assert.match(second, new RegExp(`access key ${accessKeyId}`));
	} finally {
		await stop(child);
		rmSync(dir, { recursive: true, force: true });
	}
});

cli.run();
