/**
 * Integration: a module that passes bad pointers and lengths to the imports, makes a raw
 * out-of-bounds load and recurses without end traps cleanly, is restarted from agent_init, and
 * never changes memory outside its pool or below its stack. Real QEMU, both boards at once.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bootBoard } from '../../sim/qemu/run.ts';
import { repoRoot } from '../../sim/qemu/boards.ts';

/** Assemble the fixture; the .wasm is replaced only when its bytes change (keeps images cached). */
async function badPointerWasm(): Promise<string> {
	const out = join(repoRoot, 'build/firmware/fixtures');
	mkdirSync(out, { recursive: true });
	const wasm = join(out, 'bad-pointer.wasm');
	const tmp = `${wasm}.${process.pid}.tmp`;
	await execa('wat2wasm', [join(repoRoot, 'test/firmware/fixtures/bad-pointer.wat'), '-o', tmp]);
	if (existsSync(wasm) && readFileSync(wasm).equals(readFileSync(tmp))) rmSync(tmp);
	else renameSync(tmp, wasm);
	return wasm;
}

const traps = suite('bootBoard: a module passing bad pointers');

async function trapRun(board: string, wasm: string): Promise<void> {
	const lines: string[] = [];
	const b = await bootBoard({
		board,
		wasm,
		linearMemory: 2048,
		brokerUrl: 'mqtt://127.0.0.1:1', // never opened by this module
		agent: { thingName: 'bad-pointer' },
		onLog: (l) => lines.push(l),
	});
	try {
		// boots 1..6 each trap on their first step; boot 7 runs normally
		const s = await b.waitForStats((x) => x.published >= 7 && x.lastReportId >= 3, 30_000);
		assert.is(s.traps, 6, board);
		assert.is(s.restarts, 6, board);
		assert.is(s.memoryFaults, 0, 'guard bands around the pool intact');
		const trapLines = lines.filter((l) => l.includes('agent trapped'));
		assert.equal(trapLines.map((l) => l.replace(/^.*agent trapped: /, '')), [
			'host:net_recv', 'host:net_send', 'host:metrics_item', 'host:log', 'oob', 'exhaustion',
		]);
		assert.ok(lines.some((l) => l.includes('bad-pointer agent up')), 'the seventh boot logs normally');
		assert.ok(s.stackUsed < 2048, `recursion stopped inside the stack (deepest use ${s.stackUsed} B)`);
	} finally {
		assert.is(await b.stop(), 0, 'firmware still responsive: exits cleanly');
	}
}

traps('each bad range traps, the module restarts cleanly, nothing outside it changes (both boards)', async () => {
	const wasm = await badPointerWasm();
	await Promise.all(['qemu-netduinoplus2', 'qemu-mps2-an385'].map((b) => trapRun(b, wasm)));
});

traps.run();
