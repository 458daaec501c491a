/** AWS check DEVICE_CERTIFICATE_KEY_QUALITY_CHECK (spec §5.1 #13): ROCA (CVE-2017-15361) and Debian weak keys (CVE-2008-0166). */
import { isAuditedStatus, type AuditCheck } from '../finding.ts';
import { deviceCertResource, finding } from './cert-helpers.ts';
import { keyFlaws } from './key-quality.ts';

export const NAME = 'DEVICE_CERTIFICATE_KEY_QUALITY_CHECK';

export const check: AuditCheck = {
	name: NAME,
	severity: 'CRITICAL',
	enabledByDefault: true,
	resourcesEvaluated: (s) => s.certificates.filter((c) => isAuditedStatus(c.status)).length,
	run(s, ctx) {
		return s.certificates.flatMap((c) =>
			isAuditedStatus(c.status) ? keyFlaws(c.key, ctx.debianWeakKeys).map((f) => finding(NAME, 'CRITICAL', deviceCertResource(c), f.code, f.text)) : [],
		);
	},
};
