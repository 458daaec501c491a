/**
 * Builds a QEMU board image: agent.wasm → wasm2c → arm-none-eabi-gcc with the native host
 * layer, the bare-metal wasm2c runtime and the board's code → ELF in build/firmware/. Outputs
 * are rebuilt only when an input is newer. Missing tools raise WARDEN_ERR_TOOL_MISSING.
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, statSync, readdirSync, copyFileSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { WardenError } from '../../host/errors.ts';
import { loadBoard, repoRoot, type BoardDescriptor } from './boards.ts';
import { encodeConfig } from '../../host/agent-runtime/config-tlv.ts';

const nativeDir = join(repoRoot, 'firmware/native');
const cmDir = join(nativeDir, 'cortex-m');
/** Port sources per board kind: start-up, clock, UART drivers. qemu_board.c, port_console.c and the mains are
 * shared (from cortex-m/, through the cm_port.h API every port implements). */
const PORT_SOURCES: Record<string, readonly string[]> = {
	'cortex-m': ['cm_startup.c', 'cm_uart_stm32.c', 'cm_uart_cmsdk.c'],
	riscv: ['rv_port.c', 'rv_uart_ns16550.c'],
};
const WASM_RT_HEADERS = ['/usr/include/wasm-rt.h', '/usr/src/wasm2c/wasm-rt.h', '/usr/share/wabt/wasm2c/wasm-rt.h'];

/** The firmware entry points an image can be built around. */
export const IMAGE_MAINS = {
	/** the agent driver loop talking to the bridge */
	agent: 'qemu_main.c',
	/** the budget benchmark: encodes reports with the agent and with a native C encoder */
	bench: 'bench_main.c',
} as const;
export type ImageMain = keyof typeof IMAGE_MAINS;
const IMAGE_SOURCES: Record<ImageMain, readonly string[]> = {
	agent: ['qemu_main.c'],
	bench: ['bench_main.c', 'native_report.c'],
};

export interface BuildOptions {
	/** Board folder name under boards/. */
	readonly board: string;
	/** The module to embed; default build/agent.wasm. */
	readonly wasm?: string;
	/** Entry point; default `agent`. */
	readonly main?: ImageMain;
	/** Bytes of linear-memory pool (WARDEN_LINEAR_MEMORY_BYTES); default the C default. */
	readonly linearMemory?: number;
}

export interface BuiltImage {
	readonly board: BoardDescriptor;
	readonly elf: string;
	/** Bytes in flash: vectors, code, read-only data and .data's load image. */
	readonly flash: number;
	/** Bytes of RAM: .data, .bss (incl. the linear-memory pool), .noinit and the stack. */
	readonly ram: number;
	/** Output section sizes (arm-none-eabi-size -A). */
	readonly sections: Readonly<Record<string, number>>;
	/** Flash and RAM by owner (agent, runtime, host layer, board, libc, stack), from the link map. */
	readonly owners: Readonly<Record<string, { flash: number; ram: number }>>;
	/** Bytes of linear-memory pool compiled in. */
	readonly linearMemory: number;
	readonly rebuilt: boolean;
}

async function need(tool: string, pkg: string): Promise<void> {
	try {
		await execa(tool, ['--version']);
	} catch {
		throw new WardenError('WARDEN_ERR_TOOL_MISSING', `${tool} is not installed (Debian package ${pkg}; scripts/ensure-debian-deps.sh installs it)`, { tool, pkg });
	}
}

function newest(paths: string[]): number {
	let t = 0;
	for (const p of paths) t = Math.max(t, statSync(p).mtimeMs);
	return t;
}

function cFiles(dir: string): string[] {
	return readdirSync(dir).filter((n) => n.endsWith('.c') || n.endsWith('.h') || n.endsWith('.ld')).map((n) => join(dir, n));
}

