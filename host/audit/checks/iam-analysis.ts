/** IAM permission classification shared by the role-alias and Cognito checks (spec §5.2, checks 1, 2, 5, 6). */
import {
	THING_ADMIN_READ_ACTIONS,
	THING_ADMIN_WRITE_ACTIONS,
	coversAction,
	grantsNonThingAdmin,
	iotResourcePath,
	statements,
	type NormalStatement,
} from '../policy-analysis.ts';
import type { AuditSnapshot, IdentityPoolRecord, PolicyDocument } from '../snapshot.ts';
import { DAY_MS } from '../finding.ts';
import { broadDataPlaneGrants } from './iot-policy-overly-permissive.ts';

export const SECURITY_AUDITING_SERVICES = ['iam', 'cloudtrail', 'guardduty', 'inspector', 'trustedadvisor'] as const;

export function allows(docs: readonly PolicyDocument[]): NormalStatement[] {
	return docs.flatMap((d) => statements(d)).filter((s) => s.effect === 'Allow');
}

const allResources = (s: NormalStatement) => s.notResource || s.resources.some((r) => r === '*' || /^thing\/\*?$/.test(iotResourcePath(r)) || iotResourcePath(r) === '*');

/** Reason codes for IoT permissions held by a role (spec §5.1 #1, #5). */
export function iotAdminReasons(docs: readonly PolicyDocument[]): string[] {
	const sts = allows(docs);
	const out: string[] = [];
	if (sts.some((s) => THING_ADMIN_WRITE_ACTIONS.some((a) => coversAction(s, a)))) out.push('ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS');
	if (sts.some((s) => allResources(s) && THING_ADMIN_READ_ACTIONS.some((a) => coversAction(s, a)))) out.push('ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS');
	if (sts.some((s) => grantsNonThingAdmin(s))) out.push('ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS');
	return out;
}

export function grantsBroadDataPlane(docs: readonly PolicyDocument[]): boolean {
	return broadDataPlaneGrants(allows(docs)).length > 0;
}

/** Service prefixes (lower case) an Allow statement reaches; `*` means every service. */
export function servicesGranted(docs: readonly PolicyDocument[]): Set<string> {
	const out = new Set<string>();
	for (const s of allows(docs)) {
		if (s.notAction) {
			out.add('*');
			continue;
		}
		for (const a of s.actions) out.add(a === '*' ? '*' : a.split(':')[0]!.toLowerCase());
	}
	return out;
}

/** Services granted with an admin wildcard (`svc:*` or `*`) on every resource. */
export function wildcardServices(docs: readonly PolicyDocument[]): Set<string> {
	const out = new Set<string>();
	for (const s of allows(docs)) {
		if (!(s.notResource || s.resources.includes('*'))) continue;
		for (const a of s.actions) {
			if (a === '*') out.add('*');
			else if (/^[a-z0-9-]+:\*$/i.test(a)) out.add(a.split(':')[0]!.toLowerCase());
		}
	}
	return out;
}

/** Identity pools the Cognito checks evaluate: those used in the 31 days before the audit (spec §5.1 #1, #2). */
export function recentIdentityPools(s: AuditSnapshot, now: number): IdentityPoolRecord[] {
	return s.identityPools.filter((p) => now - p.lastConnectedAt <= 31 * DAY_MS);
}
