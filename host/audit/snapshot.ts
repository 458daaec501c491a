/**
 * The input of every audit check (spec §5.2): a plain-data picture of the registry, the IoT
 * policies, the account settings and the broker's connection history at one moment. Checks are
 * pure functions of this snapshot and `now`; the registry provides an adapter that builds it
 * from its store (`AuditSnapshotSource`). No driver, class or function lives in this type.
 *
 * Times are Unix milliseconds. Certificate ids are the 64-hex SHA-256 of the DER encoding, as in
 * AWS IoT. Fields that Warden does not model (Cognito, IAM) are plain lists that may be empty.
 */

/** Registry certificate states (AWS `CertificateStatus`). */
export type CertificateStatus = 'ACTIVE' | 'INACTIVE' | 'REVOKED' | 'PENDING_TRANSFER' | 'REGISTER_INACTIVE' | 'PENDING_ACTIVATION';

/** CA certificate states (AWS `CACertificateStatus`). */
export type CaCertificateStatus = 'ACTIVE' | 'INACTIVE';

/** The public key fields the key-quality checks need (parsed once by `parseCertificateFields`). */
export interface PublicKeyInfo {
	/** `RSA`, `EC`, `ED25519`, `ED448`, `DSA` or `OTHER`. */
	algorithm: 'RSA' | 'EC' | 'ED25519' | 'ED448' | 'DSA' | 'OTHER';
	/** Key size in bits (RSA modulus length, EC field size, 0 when unknown). */
	bits: number;
	/** RSA modulus n. */
	rsaModulus?: bigint;
	/** RSA public exponent e. */
	rsaExponent?: bigint;
	/** EC curve name as OpenSSL spells it (`prime256v1`, `secp384r1`, `secp256k1`, `prime192v1`, ...). */
	ecCurve?: string;
}

/** Fields read from the X.509 certificate itself. */
export interface CertificateFields {
	/** 64 lower-case hex: SHA-256 of the DER encoding. */
	certificateId: string;
	/** RFC 4514-like subject and issuer strings (`CN=...,O=...`). */
	subject: string;
	issuer: string;
	/** Serial number, upper-case hex without separators. */
	serialNumber: string;
	/** RFC 5280 §4.1.2.5 validity, Unix ms. */
	notBefore: number;
	notAfter: number;
	/** Basic constraints cA flag. */
	isCa: boolean;
	key: PublicKeyInfo;
}

/** A device certificate as registered (DescribeCertificate + parsed fields). */
export interface DeviceCertificateRecord extends CertificateFields {
	certificateArn: string;
	status: CertificateStatus;
	/** Id of the registered CA certificate that signed it; null for self-signed / multi-account registration. */
	caCertificateId: string | null;
	/**
	 * Ids of the issuing certificates from the immediate issuer upwards (entries of
	 * `issuerCertificates` or `caCertificates`), when the chain is known; may be empty.
	 */
	chain: string[];
	creationDate: number;
	lastModifiedDate: number;
	/** PEM text; optional because the bench and large fleets work from parsed fields. */
	pem?: string;
}

/** A registered CA certificate (DescribeCACertificate + parsed fields). */
export interface CaCertificateRecord extends CertificateFields {
	certificateArn: string;
	status: CaCertificateStatus;
	/** Id of the certificate that issued this CA (an entry of `issuerCertificates` or another CA), null if self-signed/unknown. */
	issuerId: string | null;
	creationDate: number;
	lastModifiedDate: number;
	pem?: string;
}

/** An intermediate certificate known from device chains but not registered as a CA. */
export interface IssuerCertificateRecord {
	certificateId: string;
	subject: string;
	serialNumber: string;
	/** Id of the certificate that issued it, if known. */
	issuerId: string | null;
}

/** One CRL entry: the certificate `issuerId` revoked the certificate with `serialNumber` (RFC 5280 §5.3). */
export interface RevocationRecord {
	issuerId: string;
	serialNumber: string;
	revokedAt: number;
}

/** IoT or IAM policy document, already JSON-parsed (`{Version, Statement}`); invalid documents are not in the snapshot. */
export interface PolicyDocument {
	Version?: string;
	Statement: PolicyStatement[] | PolicyStatement;
}

