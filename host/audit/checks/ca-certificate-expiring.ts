/** AWS check CA_CERTIFICATE_EXPIRING_CHECK (spec §5.1 #7): an active CA certificate expires within the threshold or has expired. */
import { DAY_MS, configDays, type AuditCheck } from '../finding.ts';
import { caCertResource, expiryReason, finding } from './cert-helpers.ts';

export const NAME = 'CA_CERTIFICATE_EXPIRING_CHECK';

export const check: AuditCheck = {
	name: NAME,
	severity: 'MEDIUM',
	enabledByDefault: true,
	resourcesEvaluated: (s) => s.caCertificates.filter((c) => c.status === 'ACTIVE').length,
	run(s, ctx) {
		// Warden extension: the CA check honours CERT_EXPIRATION_THRESHOLD_IN_DAYS too (default 30 days).
		const threshold = configDays(ctx.config, 'CERT_EXPIRATION_THRESHOLD_IN_DAYS', 30) * DAY_MS;
		return s.caCertificates.flatMap((c) => {
			if (c.status !== 'ACTIVE') return [];
			const r = expiryReason(c.notAfter, ctx.now, threshold);
			return r ? [finding(NAME, 'MEDIUM', caCertResource(c, { EXPIRATION_TIME: String(c.notAfter) }), r.code, r.text)] : [];
		});
	},
};
