/**
 * Device and CA certificates (AWS IoT RegisterCACertificate, RegisterCertificate,
 * RegisterCertificateWithoutCA, UpdateCertificate, ...). Ids are the SHA-256 of the DER; every
 * certificate is parsed and, when registered with a CA, its signature is checked against it.
 * Leaving ACTIVE notifies revocation listeners (the broker closes the affected sessions).
 */
import type { CertificateStatus, CaCertificateStatus } from '../audit/snapshot.ts';
import { WardenError } from '../errors.ts';
import { type Registry, conflict, invalid, notFound } from './registry.ts';
import { type ParsedCertificate, checkKeyStrength, isSignedBy, parseCertificatePem } from './x509.ts';

export type { CertificateStatus, CaCertificateStatus };
export const CERTIFICATE_STATUSES: readonly CertificateStatus[] = ['ACTIVE', 'INACTIVE', 'REVOKED', 'PENDING_TRANSFER', 'REGISTER_INACTIVE', 'PENDING_ACTIVATION'];

export interface CertificateDescription {
	certificateArn: string;
	certificateId: string;
	caCertificateId: string | null;
	status: CertificateStatus;
	certificatePem: string;
	ownedBy: string;
	/** Unix ms. */
	creationDate: number;
	lastModifiedDate: number;
	validity: { notBefore: number; notAfter: number };
	/** `DEFAULT` when registered with a CA, `SNI_ONLY` without (AWS CertificateMode). */
	certificateMode: 'DEFAULT' | 'SNI_ONLY';
}

export interface CaCertificateDescription {
	certificateArn: string;
	certificateId: string;
	status: CaCertificateStatus;
	certificatePem: string;
	ownedBy: string;
	creationDate: number;
	lastModifiedDate: number;
	autoRegistrationStatus: 'ENABLE' | 'DISABLE';
	validity: { notBefore: number; notAfter: number };
}

interface CertRow { id: string; pem: string; ca_id: string | null; status: string; mode: string; not_before: number; not_after: number; created_at: number; last_modified: number }
interface CaRow { id: string; pem: string; status: string; auto_registration: string; not_before: number; not_after: number; created_at: number; last_modified: number }

const certArn = (reg: Registry, id: string) => reg.arn(`cert/${id}`);
const caArn = (reg: Registry, id: string) => reg.arn(`cacert/${id}`);

function describeCertRow(reg: Registry, r: CertRow): CertificateDescription {
	return {
		certificateArn: certArn(reg, r.id), certificateId: r.id, caCertificateId: r.ca_id, status: r.status as CertificateStatus,
		certificatePem: r.pem, ownedBy: reg.scope.accountId, creationDate: r.created_at, lastModifiedDate: r.last_modified,
		validity: { notBefore: r.not_before, notAfter: r.not_after }, certificateMode: r.mode === 'SNI_ONLY' ? 'SNI_ONLY' : 'DEFAULT',
	};
}

function describeCaRow(reg: Registry, r: CaRow): CaCertificateDescription {
	return {
		certificateArn: caArn(reg, r.id), certificateId: r.id, status: r.status as CaCertificateStatus, certificatePem: r.pem,
		ownedBy: reg.scope.accountId, creationDate: r.created_at, lastModifiedDate: r.last_modified,
		autoRegistrationStatus: r.auto_registration === 'ENABLE' ? 'ENABLE' : 'DISABLE', validity: { notBefore: r.not_before, notAfter: r.not_after },
	};
}

const ID_RE = /^(0x)?[0-9a-fA-F]{64}$/;
function normId(id: unknown, what: string): string {
	if (typeof id !== 'string' || !ID_RE.test(id)) invalid(`${what} must be 64 hex characters`);
	return (id as string).replace(/^0x/, '').toLowerCase();
}

// ---- CA certificates ----------------------------------------------------------------------

