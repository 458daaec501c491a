/**
 * Wildcard patterns of IoT policies: `*` matches any run of characters, `?` exactly one, and
 * `${var}` is replaced by the request's value for `var` (taken literally: a client id containing
 * `*` does not become a wildcard). `${*}`, `${?}` and `${$}` stand for the literal characters.
 * MQTT's `+` and `#` have no special meaning in policies (spec §5.2, check 4).
 */
import { type PolicyContext, contextValue } from './context.ts';

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Compile a pattern against a context. Returns null when a variable has no value, in which case
 * the pattern matches nothing (a statement is never widened by a missing variable).
 */
export function compilePattern(pattern: string, ctx: PolicyContext | null, ignoreCase = false): RegExp | null {
	let re = '';
	for (const part of parts(pattern)) {
		if (typeof part === 'string') re += part;
		else {
			const v = ctx ? contextValue(ctx, part.variable) : undefined;
			if (typeof v !== 'string') return null;
			re += escapeRe(v);
		}
	}
	const key = `${ignoreCase ? 'i' : 's'}${re}`;
	let compiled = compiledCache.get(key);
	if (!compiled) {
		if (compiledCache.size > 10_000) compiledCache.clear();
		compiled = new RegExp(`^${re}$`, ignoreCase ? 'is' : 's');
		compiledCache.set(key, compiled);
	}
	return compiled;
}

type Part = string | { variable: string };

/** Compiled expressions by source, and parsed patterns: the same policies serve every request. */
const compiledCache = new Map<string, RegExp>();
const partsCache = new Map<string, readonly Part[]>();

/** Split a pattern once into regex-source literals and variable references. */
function parts(pattern: string): readonly Part[] {
	const hit = partsCache.get(pattern);
	if (hit) return hit;
	const out: Part[] = [];
	let lit = '';
	let i = 0;
	while (i < pattern.length) {
		const ch = pattern[i]!;
		if (ch === '$' && pattern[i + 1] === '{') {
			const end = pattern.indexOf('}', i + 2);
			if (end < 0) {
				lit += escapeRe(pattern.slice(i));
				break;
			}
			const name = pattern.slice(i + 2, end);
			if (name === '*' || name === '?' || name === '$') lit += escapeRe(name);
			else {
				if (lit) out.push(lit);
				lit = '';
				out.push({ variable: name });
			}
			i = end + 1;
			continue;
		}
		lit += ch === '*' ? '.*' : ch === '?' ? '.' : escapeRe(ch);
		i++;
	}
	if (lit) out.push(lit);
	if (partsCache.size > 10_000) partsCache.clear();
	partsCache.set(pattern, out);
	return out;
}

export function matchPattern(pattern: string, value: string, ctx: PolicyContext | null, ignoreCase = false): boolean {
	return compilePattern(pattern, ctx, ignoreCase)?.test(value) ?? false;
}
