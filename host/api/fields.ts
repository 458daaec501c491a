/**
 * Reading restJson1 input with precise errors. Every failure is an ApiError
 * InvalidRequestException whose message names the member path and the rule, e.g.
 * `behaviors[2].criteria.durationSeconds must be one of 300, 600, 900, 1800, 3600`.
 */
import { invalidRequest } from './aws-errors.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: unknown };

export interface StringRule {
	min?: number;
	max?: number;
	pattern?: RegExp;
	/** Human description of `pattern` for the error message. */
	patternText?: string;
	oneOf?: readonly string[];
}

export interface NumberRule {
	min?: number;
	max?: number;
	integer?: boolean;
	oneOf?: readonly number[];
}

/** AWS resource names (profiles, behaviors, metrics, dimensions, thing groups): spec §7.1. */
export const NAME_RULE: StringRule = Object.freeze({ min: 1, max: 128, pattern: /^[a-zA-Z0-9:_-]+$/, patternText: '[a-zA-Z0-9:_-]+' });

export function isObject(v: unknown): v is JsonObject {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function typeOf(v: unknown): string {
	return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

export function checkString(v: unknown, path: string, rule: StringRule = {}): string {
	if (typeof v !== 'string') throw invalidRequest(`${path} must be a string (got ${typeOf(v)})`);
	const len = [...v].length;
	if (rule.min !== undefined && len < rule.min) throw invalidRequest(`${path} must be at least ${rule.min} characters long`);
	if (rule.max !== undefined && len > rule.max) throw invalidRequest(`${path} must be at most ${rule.max} characters long`);
	if (rule.pattern && !rule.pattern.test(v)) throw invalidRequest(`${path} must match ${rule.patternText ?? String(rule.pattern)}`);
	if (rule.oneOf && !rule.oneOf.includes(v)) throw invalidRequest(`${path} must be one of ${rule.oneOf.join(', ')}`);
	return v;
}

export function checkNumber(v: unknown, path: string, rule: NumberRule = {}): number {
	if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidRequest(`${path} must be a number (got ${typeOf(v)})`);
	if (rule.integer && !Number.isSafeInteger(v)) throw invalidRequest(`${path} must be an integer`);
	if (rule.min !== undefined && v < rule.min) throw invalidRequest(`${path} must be >= ${rule.min}`);
	if (rule.max !== undefined && v > rule.max) throw invalidRequest(`${path} must be <= ${rule.max}`);
	if (rule.oneOf && !rule.oneOf.includes(v)) throw invalidRequest(`${path} must be one of ${rule.oneOf.join(', ')}`);
	return v;
}

export function checkBoolean(v: unknown, path: string): boolean {
	if (typeof v !== 'boolean') throw invalidRequest(`${path} must be a boolean (got ${typeOf(v)})`);
	return v;
}

export function checkArray(v: unknown, path: string, rule: { min?: number; max?: number } = {}): unknown[] {
	if (!Array.isArray(v)) throw invalidRequest(`${path} must be a list (got ${typeOf(v)})`);
	if (rule.min !== undefined && v.length < rule.min) throw invalidRequest(`${path} must have at least ${rule.min} member(s)`);
	if (rule.max !== undefined && v.length > rule.max) throw invalidRequest(`${path} must have at most ${rule.max} member(s)`);
	return v;
}

export function checkObject(v: unknown, path: string): JsonObject {
	if (!isObject(v)) throw invalidRequest(`${path} must be an object (got ${typeOf(v)})`);
	return v;
}

/** Reader over one JSON object; `path` prefixes member names in messages. */
export class Fields {
	readonly obj: JsonObject;
	readonly path: string;

	constructor(obj: unknown, path = '') {
		this.path = path;
		this.obj = checkObject(obj, path || 'request body');
	}

	at(key: string): string {
		return this.path ? `${this.path}.${key}` : key;
	}

	has(key: string): boolean {
		return this.obj[key] !== undefined && this.obj[key] !== null;
	}

	#req(key: string): unknown {
		if (!this.has(key)) throw invalidRequest(`${this.at(key)} is required`);
		return this.obj[key];
	}

	string(key: string, rule?: StringRule): string {
		return checkString(this.#req(key), this.at(key), rule);
	}
	optString(key: string, rule?: StringRule): string | undefined {
		return this.has(key) ? checkString(this.obj[key], this.at(key), rule) : undefined;
	}
	number(key: string, rule?: NumberRule): number {
		return checkNumber(this.#req(key), this.at(key), rule);
	}
	optNumber(key: string, rule?: NumberRule): number | undefined {
		return this.has(key) ? checkNumber(this.obj[key], this.at(key), rule) : undefined;
	}
	optBoolean(key: string): boolean | undefined {
		return this.has(key) ? checkBoolean(this.obj[key], this.at(key)) : undefined;
	}
	array(key: string, rule?: { min?: number; max?: number }): unknown[] {
		return checkArray(this.#req(key), this.at(key), rule);
	}
	optArray(key: string, rule?: { min?: number; max?: number }): unknown[] | undefined {
		return this.has(key) ? checkArray(this.obj[key], this.at(key), rule) : undefined;
	}
	object(key: string): Fields {
		return new Fields(this.#req(key), this.at(key));
	}
	optObject(key: string): Fields | undefined {
		return this.has(key) ? new Fields(this.obj[key], this.at(key)) : undefined;
	}
}

/** `[{Key, Value}]` tags (spec §3.1). */
export function checkTags(v: unknown, path = 'tags'): { Key: string; Value?: string }[] {
	return checkArray(v, path, { max: 50 }).map((t, i) => {
		const f = new Fields(t, `${path}[${i}]`);
		const Key = f.string('Key', { min: 1, max: 128, pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, patternText: '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$' });
		const Value = f.optString('Value', { max: 256 });
		return Value === undefined ? { Key } : { Key, Value };
	});
}
