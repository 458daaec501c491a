/** The certificates Warden's key checks look at: audited device certificates and active CA certificates. */
import { isAuditedStatus, type AuditResource } from '../finding.ts';
import type { AuditSnapshot, PublicKeyInfo } from '../snapshot.ts';
import { caCertResource, deviceCertResource } from './cert-helpers.ts';

export interface KeyTarget {
	key: PublicKeyInfo;
	resource: (info?: Record<string, string>) => AuditResource;
}

export function keyTargets(s: AuditSnapshot): KeyTarget[] {
	const out: KeyTarget[] = [];
	for (const c of s.certificates) if (isAuditedStatus(c.status)) out.push({ key: c.key, resource: (info) => deviceCertResource(c, info) });
	for (const c of s.caCertificates) if (c.status === 'ACTIVE') out.push({ key: c.key, resource: (info) => caCertResource(c, info) });
	return out;
}
