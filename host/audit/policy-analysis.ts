/**
 * Reading IoT and IAM policy documents for the policy, role-alias and Cognito checks (spec §5.2).
 * Pure helpers: statement normalisation, action wildcard matching, and the "broad resource"
 * heuristics the AWS docs describe for IOT_POLICY_OVERLY_PERMISSIVE_CHECK.
 */
import type { PolicyDocument, PolicyStatement } from './snapshot.ts';

export interface NormalStatement {
	effect: 'Allow' | 'Deny';
	actions: string[];
	/** True when the statement uses NotAction (so `actions` lists exclusions). */
	notAction: boolean;
	resources: string[];
	notResource: boolean;
	condition: PolicyStatement['Condition'];
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function statements(doc: PolicyDocument): NormalStatement[] {
	const raw = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
	return raw.map((s) => ({
		effect: s.Effect,
		actions: s.NotAction !== undefined ? list(s.NotAction) : list(s.Action),
		notAction: s.NotAction !== undefined,
		resources: s.NotResource !== undefined ? list(s.NotResource) : list(s.Resource),
		notResource: s.NotResource !== undefined,
		condition: s.Condition,
	}));
}

/** IAM-style glob (`*`, `?`), case-insensitive as IAM action names are. */
export function globMatch(pattern: string, value: string, caseInsensitive = true): boolean {
	const esc = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
	return new RegExp(`^${esc}$`, caseInsensitive ? 'i' : '').test(value);
}

/** Does the statement's action list cover `action` (e.g. `iot:Publish`)? */
export function coversAction(s: NormalStatement, action: string): boolean {
	const hit = s.actions.some((a) => globMatch(a, action));
	return s.notAction ? !hit : hit;
}

/** MQTT and shadow/job data-plane actions (everything else under `iot:` is an admin action). */
export const MQTT_ACTIONS = ['iot:Connect', 'iot:Publish', 'iot:Subscribe', 'iot:Receive'] as const;
export const THING_DATA_ACTIONS = [
	'iot:DeleteThingShadow',
	'iot:GetThingShadow',
	'iot:UpdateThingShadow',
	'iot:DescribeJobExecution',
	'iot:GetPendingJobExecutions',
	'iot:StartNextPendingJobExecution',
	'iot:UpdateJobExecution',
] as const;
export const DATA_PLANE_ACTIONS: readonly string[] = [...MQTT_ACTIONS, ...THING_DATA_ACTIONS, 'iot:RetainPublish', 'iot:ListNamedShadowsForThing', 'iot:GetRetainedMessage', 'iot:ListRetainedMessages'];

/** Thing management actions (never allowed to Cognito roles, spec §5.2). */
export const THING_ADMIN_WRITE_ACTIONS = [
	'iot:AddThingToThingGroup', 'iot:AttachThingPrincipal', 'iot:CreateThing', 'iot:DeleteThing', 'iot:DetachThingPrincipal',
	'iot:ListThings', 'iot:ListThingsInThingGroup', 'iot:RegisterThing', 'iot:RemoveThingFromThingGroup', 'iot:UpdateThing',
	'iot:UpdateThingGroupsForThing',
] as const;
export const THING_ADMIN_READ_ACTIONS = ['iot:DescribeThing', 'iot:ListJobExecutionsForThing', 'iot:ListThingGroupsForThing', 'iot:ListThingPrincipals'] as const;
/** Representative non-thing admin actions: enough to detect `iot:*`, `iot:Create*`, explicit grants. */
export const NON_THING_ADMIN_ACTIONS = [
	'iot:CreatePolicy', 'iot:AttachPolicy', 'iot:UpdateCertificate', 'iot:CreateKeysAndCertificate', 'iot:DeleteCertificate',
	'iot:CreateTopicRule', 'iot:SetV2LoggingOptions', 'iot:UpdateAccountAuditConfiguration', 'iot:CreateRoleAlias', 'iot:DeletePolicy',
	'iot:ListPolicies', 'iot:ListCertificates', 'iot:CreateJob', 'iot:UpdateCACertificate',
] as const;

/** Does the statement grant any iot action that is not data plane and not a thing action? */
export function grantsNonThingAdmin(s: NormalStatement): boolean {
	if (NON_THING_ADMIN_ACTIONS.some((a) => coversAction(s, a))) return true;
	if (s.notAction) return false;
	return s.actions.some((a) => {
		if (!/^iot:/i.test(a) || a.includes('*')) return false;
		const known = [...DATA_PLANE_ACTIONS, ...THING_ADMIN_WRITE_ACTIONS, ...THING_ADMIN_READ_ACTIONS].some((k) => k.toLowerCase() === a.toLowerCase());
		return !known;
	});
}

/** The part of an IoT resource ARN after `arn:aws:iot:<region>:<account>:`; `*` stays `*`. */
export function iotResourcePath(resource: string): string {
	const m = /^arn:[^:]*:iot:[^:]*:[^:]*:(.*)$/.exec(resource);
	return m ? m[1]! : resource;
}

/** Does a condition require `iot:Connection.Thing.IsAttached` to be true? */
export function requiresIsAttached(cond: PolicyStatement['Condition']): boolean {
	if (!cond) return false;
	for (const op of Object.values(cond)) {
		for (const [k, v] of Object.entries(op)) {
			if (k.toLowerCase() === 'iot:connection.thing.isattached' && (v === true || v === 'true' || (Array.isArray(v) && v.includes('true')))) return true;
		}
	}
	return false;
}

/** A name segment that matches every device: empty, `*`, an MQTT wildcard, or starting with `*`. */
function broadSegment(seg: string | undefined): boolean {
	return seg === undefined || seg === '' || seg === '+' || seg === '#' || seg.startsWith('*') || seg === '${iot:ClientId}';
}

/**
 * Is `resource` a broad grant of `action` (spec §5.2, check 3)? Resource-type prefixes:
 * `client/`, `topic/`, `topicfilter/`, `thing/`. A wildcard after a specific prefix is restricted.
 */
export function isBroadResource(action: string, resource: string, cond: PolicyStatement['Condition']): boolean {
	const path = iotResourcePath(resource);
	if (path === '*' || path.startsWith('*')) return action !== 'iot:Receive';
	const slash = path.indexOf('/');
	const type = slash < 0 ? path : path.slice(0, slash);
	const rest = slash < 0 ? '' : path.slice(slash + 1);
	switch (action) {
		case 'iot:Connect':
			if (type !== 'client') return false;
			if (rest === '${iot:ClientId}') return !requiresIsAttached(cond);
			return broadSegment(rest);
		case 'iot:Publish':
		case 'iot:Subscribe': {
			if (type !== (action === 'iot:Publish' ? 'topic' : 'topicfilter')) return false;
			if (broadSegment(rest)) return true;
			const segs = rest.split('/');
			// $aws/things/<thing>/...: the thing segment decides.
			if (segs[0] === '$aws' && segs[1] === 'things') return broadSegment(segs[2]);
			return false;
		}
		case 'iot:Receive':
			return false; // receive is limited by the subscribe permission
		default:
			if (type !== 'thing') return false;
			return broadSegment(rest);
	}
}
