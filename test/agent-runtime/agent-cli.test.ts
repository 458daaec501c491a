/** `warden agent`: argument validation, and the real command against a real broker. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { parseAgentArgs } from '../../host/cli/commands/agent.ts';
import { startResponder } from './helpers/responder.ts';

const root = new URL('../..', import.meta.url).pathname;
const usageError = (e: { code?: string }) => e.code === 'WARDEN_ERR_CLI_USAGE';

const Args = suite('parseAgentArgs');
Args('defaults', () => {
	const a = parseAgentArgs({ thing: 't1', broker: 'mqtt://127.0.0.1:1883' });
	assert.equal(a.config, { thingName: 't1', format: 'json', keys: 'long', intervalSec: 300, allowShortInterval: false });
	assert.equal(a.broker, { host: '127.0.0.1', port: 1883 });
	assert.is(a.stateDir, undefined);
});
Args('all options', () => {
	const a = parseAgentArgs({
		thing: 't1', broker: 'mqtt://[::1]:9000', format: 'cbor', keys: 'short', interval: 60, 'allow-short-interval': true,
		'client-id': 'c1', username: 'u', password: 'p', 'state-dir': '/tmp/x',
	});
	assert.equal(a.config, { thingName: 't1', format: 'cbor', keys: 'short', intervalSec: 60, allowShortInterval: true, clientId: 'c1', username: 'u', password: 'p' });
	assert.equal(a.broker, { host: '::1', port: 9000 });
	assert.is(a.stateDir, '/tmp/x');
});
Args('rejects every malformed argument with WARDEN_ERR_CLI_USAGE', () => {
	const base = { thing: 't1', broker: 'mqtt://127.0.0.1:1883' };
	for (const bad of [
		{ broker: base.broker },
		{ ...base, thing: 'x'.repeat(129) },
		{ ...base, thing: 'a\tb' },
		{ ...base, broker: 'http://x' },
		{ ...base, broker: 'nope' },
		{ ...base, format: 'xml' },
		{ ...base, keys: 'tiny' },
		{ ...base, interval: 60 },
		{ ...base, interval: 'soon' },
		{ ...base, interval: 0, 'allow-short-interval': true },
		{ ...base, username: 'u' },
		{ ...base, 'client-id': '' },
		{ ...base, 'allow-short-interval': 'yes' },
		{ ...base, thing: 'a/b' },
		{ ...base, thing: 'a+b' },
		{ ...base, username: 'u'.repeat(129), password: 'p' },
	]) {
		assert.throws(() => parseAgentArgs(bad), usageError, JSON.stringify(bad));
	}
});
Args.run();

function run(args: string[]) {
	const child = spawn(process.execPath, ['--import', 'tsx', 'host/cli/index.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
	let out = '';
	let err = '';
	child.stdout.on('data', (d) => { out += d; });
	child.stderr.on('data', (d) => { err += d; });
	const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return { child, exit, out: () => out, err: () => err };
}

const Cmd = suite('warden agent');
Cmd('a usage error exits 2 with the code', async () => {
	const p = run(['agent', '--thing', 't', '--broker', 'mqtt://127.0.0.1:1', '--interval', '5']);
	assert.is(await p.exit, 2);
	assert.match(p.err(), /WARDEN_ERR_CLI_USAGE: --interval 5 is below 300 s/);
});
Cmd('reports this machine, prints the result, stops on SIGINT', async () => {
	const r = await startResponder();
	const p = run(['agent', '--thing', 'cli-host', '--broker', r.url, '--interval', '1', '--allow-short-interval', '--format', 'cbor']);
	try {
		const got = await r.waitFor(1, 40_000); // generous: the CLI loads every command module through tsx
		assert.is(got.thingName, 'cli-host');
		assert.is(got.format, 'cbor');
		assert.is(got.error, null);
		assert.ok(Array.isArray(got.report!.metrics?.listening_tcp_ports?.ports));
		const deadline = Date.now() + 15_000;
		while (!/ACCEPTED accepted=1/.test(p.out()) && Date.now() < deadline) await Promise.race([new Promise((res) => p.child.stdout.once('data', res)), new Promise((res) => setTimeout(res, 250))]);
		assert.match(p.out(), /report \d+ ACCEPTED accepted=1 rejected=0/);
		p.child.kill('SIGINT');
		assert.is(await p.exit, 0);
		assert.match(p.out(), /agent stopped/);
	} finally {
		p.child.kill('SIGKILL');
		await r.close();
	}
});
Cmd.run();
