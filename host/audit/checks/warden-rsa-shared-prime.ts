/**
 * Warden check WARDEN_RSA_SHARED_PRIME_CHECK (beyond AWS): across the whole fleet (active device
 * and CA certificates), RSA moduli that share a prime factor, found with batch GCD (Heninger et al.,
 * USENIX Security 2012). Such keys are factored instantly. Identical moduli (the same key pair in
 * several certificates) are reported with reason RSA_MODULUS_DUPLICATED.
 */
import type { AuditCheck, AuditResource, CheckFinding } from '../finding.ts';
import { batchGcd } from '../batch-gcd.ts';
import { finding } from './cert-helpers.ts';
import { keyTargets, type KeyTarget } from './key-targets.ts';

export const NAME = 'WARDEN_RSA_SHARED_PRIME_CHECK';

export const check: AuditCheck = {
	name: NAME,
	severity: 'CRITICAL',
	enabledByDefault: true,
	resourcesEvaluated: (s) => keyTargets(s).filter((t) => t.key.rsaModulus !== undefined).length,
	run(s) {
		const byModulus = new Map<bigint, KeyTarget[]>();
		for (const t of keyTargets(s)) {
			const n = t.key.rsaModulus;
			if (n === undefined || n < 2n) continue;
			const list = byModulus.get(n) ?? [];
			list.push(t);
			byModulus.set(n, list);
		}
		const out: CheckFinding[] = [];
		for (const list of byModulus.values()) {
			if (list.length < 2) continue;
			for (const t of list) {
				const related = list.filter((o) => o !== t).map((o) => o.resource());
				out.push(finding(NAME, 'CRITICAL', t.resource(), 'RSA_MODULUS_DUPLICATED', `The same RSA key is used by ${list.length} certificates.`, related));
			}
		}
		const moduli = [...byModulus.keys()];
		const g = batchGcd(moduli);
		const factorOwners = new Map<bigint, number[]>();
		g.forEach((d, i) => {
			if (d === 1n) return;
			const list = factorOwners.get(d) ?? [];
			list.push(i);
			factorOwners.set(d, list);
		});
		for (let i = 0; i < moduli.length; i++) {
			const d = g[i]!;
			if (d === 1n) continue;
			// Related: the other certificates whose gcd with the fleet is the same factor (first 10).
			const related: AuditResource[] = [];
			for (const j of factorOwners.get(d)!) {
				if (j === i) continue;
				for (const t of byModulus.get(moduli[j]!)!) related.push(t.resource());
				if (related.length >= 10) break;
			}
			const bits = d === moduli[i] ? 'ALL' : String(d.toString(2).length);
			for (const t of byModulus.get(moduli[i]!)!) {
				out.push(finding(NAME, 'CRITICAL', t.resource({ SHARED_FACTOR_BITS: bits }), 'RSA_MODULUS_SHARES_PRIME_FACTOR', 'RSA modulus shares a prime factor with another certificate in the fleet; its private key can be computed.', related));
			}
		}
		return out;
	},
};

