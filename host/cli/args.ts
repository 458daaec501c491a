/** Helpers that turn raw CLI option values into validated values or a WARDEN_ERR_CLI_USAGE. */
import { WardenError } from '../errors.ts';

export function intOption(name: string, raw: unknown, min: number, max: number): number {
	const n = typeof raw === 'number' ? raw : Number(raw);
	if (!Number.isInteger(n) || n < min || n > max) {
		throw new WardenError('WARDEN_ERR_CLI_USAGE', `--${name} must be an integer from ${min} to ${max} (got ${String(raw)})`, { option: name });
	}
	return n;
}

export function choiceOption<T extends string>(name: string, raw: unknown, choices: readonly T[]): T {
	if (typeof raw !== 'string' || !(choices as readonly string[]).includes(raw)) {
		throw new WardenError('WARDEN_ERR_CLI_USAGE', `--${name} must be one of ${choices.join(', ')} (got ${String(raw)})`, { option: name });
	}
	return raw as T;
}

export function stringOption(name: string, raw: unknown): string {
	if (typeof raw !== 'string' || raw.length === 0) {
		throw new WardenError('WARDEN_ERR_CLI_USAGE', `--${name} is required and must be a non-empty string`, { option: name });
	}
	return raw;
}
