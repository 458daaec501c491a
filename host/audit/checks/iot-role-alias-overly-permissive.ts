/**
 * AWS check IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK (spec §5.1 #5, §5.2): the role behind a role
 * alias grants admin wildcards on services used through the alias in the past year, any access to
 * security-auditing services, IoT admin actions, or broad data-plane access. One finding per reason.
 */
import { DAY_MS, type AuditCheck, type CheckFinding } from '../finding.ts';
import { finding } from './cert-helpers.ts';
import { SECURITY_AUDITING_SERVICES, grantsBroadDataPlane, iotAdminReasons, servicesGranted, wildcardServices } from './iam-analysis.ts';

export const NAME = 'IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK';

export const check: AuditCheck = {
	name: NAME,
	severity: 'CRITICAL',
	enabledByDefault: true,
	resourcesEvaluated: (s) => s.roleAliases.length,
	run(s, ctx) {
		const out: CheckFinding[] = [];
		for (const ra of s.roleAliases) {
			const resource = { resourceType: 'ROLE_ALIAS' as const, resourceIdentifier: { roleAliasArn: ra.roleAliasArn } };
			const related = [{ resourceType: 'IAM_ROLE' as const, resourceIdentifier: { iamRoleArn: ra.roleArn } }];
			const used = new Set(ra.servicesUsed.filter((u) => ctx.now - u.lastUsedAt <= 365 * DAY_MS).map((u) => u.service.toLowerCase()));
			const wild = wildcardServices(ra.rolePolicies);
			const broadUsed = [...used].filter((svc) => wild.has(svc) || wild.has('*'));
			if (broadUsed.length > 0) out.push(finding(NAME, 'CRITICAL', resource, 'ALLOWS_BROAD_ACCESS_TO_USED_SERVICES', `Role grants admin wildcards on used services: ${broadUsed.join(', ')}.`, related));
			const granted = servicesGranted(ra.rolePolicies);
			const auditing = SECURITY_AUDITING_SERVICES.filter((svc) => granted.has(svc) || granted.has('*'));
			if (auditing.length > 0) out.push(finding(NAME, 'CRITICAL', resource, 'ALLOWS_ACCESS_TO_SECURITY_AUDITING_SERVICES', `Role grants access to security auditing services: ${auditing.join(', ')}.`, related));
			for (const code of iotAdminReasons(ra.rolePolicies)) out.push(finding(NAME, 'CRITICAL', resource, code, `Role alias ${ra.roleAlias}: ${code}.`, related));
			if (grantsBroadDataPlane(ra.rolePolicies)) out.push(finding(NAME, 'CRITICAL', resource, 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS', 'Role grants broad access to IoT data plane actions.', related));
		}
		return out;
	},
};
