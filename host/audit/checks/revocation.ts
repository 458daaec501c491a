/** CRL lookups shared by checks 9, 10 and 15 (RFC 5280 §5.3: a CRL entry names the serial its issuer revoked). */
import type { AuditSnapshot, RevocationRecord } from '../snapshot.ts';

const norm = (serial: string) => serial.replace(/[:\s]/g, '').toUpperCase().replace(/^0+(?=.)/, '');

export type RevocationIndex = (issuerId: string | null, serialNumber: string) => RevocationRecord | undefined;

export function revocationIndex(s: AuditSnapshot): RevocationIndex {
	const map = new Map<string, RevocationRecord>();
	for (const r of s.revocations) map.set(`${r.issuerId}|${norm(r.serialNumber)}`, r);
	return (issuerId, serial) => (issuerId === null ? undefined : map.get(`${issuerId}|${norm(serial)}`));
}
