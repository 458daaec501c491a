/**
 * Request-side helpers for route modules: the JSON body, path labels, query parameters and
 * pagination, all failing with InvalidRequestException and a message naming the parameter.
 */
import type { Context } from 'hono';
import { invalidRequest } from './aws-errors.ts';
import { checkObject, checkString, type JsonObject, NAME_RULE, type StringRule } from './fields.ts';

/** Hono environment of the API app: the raw body is read once (for SigV4) and kept here. */
export interface ApiEnv {
	Variables: { rawBody: string };
}
export type ApiCtx = Context<ApiEnv>;

/** Largest request body accepted (bytes); larger → 400 InvalidRequestException. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The JSON body as an object; empty body → `{}`. */
export function jsonBody(c: ApiCtx): JsonObject {
	const raw = c.get('rawBody') ?? '';
	if (raw.trim() === '') return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch (e) {
		throw invalidRequest(`request body is not valid JSON: ${(e as Error).message}`);
	}
	return checkObject(parsed, 'request body');
}

/** A path label, decoded, checked against `rule` (default: AWS resource name rule). */
export function pathParam(c: ApiCtx, name: string, rule: StringRule = NAME_RULE): string {
	let v: string | undefined;
	try {
		v = c.req.param(name);
	} catch {
		throw invalidRequest(`${name} is not correctly percent-encoded`);
	}
	return checkString(v ?? '', name, rule);
}

function queryRaw(c: ApiCtx, name: string): string | undefined {
	const all = c.req.queries(name);
	if (!all || all.length === 0) return undefined;
	if (all.length > 1) throw invalidRequest(`query parameter ${name} must be given at most once`);
	return all[0];
}

export function queryString(c: ApiCtx, name: string, rule?: StringRule & { required?: boolean }): string | undefined {
	const v = queryRaw(c, name);
	if (v === undefined) {
		if (rule?.required) throw invalidRequest(`query parameter ${name} is required`);
		return undefined;
	}
	return checkString(v, name, rule);
}

export function queryInt(c: ApiCtx, name: string, min: number, max: number): number | undefined {
	const v = queryRaw(c, name);
	if (v === undefined) return undefined;
	if (!/^-?\d{1,16}$/.test(v) || +v < min || +v > max) throw invalidRequest(`${name} must be an integer from ${min} to ${max}`);
	return +v;
}

export function queryBool(c: ApiCtx, name: string): boolean | undefined {
	const v = queryRaw(c, name);
	if (v === undefined) return undefined;
	if (v !== 'true' && v !== 'false') throw invalidRequest(`${name} must be true or false`);
	return v === 'true';
}

/** An ISO-8601 date-time query parameter (restJson1) → Unix ms. */
export function queryDate(c: ApiCtx, name: string, required = false): number | undefined {
	const v = queryRaw(c, name);
	if (v === undefined) {
		if (required) throw invalidRequest(`query parameter ${name} is required`);
		return undefined;
	}
	const ms = /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : Number.NaN;
	if (Number.isNaN(ms)) throw invalidRequest(`${name} must be an ISO-8601 date-time such as 2026-01-31T00:00:00Z`);
	return ms;
}

/** restJson1 body timestamps are epoch seconds (fractional ms allowed), spec §7.3. */
export function epochSeconds(ms: number): number {
	return ms / 1000;
}

export interface Page<T> {
	items: T[];
	nextToken?: string;
}

/**
 * Offset pagination over an already ordered list. Tokens are opaque (base64url of the offset and
 * a tag of the operation) so a token from one List operation is refused by another.
 */
export function paginate<T>(all: readonly T[], opts: { nextToken?: string | undefined; maxResults?: number | undefined; tag: string; defaultMax?: number }): Page<T> {
	let start = 0;
	if (opts.nextToken !== undefined) {
		let decoded: unknown;
		try {
			decoded = JSON.parse(Buffer.from(opts.nextToken, 'base64url').toString('utf8'));
		} catch {
			decoded = undefined;
		}
		const d = decoded as { t?: unknown; o?: unknown } | undefined;
		if (!d || d.t !== opts.tag || typeof d.o !== 'number' || !Number.isInteger(d.o) || d.o < 0) throw invalidRequest('nextToken is invalid');
		start = d.o;
	}
	const max = opts.maxResults ?? opts.defaultMax ?? 250;
	const items = all.slice(start, start + max);
	const end = start + items.length;
	return end < all.length ? { items, nextToken: Buffer.from(JSON.stringify({ t: opts.tag, o: end })).toString('base64url') } : { items };
}

/** Read the standard `nextToken`/`maxResults` query pair (maxResults 1..`max`). */
export function pageQuery(c: ApiCtx, max = 250): { nextToken: string | undefined; maxResults: number | undefined } {
	return { nextToken: queryString(c, 'nextToken', { min: 1, max: 4096 }), maxResults: queryInt(c, 'maxResults', 1, max) };
}
