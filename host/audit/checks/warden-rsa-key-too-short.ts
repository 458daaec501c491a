/**
 * Warden check WARDEN_RSA_KEY_TOO_SHORT_CHECK (beyond AWS, spec §9 item 12): an active device or
 * CA certificate has an RSA key shorter than 2048 bits (NIST SP 800-57 Pt 1 Rev 5 §5.6.1; RSA-1024
 * gives ~80-bit security, disallowed since 2013 by SP 800-131A). Threshold configurable with
 * MIN_RSA_KEY_BITS (default 2048).
 */
import type { AuditCheck } from '../finding.ts';
import { finding } from './cert-helpers.ts';
import { keyTargets } from './key-targets.ts';

export const NAME = 'WARDEN_RSA_KEY_TOO_SHORT_CHECK';

export const check: AuditCheck = {
	name: NAME,
	severity: 'HIGH',
	enabledByDefault: true,
	resourcesEvaluated: (s) => keyTargets(s).filter((t) => t.key.algorithm === 'RSA').length,
	run(s, ctx) {
		const min = Number(ctx.config.MIN_RSA_KEY_BITS ?? 2048) || 2048;
		return keyTargets(s)
			.filter((t) => t.key.algorithm === 'RSA' && t.key.bits < min)
			.map((t) => finding(NAME, 'HIGH', t.resource({ KEY_BITS: String(t.key.bits) }), 'RSA_KEY_TOO_SHORT', `RSA key is ${t.key.bits} bits, below ${min}.`));
	},
};
