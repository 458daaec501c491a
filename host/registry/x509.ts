/**
 * X.509 parsing and chain checks for registration and for the broker's mTLS handshake. Uses
 * node:crypto's X509Certificate (which reads RSA and EC keys alike; node-forge cannot read EC
 * public keys, and P-256 device keys are common). The certificate id is the SHA-256 of the DER,
 * lower-case hex, as AWS IoT computes it.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { WardenError } from '../errors.ts';

/** Short attribute names → the long names used by `iot:Certificate.Subject.*` policy variables. */
const LONG_NAMES: Readonly<Record<string, string>> = Object.freeze({
	CN: 'CommonName', O: 'Organization', OU: 'OrganizationalUnit', C: 'Country', L: 'Locality', ST: 'State',
	serialNumber: 'SerialNumber', emailAddress: 'EmailAddress', DC: 'DomainComponent', title: 'Title',
	GN: 'GivenName', SN: 'Surname', initials: 'Initials', pseudonym: 'Pseudonym', dnQualifier: 'DistinguishedNameQualifier',
	generationQualifier: 'GenerationQualifier',
});

export interface ParsedCertificate {
	/** 64 lower-case hex: SHA-256 of the DER encoding. */
	id: string;
	/** Normalised PEM (one certificate). */
	pem: string;
	x509: X509Certificate;
	subject: Readonly<Record<string, string>>;
	issuer: Readonly<Record<string, string>>;
	/** Subject as `CN=...,O=...`. */
	subjectText: string;
	serialNumber: string;
	/** RFC 5280 §4.1.2.5 validity, Unix ms. */
	notBefore: number;
	notAfter: number;
	isCa: boolean;
	keyType: string;
	keyBits: number;
}

function nameMap(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const line of text.split('\n')) {
		const i = line.indexOf('=');
		if (i <= 0) continue;
		const k = line.slice(0, i);
		out[LONG_NAMES[k] ?? k] = line.slice(i + 1);
	}
	return out;
}

export function certificateId(x: X509Certificate): string {
	return createHash('sha256').update(x.raw).digest('hex');
}

export function parseX509(x: X509Certificate): ParsedCertificate {
	const details = x.publicKey.asymmetricKeyDetails ?? {};
	const keyType = x.publicKey.asymmetricKeyType ?? 'unknown';
	const curveBits: Record<string, number> = { prime256v1: 256, secp384r1: 384, secp521r1: 521 };
	return {
		id: certificateId(x),
		pem: x.toString(),
		x509: x,
		subject: Object.freeze(nameMap(x.subject)),
		issuer: Object.freeze(nameMap(x.issuer)),
		subjectText: x.subject.split('\n').join(','),
		serialNumber: x.serialNumber.toUpperCase(),
		notBefore: Date.parse(x.validFrom),
		notAfter: Date.parse(x.validTo),
		isCa: x.ca,
		keyType,
		keyBits: details.modulusLength ?? curveBits[details.namedCurve ?? ''] ?? 0,
	};
}

/** Parse one PEM certificate; WARDEN_ERR_CERT_INVALID if it is not exactly one certificate. */
export function parseCertificatePem(pem: unknown, what = 'certificatePem'): ParsedCertificate {
	if (typeof pem !== 'string' || !pem.includes('-----BEGIN CERTIFICATE-----')) {
		throw new WardenError('WARDEN_ERR_CERT_INVALID', `${what} must be a PEM certificate`);
	}
	if (pem.split('-----BEGIN CERTIFICATE-----').length > 2) throw new WardenError('WARDEN_ERR_CERT_INVALID', `${what} must hold exactly one certificate`);
	try {
		return parseX509(new X509Certificate(pem));
	} catch (e) {
		throw new WardenError('WARDEN_ERR_CERT_INVALID', `${what} is not a valid X.509 certificate: ${(e as Error).message}`);
	}
}

/** True when `ca` issued `cert`: names chain and the signature verifies with the CA's key (RFC 5280 §6.1.3). */
export function isSignedBy(cert: ParsedCertificate, ca: ParsedCertificate): boolean {
	try {
		return cert.x509.checkIssued(ca.x509) && cert.x509.verify(ca.x509.publicKey);
	} catch {
		return false;
	}
}

/** Registration key rules (AWS IoT): RSA at least 2048 bits, EC on P-256/384/521. */
export function checkKeyStrength(c: ParsedCertificate, what: string): void {
	const ok = (c.keyType === 'rsa' && c.keyBits >= 2048) || (c.keyType === 'ec' && c.keyBits >= 256);
	if (!ok) throw new WardenError('WARDEN_ERR_CERT_INVALID', `${what} key ${c.keyType}/${c.keyBits} is too weak: RSA >= 2048 bits or EC P-256/384/521 required`);
}
