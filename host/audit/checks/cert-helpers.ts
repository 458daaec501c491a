/** Shared builders for the certificate checks (spec §5.1 resource identifiers). */
import type { AuditResource, CheckFinding, Severity } from '../finding.ts';
import type { CaCertificateRecord, DeviceCertificateRecord } from '../snapshot.ts';

export function deviceCertResource(c: DeviceCertificateRecord, additionalInfo?: Record<string, string>): AuditResource {
	return {
		resourceType: 'DEVICE_CERTIFICATE',
		resourceIdentifier: { deviceCertificateId: c.certificateId },
		...(additionalInfo ? { additionalInfo } : {}),
	};
}

export function caCertResource(c: CaCertificateRecord, additionalInfo?: Record<string, string>): AuditResource {
	return {
		resourceType: 'CA_CERTIFICATE',
		resourceIdentifier: { caCertificateId: c.certificateId },
		...(additionalInfo ? { additionalInfo } : {}),
	};
}

export function finding(
	checkName: string,
	severity: Severity,
	resource: AuditResource,
	code: string,
	reason: string,
	related: AuditResource[] = [],
): CheckFinding {
	return { checkName, severity, nonCompliantResource: resource, relatedResources: related, reasonForNonComplianceCode: code, reasonForNonCompliance: reason };
}

/** Expiry evaluation shared by checks 7 and 11 (spec §5.2). */
export function expiryReason(notAfter: number, now: number, thresholdMs: number): { code: string; text: string } | null {
	if (notAfter <= now) return { code: 'CERTIFICATE_PAST_EXPIRATION', text: 'Certificate is past its expiration.' };
	if (notAfter - now <= thresholdMs) return { code: 'CERTIFICATE_APPROACHING_EXPIRATION', text: 'Certificate is approaching its expiration.' };
	return null;
}
