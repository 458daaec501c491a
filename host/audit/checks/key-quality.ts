/** The two published key-quality tests shared by checks 8 and 13 (spec §5.2). */
import { isDebianWeakKey, isRocaVulnerable } from '../key-vulnerabilities.ts';
import type { PublicKeyInfo } from '../snapshot.ts';

export interface KeyFlaw {
	code: string;
	text: string;
}

export function keyFlaws(key: PublicKeyInfo, debianBlocklist: ReadonlySet<string> | undefined): KeyFlaw[] {
	if (key.algorithm !== 'RSA' || key.rsaModulus === undefined) return [];
	const out: KeyFlaw[] = [];
	// CVE-2017-15361 (ROCA, Infineon RSALib)
	if (isRocaVulnerable(key.rsaModulus)) out.push({ code: 'CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361', text: 'Certificate key has the ROCA structure (CVE-2017-15361).' });
	// CVE-2008-0166 (Debian OpenSSL predictable RNG)
	if (isDebianWeakKey(key.rsaModulus, debianBlocklist)) out.push({ code: 'CERTIFICATE_KEY_VULNERABILITY_CVE-2008-0166', text: 'Certificate key is a known Debian weak key (CVE-2008-0166).' });
	return out;
}
