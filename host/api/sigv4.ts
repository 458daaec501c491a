/**
 * AWS Signature Version 4 verification for the control-plane API (spec §7.1: signing name
 * `iot`). The expected signature is recomputed with the same signer the AWS SDKs use
 * (@smithy/signature-v4) over exactly the headers the client listed in SignedHeaders, then
 * compared in constant time. Failures carry the error types AWS answers with (all HTTP 403).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { ApiError } from './aws-errors.ts';
import type { ApiCredentials } from './credentials.ts';

/** Allowed difference between the request's X-Amz-Date and the service clock (AWS: 5 minutes). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
export const SIGNING_SERVICE = 'iot';
/**
 * Signing names the AWS clients use for the IoT control plane: the JavaScript SDK v3 signs as
 * `iot`, botocore (AWS CLI v2, boto3) as `execute-api`, the service model's signingName.
 */
export const SIGNING_SERVICES: readonly string[] = [SIGNING_SERVICE, 'execute-api'];

export interface IncomingSigned {
	method: string;
	/** Path exactly as received (still percent-encoded), without the query string. */
	rawPath: string;
	/** Raw query string without `?` (may be empty). */
	rawQuery: string;
	/** Header names lower-case. */
	headers: Readonly<Record<string, string>>;
	body: string;
}

function toBytes(d: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
	if (typeof d === 'string') return d;
	if (d instanceof ArrayBuffer) return new Uint8Array(d);
	return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** node:crypto behind the signer's hash interface (HMAC when constructed with a secret). */
export class NodeSha256 {
	readonly #h: ReturnType<typeof createHash> | ReturnType<typeof createHmac>;
	constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
		this.#h = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
	}
	update(data: string | ArrayBuffer | ArrayBufferView): void {
		this.#h.update(toBytes(data));
	}
	async digest(): Promise<Uint8Array> {
		return new Uint8Array(this.#h.digest());
	}
}

const AUTH_RE = /^AWS4-HMAC-SHA256 +Credential=([^,\s]+), *SignedHeaders=([^,\s]+), *Signature=([0-9a-f]{64})$/;
const AMZ_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

const forbidden = (type: 'MissingAuthenticationTokenException' | 'UnrecognizedClientException' | 'InvalidSignatureException', message: string) =>
	new ApiError(type, message);

function amzDate(ms: number): string {
	return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseQuery(raw: string): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [k, v] of new URLSearchParams(raw)) {
		const prev = out[k];
		if (prev === undefined) out[k] = v;
		else out[k] = Array.isArray(prev) ? [...prev, v] : [prev, v];
	}
	return out;
}

/**
 * Check the request's SigV4 Authorization header against `credentials` at time `now` (Unix ms).
 * Resolves on success; rejects with an ApiError (403 types) otherwise.
 */
export async function verifySigV4(req: IncomingSigned, credentials: ApiCredentials, now: number): Promise<void> {
	const auth = req.headers.authorization;
	if (!auth) throw forbidden('MissingAuthenticationTokenException', 'Missing Authentication Token');
	const m = AUTH_RE.exec(auth.trim());
	if (!m) {
		throw forbidden('InvalidSignatureException', "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' with algorithm AWS4-HMAC-SHA256.");
	}
	const [, credential = '', signedHeaderList = '', signature = ''] = m;
	const scope = credential.split('/');
	if (scope.length !== 5 || scope[4] !== 'aws4_request') {
		throw forbidden('InvalidSignatureException', `Credential should be scoped to a valid region and service: ${credential}`);
	}
	const [accessKeyId = '', shortDate = '', region = '', service = ''] = scope;
	if (accessKeyId !== credentials.accessKeyId) {
		throw forbidden('UnrecognizedClientException', 'The security token included in the request is invalid.');
	}
	if (!SIGNING_SERVICES.includes(service)) {
		throw forbidden('InvalidSignatureException', `Credential should be scoped to correct service: '${SIGNING_SERVICE}'.`);
	}
	const dateHeader = req.headers['x-amz-date'];
	const dm = dateHeader ? AMZ_DATE_RE.exec(dateHeader) : null;
	if (!dateHeader || !dm) throw forbidden('InvalidSignatureException', 'X-Amz-Date header is missing or not in ISO 8601 basic format.');
	const signedAt = Date.UTC(+dm[1]!, +dm[2]! - 1, +dm[3]!, +dm[4]!, +dm[5]!, +dm[6]!);
	if (!dateHeader.startsWith(shortDate)) {
		throw forbidden('InvalidSignatureException', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${shortDate}' != '${dateHeader.slice(0, 8)}'`);
	}
	if (signedAt < now - MAX_CLOCK_SKEW_MS) {
		throw forbidden('InvalidSignatureException', `Signature expired: ${dateHeader} is now earlier than ${amzDate(now - MAX_CLOCK_SKEW_MS)} (${amzDate(now)} - 5 min.)`);
	}
	if (signedAt > now + MAX_CLOCK_SKEW_MS) {
		throw forbidden('InvalidSignatureException', `Signature not yet current: ${dateHeader} is still later than ${amzDate(now + MAX_CLOCK_SKEW_MS)} (${amzDate(now)} + 5 min.)`);
	}
	const names = signedHeaderList.split(';');
	if (!names.includes('host')) throw forbidden('InvalidSignatureException', "'Host' must be a 'SignedHeader' in the AWS Authorization.");
	const headers: Record<string, string> = {};
	for (const name of names) {
		const v = req.headers[name];
		if (v === undefined) throw forbidden('InvalidSignatureException', `Signed header '${name}' is missing from the request.`);
		headers[name] = v;
	}
	const signer = new SignatureV4({
		credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
		region,
		service,
		sha256: NodeSha256,
		applyChecksum: false,
	});
	const signed = await signer.sign(
		{ method: req.method, protocol: 'http:', hostname: headers.host ?? '', path: req.rawPath, query: parseQuery(req.rawQuery), headers, body: req.body },
		{ signingDate: new Date(signedAt), signingRegion: region, signingService: service, signableHeaders: new Set(names) },
	);
	const expected = /Signature=([0-9a-f]{64})/.exec(signed.headers.authorization ?? '')?.[1] ?? '';
	const a = Buffer.from(expected, 'utf8');
	const b = Buffer.from(signature, 'utf8');
	if (a.length !== b.length || !timingSafeEqual(a, b)) {
		throw forbidden(
			'InvalidSignatureException',
			'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
		);
	}
}
