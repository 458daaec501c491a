/**
 * The agent's persistent slots (docs/abi.md "Persistent slots"): in memory, or a small JSON file
 * in a state directory written atomically (temp file + rename) on every save.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SlotStore {
	/** The saved value, or -1n when the slot was never written. */
	load(slot: number): bigint;
	/** Persist; false when it could not be written. */
	save(slot: number, value: bigint): boolean;
}

export class MemorySlotStore implements SlotStore {
	readonly #slots = new Map<number, bigint>();
	load(slot: number): bigint {
		return this.#slots.get(slot) ?? -1n;
	}
	save(slot: number, value: bigint): boolean {
		this.#slots.set(slot, value);
		return true;
	}
}

export class FileSlotStore implements SlotStore {
	readonly #file: string;
	readonly #slots = new Map<number, bigint>();

	/** @param dir state directory (created when missing) @param name file stem, e.g. the thing name */
	constructor(dir: string, name = 'agent') {
		mkdirSync(dir, { recursive: true });
		this.#file = join(dir, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.slots.json`);
		try {
			const raw = JSON.parse(readFileSync(this.#file, 'utf8')) as Record<string, string>;
			for (const [k, v] of Object.entries(raw)) {
				if (/^\d+$/.test(k) && /^-?\d+$/.test(v)) this.#slots.set(Number(k), BigInt(v));
			}
		} catch {
			// missing or unreadable: start empty (the agent then falls back to its own numbering)
		}
	}

	get file(): string {
		return this.#file;
	}

	load(slot: number): bigint {
		return this.#slots.get(slot) ?? -1n;
	}

	save(slot: number, value: bigint): boolean {
		this.#slots.set(slot, value);
		const obj = Object.fromEntries([...this.#slots].map(([k, v]) => [String(k), v.toString()]));
		try {
			writeFileSync(`${this.#file}.tmp`, JSON.stringify(obj));
			renameSync(`${this.#file}.tmp`, this.#file);
			return true;
		} catch {
			return false;
		}
	}
}
