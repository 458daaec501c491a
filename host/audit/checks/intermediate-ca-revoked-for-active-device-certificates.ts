/**
 * AWS check INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK (spec §5.1 #10): an active
 * device certificate chains through an intermediate CA that its own issuer revoked. One finding per
 * revoked intermediate (resource ISSUER_CERTIFICATE); the affected device certificates are the
 * related resources (served by ListRelatedResourcesForAuditFinding).
 */
import { isAuditedStatus, type AuditCheck, type AuditResource } from '../finding.ts';
import { finding } from './cert-helpers.ts';
import { revocationIndex } from './revocation.ts';

export const NAME = 'INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK';

interface Issuer {
	certificateId: string;
	subject: string;
	serialNumber: string;
	issuerId: string | null;
}

export const check: AuditCheck = {
	name: NAME,
	severity: 'CRITICAL',
	enabledByDefault: true,
	resourcesEvaluated: (s) => s.certificates.filter((c) => isAuditedStatus(c.status)).length,
	run(s) {
		const revoked = revocationIndex(s);
		const issuers = new Map<string, Issuer>();
		for (const i of s.issuerCertificates) issuers.set(i.certificateId, i);
		for (const c of s.caCertificates) issuers.set(c.certificateId, c);
		const affected = new Map<string, AuditResource[]>();
		for (const c of s.certificates) {
			if (!isAuditedStatus(c.status)) continue;
			for (const id of c.chain) {
				const i = issuers.get(id);
				if (!i || !revoked(i.issuerId, i.serialNumber)) continue;
				const list = affected.get(id) ?? [];
				list.push({ resourceType: 'DEVICE_CERTIFICATE', resourceIdentifier: { deviceCertificateId: c.certificateId } });
				affected.set(id, list);
			}
		}
		return [...affected].map(([id, related]) => {
			const i = issuers.get(id)!;
			return finding(
				NAME,
				'CRITICAL',
				{
					resourceType: 'ISSUER_CERTIFICATE',
					resourceIdentifier: { issuerCertificateIdentifier: { issuerCertificateSubject: i.subject, issuerId: i.certificateId, issuerCertificateSerialNumber: i.serialNumber } },
					additionalInfo: { ACTIVE_DEVICE_CERTIFICATES: String(related.length) },
				},
				'INTERMEDIATE_CA_REVOKED_BY_ISSUER',
				`Intermediate CA is revoked by its issuer; ${related.length} active device certificate(s) chain through it.`,
				related,
			);
		});
	},
};
