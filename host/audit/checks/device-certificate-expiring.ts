/** AWS check DEVICE_CERTIFICATE_EXPIRING_CHECK (spec §5.1 #11): CERT_EXPIRATION_THRESHOLD_IN_DAYS, default 30. */
import { DAY_MS, configDays, isAuditedStatus, type AuditCheck } from '../finding.ts';
import { deviceCertResource, expiryReason, finding } from './cert-helpers.ts';

export const NAME = 'DEVICE_CERTIFICATE_EXPIRING_CHECK';

export const check: AuditCheck = {
	name: NAME,
	severity: 'MEDIUM',
	enabledByDefault: true,
	resourcesEvaluated: (s) => s.certificates.filter((c) => isAuditedStatus(c.status)).length,
	run(s, ctx) {
		const threshold = configDays(ctx.config, 'CERT_EXPIRATION_THRESHOLD_IN_DAYS', 30) * DAY_MS;
		return s.certificates.flatMap((c) => {
			if (!isAuditedStatus(c.status)) return [];
			const r = expiryReason(c.notAfter, ctx.now, threshold);
			return r ? [finding(NAME, 'MEDIUM', deviceCertResource(c, { EXPIRATION_TIME: String(c.notAfter) }), r.code, r.text)] : [];
		});
	},
};