/** Own sources compiled with -Wall -Wextra -Werror; the generated agent.c with warnings off. */
export async function buildImage(opts: BuildOptions): Promise<BuiltImage> {
	const board = loadBoard(opts.board);
	const wasm = opts.wasm ?? join(repoRoot, 'build/agent.wasm');
	const main = opts.main ?? 'agent';
	if (!existsSync(wasm)) {
		throw new WardenError('WARDEN_ERR_CONFIG', `module ${wasm} does not exist (run scripts/build.sh)`, { wasm });
	}
	const linearMemory = opts.linearMemory ?? (await poolFor(wasm));
	const variant = `${basename(wasm, '.wasm')}-${main}${opts.linearMemory ? `-m${opts.linearMemory}` : ''}`;
	const out = join(repoRoot, 'build/firmware', board.name, variant);
	const elf = join(out, 'image.elf');
	mkdirSync(out, { recursive: true });

	const portDir = join(nativeDir, board.toolchain.port);
	const inputs = [wasm, ...cFiles(nativeDir), ...cFiles(cmDir), ...cFiles(portDir), ...cFiles(board.dir), join(repoRoot, 'sim/qemu/boards.ts'), join(board.dir, 'board.json'), new URL(import.meta.url).pathname];
	const fresh = (): boolean => existsSync(elf) && statSync(elf).mtimeMs >= newest(inputs);
	if (fresh()) return { ...(await measure(board, elf)), linearMemory, rebuilt: false };

	// test files run in parallel processes: one builds, the others wait for its result
	const release = await lockDir(`${out}.lock`);
	try {
		if (fresh()) return { ...(await measure(board, elf)), linearMemory, rebuilt: false };
		await compile(board, wasm, main, linearMemory, out, elf);
	} finally {
		release();
	}
	return { ...(await measure(board, elf)), linearMemory, rebuilt: true };
}

const LOCK_WAIT_MS = 180_000;
const LOCK_STALE_MS = 300_000;

/** Cross-process lock: mkdir is atomic. Waits (bounded) while another process holds it. */
async function lockDir(path: string): Promise<() => void> {
	const started = Date.now();
	for (;;) {
		try {
			mkdirSync(path);
			return () => rmSync(path, { recursive: true, force: true });
		} catch (e) {
			if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
			const held = statSync(path, { throwIfNoEntry: false });
			if (held && Date.now() - held.mtimeMs > LOCK_STALE_MS) {
				rmSync(path, { recursive: true, force: true }); // a builder that died
				continue;
			}
			if (Date.now() - started > LOCK_WAIT_MS) {
				throw new WardenError('WARDEN_ERR_CONFIG', `another build of ${path} did not finish within ${LOCK_WAIT_MS / 1000} s`, { lock: path });
			}
			await new Promise((r) => setTimeout(r, 200));
		}
	}
}

async function compile(board: BoardDescriptor, wasm: string, main: ImageMain, linearMemory: number, out: string, elf: string): Promise<void> {
	const tc = board.toolchain;
	const portDir = join(nativeDir, tc.port);
	const ownSources = [
		'warden_host.c', 'warden_agent.c', 'warden_link.c', 'warden_rt_baremetal.c', 'warden_runtime_wasm2c.c',
	].map((n) => join(nativeDir, n)).concat(
		(PORT_SOURCES[tc.port] ?? []).map((n) => join(portDir, n)),
		['qemu_board.c', 'port_console.c', ...IMAGE_SOURCES[main]].map((n) => join(cmDir, n)),
		board.sources.map((n) => join(board.dir, n)),
	);

	await need('wasm2c', 'wabt');
	await need(tc.gcc, tc.package);
	const header = WASM_RT_HEADERS.find((p) => existsSync(p));
	if (!header) throw new WardenError('WARDEN_ERR_TOOL_MISSING', 'wasm-rt.h not found (Debian package wabt)', { tool: 'wasm2c' });
	copyFileSync(header, join(out, 'wasm-rt.h'));
	await execa('wasm2c', ['-n', 'agent', wasm, '-o', join(out, 'agent.c')]);
	guardStackBySp(join(out, 'agent.c'));

	const common = [
		...board.cflags, '-Os', '-ffunction-sections', '-fdata-sections', '-std=c11', '-DNDEBUG',
		'-DWASM_RT_USE_STACK_DEPTH_COUNT=1', '-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0',
		`-I${out}`, `-I${nativeDir}`, `-I${cmDir}`, `-I${portDir}`,
		`-DWARDEN_LINEAR_MEMORY_BYTES=${linearMemory}U`,
	];
	const gcc = tc.gcc;
	await execa(gcc, [...common, '-Wall', '-Wextra', '-Werror', '-c', ...ownSources], { cwd: out });
	await execa(gcc, [...common, '-w', '-c', join(out, 'agent.c')], { cwd: out });
	const objects = [...ownSources.map((s) => basename(s, '.c') + '.o'), 'agent.o'];
	await execa(gcc, [
		...board.cflags, '-nostartfiles', ...(tc.specs ? [`--specs=${tc.specs}`] : []), '-Wl,--gc-sections', `-Wl,-Map=${join(out, 'image.map')}`,
		`-L${board.dir}`, '-T', join(portDir, tc.linkerScript), '-o', `${elf}.tmp`, ...objects, '-lm', '-lc', '-lgcc',
	], { cwd: out });
	renameSync(`${elf}.tmp`, elf); // the ELF appears complete or not at all
}

