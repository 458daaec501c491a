/**
 * The mutual-TLS MQTT listener: TLS 1.2+, a client certificate is requested, and the handshake
 * accepts any certificate so that the registry (not a static trust store) decides, at CONNECT,
 * with a CONNACK "not authorized" and an authorization-failure event that names the reason.
 */
import { type Server, type TLSSocket, createServer } from 'node:tls';
import type { WardenBroker } from '../broker/broker.ts';
import type { Logger } from '../log.ts';
import { MTLS_LISTENER } from './broker-auth.ts';
import { listenError } from '../listen-error.ts';

export interface MtlsListenerOptions {
	host: string;
	/** TCP port (0 = ephemeral). */
	port: number;
	/** Server certificate chain (PEM) presented to devices. */
	certPem: string;
	/** Server private key (PEM). */
	keyPem: string;
	log?: Logger;
}

export interface MtlsListener {
	readonly port: number;
	close(): Promise<void>;
}

export function listenMtls(broker: WardenBroker, opts: MtlsListenerOptions): Promise<MtlsListener> {
	const server: Server = createServer({
		cert: opts.certPem,
		key: opts.keyPem,
		minVersion: 'TLSv1.2',
		requestCert: true,
		rejectUnauthorized: false,
		// tls.Server's default handshake timeout is 120 s; a device that stalls the handshake is dropped sooner
		handshakeTimeout: 10_000,
	});
	const sockets = new Set<TLSSocket>();
	server.on('secureConnection', (socket: TLSSocket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
		socket.setNoDelay(true);
		broker.handle(socket, { listener: MTLS_LISTENER });
	});
	server.on('tlsClientError', (e, socket) => {
		opts.log?.warn(`mtls: handshake from ${socket.remoteAddress ?? '?'} failed: ${e.message}`);
	});
	return new Promise((resolve, reject) => {
		const fail = (e: NodeJS.ErrnoException) => reject(listenError('mTLS listener', opts.host, opts.port, e));
		server.once('error', fail);
		server.listen(opts.port, opts.host, () => {
			server.off('error', fail);
			server.on('error', (e) => opts.log?.error(`mtls: listener: ${e.message}`));
			const addr = server.address();
			const port = typeof addr === 'object' && addr ? addr.port : opts.port;
			resolve({
				port,
				close: () => new Promise<void>((r) => {
					server.close(() => r());
					for (const s of sockets) s.destroy();
				}),
			});
		});
	});
}
