/**
 * Board descriptors: `boards/<name>/board.json`. Only boards of kind `qemu-cortex-m` are built
 * and booted by this harness; the FreeRTOS and ESP-IDF ports are built with their own tools.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { WardenError } from '../../host/errors.ts';

export const repoRoot = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

export interface BoardDescriptor {
	/** Folder name under boards/, also the name the guest sends in its hello frame. */
	readonly name: string;
	readonly description: string;
	readonly kind: 'qemu-cortex-m';
	readonly qemu: { readonly binary: string; readonly machine: string };
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

/** Names of every board folder whose board.json is of kind qemu-cortex-m. */
export function qemuBoardNames(): string[] {
	const dir = join(repoRoot, 'boards');
	return readdirSync(dir)
		.filter((n) => existsSync(join(dir, n, 'board.json')))
		.filter((n) => (JSON.parse(readFileSync(join(dir, n, 'board.json'), 'utf8')) as { kind?: string }).kind === 'qemu-cortex-m')
		.sort();
}

export function loadBoard(name: string): BoardDescriptor {
	const names = qemuBoardNames();
	if (!names.includes(name)) {
		throw new WardenError('WARDEN_ERR_CONFIG', `unknown QEMU board "${name}" (known: ${names.join(', ')})`, { board: name });
	}
	const dir = join(repoRoot, 'boards', name);
	const raw = JSON.parse(readFileSync(join(dir, 'board.json'), 'utf8')) as Omit<BoardDescriptor, 'dir'>;
	return Object.freeze({ ...raw, dir });
}
