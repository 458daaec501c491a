/**
 * IoT policy evaluation: every statement of every policy in effect is considered; an explicit
 * Deny wins over any Allow, and no matching Allow means an implicit deny (IAM evaluation logic).
 */
import { BlockList, isIP } from 'node:net';
import type { ConditionClause, PolicyDocument, PolicyStatement } from './document.ts';
import { type PolicyContext, contextValue } from './context.ts';
import { compilePattern, matchPattern } from './pattern.ts';

export interface NamedPolicy {
	name: string;
	document: PolicyDocument;
}

export type Decision = 'ALLOW' | 'EXPLICIT_DENY' | 'IMPLICIT_DENY';

export interface EvaluationResult {
	decision: Decision;
	/** Policy holding the deciding statement (the Deny, or the first matching Allow). */
	policyName: string | null;
	statementIndex: number | null;
}

export interface AuthRequest {
	/** e.g. `iot:Publish` */
	action: string;
	/** e.g. `arn:aws:iot:us-east-1:123456789012:topic/a/b` */
	resource: string;
}

function anyMatches(patterns: readonly string[], value: string, ctx: PolicyContext, ignoreCase: boolean): boolean {
	return patterns.some((p) => (p === '*' ? true : matchPattern(p, value, ctx, ignoreCase)));
}

function ipInCidr(ip: string, cidr: string): boolean {
	const fam = isIP(ip);
	if (!fam) return false;
	const [base, bitsRaw] = cidr.split('/');
	const baseFam = isIP(base ?? '');
	if (!baseFam || baseFam !== fam) return false;
	const bits = bitsRaw === undefined ? (fam === 4 ? 32 : 128) : Number(bitsRaw);
	const list = new BlockList();
	const type = fam === 4 ? 'ipv4' : 'ipv6';
	list.addSubnet(base!, bits, type);
	return list.check(ip, type);
}

function conditionHolds(c: ConditionClause, ctx: PolicyContext): boolean {
	const raw = contextValue(ctx, c.key);
	if (c.operator === 'Null') {
		const wantAbsent = c.values.some((v) => v.toLowerCase() === 'true');
		return wantAbsent === (raw === undefined);
	}
	if (raw === undefined) return c.ifExists || c.operator.includes('Not');
	const actual = typeof raw === 'string' ? [raw] : raw;
	const test = (a: string, v: string): boolean => {
		switch (c.operator) {
			case 'StringEquals': case 'StringNotEquals': case 'ArnEquals': case 'ArnNotEquals': {
				const re = compilePattern(v.replace(/[*?]/g, (m) => `\${${m}}`), ctx);
				return re?.test(a) ?? false;
			}
			case 'StringEqualsIgnoreCase': case 'StringNotEqualsIgnoreCase': {
				const re = compilePattern(v.replace(/[*?]/g, (m) => `\${${m}}`), ctx, true);
				return re?.test(a) ?? false;
			}
			case 'StringLike': case 'StringNotLike': case 'ArnLike': case 'ArnNotLike':
				return matchPattern(v, a, ctx);
			case 'Bool':
				return a.toLowerCase() === v.toLowerCase();
			case 'IpAddress': case 'NotIpAddress':
				return ipInCidr(a, v);
			default:
				return false;
		}
	};
	const matched = actual.some((a) => c.values.some((v) => test(a, v)));
	return c.operator.includes('Not') ? !matched : matched;
}

/** Does one statement apply to the request (action, resource and every condition)? */
export function statementApplies(s: PolicyStatement, req: AuthRequest, ctx: PolicyContext): boolean {
	const actionHit = anyMatches(s.actions, req.action, ctx, true);
	if (actionHit === s.notAction) return false;
	const resourceHit = anyMatches(s.resources, req.resource, ctx, false);
	if (resourceHit === s.notResource) return false;
	return s.conditions.every((c) => conditionHolds(c, ctx));
}

/** Evaluate a request against all policies in effect; explicit Deny wins. */
export function evaluatePolicies(policies: readonly NamedPolicy[], req: AuthRequest, ctx: PolicyContext): EvaluationResult {
	let allow: EvaluationResult | null = null;
	for (const p of policies) {
		const stmts = p.document.statements;
		for (let i = 0; i < stmts.length; i++) {
			const s = stmts[i]!;
			if (!statementApplies(s, req, ctx)) continue;
			if (s.effect === 'Deny') return { decision: 'EXPLICIT_DENY', policyName: p.name, statementIndex: i };
			allow ??= { decision: 'ALLOW', policyName: p.name, statementIndex: i };
		}
	}
	return allow ?? { decision: 'IMPLICIT_DENY', policyName: null, statementIndex: null };
}
