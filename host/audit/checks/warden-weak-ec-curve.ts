/**
 * Warden check WARDEN_WEAK_EC_CURVE_CHECK (beyond AWS): an active device or CA certificate uses an
 * EC curve with less than 112-bit security (field < 224 bits: secp192r1/prime192v1, secp160*,
 * secp112/128, NIST SP 800-57 Pt 1 Rev 5 Table 2) or a curve Warden does not recognise.
 * secp256k1 and the brainpool curves of 256 bits and more are accepted (RFC 5639).
 */
import type { AuditCheck } from '../finding.ts';
import { finding } from './cert-helpers.ts';
import { keyTargets } from './key-targets.ts';

export const NAME = 'WARDEN_WEAK_EC_CURVE_CHECK';

export const check: AuditCheck = {
	name: NAME,
	severity: 'HIGH',
	enabledByDefault: true,
	resourcesEvaluated: (s) => keyTargets(s).filter((t) => t.key.algorithm === 'EC').length,
	run(s) {
		return keyTargets(s)
			.filter((t) => t.key.algorithm === 'EC' && t.key.bits < 224)
			.map((t) => {
				const curve = t.key.ecCurve ?? 'unknown';
				const code = t.key.bits === 0 ? 'UNKNOWN_EC_CURVE' : 'WEAK_EC_CURVE';
				return finding(NAME, 'HIGH', t.resource({ EC_CURVE: curve }), code, code === 'WEAK_EC_CURVE' ? `EC curve ${curve} gives less than 112-bit security.` : `EC curve ${curve} is not a recognised curve.`);
			});
	},
};
