/**
 * Mutual TLS to the broker (`mqtts://`, docs/mtls.md): the device presents its certificate and
 * key, and trusts the broker only if its server certificate chains to the CA bundle and names
 * the host. Credentials are checked once when loaded (WARDEN_ERR_TLS_CREDENTIALS); a refused
 * handshake is a link-down for the module (it retries with its own backoff) plus a
 * WARDEN_ERR_TLS_HANDSHAKE passed to `onError`, never a crash.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { WardenError } from '../errors.ts';
import { type BrokerAddress, SocketTransport } from './tcp-transport.ts';

export interface TlsCredentials {
	/** Device certificate (PEM; may be followed by intermediates). */
	readonly certPem: string;
	/** The certificate's private key (PEM). */
	readonly keyPem: string;
	/** CA bundle (PEM, one or more certificates) the broker's server certificate must chain to. */
	readonly caPem: string;
}

export interface TlsCredentialFiles {
	cert: string;
	key: string;
	ca: string;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function bad(message: string, detail: Record<string, unknown>): never {
	throw new WardenError('WARDEN_ERR_TLS_CREDENTIALS', message, detail);
}

function certificates(pem: string, what: string): X509Certificate[] {
	const blocks = pem.match(PEM_CERT) ?? [];
	if (blocks.length === 0) bad(`${what} holds no PEM certificate`, { what });
	return blocks.map((b, i) => {
		try {
			return new X509Certificate(b);
		} catch (e) {
			return bad(`${what}: certificate ${i + 1} is not a valid X.509 certificate (${(e as Error).message})`, { what, index: i });
		}
	});
}

/**
 * Check PEM credentials: the certificate parses, the key parses and belongs to it, the CA bundle
 * holds at least one certificate. Returns them frozen; WARDEN_ERR_TLS_CREDENTIALS otherwise.
 */
export function checkTlsCredentials(c: TlsCredentials): TlsCredentials {
	const [leaf] = certificates(c.certPem, 'certificate');
	let key: KeyObject;
	try {
		key = createPrivateKey(c.keyPem);
	} catch (e) {
		bad(`private key is not a valid unencrypted PEM key (${(e as Error).message})`, { what: 'key' });
	}
	if (!leaf!.checkPrivateKey(key)) bad('private key does not match the certificate', { what: 'key' });
	certificates(c.caPem, 'CA bundle');
	return Object.freeze({ certPem: c.certPem, keyPem: c.keyPem, caPem: c.caPem });
}

/** Read and check the three PEM files (WARDEN_ERR_TLS_CREDENTIALS naming the file that failed). */
export function loadTlsCredentials(files: TlsCredentialFiles): TlsCredentials {
	const read = (what: keyof TlsCredentialFiles): string => {
		try {
			return readFileSync(files[what], 'utf8');
		} catch (e) {
			return bad(`cannot read the ${what} file ${files[what]}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { what, file: files[what] });
		}
	};
	const creds = { certPem: read('cert'), keyPem: read('key'), caPem: read('ca') };
	try {
		return checkTlsCredentials(creds);
	} catch (e) {
		if (e instanceof WardenError) {
			const what = String(e.detail?.what ?? '');
			const file = what === 'key' ? files.key : what === 'CA bundle' ? files.ca : files.cert;
			throw new WardenError(e.code, `${file}: ${e.message}`, { ...e.detail, file });
		}
		throw e;
	}
}

/** A TLS error during the connection → WARDEN_ERR_TLS_HANDSHAKE; plain socket errors pass as they are. */
function classify(e: Error, handshaking: boolean, addr: BrokerAddress): Error {
	const code = (e as NodeJS.ErrnoException).code ?? '';
	const tlsError = handshaking && (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED|UNABLE_TO|HOSTNAME|ssl|tls/i.test(`${code} ${e.message}`));
	if (!tlsError) return e;
	return new WardenError('WARDEN_ERR_TLS_HANDSHAKE', `TLS handshake with ${addr.host}:${addr.port} failed: ${e.message}`, { host: addr.host, port: addr.port, reason: code || e.message });
}

/** TLS 1.2+ to the broker with a client certificate (`mqtts://`). */
export class TlsTransport extends SocketTransport {
	constructor(addr: BrokerAddress, creds: TlsCredentials, onError?: (e: Error) => void) {
		const c = checkTlsCredentials(creds);
		const { host, port } = addr;
		super(() => {
			let handshaking = true;
			const socket = connect({
				host, port,
				cert: c.certPem, key: c.keyPem, ca: c.caPem,
				minVersion: 'TLSv1.2',
				rejectUnauthorized: true,
				// SNI takes host names only (RFC 6066 §3); the identity check covers IP SANs either way
				...(isIP(host) ? {} : { servername: host }),
			});
			socket.once('secureConnect', () => { handshaking = false; });
			socket.on('error', (e: Error) => onError?.(classify(e, handshaking, addr)));
			return { socket, ready: 'secureConnect' };
		});
	}
}
