import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';

const bin = new URL('../../bin/warden.js', import.meta.url).pathname;
const run = (...args: string[]) => execa('node', [bin, ...args], { reject: false, timeout: 30_000 });

const usage = suite('warden usage errors');

usage('an unknown flag exits 2 and names the flag with the stable code', async () => {
	const r = await run('serve', '--bogus');
	assert.is(r.exitCode, 2);
	assert.match(r.stderr, /WARDEN_ERR_CLI_USAGE: unknown option --bogus/);
});

usage('an unknown command exits 2', async () => {
	const r = await run('no-such-command');
	assert.is(r.exitCode, 2);
	assert.match(r.stderr, /Invalid command: no-such-command/);
});

usage('--version exits 0 and --help lists every command', async () => {
	const v = await run('--version');
	assert.is(v.exitCode, 0);
	assert.match(v.stdout, /warden, \d+\.\d+\.\d+/);
	const h = await run('--help');
	assert.is(h.exitCode, 0);
	for (const cmd of ['serve', 'agent', 'sim', 'demo', 'certs', 'qemu', 'audit']) assert.match(h.stdout, new RegExp(`\\n\\s+${cmd}\\s`), cmd);
});

usage.run();