export interface PolicyStatement {
	Sid?: string;
	Effect: 'Allow' | 'Deny';
	Action?: string | string[];
	NotAction?: string | string[];
	Resource?: string | string[];
	NotResource?: string | string[];
	Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

/** An IoT policy with its default version. */
export interface PolicyRecord {
	policyName: string;
	policyArn: string;
	defaultVersionId: string;
	document: PolicyDocument;
	creationDate: number;
	lastModifiedDate: number;
}

/** A policy attached to a certificate (`target` = certificate ARN) or a thing group (`target` = group ARN). */
export interface PolicyAttachmentRecord {
	policyName: string;
	targetType: 'CERTIFICATE' | 'THING_GROUP';
	target: string;
}

export interface ThingRecord {
	thingName: string;
	thingArn: string;
	/** Static thing groups the thing belongs to (names). */
	thingGroups: string[];
	/** Certificate ids attached as principals. */
	principals: string[];
}

export interface ThingGroupRecord {
	thingGroupName: string;
	thingGroupArn: string;
}

/** A role alias and the permissions of the IAM role behind it (Warden models the role as plain data). */
export interface RoleAliasRecord {
	roleAlias: string;
	roleAliasArn: string;
	roleArn: string;
	/** The IAM role's permission policies (may be empty when unknown). */
	rolePolicies: PolicyDocument[];
	/** Services (IAM prefix, e.g. `s3`, `iot`) devices used through this alias, with the last use time. */
	servicesUsed: { service: string; lastUsedAt: number }[];
}

/** A Cognito identity pool that devices used to connect (Warden has none; kept for the two Cognito checks). */
export interface IdentityPoolRecord {
	identityPoolId: string;
	authenticatedRolePolicies: PolicyDocument[];
	unauthenticatedRolePolicies: PolicyDocument[];
	/** Last time a principal of this pool connected to the broker. */
	lastConnectedAt: number;
}

/** Account logging settings (SetLoggingOptions v1 and SetV2LoggingOptions). */
export interface LoggingSettings {
	v1: { enabled: boolean; logLevel?: string; roleArn?: string } | null;
	v2: { enabled: boolean; defaultLogLevel?: string; roleArn?: string } | null;
}

/** One MQTT session as the broker saw it (from `broker.connect` / `broker.disconnect` events). */
export interface ConnectionRecord {
	clientId: string;
	certificateId: string | null;
	thingName: string | null;
	sourceIp: string;
	connectedAt: number;
	/** null while still connected. */
	disconnectedAt: number | null;
	/** The broker's disconnect reason; one containing `duplicate` marks a session taken over by the same client id. */
	disconnectReason: string | null;
}

export interface AuditSnapshot {
	accountId: string;
	region: string;
	/** When the snapshot was taken (Unix ms). */
	takenAt: number;
	certificates: DeviceCertificateRecord[];
	caCertificates: CaCertificateRecord[];
	issuerCertificates: IssuerCertificateRecord[];
	revocations: RevocationRecord[];
	policies: PolicyRecord[];
	policyAttachments: PolicyAttachmentRecord[];
	things: ThingRecord[];
	thingGroups: ThingGroupRecord[];
	roleAliases: RoleAliasRecord[];
	identityPools: IdentityPoolRecord[];
	logging: LoggingSettings;
	connections: ConnectionRecord[];
}

/** What the registry implements so the audit service can take a snapshot. */
export interface AuditSnapshotSource {
	/** Build a snapshot; `connectionsSince` bounds the connection history (Unix ms). */
	snapshot(opts: { now: number; connectionsSince: number }): AuditSnapshot;
}

/** An empty snapshot to build fixtures from. */
export function emptySnapshot(now: number, accountId = '123456789012', region = 'us-east-1'): AuditSnapshot {
	return {
		accountId,
		region,
		takenAt: now,
		certificates: [],
		caCertificates: [],
		issuerCertificates: [],
		revocations: [],
		policies: [],
		policyAttachments: [],
		things: [],
		thingGroups: [],
		roleAliases: [],
		identityPools: [],
		logging: { v1: null, v2: null },
		connections: [],
	};
}
