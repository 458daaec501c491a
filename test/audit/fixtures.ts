/**
 * Real X.509 fixtures for the audit tests: keys from node:crypto (fast), certificates built and
 * signed with node-forge. Any SubjectPublicKeyInfo can be embedded (EC curves forge cannot
 * create, a hand-built ROCA-structured RSA modulus), by swapping the SPKI in the TBS certificate
 * and signing the result with the issuer's RSA key.
 */
import forge from 'node-forge';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { parseCertificateFields } from '../../host/audit/cert-fields.ts';
import type { CaCertificateRecord, DeviceCertificateRecord } from '../../host/audit/snapshot.ts';

const asn1 = forge.asn1;

export interface Issuer {
	pem: string;
	forgeKey: forge.pki.rsa.PrivateKey;
	subjectCn: string;
}

export interface CertOptions {
	cn: string;
	serial?: string;
	notBefore?: number;
	notAfter?: number;
	isCa?: boolean;
	/** DER SubjectPublicKeyInfo of the certified key. */
	spki: Buffer;
	/** Issuer; omitted = self-signed with `signer`. */
	issuer?: Issuer;
	signer?: forge.pki.rsa.PrivateKey;
}

export function rsaKey(bits: number): { publicKey: KeyObject; privateKey: KeyObject } {
	return generateKeyPairSync('rsa', { modulusLength: bits });
}

export function ecKey(curve: string): { publicKey: KeyObject; privateKey: KeyObject } {
	return generateKeyPairSync('ec', { namedCurve: curve });
}

export const spkiOf = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });

/** DER SubjectPublicKeyInfo for an RSA public key given as numbers. */
export function rsaSpki(n: bigint, e = 65537n): Buffer {
	const pub = forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger(n.toString(16), 16), new forge.jsbn.BigInteger(e.toString(16), 16));
	return Buffer.from(asn1.toDer(forge.pki.publicKeyToAsn1(pub)).getBytes(), 'binary');
}

const placeholder = forge.pki.privateKeyFromPem(rsaKey(1024).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string);

export function forgeKey(k: KeyObject): forge.pki.rsa.PrivateKey {
	return forge.pki.privateKeyFromPem(k.export({ type: 'pkcs1', format: 'pem' }) as string);
}

/** Build a certificate PEM with an arbitrary SPKI. */
export function makeCert(o: CertOptions): string {
	const cert = forge.pki.createCertificate();
	cert.publicKey = forge.pki.setRsaPublicKey(placeholder.n, placeholder.e);
	cert.serialNumber = o.serial ?? '01';
	cert.validity.notBefore = new Date(o.notBefore ?? Date.UTC(2025, 0, 1));
	cert.validity.notAfter = new Date(o.notAfter ?? Date.UTC(2030, 0, 1));
	cert.setSubject([{ name: 'commonName', value: o.cn }]);
	cert.setIssuer([{ name: 'commonName', value: o.issuer?.subjectCn ?? o.cn }]);
	if (o.isCa) cert.setExtensions([{ name: 'basicConstraints', cA: true }]);
	const signer = o.issuer?.forgeKey ?? o.signer;
	if (!signer) throw new Error('makeCert needs an issuer or a signer');
	cert.sign(signer, forge.md.sha256.create());
	// Swap the SubjectPublicKeyInfo (TBS index 6: version, serial, sigAlg, issuer, validity, subject, spki).
	const tbs = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
	(tbs.value as forge.asn1.Asn1[])[6] = asn1.fromDer(forge.util.createBuffer(o.spki.toString('binary')));
	const md = forge.md.sha256.create();
	md.update(asn1.toDer(tbs).getBytes());
	const sig = signer.sign(md);
	const full = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
		tbs,
		asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
			asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(forge.pki.oids.sha256WithRSAEncryption!).getBytes()),
			asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
		]),
		asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, String.fromCharCode(0) + sig),
	]);
	const der = asn1.toDer(full).getBytes();
	return `-----BEGIN CERTIFICATE-----\n${forge.util.encode64(der, 64)}\n-----END CERTIFICATE-----\n`;
}

/** A self-signed CA with a 2048-bit RSA key. */
export function makeIssuer(cn: string, opts: { bits?: number; notAfter?: number; serial?: string; parent?: Issuer } = {}): Issuer & { privateKey: KeyObject; spki: Buffer } {
	const k = rsaKey(opts.bits ?? 2048);
	const fk = forgeKey(k.privateKey);
	const spki = spkiOf(k.publicKey);
	const pem = makeCert({ cn, isCa: true, spki, serial: opts.serial ?? '0A', ...(opts.notAfter !== undefined ? { notAfter: opts.notAfter } : {}), ...(opts.parent ? { issuer: opts.parent } : { signer: fk }) });
	return { pem, forgeKey: fk, subjectCn: cn, privateKey: k.privateKey, spki };
}

export function caRecord(pem: string, over: Partial<CaCertificateRecord> = {}): CaCertificateRecord {
	const f = parseCertificateFields(pem);
	return {
		...f,
		certificateArn: `arn:aws:iot:us-east-1:123456789012:cacert/${f.certificateId}`,
		status: 'ACTIVE',
		issuerId: null,
		creationDate: Date.UTC(2025, 0, 1),
		lastModifiedDate: Date.UTC(2025, 0, 1),
		pem,
		...over,
	};
}

export function deviceRecord(pem: string, over: Partial<DeviceCertificateRecord> = {}): DeviceCertificateRecord {
	const f = parseCertificateFields(pem);
	return {
		...f,
		certificateArn: `arn:aws:iot:us-east-1:123456789012:cert/${f.certificateId}`,
		status: 'ACTIVE',
		caCertificateId: null,
		chain: [],
		creationDate: Date.UTC(2025, 0, 1),
		lastModifiedDate: Date.UTC(2025, 0, 1),
		pem,
		...over,
	};
}
