/**
 * What a check produces (spec §5.5): the AWS `AuditFinding` shape minus the ids and times the
 * task assigns. Checks are pure: `(snapshot, ctx) => CheckFinding[]`.
 */
import type { AuditSnapshot } from './snapshot.ts';

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';

export type ResourceType =
	| 'DEVICE_CERTIFICATE'
	| 'CA_CERTIFICATE'
	| 'IOT_POLICY'
	| 'COGNITO_IDENTITY_POOL'
	| 'CLIENT_ID'
	| 'ACCOUNT_SETTINGS'
	| 'ROLE_ALIAS'
	| 'IAM_ROLE'
	| 'ISSUER_CERTIFICATE';

/** AWS `ResourceIdentifier`: exactly one member set. */
export interface ResourceIdentifier {
	deviceCertificateId?: string;
	caCertificateId?: string;
	cognitoIdentityPoolId?: string;
	clientId?: string;
	policyVersionIdentifier?: { policyName: string; policyVersionId: string };
	account?: string;
	iamRoleArn?: string;
	roleAliasArn?: string;
	issuerCertificateIdentifier?: { issuerCertificateSubject?: string; issuerId?: string; issuerCertificateSerialNumber?: string };
	deviceCertificateArn?: string;
}

export interface AuditResource {
	resourceType: ResourceType;
	resourceIdentifier: ResourceIdentifier;
	additionalInfo?: Record<string, string>;
}

export interface CheckFinding {
	checkName: string;
	severity: Severity;
	nonCompliantResource: AuditResource;
	relatedResources: AuditResource[];
	reasonForNonCompliance: string;
	reasonForNonComplianceCode: string;
}

export interface CheckContext {
	/** Time of the check run (Unix ms). */
	now: number;
	/** The check's `configuration` map from the account audit configuration (string values, spec §5.3). */
	config: Readonly<Record<string, string>>;
	/** Connection-history window for the two connection checks (spec §5.2), Unix ms. */
	connectionWindow: { from: number; to: number };
	/** CVE-2008-0166 blocklist (openssl-blacklist fingerprints); absent = that test finds nothing. */
	debianWeakKeys?: ReadonlySet<string>;
}

export interface AuditCheck {
	/** Canonical wire name (spec §5.1). */
	name: string;
	severity: Severity;
	/** Enabled in a fresh account configuration. */
	enabledByDefault: boolean;
	/** Number of resources the check evaluates (AuditCheckDetails.totalResourcesCount). */
	resourcesEvaluated(snapshot: AuditSnapshot, ctx: CheckContext): number;
	run(snapshot: AuditSnapshot, ctx: CheckContext): CheckFinding[];
}

/** A stable string key of a resource identifier (suppression matching, counting distinct resources). */
export function resourceKey(id: ResourceIdentifier): string {
	const keys = Object.keys(id).sort() as (keyof ResourceIdentifier)[];
	return keys
		.filter((k) => id[k] !== undefined)
		.map((k) => {
			const v = id[k];
			if (typeof v === 'string') return `${k}=${k === 'deviceCertificateId' ? v.replace(/^0x/i, '').toLowerCase() : v}`;
			const o = v as Record<string, string | undefined>;
			return `${k}={${Object.keys(o).sort().filter((x) => o[x] !== undefined).map((x) => `${x}=${o[x]}`).join(',')}}`;
		})
		.join(';');
}

/** Certificates the certificate checks consider (spec §5.2: ACTIVE or PENDING_TRANSFER). */
export function isAuditedStatus(status: string): boolean {
	return status === 'ACTIVE' || status === 'PENDING_TRANSFER';
}

export const DAY_MS = 86_400_000;

/** Parse a positive integer day count from a check configuration value. */
export function configDays(config: Readonly<Record<string, string>>, key: string, fallback: number): number {
	const raw = config[key];
	if (raw === undefined) return fallback;
	const n = Number(raw);
	return Number.isInteger(n) && n > 0 ? n : fallback;
}
