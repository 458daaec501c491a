/**
 * Parse the certificate fields the audit checks need out of a PEM certificate, with node:crypto
 * (fast, no JS big-number parsing). The registry adapter calls this once per certificate when it
 * builds an `AuditSnapshot`.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { WardenError } from '../errors.ts';
import type { CertificateFields, PublicKeyInfo } from './snapshot.ts';

const EC_BITS: Record<string, number> = {
	prime192v1: 192,
	secp192k1: 192,
	secp224r1: 224,
	secp224k1: 224,
	prime256v1: 256,
	secp256k1: 256,
	secp384r1: 384,
	secp521r1: 521,
	brainpoolP256r1: 256,
	brainpoolP384r1: 384,
	brainpoolP512r1: 512,
	secp160r1: 160,
	secp160k1: 160,
	secp112r1: 112,
	secp128r1: 128,
};

function b64urlToBigInt(s: string): bigint {
	const hex = Buffer.from(s, 'base64url').toString('hex');
	return hex.length === 0 ? 0n : BigInt(`0x${hex}`);
}

/** Public key info from a node KeyObject. */
export function publicKeyInfo(key: import('node:crypto').KeyObject): PublicKeyInfo {
	const type = key.asymmetricKeyType;
	const details = key.asymmetricKeyDetails ?? {};
	if (type === 'rsa' || type === 'rsa-pss') {
		const jwk = key.export({ format: 'jwk' });
		return {
			algorithm: 'RSA',
			bits: details.modulusLength ?? 0,
			rsaModulus: b64urlToBigInt(String(jwk.n)),
			rsaExponent: b64urlToBigInt(String(jwk.e)),
		};
	}
	if (type === 'ec') {
		const curve = details.namedCurve ?? 'unknown';
		return { algorithm: 'EC', bits: EC_BITS[curve] ?? 0, ecCurve: curve };
	}
	if (type === 'ed25519') return { algorithm: 'ED25519', bits: 256 };
	if (type === 'ed448') return { algorithm: 'ED448', bits: 448 };
	if (type === 'dsa') return { algorithm: 'DSA', bits: details.modulusLength ?? 0 };
	return { algorithm: 'OTHER', bits: 0 };
}

/** Parse a PEM certificate; throws WARDEN_ERR_CERT_INVALID if it is not one. */
export function parseCertificateFields(pem: string): CertificateFields {
	let x: X509Certificate;
	try {
		x = new X509Certificate(pem);
	} catch (e) {
		throw new WardenError('WARDEN_ERR_CERT_INVALID', `not a PEM X.509 certificate: ${(e as Error).message}`);
	}
	return {
		certificateId: createHash('sha256').update(x.raw).digest('hex'),
		subject: x.subject.split('\n').join(','),
		issuer: x.issuer.split('\n').join(','),
		serialNumber: x.serialNumber.toUpperCase().replace(/^0+(?=.)/, ''),
		notBefore: Date.parse(x.validFrom),
		notAfter: Date.parse(x.validTo),
		isCa: x.ca,
		key: publicKeyInfo(x.publicKey),
	};
}
