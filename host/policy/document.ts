/**
 * IoT policy documents: parsing and validation. A document is JSON with a `Statement` (one object
 * or a list); each statement has `Effect` Allow|Deny, `Action` or `NotAction`, `Resource` or
 * `NotResource`, and an optional `Condition`. Parsing happens once, at CreatePolicy /
 * CreatePolicyVersion; the evaluator only sees the frozen result.
 */
import { WardenError } from '../errors.ts';

export type Effect = 'Allow' | 'Deny';

/** Condition operators understood by the evaluator (a subset of the IAM grammar). */
export const CONDITION_OPERATORS = [
	'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase',
	'StringLike', 'StringNotLike', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Bool',
	'IpAddress', 'NotIpAddress', 'Null',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export interface ConditionClause {
	operator: ConditionOperator;
	/** Set by the `...IfExists` suffix: a missing key satisfies the clause. */
	ifExists: boolean;
	/** Context key, e.g. `iot:Connection.Thing.IsAttached`. */
	key: string;
	values: readonly string[];
}

export interface PolicyStatement {
	effect: Effect;
	/** Action patterns (`iot:Publish`, `iot:*`); with `notAction` the statement applies to every other action. */
	actions: readonly string[];
	notAction: boolean;
	/** Resource patterns, ARNs with `*` / `?` wildcards and `${...}` policy variables. */
	resources: readonly string[];
	notResource: boolean;
	conditions: readonly ConditionClause[];
}

export interface PolicyDocument {
	version: string | null;
	statements: readonly PolicyStatement[];
}

/** AWS IoT quota: 2048 characters per policy document, whitespace excluded. */
export const MAX_POLICY_CHARS = 2048;

function invalid(path: string, rule: string): never {
	throw new WardenError('WARDEN_ERR_POLICY_INVALID', `${path} ${rule}`, { path });
}

function stringList(v: unknown, path: string): string[] {
	const list = typeof v === 'string' ? [v] : v;
	if (!Array.isArray(list) || list.length === 0) invalid(path, 'must be a non-empty string or list of strings');
	return list.map((s, i) => {
		if (typeof s !== 'string' || s.length === 0) invalid(`${path}[${i}]`, 'must be a non-empty string');
		return s;
	});
}

function parseConditions(v: unknown, path: string): ConditionClause[] {
	if (v === undefined) return [];
	if (typeof v !== 'object' || v === null || Array.isArray(v)) invalid(path, 'must be an object');
	const out: ConditionClause[] = [];
	for (const [opName, block] of Object.entries(v)) {
		const ifExists = opName.endsWith('IfExists');
		const op = ifExists ? opName.slice(0, -'IfExists'.length) : opName;
		if (!(CONDITION_OPERATORS as readonly string[]).includes(op)) invalid(`${path}.${opName}`, `is not a supported condition operator (${CONDITION_OPERATORS.join(', ')})`);
		if (typeof block !== 'object' || block === null || Array.isArray(block)) invalid(`${path}.${opName}`, 'must be an object of key → value(s)');
		for (const [key, values] of Object.entries(block)) {
			const list = (typeof values === 'boolean' ? [String(values)] : stringList(values, `${path}.${opName}.${key}`)).map(String);
			out.push({ operator: op as ConditionOperator, ifExists, key, values: Object.freeze(list) });
		}
	}
	return out;
}

function parseStatement(s: unknown, path: string): PolicyStatement {
	if (typeof s !== 'object' || s === null || Array.isArray(s)) invalid(path, 'must be an object');
	const o = s as Record<string, unknown>;
	if (o.Effect !== 'Allow' && o.Effect !== 'Deny') invalid(`${path}.Effect`, 'must be "Allow" or "Deny"');
	if ((o.Action === undefined) === (o.NotAction === undefined)) invalid(path, 'must have exactly one of Action and NotAction');
	if ((o.Resource === undefined) === (o.NotResource === undefined)) invalid(path, 'must have exactly one of Resource and NotResource');
	const notAction = o.Action === undefined;
	const notResource = o.Resource === undefined;
	const actions = stringList(notAction ? o.NotAction : o.Action, `${path}.${notAction ? 'NotAction' : 'Action'}`);
	actions.forEach((a, i) => {
		if (a !== '*' && !/^[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+$/.test(a)) invalid(`${path}.Action[${i}]`, `must look like "iot:Publish" (got ${JSON.stringify(a)})`);
	});
	const resources = stringList(notResource ? o.NotResource : o.Resource, `${path}.${notResource ? 'NotResource' : 'Resource'}`);
	resources.forEach((r, i) => {
		if (r !== '*' && !r.startsWith('arn:')) invalid(`${path}.Resource[${i}]`, `must be "*" or an ARN (got ${JSON.stringify(r)})`);
	});
	return Object.freeze({
		effect: o.Effect,
		actions: Object.freeze(actions),
		notAction,
		resources: Object.freeze(resources),
		notResource,
		conditions: Object.freeze(parseConditions(o.Condition, `${path}.Condition`)),
	});
}

/** Parse and validate a policy document (the JSON text given to CreatePolicy). */
export function parsePolicyDocument(text: string): PolicyDocument {
	if (typeof text !== 'string' || text.trim() === '') invalid('policyDocument', 'must be a non-empty JSON string');
	if (text.replace(/\s+/g, '').length > MAX_POLICY_CHARS) invalid('policyDocument', `must be at most ${MAX_POLICY_CHARS} characters (whitespace excluded)`);
	let doc: unknown;
	try {
		doc = JSON.parse(text);
	} catch (e) {
		invalid('policyDocument', `is not valid JSON: ${(e as Error).message}`);
	}
	if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) invalid('policyDocument', 'must be a JSON object');
	const o = doc as Record<string, unknown>;
	if (o.Version !== undefined && o.Version !== '2012-10-17' && o.Version !== '2008-10-17') invalid('policyDocument.Version', 'must be "2012-10-17"');
	if (o.Statement === undefined) invalid('policyDocument.Statement', 'is required');
	const list = Array.isArray(o.Statement) ? o.Statement : [o.Statement];
	if (list.length === 0) invalid('policyDocument.Statement', 'must not be empty');
	return Object.freeze({
		version: typeof o.Version === 'string' ? o.Version : null,
		statements: Object.freeze(list.map((s, i) => parseStatement(s, `policyDocument.Statement[${i}]`))),
	});
}
