/**
 * Stable error codes. Callers branch on `code`, never on the message. Every code here has a
 * row in docs/errors.md (test/errors.test.ts checks both directions). Add codes in the block
 * of the feature that raises them; never renumber or rename one that has shipped.
 */
export const ERROR_CODES = {
	// configuration and CLI
	WARDEN_ERR_CONFIG: 'an option or configuration file value is invalid',
	WARDEN_ERR_CLI_USAGE: 'a command-line argument is missing or malformed',
	WARDEN_ERR_TOOL_MISSING: 'an external tool (QEMU, a cross compiler, wasm2c) is not installed',
	// storage
	WARDEN_ERR_STORAGE: 'the database could not be opened or migrated',
	WARDEN_ERR_LISTEN: 'a listener (MQTT, mTLS, HTTP) could not bind its address, e.g. the port is in use',
	// device reports (spec §1)
	WARDEN_ERR_REPORT_INVALID: 'a device report violates the report schema (answered as InvalidPayload)',
	WARDEN_ERR_REPORT_DUPLICATE: 'a report re-used a report_id not greater than the last accepted one',
	WARDEN_ERR_REPORT_THROTTLED: 'a report arrived sooner than the minimum delay after the previous one',
	WARDEN_ERR_TOPIC_INVALID: 'a publish to a reserved Defender topic with a malformed thing name or format',
	// registry, IoT policies, mTLS identity (spec §5, §7)
	WARDEN_ERR_REGISTRY_NOT_FOUND: 'a thing, group, certificate, CA, policy, version or role alias does not exist (ResourceNotFoundException)',
	WARDEN_ERR_REGISTRY_EXISTS: 'a registry resource with that name or id already exists (ResourceAlreadyExistsException)',
	WARDEN_ERR_REGISTRY_INVALID: 'a registry request is malformed or not allowed in the current state (InvalidRequestException)',
	WARDEN_ERR_REGISTRY_CONFLICT: 'a registry resource is still in use or an expectedVersion did not match (DeleteConflictException / VersionConflictException)',
	WARDEN_ERR_REGISTRY_LIMIT: 'a registry quota was reached, e.g. 5 versions per policy (LimitExceededException)',
	WARDEN_ERR_CERT_INVALID: 'a certificate could not be parsed or its signature does not verify against its CA (CertificateValidationException)',
	WARDEN_ERR_POLICY_INVALID: 'an IoT policy document is malformed (MalformedPolicyException)',
	WARDEN_ERR_MTLS_REFUSED: 'a TLS client certificate was refused at the broker (unknown, inactive, revoked, expired or CA inactive)',
	WARDEN_ERR_NOT_AUTHORIZED: 'an MQTT connect, publish, subscribe or receive was denied by the IoT policies in effect',
	// audit and mitigation (spec §5, §6)
	WARDEN_ERR_AUDIT_INVALID: 'an audit or mitigation request is malformed: unknown check, bad schedule, bad filter (InvalidRequestException)',
	WARDEN_ERR_AUDIT_NOT_FOUND: 'an audit task, finding, scheduled audit, suppression, mitigation action or task does not exist (ResourceNotFoundException)',
	WARDEN_ERR_AUDIT_EXISTS: 'a scheduled audit, suppression or mitigation action with that key already exists (ResourceAlreadyExistsException)',
	WARDEN_ERR_AUDIT_LIMIT: 'an audit or mitigation quota was reached, e.g. 5 scheduled audits (LimitExceededException)',
	WARDEN_ERR_TASK_EXISTS: 'a mitigation task id was re-used with another client request token (TaskAlreadyExistsException)',
	WARDEN_ERR_MITIGATION_FAILED: 'a mitigation action could not be applied to its target',
	// agent runtime
	WARDEN_ERR_AGENT_TRAP: 'the WebAssembly agent trapped and was restarted',
	WARDEN_ERR_AGENT_CONFIG: 'the agent rejected its configuration',
	WARDEN_ERR_TLS_CREDENTIALS: 'a device certificate, private key or CA bundle file is unreadable, not valid PEM, or the key does not match the certificate',
	WARDEN_ERR_TLS_HANDSHAKE: 'the TLS handshake with the broker failed (server certificate not trusted by the CA bundle, name mismatch, protocol refused)',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Base class of every error the service raises on purpose. */
export class WardenError extends Error {
	override name = 'WardenError' as const;
	readonly code: ErrorCode;
	/** Extra machine-readable detail (field path, limit, offending value). */
	readonly detail: Readonly<Record<string, unknown>> | undefined;

	constructor(code: ErrorCode, message: string, detail?: Record<string, unknown>) {
		super(message);
		this.code = code;
		this.detail = detail ? Object.freeze({ ...detail }) : undefined;
	}
}

export function isWardenError(e: unknown): e is WardenError {
	return e instanceof Error && (e as { name?: string }).name === 'WardenError' && typeof (e as { code?: unknown }).code === 'string';
}