/** Bytes of linear memory the module needs. The agent allocates nothing after agent_init and
 * reports the top of what it touches as stat 9 (linear-memory high-water mark), so the module
 * is instantiated once here in Node with inert imports, initialised with a minimal
 * configuration, and asked. Modules without that export (test fixtures) fall back to the end
 * of their highest data segment. Rounded up to 256 plus POOL_HEAP_MARGIN. */
export const POOL_HEAP_MARGIN = 256;

export async function poolFor(wasm: string): Promise<number> {
	const bytes = readFileSync(wasm);
	const mod = await WebAssembly.compile(bytes);
	let top = 0;
	for (const seg of dataSegments(bytes)) top = Math.max(top, seg.offset + seg.size);
	const imports: Record<string, Record<string, unknown>> = {};
	for (const imp of WebAssembly.Module.imports(mod)) {
		if (imp.kind !== 'function') continue;
		(imports[imp.module] ??= {})[imp.name] = (): number | bigint => (/_ms$|store_load/.test(imp.name) ? 0n : 0);
	}
	try {
		const inst = await WebAssembly.instantiate(mod, imports as WebAssembly.Imports);
		const ex = inst.exports as Record<string, unknown>;
		if (typeof ex.agent_init === 'function' && typeof ex.agent_stat === 'function' && ex.memory instanceof WebAssembly.Memory) {
			const cfg = encodeConfig({ thingName: 'pool-probe' });
			const at = (ex.agent_config_ptr as () => number)();
			new Uint8Array(ex.memory.buffer).set(cfg, at);
			if ((ex.agent_init as (n: number) => number)(cfg.length) >= 0) {
				top = Math.max(top, Number((ex.agent_stat as (id: number) => bigint)(9)));
			}
		}
	} catch {
		// a module that cannot run in Node keeps the data-segment estimate
	}
	return Math.ceil(top / 256) * 256 + POOL_HEAP_MARGIN;
}

/** Active data segments with constant offsets (enough for AssemblyScript output). */
function dataSegments(b: Uint8Array): { offset: number; size: number }[] {
	const leb = (p: { i: number }): number => {
		let r = 0;
		let shift = 0;
		for (;;) {
			const x = b[p.i++]!;
			r |= (x & 0x7f) << shift;
			shift += 7;
			if ((x & 0x80) === 0) return r >>> 0;
		}
	};
	const out: { offset: number; size: number }[] = [];
	const p = { i: 8 };
	while (p.i < b.length) {
		const id = b[p.i++]!;
		const len = leb(p);
		const end = p.i + len;
		if (id === 11) {
			const n = leb(p);
			for (let k = 0; k < n; k++) {
				const flags = leb(p);
				if (flags === 1) { const sz = leb(p); p.i += sz; continue; } // passive
				if (flags === 2) leb(p); // memory index
				let offset = 0;
				if (b[p.i] === 0x41) { p.i++; offset = leb(p); } // i32.const (offsets < 2^31 here)
				while (b[p.i] !== 0x0b) p.i++;
				p.i++;
				const size = leb(p);
				p.i += size;
				out.push({ offset, size });
			}
		}
		p.i = end;
	}
	return out;
}