export function registerCACertificate(reg: Registry, input: { caCertificate: string; verificationCertificate?: string; setAsActive?: boolean; allowAutoRegistration?: boolean }): { certificateArn: string; certificateId: string } {
	const ca = parseCertificatePem(input.caCertificate, 'caCertificate');
	if (!ca.isCa) throw new WardenError('WARDEN_ERR_CERT_INVALID', 'caCertificate is not a CA certificate (basicConstraints cA is false)');
	checkKeyStrength(ca, 'caCertificate');
	if (input.verificationCertificate !== undefined) {
		const v = parseCertificatePem(input.verificationCertificate, 'verificationCertificate');
		if (!isSignedBy(v, ca)) throw new WardenError('WARDEN_ERR_CERT_INVALID', 'verificationCertificate is not signed by caCertificate');
	}
	if (reg.sql('SELECT 1 FROM registry_ca_certificates WHERE id = ?').get(ca.id)) {
		throw new WardenError('WARDEN_ERR_REGISTRY_EXISTS', `CA certificate ${ca.id} is already registered`, { resourceId: ca.id, resourceArn: caArn(reg, ca.id) });
	}
	const now = reg.clock.now();
	reg.sql('INSERT INTO registry_ca_certificates (id, pem, status, auto_registration, subject, not_before, not_after, created_at, last_modified) VALUES (?,?,?,?,?,?,?,?,?)')
		.run(ca.id, ca.pem, input.setAsActive ? 'ACTIVE' : 'INACTIVE', input.allowAutoRegistration ? 'ENABLE' : 'DISABLE', ca.subjectText, ca.notBefore, ca.notAfter, now, now);
	reg.bump();
	return { certificateArn: caArn(reg, ca.id), certificateId: ca.id };
}

export function describeCACertificate(reg: Registry, id: string): CaCertificateDescription {
	const row = reg.sql('SELECT * FROM registry_ca_certificates WHERE id = ?').get(normId(id, 'caCertificateId')) as CaRow | undefined;
	if (!row) notFound(`CA certificate ${id}`);
	return describeCaRow(reg, row!);
}

export function listCACertificates(reg: Registry, opts: { ascendingOrder?: boolean } = {}): CaCertificateDescription[] {
	const rows = reg.sql(`SELECT * FROM registry_ca_certificates ORDER BY created_at ${opts.ascendingOrder ? 'ASC' : 'DESC'}, id`).all() as CaRow[];
	return rows.map((r) => describeCaRow(reg, r));
}

export function updateCACertificate(reg: Registry, id: string, input: { newStatus?: string; newAutoRegistrationStatus?: string }): void {
	const ca = describeCACertificate(reg, id);
	if (input.newStatus !== undefined && input.newStatus !== 'ACTIVE' && input.newStatus !== 'INACTIVE') invalid('newStatus must be ACTIVE or INACTIVE');
	if (input.newAutoRegistrationStatus !== undefined && input.newAutoRegistrationStatus !== 'ENABLE' && input.newAutoRegistrationStatus !== 'DISABLE') invalid('newAutoRegistrationStatus must be ENABLE or DISABLE');
	const status = input.newStatus ?? ca.status;
	reg.sql('UPDATE registry_ca_certificates SET status = ?, auto_registration = ?, last_modified = ? WHERE id = ?')
		.run(status, input.newAutoRegistrationStatus ?? ca.autoRegistrationStatus, reg.clock.now(), ca.certificateId);
	reg.bump();
	if (ca.status === 'ACTIVE' && status !== 'ACTIVE') {
		const ids = (reg.sql('SELECT id FROM registry_certificates WHERE ca_id = ?').all(ca.certificateId) as { id: string }[]).map((r) => r.id);
		reg.notifyRevocation({ certificateIds: ids, caCertificateId: ca.certificateId, status });
	}
}

