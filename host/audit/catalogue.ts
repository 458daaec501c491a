/**
 * Every audit check Warden runs (spec §5.1), in catalogue order: the 17 AWS checks, then Warden's
 * key-quality extensions. Legacy and misspelled names are accepted as input and mapped to the
 * canonical name; output always uses the canonical name (spec §5.1, §9 item 10).
 */
import { WardenError } from '../errors.ts';
import type { AuditCheck } from './finding.ts';
import { check as authCognito } from './checks/authenticated-cognito-role-overly-permissive.ts';
import { check as unauthCognito } from './checks/unauthenticated-cognito-role-overly-permissive.ts';
import { check as policyPermissive } from './checks/iot-policy-overly-permissive.ts';
import { check as policyMisconfig } from './checks/iot-policy-potential-mis-configuration.ts';
import { check as roleAliasPermissive } from './checks/iot-role-alias-overly-permissive.ts';
import { check as roleAliasUnused } from './checks/iot-role-alias-allows-access-to-unused-services.ts';
import { check as caExpiring } from './checks/ca-certificate-expiring.ts';
import { check as caKeyQuality } from './checks/ca-certificate-key-quality.ts';
import { check as revokedCa } from './checks/revoked-ca-certificate-still-active.ts';
import { check as intermediateRevoked } from './checks/intermediate-ca-revoked-for-active-device-certificates.ts';
import { check as deviceExpiring } from './checks/device-certificate-expiring.ts';
import { check as deviceAge } from './checks/device-certificate-age.ts';
import { check as deviceKeyQuality } from './checks/device-certificate-key-quality.ts';
import { check as deviceShared } from './checks/device-certificate-shared.ts';
import { check as revokedDevice } from './checks/revoked-device-certificate-still-active.ts';
import { check as conflictingClientIds } from './checks/conflicting-client-ids.ts';
import { check as loggingDisabled } from './checks/logging-disabled.ts';
import { check as rsaTooShort } from './checks/warden-rsa-key-too-short.ts';
import { check as weakEcCurve } from './checks/warden-weak-ec-curve.ts';
import { check as rsaSharedPrime } from './checks/warden-rsa-shared-prime.ts';

export const AUDIT_CHECKS: readonly AuditCheck[] = Object.freeze([
	authCognito,
	unauthCognito,
	policyPermissive,
	policyMisconfig,
	roleAliasPermissive,
	roleAliasUnused,
	caExpiring,
	caKeyQuality,
	revokedCa,
	intermediateRevoked,
	deviceExpiring,
	deviceAge,
	deviceKeyQuality,
	deviceShared,
	revokedDevice,
	conflictingClientIds,
	loggingDisabled,
	rsaTooShort,
	weakEcCurve,
	rsaSharedPrime,
]);

const BY_NAME = new Map(AUDIT_CHECKS.map((c) => [c.name, c]));

/** Input aliases (spec §5.1 legacy names, §9 item 10 spelling). */
export const CHECK_ALIASES: Readonly<Record<string, string>> = Object.freeze({
	IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK: 'IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK',
	REVOKED_CA_CERT_CHECK: 'REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK',
	CA_CERT_APPROACHING_EXPIRATION_CHECK: 'CA_CERTIFICATE_EXPIRING_CHECK',
	DEVICE_CERT_APPROACHING_EXPIRATION_CHECK: 'DEVICE_CERTIFICATE_EXPIRING_CHECK',
	REVOKED_DEVICE_CERT_CHECK: 'REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK',
	AUTHENTICATE_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK: 'AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK',
});

/** The canonical name for `name` (an alias or a canonical name), or null if unknown. */
export function canonicalCheckName(name: string): string | null {
	if (BY_NAME.has(name)) return name;
	return CHECK_ALIASES[name] ?? null;
}

/** The check called `name` (aliases accepted); throws WARDEN_ERR_AUDIT_INVALID for an unknown name. */
export function getCheck(name: string): AuditCheck {
	const canon = canonicalCheckName(name);
	const c = canon ? BY_NAME.get(canon) : undefined;
	if (!c) throw new WardenError('WARDEN_ERR_AUDIT_INVALID', `unknown audit check name: ${name}`, { checkName: name });
	return c;
}
