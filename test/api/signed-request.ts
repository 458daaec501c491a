/** Sign a request for `app.request()` (socket-free API tests) with the test credential. */
import { SignatureV4 } from '@smithy/signature-v4';
import type { Hono } from 'hono';
import { NodeSha256 } from '../../host/api/sigv4.ts';
import { TEST_CREDENTIALS } from './helpers.ts';

export interface SignedInit {
	method?: string;
	/** Path with query string, e.g. `/dimensions?maxResults=2`. */
	path: string;
	/** Raw body (sent as is, signed as is). */
	body?: string | Uint8Array;
	/** Signing time (default: now). */
	date?: Date;
}

export async function signedRequest<E extends object>(app: Hono<E & { Variables: { rawBody: string } }> | Hono<any>, init: SignedInit): Promise<Response> {
	const url = new URL(init.path, 'http://warden.test');
	const query: Record<string, string | string[]> = {};
	url.searchParams.forEach((v, k) => {
		const prev = query[k];
		query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
	});
	const headers: Record<string, string> = { host: url.host };
	if (init.body !== undefined) headers['content-type'] = 'application/json';
	const signer = new SignatureV4({ credentials: { ...TEST_CREDENTIALS }, region: 'us-east-1', service: 'iot', sha256: NodeSha256 });
	const signed = await signer.sign(
		{ method: init.method ?? 'GET', protocol: 'http:', hostname: url.hostname, path: url.pathname, query, headers, body: init.body },
		{ signingDate: init.date ?? new Date() },
	);
	const req: RequestInit = { method: init.method ?? 'GET', headers: signed.headers as Record<string, string> };
	if (init.body !== undefined) req.body = init.body;
	return app.request(url.toString(), req);
}
