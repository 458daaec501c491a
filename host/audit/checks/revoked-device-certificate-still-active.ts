/** AWS check REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK (spec §5.1 #15): a device certificate on its CA's CRL is still active. */
import { isAuditedStatus, type AuditCheck } from '../finding.ts';
import { deviceCertResource, finding } from './cert-helpers.ts';
import { revocationIndex } from './revocation.ts';

export const NAME = 'REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK';

export const check: AuditCheck = {
	name: NAME,
	severity: 'MEDIUM',
	enabledByDefault: true,
	resourcesEvaluated: (s) => s.certificates.filter((c) => isAuditedStatus(c.status)).length,
	run(s) {
		const revoked = revocationIndex(s);
		return s.certificates.flatMap((c) => {
			if (!isAuditedStatus(c.status)) return [];
			const issuer = c.chain[0] ?? c.caCertificateId;
			const r = revoked(issuer, c.serialNumber);
			return r ? [finding(NAME, 'MEDIUM', deviceCertResource(c, { REVOCATION_TIME: String(r.revokedAt) }), 'CERTIFICATE_REVOKED_BY_ISSUER', 'Device certificate is revoked by its issuer but still active.')] : [];
		});
	},
};
