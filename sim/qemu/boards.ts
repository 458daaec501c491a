/**
 * Board descriptors: `boards/<name>/board.json`. Only boards of kind `qemu-cortex-m` and
 * `qemu-riscv` are built and booted by this harness; the FreeRTOS and ESP-IDF ports are built
 * with their own tools. The Cortex-M boards use the defaults below; other cores name their
 * toolchain and port folder in `toolchain`.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { WardenError } from '../../host/errors.ts';

export const repoRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

export const QEMU_BOARD_KINDS = ['qemu-cortex-m', 'qemu-riscv'] as const;
export type QemuBoardKind = (typeof QEMU_BOARD_KINDS)[number];

export interface BoardToolchain {
	/** Cross compiler driver. */
	readonly gcc: string;
	/** Section size tool (`size -A`). */
	readonly size: string;
	/** Debian package of the compiler, for the missing-tool message. */
	readonly package: string;
	/** Debian package of the QEMU binary. */
	readonly qemuPackage: string;
	/** Folder under firmware/native/ with the start-up, port and UART drivers. */
	readonly port: string;
	/** Linker script in that folder (it INCLUDEs the board's memory.ld). */
	readonly linkerScript: string;
	/** C library specs file for the link ('' when the board's cflags already select one). */
	readonly specs: string;
}

const CORTEX_M_TOOLCHAIN: BoardToolchain = Object.freeze({
	gcc: 'arm-none-eabi-gcc', size: 'arm-none-eabi-size', package: 'gcc-arm-none-eabi', qemuPackage: 'qemu-system-arm',
	port: 'cortex-m', linkerScript: 'cortex-m.ld', specs: 'nano.specs',
});

export interface BoardDescriptor {
	/** Folder name under boards/, also the name the guest sends in its hello frame. */
	readonly name: string;
	readonly description: string;
	readonly kind: QemuBoardKind;
	readonly qemu: {
		readonly binary: string;
		readonly machine: string;
		/** Extra machine arguments (e.g. `-bios none`). */
		readonly args?: readonly string[];
		/** Where log lines go: the second UART (default) or semihosting. */
		readonly console?: 'serial1' | 'semihosting';
	};
	readonly toolchain: BoardToolchain;
	/** Compiler flags selecting the core (e.g. -mcpu=cortex-m4). */
	readonly cflags: readonly string[];
	/** Board sources, relative to the board folder. */
	readonly sources: readonly string[];
	/** SysTick (processor) clock in Hz: turns cycles into instructions under -icount shift=0. */
	readonly sysclkHz: number;
	/** Flash budget for agent + runtime + board code, bytes. */
	readonly flashBudget: number;
	/** RAM budget (data, bss, linear-memory pool, stack), bytes. */
	readonly ramBudget: number;
	/** Absolute path of the board folder. */
	readonly dir: string;
}

/** Names of every board folder whose board.json is of a QEMU kind. */
export function qemuBoardNames(): string[] {
	const dir = join(repoRoot, 'boards');
	return readdirSync(dir)
		.filter((n) => existsSync(join(dir, n, 'board.json')))
		.filter((n) => (QEMU_BOARD_KINDS as readonly string[]).includes((JSON.parse(readFileSync(join(dir, n, 'board.json'), 'utf8')) as { kind?: string }).kind ?? ''))
		.sort();
}

export function loadBoard(name: string): BoardDescriptor {
	const names = qemuBoardNames();
	if (!names.includes(name)) {
		throw new WardenError('WARDEN_ERR_CONFIG', `unknown QEMU board "${name}" (known: ${names.join(', ')})`, { board: name });
	}
	const dir = join(repoRoot, 'boards', name);
	const raw = JSON.parse(readFileSync(join(dir, 'board.json'), 'utf8')) as Omit<BoardDescriptor, 'dir' | 'toolchain'> & { toolchain?: BoardToolchain };
	return Object.freeze({ ...raw, toolchain: raw.toolchain ?? CORTEX_M_TOOLCHAIN, dir });
}
