/** AWS check IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK (spec §5.1 #6): the role grants services devices have not used in the last year. */
import { DAY_MS, type AuditCheck, type CheckFinding } from '../finding.ts';
import { finding } from './cert-helpers.ts';
import { servicesGranted } from './iam-analysis.ts';

export const NAME = 'IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK';

export const check: AuditCheck = {
	name: NAME,
	severity: 'MEDIUM',
	enabledByDefault: true,
	resourcesEvaluated: (s) => s.roleAliases.length,
	run(s, ctx) {
		const out: CheckFinding[] = [];
		for (const ra of s.roleAliases) {
			const used = new Set(ra.servicesUsed.filter((u) => ctx.now - u.lastUsedAt <= 365 * DAY_MS).map((u) => u.service.toLowerCase()));
			const unused = [...servicesGranted(ra.rolePolicies)].filter((svc) => !used.has(svc)).sort();
			if (unused.length === 0) continue;
			out.push(
				finding(NAME, 'MEDIUM', { resourceType: 'ROLE_ALIAS', resourceIdentifier: { roleAliasArn: ra.roleAliasArn }, additionalInfo: { UNUSED_SERVICES: unused.join(',') } }, 'ALLOWS_ACCESS_TO_UNUSED_SERVICES', `Role grants services not used in the last year: ${unused.join(', ')}.`, [
					{ resourceType: 'IAM_ROLE', resourceIdentifier: { iamRoleArn: ra.roleArn } },
				]),
			);
		}
		return out;
	},
};
