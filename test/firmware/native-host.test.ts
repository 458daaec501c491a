/**
 * The board-independent C (firmware/native/warden_host.c, warden_link.c) compiled with the host
 * compiler and run natively: bounds checks with guard bytes, ABI record layouts, and the UART
 * link's device side. The C program (native/host_test.c) prints PASS/FAIL per check; each suite
 * here asserts its checks passed.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../sim/qemu/boards.ts';

const native = join(repoRoot, 'firmware/native');
const out = join(repoRoot, 'build/firmware/native-test');
let results: Map<string, string> | undefined;

async function run(): Promise<Map<string, string>> {
	if (results) return results;
	mkdirSync(out, { recursive: true });
	const exe = join(out, `host_test-${process.pid}`);
	await execa('gcc', ['-Wall', '-Wextra', '-Werror', '-std=c11', `-I${native}`, '-fsanitize=address,undefined', '-fno-sanitize-recover=all',
		join(repoRoot, 'test/firmware/native/host_test.c'), join(native, 'warden_host.c'), join(native, 'warden_link.c'), '-o', exe]);
	const r = await execa(exe, [], { reject: false });
	results = new Map();
	for (const line of r.stdout.split('\n')) {
		const m = /^(PASS|FAIL) ([^/]+)\/(.*?)(?:: (.*))?$/.exec(line);
		if (m) results.set(`${m[2]}/${m[3]}`, m[1] === 'PASS' ? 'PASS' : `FAIL ${m[4]}`);
	}
	assert.ok(r.exitCode === 0 || [...results.values()].some((v) => v !== 'PASS'), `host_test crashed:\n${r.stderr}`);
	return results;
}

function checksOf(all: Map<string, string>, prefix: string): [string, string][] {
	return [...all].filter(([k]) => k.startsWith(`${prefix}/`));
}

const expected: Record<string, number> = {
	WardenHost_RangeOk: 5,
	WardenHost_NetSend: 2,
	WardenHost_NetRecv: 3,
	WardenHost_MetricsCounters: 2,
	WardenHost_MetricsItem: 7,
	WardenHost_Log: 2,
	WardenHost_Store: 2,
	WardenLink: 9,
};

for (const [name, count] of Object.entries(expected)) {
	const s = suite(name);
	s('every check passes', async () => {
		const checks = checksOf(await run(), name);
		assert.is(checks.length, count, `${name}: ${checks.length} checks ran`);
		for (const [k, v] of checks) assert.is(v, 'PASS', k);
	});
	s.run();
}
