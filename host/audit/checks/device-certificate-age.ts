/**
 * AWS check DEVICE_CERTIFICATE_AGE_CHECK (spec §5.1 #12): a certificate active for at least
 * CERT_AGE_THRESHOLD_IN_DAYS (30–3652, default 365). Disabled by default. Age counts from the
 * registry creation date (when it became usable in the account).
 */
import { DAY_MS, configDays, isAuditedStatus, type AuditCheck } from '../finding.ts';
import { deviceCertResource, finding } from './cert-helpers.ts';

export const NAME = 'DEVICE_CERTIFICATE_AGE_CHECK';

export const check: AuditCheck = {
	name: NAME,
	severity: 'LOW',
	enabledByDefault: false,
	resourcesEvaluated: (s) => s.certificates.filter((c) => isAuditedStatus(c.status)).length,
	run(s, ctx) {
		const days = Math.min(3652, Math.max(30, configDays(ctx.config, 'CERT_AGE_THRESHOLD_IN_DAYS', 365)));
		return s.certificates.flatMap((c) => {
			if (!isAuditedStatus(c.status) || ctx.now - c.creationDate < days * DAY_MS) return [];
			const age = Math.floor((ctx.now - c.creationDate) / DAY_MS);
			return [
				finding(NAME, 'LOW', deviceCertResource(c, { CERTIFICATE_AGE_IN_DAYS: String(age), CREATION_TIME: String(c.creationDate) }), 'CERTIFICATE_PAST_AGE_THRESHOLD', `Certificate has been active for ${age} days, at or past the ${days}-day threshold.`),
			];
		});
	},
};
