/**
 * Per-device mTLS credentials for a simulated fleet, from a directory laid out the way
 * `warden certs` writes it (docs/mtls.md): `ca.crt` (+ `ca.key`), and `<thing>.crt` /
 * `<thing>.key` per device. Optionally the missing device certificates are issued on the fly
 * with the directory's CA (and handed to `register`, e.g. provisionDevice on warden.db).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Clock, systemClock } from '../host/clock.ts';
import { WardenError } from '../host/errors.ts';
import { checkTlsCredentials, type TlsCredentials } from '../host/agent-runtime/tls-transport.ts';
import { issueDeviceCertificate } from '../host/registry/dev-pki.ts';

export interface FleetPkiOptions {
	/** Directory holding `<thing>.crt`/`<thing>.key` (and `ca.crt`, `ca.key` for issuing). */
	dir: string;
	/** CA bundle the broker's certificate must chain to; default `<dir>/ca.crt`. */
	caFile?: string;
	/** Issue missing device certificates with `<dir>/ca.crt` + `<dir>/ca.key` (written to `dir`); default false. */
	issue?: boolean;
	/** Wall clock for the validity of issued certificates (now − 1 h .. now + 365 days); default systemClock. */
	clock?: Clock;
	/** Called for each certificate issued here (e.g. register it ACTIVE with its thing and policy). */
	register?: (thingName: string, certPem: string, caPem: string) => void;
}

function fail(message: string, file: string): never {
	throw new WardenError('WARDEN_ERR_TLS_CREDENTIALS', message, { file });
}

function read(file: string, what: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch (e) {
		return fail(`cannot read the ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, file);
	}
}

/** A `FleetOptions.tls` function over a `warden certs` directory (WARDEN_ERR_TLS_CREDENTIALS naming the file at fault). */
export function fleetPki(opts: FleetPkiOptions): (thingName: string) => TlsCredentials {
	const caFile = opts.caFile ?? join(opts.dir, 'ca.crt');
	const caPem = read(caFile, 'CA bundle');
	let issuer: { certPem: string; keyPem: string } | undefined;
	return (thing) => {
		const cert = join(opts.dir, `${thing}.crt`);
		const key = join(opts.dir, `${thing}.key`);
		if (!existsSync(cert) || !existsSync(key)) {
			if (!opts.issue) {
				fail(`no ${cert} / ${key} for device ${thing}; create them with \`warden certs device --thing ${thing} --ca ${opts.dir} --out ${opts.dir} --register\` or pass --issue`, cert);
			}
			issuer ??= { certPem: read(join(opts.dir, 'ca.crt'), 'CA certificate'), keyPem: read(join(opts.dir, 'ca.key'), 'CA key') };
			const now = (opts.clock ?? systemClock).now();
			const kc = issueDeviceCertificate(issuer, { commonName: thing, notBefore: now - 3_600_000, notAfter: now + 365 * 86_400_000 });
			writeFileSync(cert, kc.certPem);
			writeFileSync(key, kc.keyPem, { mode: 0o600 });
			opts.register?.(thing, kc.certPem, issuer.certPem);
		}
		try {
			return checkTlsCredentials({ certPem: read(cert, 'certificate'), keyPem: read(key, 'key'), caPem });
		} catch (e) {
			if (e instanceof WardenError && e.code === 'WARDEN_ERR_TLS_CREDENTIALS') fail(`device ${thing}: ${e.message}`, cert);
			throw e;
		}
	};
}
