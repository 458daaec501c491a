/**
 * Runs every `test/**\/*.test.ts` file in its own Node process (uvu suites, loaded through tsx),
 * two at a time, and sums uvu's totals. Ends with the line `N passed, N failed`. A file that
 * exits non-zero without a uvu summary counts as one failure. Pass path fragments as arguments
 * to run only matching files.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cpus } from 'node:os';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function walk(dir: string): string[] {
	const out: string[] = [];
	for (const name of readdirSync(dir).sort()) {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) out.push(...walk(p));
		else if (name.endsWith('.test.ts')) out.push(p);
	}
	return out;
}

const files = walk(join(root, 'test')).filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
const parallel = Math.max(1, Math.min(2, cpus().length));
const perFileTimeoutMs = 10 * 60_000;

interface Result { file: string; passed: number; failed: number; ms: number; output: string; code: number | null }

function runOne(file: string): Promise<Result> {
	const started = Date.now();
	return new Promise((resolve) => {
		const child = spawn(process.execPath, ['--import', 'tsx', file], {
			cwd: root,
			env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout.on('data', (d: Buffer) => (output += d.toString()));
		child.stderr.on('data', (d: Buffer) => (output += d.toString()));
		const timer = setTimeout(() => {
			output += `\n[runner] timed out after ${perFileTimeoutMs} ms\n`;
			child.kill('SIGKILL');
		}, perFileTimeoutMs);
		child.on('close', (code) => {
			clearTimeout(timer);
			// uvu prints one summary per process: Total / Passed / Skipped
			let total = 0;
			let passed = 0;
			for (const m of output.matchAll(/Total:\s+(\d+)\s+Passed:\s+(\d+)/g)) {
				total += Number(m[1]);
				passed += Number(m[2]);
			}
			let failed = total - passed;
			if (code !== 0 && failed === 0) failed = 1;
			resolve({ file: relative(root, file), passed, failed, ms: Date.now() - started, output, code });
		});
	});
}

const queue = [...files];
const results: Result[] = [];
async function worker(): Promise<void> {
	for (let f = queue.shift(); f; f = queue.shift()) {
		const r = await runOne(f);
		results.push(r);
		const mark = r.failed === 0 ? 'ok  ' : 'FAIL';
		process.stdout.write(`${mark} ${r.file}  (${r.passed} passed, ${r.failed} failed, ${(r.ms / 1000).toFixed(1)} s)\n`);
		if (r.failed > 0) process.stdout.write(r.output.replace(/^/gm, '    | ') + '\n');
	}
}
await Promise.all(Array.from({ length: parallel }, worker));

const passed = results.reduce((a, r) => a + r.passed, 0);
const failed = results.reduce((a, r) => a + r.failed, 0);
if (files.length === 0) process.stdout.write('no test files found\n');
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 && files.length > 0 ? 0 : 1);
