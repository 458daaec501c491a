/** AWS check UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK (spec §5.1 #2): any IoT admin action, or broad data-plane access. */
import type { AuditCheck, CheckFinding } from '../finding.ts';
import { finding } from './cert-helpers.ts';
import { THING_ADMIN_READ_ACTIONS, coversAction } from '../policy-analysis.ts';
import { allows, grantsBroadDataPlane, iotAdminReasons, recentIdentityPools } from './iam-analysis.ts';

export const NAME = 'UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK';

export const check: AuditCheck = {
	name: NAME,
	severity: 'CRITICAL',
	enabledByDefault: true,
	resourcesEvaluated: (s, ctx) => recentIdentityPools(s, ctx.now).length,
	run(s, ctx) {
		const out: CheckFinding[] = [];
		for (const p of recentIdentityPools(s, ctx.now)) {
			const resource = { resourceType: 'COGNITO_IDENTITY_POOL' as const, resourceIdentifier: { cognitoIdentityPoolId: p.identityPoolId } };
			// Thing admin reads are never allowed to unauthenticated roles, so any admin reason counts.
			const anyRead = allows(p.unauthenticatedRolePolicies).some((st) => THING_ADMIN_READ_ACTIONS.some((a) => coversAction(st, a)));
			if (anyRead || iotAdminReasons(p.unauthenticatedRolePolicies).length > 0) out.push(finding(NAME, 'CRITICAL', resource, 'ALLOWS_ACCESS_TO_IOT_ADMIN_ACTIONS', 'Unauthenticated role allows IoT admin actions.'));
			if (grantsBroadDataPlane(p.unauthenticatedRolePolicies)) out.push(finding(NAME, 'CRITICAL', resource, 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS', 'Unauthenticated role allows broad access to IoT data plane actions.'));
		}
		return out;
	},
};
