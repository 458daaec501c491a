/** The HTTP listener of the control-plane API (@hono/node-server). */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApiApp } from './app.ts';
import type { Clock } from '../clock.ts';
import { type ApiContext, type RegisterRoutes } from './context.ts';
import type { ApiCredentials } from './credentials.ts';
import { ROUTE_MODULES } from './routes.ts';
import { listenError } from '../listen-error.ts';

export interface StartApiOptions {
	/** Interface to bind (default 127.0.0.1). */
	host?: string;
	/** TCP port; 0 = ephemeral (tests). */
	port: number;
	ctx: ApiContext;
	credentials: ApiCredentials;
	/** Route modules (default ROUTE_MODULES). */
	routes?: readonly RegisterRoutes[];
	/** Clock for SigV4 date checks and the Date header (default: wall time; see ApiAppOptions.authClock). */
	authClock?: Clock;
}

export interface RunningApi {
	/** The bound port. */
	readonly port: number;
	/** `http://<host>:<port>` for SDK `endpoint`. */
	readonly endpoint: string;
	close(): Promise<void>;
}

export async function startApi(opts: StartApiOptions): Promise<RunningApi> {
	const host = opts.host ?? '127.0.0.1';
	const app = createApiApp({ ctx: opts.ctx, credentials: opts.credentials, routes: opts.routes ?? ROUTE_MODULES, ...(opts.authClock ? { authClock: opts.authClock } : {}) });
	const server = await new Promise<Server>((resolve, reject) => {
		const s = serve({ fetch: app.fetch, port: opts.port, hostname: host }, () => resolve(s as Server)) as Server;
		s.once('error', (e: NodeJS.ErrnoException) => reject(listenError('HTTP API', host, opts.port, e)));
	});
	const port = (server.address() as AddressInfo).port;
	const shown = host.includes(':') ? `[${host}]` : host;
	return Object.freeze({
		port,
		endpoint: `http://${shown}:${port}`,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections?.();
			}),
	});
}
