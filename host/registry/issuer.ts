/**
 * CreateKeysAndCertificate: AWS IoT issues the key pair and a certificate signed by its own CA
 * (not a customer CA). Warden keeps one issuing CA per database, created on first use and stored
 * in the registry settings (private key unencrypted, like the rest of warden.db: protect the data
 * directory). Issued certificates are registered without a customer CA (caCertificateId absent).
 */
import { createPublicKey } from 'node:crypto';
import { type KeyAndCert, createDevCa, issueDeviceCertificate } from './dev-pki.ts';
import type { Registry } from './registry.ts';
import { parseCertificatePem } from './x509.ts';

const KEY = 'issuer.ca';

/** The service's issuing CA (created and stored on first use). */
export function serviceIssuer(reg: Registry): KeyAndCert {
	const row = reg.sql('SELECT value FROM registry_settings WHERE key = ?').get(KEY) as { value: string } | undefined;
	if (row) return JSON.parse(row.value) as KeyAndCert;
	const now = reg.clock.now();
	const ca = createDevCa({ commonName: `Warden Issuing CA ${reg.scope.accountId}`, organization: 'Warden', notBefore: now - 3_600_000, notAfter: now + 20 * 365 * 86_400_000 });
	reg.sql('INSERT OR IGNORE INTO registry_settings (key, value) VALUES (?, ?)').run(KEY, JSON.stringify(ca));
	return serviceIssuer(reg);
}

export interface KeysAndCertificate {
	certificateArn: string;
	certificateId: string;
	certificatePem: string;
	keyPair: { PublicKey: string; PrivateKey: string };
}

export function createKeysAndCertificate(reg: Registry, opts: { setAsActive?: boolean } = {}): KeysAndCertificate {
	const now = reg.clock.now();
	const issued = issueDeviceCertificate(serviceIssuer(reg), { commonName: 'AWS IoT Certificate', notBefore: now - 3_600_000, notAfter: Date.UTC(2049, 11, 31, 23, 59, 59) });
	const cert = parseCertificatePem(issued.certPem);
	const at = reg.clock.now();
	reg.sql('INSERT INTO registry_certificates (id, pem, ca_id, status, mode, subject, not_before, not_after, created_at, last_modified) VALUES (?,?,NULL,?,?,?,?,?,?,?)')
		.run(cert.id, cert.pem, opts.setAsActive ? 'ACTIVE' : 'INACTIVE', 'DEFAULT', cert.subjectText, cert.notBefore, cert.notAfter, at, at);
	reg.bump();
	const publicKey = createPublicKey(issued.keyPem).export({ type: 'spki', format: 'pem' }).toString();
	return { certificateArn: reg.arn(`cert/${cert.id}`), certificateId: cert.id, certificatePem: cert.pem, keyPair: { PublicKey: publicKey, PrivateKey: issued.keyPem } };
}
