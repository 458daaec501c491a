/** AWS check LOGGING_DISABLED_CHECK (spec §5.1 #17): neither v1 nor v2 logging is enabled. */
import type { AuditCheck } from '../finding.ts';
import { finding } from './cert-helpers.ts';

export const NAME = 'LOGGING_DISABLED_CHECK';

export const check: AuditCheck = {
	name: NAME,
	severity: 'LOW',
	enabledByDefault: true,
	resourcesEvaluated: () => 1,
	run(s) {
		if (s.logging.v1?.enabled || s.logging.v2?.enabled) return [];
		return [finding(NAME, 'LOW', { resourceType: 'ACCOUNT_SETTINGS', resourceIdentifier: { account: s.accountId } }, 'LOGGING_DISABLED', 'Logging is disabled for the account (v1 and v2).')];
	},
};
