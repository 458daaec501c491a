/** AWS check AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK (spec §5.1 #1): pools used in the 31 days before the audit. */
import type { AuditCheck, CheckFinding } from '../finding.ts';
import { finding } from './cert-helpers.ts';
import { iotAdminReasons, recentIdentityPools } from './iam-analysis.ts';

export const NAME = 'AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK';
/** The docs' typo, accepted as input (spec §5.1). */
export const ALIAS = 'AUTHENTICATE_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK';

export const check: AuditCheck = {
	name: NAME,
	severity: 'CRITICAL',
	enabledByDefault: true,
	resourcesEvaluated: (s, ctx) => recentIdentityPools(s, ctx.now).length,
	run(s, ctx) {
		const out: CheckFinding[] = [];
		for (const p of recentIdentityPools(s, ctx.now)) {
			for (const code of iotAdminReasons(p.authenticatedRolePolicies)) {
				out.push(finding(NAME, 'CRITICAL', { resourceType: 'COGNITO_IDENTITY_POOL', resourceIdentifier: { cognitoIdentityPoolId: p.identityPoolId } }, code, `Authenticated role of the identity pool: ${code}.`));
			}
		}
		return out;
	},
};
