/** Validation of audit inputs shared by the API, the CLI and tests: WARDEN_ERR_AUDIT_INVALID naming the member. */
import { WardenError } from '../errors.ts';
import { canonicalCheckName } from './catalogue.ts';
import type { ResourceIdentifier } from './finding.ts';
import { DAYS_OF_WEEK, FREQUENCIES, type CheckConfig, type DayOfWeek, type Frequency } from './types.ts';

export const invalid = (message: string, detail?: Record<string, unknown>) => new WardenError('WARDEN_ERR_AUDIT_INVALID', message, detail);

export function checkName(name: unknown, path = 'checkName'): string {
	if (typeof name !== 'string') throw invalid(`${path} must be a string`);
	const c = canonicalCheckName(name);
	if (!c) throw invalid(`${path} is not a known audit check: ${name}`, { checkName: name });
	return c;
}

export function checkNames(list: unknown, path = 'targetCheckNames'): string[] {
	if (!Array.isArray(list) || list.length === 0) throw invalid(`${path} must be a non-empty list of check names`);
	return [...new Set(list.map((n, i) => checkName(n, `${path}[${i}]`)))];
}

/** Check configuration values (spec §5.3, §9 item 11: expiry threshold range decided as 1–3652 days). */
export function checkConfig(name: string, v: unknown): CheckConfig {
	const path = `auditCheckConfigurations.${name}`;
	if (typeof v !== 'object' || v === null) throw invalid(`${path} must be an object`);
	const o = v as Record<string, unknown>;
	const enabled = o.enabled === undefined ? false : o.enabled;
	if (typeof enabled !== 'boolean') throw invalid(`${path}.enabled must be a boolean`);
	if (o.configuration === undefined || o.configuration === null) return { enabled };
	if (typeof o.configuration !== 'object') throw invalid(`${path}.configuration must be an object`);
	const configuration: Record<string, string> = {};
	for (const [k, raw] of Object.entries(o.configuration as Record<string, unknown>)) {
		if (typeof raw !== 'string' || raw.length < 1 || raw.length > 64) throw invalid(`${path}.configuration.${k} must be a string of 1 to 64 characters`);
		const range: Record<string, [number, number]> = { CERT_AGE_THRESHOLD_IN_DAYS: [30, 3652], CERT_EXPIRATION_THRESHOLD_IN_DAYS: [1, 3652], MIN_RSA_KEY_BITS: [1024, 16384] };
		const r = range[k];
		if (!r) throw invalid(`${path}.configuration.${k} is not a known configuration key`);
		const n = Number(raw);
		if (!/^\d+$/.test(raw) || n < r[0] || n > r[1]) throw invalid(`${path}.configuration.${k} must be an integer from ${r[0]} to ${r[1]}`);
		configuration[k] = raw;
	}
	return { enabled, configuration };
}

export function frequency(v: unknown): Frequency {
	if (!FREQUENCIES.includes(v as Frequency)) throw invalid(`frequency must be one of ${FREQUENCIES.join(', ')}`);
	return v as Frequency;
}

export function dayOfWeek(v: unknown): DayOfWeek {
	if (!DAYS_OF_WEEK.includes(v as DayOfWeek)) throw invalid(`dayOfWeek must be one of ${DAYS_OF_WEEK.join(', ')}`);
	return v as DayOfWeek;
}

export function dayOfMonth(v: unknown): string {
	if (typeof v !== 'string' || !/^([1-9]|[12][0-9]|3[01])$|^LAST$/.test(v)) throw invalid('dayOfMonth must be "1" to "31" or "LAST"');
	return v;
}

export function name128(v: unknown, path: string): string {
	if (typeof v !== 'string' || !/^[a-zA-Z0-9_-]{1,128}$/.test(v)) throw invalid(`${path} must be 1-128 characters [a-zA-Z0-9_-]`);
	return v;
}

const RESOURCE_ID_KEYS = ['deviceCertificateId', 'caCertificateId', 'cognitoIdentityPoolId', 'clientId', 'policyVersionIdentifier', 'account', 'iamRoleArn', 'roleAliasArn', 'issuerCertificateIdentifier', 'deviceCertificateArn'];

/** A ResourceIdentifier with at least one known member (spec §5.5). */
export function resourceIdentifier(v: unknown, path = 'resourceIdentifier'): ResourceIdentifier {
	if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalid(`${path} must be an object`);
	const o = v as Record<string, unknown>;
	const keys = Object.keys(o).filter((k) => o[k] !== undefined && o[k] !== null);
	if (keys.length === 0) throw invalid(`${path} must have one member`);
	for (const k of keys) {
		if (!RESOURCE_ID_KEYS.includes(k)) throw invalid(`${path}.${k} is not a ResourceIdentifier member`);
		const val = o[k];
		if (k === 'policyVersionIdentifier' || k === 'issuerCertificateIdentifier') {
			if (typeof val !== 'object' || val === null) throw invalid(`${path}.${k} must be an object`);
		} else if (typeof val !== 'string' || val.length === 0) throw invalid(`${path}.${k} must be a non-empty string`);
	}
	if (typeof o.deviceCertificateId === 'string' && !/^(0x)?[a-fA-F0-9]{64}$/.test(o.deviceCertificateId)) throw invalid(`${path}.deviceCertificateId must be 64 hex characters`);
	if (typeof o.account === 'string' && !/^[0-9]{12}$/.test(o.account)) throw invalid(`${path}.account must be 12 digits`);
	return Object.fromEntries(keys.map((k) => [k, o[k]])) as ResourceIdentifier;
}
