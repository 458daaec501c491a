/**
 * A development PKI for `warden certs` and for tests: key pairs from node:crypto (fast, native),
 * X.509 certificates built and signed with node-forge. RSA 2048 / SHA-256 only (node-forge cannot
 * sign with EC keys). Not meant for production CAs: keys are written unencrypted.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export interface KeyAndCert {
	certPem: string;
	keyPem: string;
}

export interface IssueOptions {
	commonName: string;
	/** Validity start, Unix ms (default: now − 1 h, for clock skew). */
	notBefore?: number;
	/** Validity end, Unix ms (default: notBefore + 365 days). */
	notAfter?: number;
	/** Re-use a private key (PEM) instead of generating one (tests: saves ~50 ms per certificate). */
	keyPem?: string;
	organization?: string;
}

export function generateRsaKeyPem(): string {
	return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function build(opts: IssueOptions, issuer: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey } | null, extensions: object[]): KeyAndCert {
	const keyPem = opts.keyPem ?? generateRsaKeyPem();
	const priv = forge.pki.privateKeyFromPem(keyPem) as forge.pki.rsa.PrivateKey;
	const pub = forge.pki.setRsaPublicKey(priv.n, priv.e);
	const cert = forge.pki.createCertificate();
	cert.publicKey = pub;
	// RFC 5280 §4.1.2.2: positive, at most 20 octets
	cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
	const notBefore = opts.notBefore ?? Date.now() - 3_600_000;
	cert.validity.notBefore = new Date(notBefore);
	cert.validity.notAfter = new Date(opts.notAfter ?? notBefore + 365 * 86_400_000);
	const subject = [{ name: 'commonName', value: opts.commonName }, ...(opts.organization ? [{ name: 'organizationName', value: opts.organization }] : [])];
	cert.setSubject(subject);
	cert.setIssuer(issuer ? issuer.cert.subject.attributes : subject);
	cert.setExtensions([...extensions, { name: 'subjectKeyIdentifier' }, ...(issuer ? [{ name: 'authorityKeyIdentifier', keyIdentifier: issuer.cert.generateSubjectKeyIdentifier().getBytes() }] : [])]);
	cert.sign(issuer ? issuer.key : priv, forge.md.sha256.create());
	return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

function loadIssuer(ca: KeyAndCert) {
	return { cert: forge.pki.certificateFromPem(ca.certPem), key: forge.pki.privateKeyFromPem(ca.keyPem) as forge.pki.rsa.PrivateKey };
}

/** A self-signed CA certificate (basicConstraints cA, keyCertSign). */
export function createDevCa(opts: IssueOptions): KeyAndCert {
	return build({ notAfter: (opts.notBefore ?? Date.now()) + 10 * 365 * 86_400_000, ...opts }, null, [
		{ name: 'basicConstraints', cA: true, critical: true },
		{ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
	]);
}

/** A device (TLS client) certificate signed by `ca`; the thing name is the common name. */
export function issueDeviceCertificate(ca: KeyAndCert, opts: IssueOptions): KeyAndCert {
	return build(opts, loadIssuer(ca), [
		{ name: 'basicConstraints', cA: false },
		{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
		{ name: 'extKeyUsage', clientAuth: true },
	]);
}

/** A broker (TLS server) certificate for `hosts` (DNS names or IP addresses) signed by `ca`. */
export function issueServerCertificate(ca: KeyAndCert, opts: IssueOptions & { hosts: readonly string[] }): KeyAndCert {
	const altNames = opts.hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h }));
	return build(opts, loadIssuer(ca), [
		{ name: 'basicConstraints', cA: false },
		{ name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
		{ name: 'extKeyUsage', serverAuth: true },
		{ name: 'subjectAltName', altNames },
	]);
}
