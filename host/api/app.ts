/**
 * The AWS-compatible control-plane app (restJson1, spec §7.1): body capture and size limit,
 * SigV4 verification, the Date header from the service Clock, AWS error responses, then every
 * route module in ROUTE_MODULES. Socket-free tests call `app.request()` on it.
 */
import { Hono } from 'hono';
import { ApiError, errorResponse, invalidRequest, isApiError } from './aws-errors.ts';
import { type Clock, systemClock } from '../clock.ts';
import type { ApiContext, RegisterRoutes } from './context.ts';
import type { ApiCredentials } from './credentials.ts';
import { type ApiEnv, MAX_BODY_BYTES } from './request.ts';
import { verifySigV4 } from './sigv4.ts';
import { registerTagRoutes } from './tag-routes.ts';

export interface ApiAppOptions {
	ctx: ApiContext;
	credentials: ApiCredentials;
	/** Route modules to mount (normally ROUTE_MODULES from ./routes.ts). */
	routes: readonly RegisterRoutes[];
	/**
	 * Clock for the SigV4 date check and the `Date` response header (default: wall time). Kept
	 * apart from the service clock so a scaled or virtual service time (demo, simulator) does
	 * not lock out clients that sign with real time.
	 */
	authClock?: Clock;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

async function readBody(req: Request): Promise<string> {
	const declared = Number(req.headers.get('content-length') ?? '0');
	if (declared > MAX_BODY_BYTES) throw invalidRequest(`request body is larger than ${MAX_BODY_BYTES} bytes`);
	if (!req.body) return '';
	const reader = req.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		total += value.byteLength;
		if (total > MAX_BODY_BYTES) {
			await reader.cancel().catch(() => {});
			throw invalidRequest(`request body is larger than ${MAX_BODY_BYTES} bytes`);
		}
		chunks.push(value);
	}
	try {
		return utf8.decode(Buffer.concat(chunks));
	} catch {
		throw invalidRequest('request body is not valid UTF-8');
	}
}

export function createApiApp(opts: ApiAppOptions): Hono<ApiEnv> {
	const { ctx, credentials } = opts;
	const authClock = opts.authClock ?? systemClock;
	const app = new Hono<ApiEnv>();

	app.onError((e, c) => {
		const date = new Date(authClock.now());
		if (isApiError(e)) return errorResponse(e, date);
		ctx.log('error', `api: ${c.req.method} ${c.req.path} failed: ${(e as Error)?.stack ?? String(e)}`);
		return errorResponse(new ApiError('InternalFailureException', 'An internal error occurred.'), date);
	});
	app.notFound((c) => errorResponse(new ApiError('UnknownOperationException', `No operation matches ${c.req.method} ${c.req.path}`), new Date(authClock.now())));

	app.use('*', async (c, next) => {
		const headers: Record<string, string> = {};
		c.req.raw.headers.forEach((v, k) => {
			headers[k.toLowerCase()] = v;
		});
		// The missing-token answer comes first, as on AWS (an unsigned oversize body gets 403, not 400).
		if (!headers.authorization) throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token');
		const body = await readBody(c.req.raw);
		const url = new URL(c.req.url);
		await verifySigV4({ method: c.req.method, rawPath: url.pathname, rawQuery: url.search.slice(1), headers, body }, credentials, authClock.now());
		c.set('rawBody', body);
		await next();
		c.header('date', new Date(authClock.now()).toUTCString());
		c.header('x-amzn-requestid', crypto.randomUUID());
	});

	for (const register of opts.routes) register(app, ctx);
	registerTagRoutes(app, ctx);
	return app;
}
