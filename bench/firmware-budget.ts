/**
 * Firmware budgets on the QEMU boards (Cortex-M and RISC-V): flash and RAM of agent + runtime +
 * board code against each board's budgets (board.json), and instructions per report — agent.wasm through wasm2c versus
 * a plain native C snprintf encoder (the baseline, measured in the same run). Counts come from
 * QEMU -icount shift=0 (one instruction per virtual ns), so they are deterministic to one
 * SysTick tick (Cortex-M) or exact (RISC-V mcycle); the bench runs each image twice and says whether the counts matched.
 *
 *   node --import tsx bench/firmware-budget.ts [board...]
 */
import { buildImage } from '../sim/qemu/build.ts';
import { bootBoard } from '../sim/qemu/run.ts';
import { qemuBoardNames } from '../sim/qemu/boards.ts';
import { VirtualClock } from '../host/clock.ts';

interface Case { bytes: number; cycles: number }

async function runBench(board: string): Promise<{ cases: Map<string, Case>; sysclk: number; highwater: number; stack: number }> {
	const lines: string[] = [];
	const b = await bootBoard({
		board,
		main: 'bench',
		brokerUrl: 'mqtt://127.0.0.1:1', // the bench image never opens the stream
		agent: { thingName: 'bench-device', keys: 'long' },
		clock: new VirtualClock(1_767_225_600_000), // fixed wall clock: same report_id digits every run
		icount: true,
		onLog: (l) => lines.push(l),
	});
	const code = await b.exited;
	if (code !== 0) throw new Error(`${board}: bench image exited ${code}\n${lines.join('\n')}`);
	const cases = new Map<string, Case>();
	let sysclk = 0;
	let highwater = 0;
	let stack = 0;
	for (const l of lines) {
		const m = /^bench (\S+) bytes=(\d+) cycles=(\d+)/.exec(l);
		if (m) cases.set(m[1]!, { bytes: Number(m[2]), cycles: Number(m[3]) });
		const h = /^bench highwater=(\d+) stack=(\d+) sysclk=(\d+)/.exec(l);
		if (h) [highwater, stack, sysclk] = [Number(h[1]), Number(h[2]), Number(h[3])];
	}
	return { cases, sysclk, highwater, stack };
}

const kib = (n: number): string => `${(n / 1024).toFixed(1)} KiB`;
const boards = process.argv.slice(2).length > 0 ? process.argv.slice(2) : qemuBoardNames();

for (const board of boards) {
	const img = await buildImage({ board });
	console.log(`\n== ${board}`);
	console.log(`flash ${img.flash} B (${kib(img.flash)}) of ${kib(img.board.flashBudget)} budget: ${img.flash <= img.board.flashBudget ? 'OK' : 'OVER'}`);
	console.log(`RAM   ${img.ram} B (${kib(img.ram)}) of ${kib(img.board.ramBudget)} budget: ${img.ram <= img.board.ramBudget ? 'OK' : 'OVER'}  (linear-memory pool ${img.linearMemory} B)`);
	for (const [owner, v] of Object.entries(img.owners)) {
		console.log(`  ${owner.padEnd(16)} flash ${String(v.flash).padStart(6)}  RAM ${String(v.ram).padStart(6)}`);
	}

	const r1 = await runBench(board);
	const r2 = await runBench(board);
	// the measurement is quantised to one SysTick tick (sysclk cycles), whose phase against the
	// instruction stream depends on when the run started: counts agree to within one tick
	const differing = [...r1.cases]
		.filter(([k, v]) => Math.abs((r2.cases.get(k)?.cycles ?? Infinity) - v.cycles) > 1)
		.map(([k, v]) => `${k} ${v.cycles}/${r2.cases.get(k)?.cycles}`);
	const same = differing.length === 0;
	const instr = (c: Case): number => Math.round((c.cycles * 1e9) / r1.sysclk);
	console.log(`module high-water ${r1.highwater} B, deepest stack ${r1.stack} B; counts repeat (to one SysTick tick, ${Math.round(1e9 / r1.sysclk)} instructions): ${same ? 'yes' : `NO (${differing.join(', ')} cycles)`}`);
	console.log('case                 bytes  instructions  instr/byte');
	for (const [name, c] of r1.cases) {
		if (name === 'agent-start') {
			console.log(`${name.padEnd(20)} ${''.padStart(5)}  ${String(instr(c)).padStart(12)}`);
			continue;
		}
		console.log(`${name.padEnd(20)} ${String(c.bytes).padStart(5)}  ${String(instr(c)).padStart(12)}  ${(instr(c) / Math.max(1, c.bytes)).toFixed(1).padStart(10)}`);
	}
	for (const keys of ['long', 'short'] as const) {
		const w = r1.cases.get(`wasm-json-${keys}`);
		const n = r1.cases.get(`native-json-${keys}`);
		if (w && n) console.log(`ratio wasm2c/native, JSON ${keys} keys: ${(instr(w) / instr(n)).toFixed(2)}x instructions per report`);
	}
	const cbor = r1.cases.get('wasm-cbor-short');
	const nshort = r1.cases.get('native-json-short');
	if (cbor && nshort) console.log(`ratio wasm2c CBOR / native JSON short: ${(instr(cbor) / instr(nshort)).toFixed(2)}x`);
}