/** wasm2c bounds recursion by counting calls inline (500 deep): 14 % of the module's code, and
 * on a 2 KiB stack it would overflow long before the count trips. Replace the inline counter
 * with calls to WardenRt_Enter/WardenRt_Leave (warden_rt_baremetal.c): Enter traps EXHAUSTION
 * when the real stack pointer gets within WARDEN_RT_STACK_MARGIN of the stack's end (or the
 * depth passes the limit). The call after the body also keeps GCC from turning unbounded
 * recursion into a loop. If this wabt's generated text differs, the counter stays (safe,
 * just bigger). */
const DEPTH_PROLOGUE = `#define FUNC_PROLOGUE                                            \\
  if (++wasm_rt_call_stack_depth > WASM_RT_MAX_CALL_STACK_DEPTH) \\
    TRAP(EXHAUSTION);

#define FUNC_EPILOGUE --wasm_rt_call_stack_depth`;

function guardStackBySp(file: string): void {
	const c = readFileSync(file, 'utf8');
	if (!c.includes(DEPTH_PROLOGUE)) return;
	writeFileSync(file, c.replace(DEPTH_PROLOGUE,
		'void WardenRt_Enter(void);\nvoid WardenRt_Leave(void);\n#define FUNC_PROLOGUE WardenRt_Enter()\n#define FUNC_EPILOGUE WardenRt_Leave()'));
}

const FLASH_SECTIONS = new Set(['.isr_vector', '.text', '.ARM.exidx', '.data']);
const RAM_SECTIONS = new Set(['.data', '.bss', '.noinit', '.stack']);

async function measure(board: BoardDescriptor, elf: string): Promise<Omit<BuiltImage, 'rebuilt' | 'linearMemory'>> {
	const { stdout } = await execa(board.toolchain.size, ['-A', elf]);
	let flash = 0;
	let ram = 0;
	const sections: Record<string, number> = {};
	for (const line of stdout.split('\n')) {
		const m = /^(\.\S+)\s+(\d+)\s+(\d+)/.exec(line.trim());
		if (!m || m[1]!.startsWith('.debug')) continue;
		const size = Number(m[2]);
		sections[m[1]!] = size;
		if (FLASH_SECTIONS.has(m[1]!)) flash += size;
		if (RAM_SECTIONS.has(m[1]!)) ram += size;
	}
	return { board, elf, flash, ram, sections, owners: owners(join(dirname(elf), 'image.map'), sections['.stack'] ?? 0) };
}

const OWNER_OF: [RegExp, string][] = [
	[/^agent\.o$/, 'agent (wasm2c)'],
	[/^warden_(rt_baremetal|runtime_wasm2c)\.o$/, 'runtime'],
	[/^warden_(host|agent|link)\.o$/, 'host layer'],
	[/^(cm_|rv_|qemu_|board_config)/, 'board'],
	[/^(bench_main|native_report)\.o$/, 'benchmark'],
	[/\.a\(/, 'libc + libgcc'],
];

/** Sum input sections of the link map by owner. */
function owners(mapFile: string, stack: number): Record<string, { flash: number; ram: number }> {
	const out: Record<string, { flash: number; ram: number }> = {};
	if (!existsSync(mapFile)) return out;
	const text = readFileSync(mapFile, 'utf8');
	const body = text.slice(text.indexOf('Linker script and memory map'));
	const re = /^ (\.[\w.$]+|COMMON)(?:\s*\n\s+|\s+)0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+)$/gm;
	for (const m of body.matchAll(re)) {
		const [, sec, , sizeHex, obj] = m;
		const size = parseInt(sizeHex!, 16);
		if (size === 0 || sec!.startsWith('.debug') || sec!.startsWith('.comment') || sec!.startsWith('.ARM.attributes')) continue;
		const base = basename(obj!);
		const owner = OWNER_OF.find(([r]) => r.test(base))?.[1] ?? 'other';
		const o = (out[owner] ??= { flash: 0, ram: 0 });
		if (/^\.(text|rodata|isr_vector|ARM\.exidx)/.test(sec!)) o.flash += size;
		else if (/^\.data/.test(sec!)) { o.flash += size; o.ram += size; }
		else if (/^(\.bss|\.noinit|COMMON)/.test(sec!)) o.ram += size;
	}
	out.stack = { flash: 0, ram: stack };
	return out;
}
