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
	let i = 0;
	while (i < pattern.length) {
		const ch = pattern[i]!;
		if (ch === '$' && pattern[i + 1] === '{') {
			const end = pattern.indexOf('}', i + 2);
			if (end < 0) {
				re += escapeRe(pattern.slice(i));
				break;
			}
			const name = pattern.slice(i + 2, end);
			if (name === '*' || name === '?' || name === '$') re += escapeRe(name);
			else {
				const v = ctx ? contextValue(ctx, name) : undefined;
				if (typeof v !== 'string') return null;
				re += escapeRe(v);
			}
			i = end + 1;
			continue;
		}
		re += ch === '*' ? '.*' : ch === '?' ? '.' : escapeRe(ch);
		i++;
	}
	return new RegExp(`^${re}$`, ignoreCase ? 'is' : 's');
}

export function matchPattern(pattern: string, value: string, ctx: PolicyContext | null, ignoreCase = false): boolean {
	return compilePattern(pattern, ctx, ignoreCase)?.test(value) ?? false;
}