export function deleteCACertificate(reg: Registry, id: string): void {
	const ca = describeCACertificate(reg, id);
	if (ca.status === 'ACTIVE') invalid(`CA certificate ${ca.certificateId} is ACTIVE; set it INACTIVE first (CertificateStateException)`);
	if (reg.sql('SELECT 1 FROM registry_certificates WHERE ca_id = ?').get(ca.certificateId)) conflict(`CA certificate ${ca.certificateId} still has registered device certificates`);
	reg.sql('DELETE FROM registry_ca_certificates WHERE id = ?').run(ca.certificateId);
	reg.bump();
}

/** The registered CA that signed `cert`, if any (preferring `caPem` when given). */
function findIssuingCa(reg: Registry, cert: ParsedCertificate, caPem?: string): CaRow | null {
	if (caPem !== undefined) {
		const ca = parseCertificatePem(caPem, 'caCertificatePem');
		const row = reg.sql('SELECT * FROM registry_ca_certificates WHERE id = ?').get(ca.id) as CaRow | undefined;
		if (!row) notFound(`CA certificate ${ca.id} (register it with RegisterCACertificate first)`);
		if (!isSignedBy(cert, ca)) throw new WardenError('WARDEN_ERR_CERT_INVALID', 'certificatePem is not signed by caCertificatePem');
		return row!;
	}
	for (const row of reg.sql('SELECT * FROM registry_ca_certificates').all() as CaRow[]) {
		if (isSignedBy(cert, parseCertificatePem(row.pem))) return row;
	}
	return null;
}

// ---- device certificates ------------------------------------------------------------------

function insertCertificate(reg: Registry, cert: ParsedCertificate, caId: string | null, status: CertificateStatus, mode: 'DEFAULT' | 'SNI_ONLY') {
	if (reg.sql('SELECT 1 FROM registry_certificates WHERE id = ?').get(cert.id)) {
		throw new WardenError('WARDEN_ERR_REGISTRY_EXISTS', `certificate ${cert.id} is already registered`, { resourceId: cert.id, resourceArn: certArn(reg, cert.id) });
	}
	const now = reg.clock.now();
	reg.sql('INSERT INTO registry_certificates (id, pem, ca_id, status, mode, subject, not_before, not_after, created_at, last_modified) VALUES (?,?,?,?,?,?,?,?,?,?)')
		.run(cert.id, cert.pem, caId, status, mode, cert.subjectText, cert.notBefore, cert.notAfter, now, now);
	reg.bump();
	return { certificateArn: certArn(reg, cert.id), certificateId: cert.id };
}

function checkStatus(s: unknown, allowed: readonly string[]): CertificateStatus {
	if (typeof s !== 'string' || !allowed.includes(s)) invalid(`status must be one of ${allowed.join(', ')} (got ${String(s)})`);
	return s as CertificateStatus;
}

/** RegisterCertificate: signed by a registered CA (given as caCertificatePem or found among registered CAs). */
export function registerCertificate(reg: Registry, input: { certificatePem: string; caCertificatePem?: string; setAsActive?: boolean; status?: string }): { certificateArn: string; certificateId: string } {
	const cert = parseCertificatePem(input.certificatePem);
	checkKeyStrength(cert, 'certificatePem');
	const ca = findIssuingCa(reg, cert, input.caCertificatePem);
	if (!ca) throw new WardenError('WARDEN_ERR_CERT_INVALID', 'certificatePem is not signed by any registered CA certificate (use RegisterCertificateWithoutCA for such certificates)');
	const status = input.status !== undefined ? checkStatus(input.status, ['ACTIVE', 'INACTIVE', 'REVOKED', 'REGISTER_INACTIVE', 'PENDING_ACTIVATION']) : input.setAsActive ? 'ACTIVE' : 'INACTIVE';
	return insertCertificate(reg, cert, ca.id, status, 'DEFAULT');
}

