/** AWS check CA_CERTIFICATE_KEY_QUALITY_CHECK (spec §5.1 #8): ROCA (CVE-2017-15361) and Debian weak keys (CVE-2008-0166). */
import type { AuditCheck } from '../finding.ts';
import { caCertResource, finding } from './cert-helpers.ts';
import { keyFlaws } from './key-quality.ts';

export const NAME = 'CA_CERTIFICATE_KEY_QUALITY_CHECK';

export const check: AuditCheck = {
	name: NAME,
	severity: 'CRITICAL',
	enabledByDefault: true,
	resourcesEvaluated: (s) => s.caCertificates.filter((c) => c.status === 'ACTIVE').length,
	run(s, ctx) {
		return s.caCertificates.flatMap((c) =>
			c.status === 'ACTIVE' ? keyFlaws(c.key, ctx.debianWeakKeys).map((f) => finding(NAME, 'CRITICAL', caCertResource(c), f.code, f.text)) : [],
		);
	},
};
