/** AWS check REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK (spec §5.1 #9): a CA certificate on its issuer's CRL is still ACTIVE. */
import type { AuditCheck } from '../finding.ts';
import { caCertResource, finding } from './cert-helpers.ts';
import { revocationIndex } from './revocation.ts';

export const NAME = 'REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK';

export const check: AuditCheck = {
	name: NAME,
	severity: 'CRITICAL',
	enabledByDefault: true,
	resourcesEvaluated: (s) => s.caCertificates.filter((c) => c.status === 'ACTIVE').length,
	run(s) {
		const revoked = revocationIndex(s);
		return s.caCertificates.flatMap((c) => {
			const r = c.status === 'ACTIVE' ? revoked(c.issuerId, c.serialNumber) : undefined;
			return r ? [finding(NAME, 'CRITICAL', caCertResource(c, { REVOCATION_TIME: String(r.revokedAt) }), 'CERTIFICATE_REVOKED_BY_ISSUER', 'CA certificate is revoked by its issuer but still active.')] : [];
		});
	},
};