/** RegisterCertificateWithoutCA: the certificate stands alone (AWS certificateMode SNI_ONLY). */
export function registerCertificateWithoutCA(reg: Registry, input: { certificatePem: string; status?: string }): { certificateArn: string; certificateId: string } {
	const cert = parseCertificatePem(input.certificatePem);
	checkKeyStrength(cert, 'certificatePem');
	const status = input.status !== undefined ? checkStatus(input.status, ['ACTIVE', 'INACTIVE']) : 'INACTIVE';
	return insertCertificate(reg, cert, null, status, 'SNI_ONLY');
}

export function describeCertificate(reg: Registry, id: string): CertificateDescription {
	const row = reg.sql('SELECT * FROM registry_certificates WHERE id = ?').get(normId(id, 'certificateId')) as CertRow | undefined;
	if (!row) notFound(`certificate ${id}`);
	return describeCertRow(reg, row!);
}

export function listCertificates(reg: Registry, opts: { ascendingOrder?: boolean; caCertificateId?: string } = {}): CertificateDescription[] {
	const order = `ORDER BY created_at ${opts.ascendingOrder ? 'ASC' : 'DESC'}, id`;
	const rows = opts.caCertificateId !== undefined
		? reg.sql(`SELECT * FROM registry_certificates WHERE ca_id = ? ${order}`).all(normId(opts.caCertificateId, 'caCertificateId'))
		: reg.sql(`SELECT * FROM registry_certificates ${order}`).all();
	return (rows as CertRow[]).map((r) => describeCertRow(reg, r));
}

/**
 * UpdateCertificate. REVOKED is final; PENDING_TRANSFER is set only by a transfer, never here.
 * Leaving ACTIVE disconnects the sessions authenticated by this certificate.
 */
export function updateCertificate(reg: Registry, id: string, newStatus: string): void {
	const cert = describeCertificate(reg, id);
	const status = checkStatus(newStatus, ['ACTIVE', 'INACTIVE', 'REVOKED', 'REGISTER_INACTIVE', 'PENDING_ACTIVATION']);
	if (cert.status === 'REVOKED' && status !== 'REVOKED') invalid(`certificate ${cert.certificateId} is REVOKED; a revoked certificate cannot change status (CertificateStateException)`);
	if (cert.status === 'PENDING_TRANSFER') invalid(`certificate ${cert.certificateId} is PENDING_TRANSFER; accept, reject or cancel the transfer first (CertificateStateException)`);
	reg.sql('UPDATE registry_certificates SET status = ?, last_modified = ? WHERE id = ?').run(status, reg.clock.now(), cert.certificateId);
	reg.bump();
	if (status !== 'ACTIVE') reg.notifyRevocation({ certificateIds: [cert.certificateId], caCertificateId: null, status });
}

/** DeleteCertificate: not while ACTIVE; not while attached to a thing or policy unless forceDelete (which detaches policies). */
export function deleteCertificate(reg: Registry, id: string, opts: { forceDelete?: boolean } = {}): void {
	const cert = describeCertificate(reg, id);
	if (cert.status === 'ACTIVE') invalid(`certificate ${cert.certificateId} is ACTIVE; deactivate it first (CertificateStateException)`);
	if (reg.sql('SELECT 1 FROM registry_thing_principals WHERE principal = ?').get(cert.certificateArn)) conflict(`certificate ${cert.certificateId} is attached to a thing; detach it first`);
	const hasPolicies = reg.sql('SELECT 1 FROM registry_policy_targets WHERE target = ?').get(cert.certificateArn);
	if (hasPolicies && !opts.forceDelete) conflict(`certificate ${cert.certificateId} has attached policies; detach them or use forceDelete`);
	reg.db.transaction(() => {
		reg.sql('DELETE FROM registry_policy_targets WHERE target = ?').run(cert.certificateArn);
		reg.sql('DELETE FROM registry_certificates WHERE id = ?').run(cert.certificateId);
	})();
	reg.notifyRevocation({ certificateIds: [cert.certificateId], caCertificateId: null, status: 'DELETED' });
}
