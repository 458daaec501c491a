/**
 * The embedded MQTT broker (aedes) with Defender's reserved topics (spec §1.1): report publishes
 * go to ingest and are never forwarded; their replies are published by the service only; report
 * topics cannot be subscribed. Authentication and authorization are pluggable (./hooks.ts); any
 * stream (TCP, TLS, in-memory) can be attached with `handle`. Emits `broker.*` events for the
 * cloud-side metrics (spec §2.1). No handler lets an exception escape: a misbehaving client is
 * disconnected, others are unaffected.
 */
import { Aedes, type Client } from 'aedes';
import { type Server, type Socket, createServer } from 'node:net';
import type { Duplex } from 'node:stream';
import { type PeerCertificate, TLSSocket } from 'node:tls';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../events.ts';
import type { Ingest, IngestResult } from '../ingest/ingest-service.ts';
import { filterMatchesReportTopic, parseDefenderTopic } from '../ingest/topics.ts';
import { type Logger, silentLogger } from '../log.ts';
import { FrameGuard, FrameTooLargeError } from './frame-guard.ts';
import { listenError } from '../listen-error.ts';
import { type AuthResult, type BrokerHooks, type ClientContext, type Decision, allowAllHooks } from './hooks.ts';

export interface BrokerOptions {
	bus: EventBus;
	clock: Clock;
	/** Receives every report publish (`submit`, before the PUBACK); its answer is published by the broker after the PUBACK. */
	ingest: Ingest;
	log?: Logger;
	/** Initial hooks; missing ones allow everything. */
	hooks?: Partial<BrokerHooks>;
	/** Time a connection may take to send CONNECT, in ms (default 30 000). */
	connectTimeoutMs?: number;
	/** Largest MQTT packet a client may send, in bytes (default 136 KiB: a 128 KiB payload plus topic and headers). */
	maxPacketBytes?: number;
}

/** How a stream attached with `handle` came in. */
export interface ConnectionMeta {
	/** Listener name shown to hooks (default `mqtt`). */
	listener?: string;
	/** Remote IP (default: the socket's remoteAddress). */
	sourceIp?: string;
	/** Peer certificate (default: read from a TLSSocket). */
	peerCertificate?: PeerCertificate | null;
}

export interface WardenBroker {
	/** Start a plaintext TCP listener (listener name `mqtt`); resolves with the bound port. */
	listen(host: string, port: number): Promise<number>;
	/** Serve one already-accepted connection (e.g. from a tls.Server's `secureConnection`). */
	handle(stream: Duplex, meta?: ConnectionMeta): void;
	/** Replace some or all hooks; unspecified ones keep their current value. */
	setHooks(hooks: Partial<BrokerHooks>): void;
	/** Close the connection of `clientId`; false when no such client is connected. */
	disconnect(clientId: string, reason?: string): boolean;
	/** Contexts of the connected clients. */
	clients(): ClientContext[];
	/** Publish on behalf of the service (bypasses hooks and reserved-topic rules). */
	publish(topic: string, payload: Buffer | string, opts?: { qos?: 0 | 1; retain?: boolean }): Promise<void>;
	close(): Promise<void>;
}

function normaliseIp(ip: string | undefined): string {
	if (!ip) return '';
	return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

function peerCertificateOf(stream: Duplex): PeerCertificate | null {
	if (!(stream instanceof TLSSocket)) return null;
	const cert = stream.getPeerCertificate(true);
	return cert && Object.keys(cert).length > 0 ? cert : null;
}

const noop = () => {};

function denyReason(d: Decision): string | null {
	return d.allow ? null : d.reason;
}

export async function createBroker(options: BrokerOptions): Promise<WardenBroker> {
	const { bus, clock, ingest } = options;
	const log = options.log ?? silentLogger;
	let hooks: BrokerHooks = { ...allowAllHooks, ...options.hooks };
	const contexts = new WeakMap<Client, ClientContext>();
	const endReasons = new WeakMap<Client, string>();
	const servers: Server[] = [];
	const clientOf = new WeakMap<Duplex, Client>();
	/** The ingest answer of a report publish, from authorizePublish (after commit) to `published` (after PUBACK). */
	const answers = new WeakMap<object, IngestResult>();
	/** Per client: settles once its latest report was handed to ingest (keeps arrival order). */
	const reportTails = new WeakMap<Client, Promise<void>>();
	const maxPacketBytes = options.maxPacketBytes ?? 136 * 1024;

	const ctxOf = (client: Client): ClientContext => {
		let ctx = contexts.get(client);
		if (!ctx) {
			ctx = { clientId: client.id ?? '', sourceIp: '', listener: 'unknown', peerCertificate: null, identity: { thingName: null, certificateId: null } };
			contexts.set(client, ctx);
		}
		return ctx;
	};
	const authFailure = (ctx: ClientContext, action: 'connect' | 'publish' | 'subscribe' | 'receive', resource: string, reason: string) => {
		bus.emit('broker.auth-failure', { clientId: ctx.clientId, sourceIp: ctx.sourceIp, action, resource, reason, at: clock.now() });
	};
	const hookFailed = (name: string, e: unknown): Decision => {
		log.error(`broker: ${name} hook failed: ${(e as Error)?.stack ?? String(e)}`);
		return { allow: false, reason: `${name} hook failed` };
	};

	const aedes = await Aedes.createBroker({
		connectTimeout: options.connectTimeoutMs ?? 30_000,
		preConnect(client, packet, done) {
			const ctx = ctxOf(client);
			ctx.clientId = packet.clientId ?? '';
			bus.emit('broker.connect-attempt', { clientId: ctx.clientId, sourceIp: ctx.sourceIp, at: clock.now() });
			done(null, true);
		},
		authenticate(client, username, password, done) {
			const ctx = ctxOf(client);
			ctx.clientId = client.id;
			Promise.resolve()
				.then(() => hooks.authenticate(ctx, { username: username ?? undefined, password: password ?? undefined }))
				.catch((e: unknown): AuthResult => ({ ok: false, reason: denyReason(hookFailed('authenticate', e)) ?? '' }))
				.then((r) => {
					if (r.ok) {
						ctx.identity = { thingName: r.thingName ?? null, certificateId: r.certificateId ?? null, attributes: r.attributes };
						return done(null, true);
					}
					authFailure(ctx, 'connect', ctx.clientId, r.reason);
					const err = Object.assign(new Error(r.reason), { returnCode: r.returnCode ?? 5 });
					done(err, false);
				})
				.catch((e: unknown) => log.error(`broker: authenticate: ${String(e)}`));
		},
		authorizePublish(client, packet, done) {
			if (!client) return done(null); // an orphaned will: no one to attribute it to
			const ctx = ctxOf(client);
			const deny = (reason: string) => {
				authFailure(ctx, 'publish', packet.topic, reason);
				done(new Error(`publish to ${packet.topic} refused: ${reason}`));
			};
			if (packet.topic.startsWith('$SYS/')) return deny('$SYS topics are reserved');
			const t = parseDefenderTopic(packet.topic);
			if (t?.kind === 'reply') return deny('Defender reply topics are published by the service only');
			if (t?.kind === 'reserved') return deny('reserved Defender topic');
			const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
			const decided = Promise.resolve()
				.then(() => hooks.authorizePublish(ctx, packet.topic, payload))
				.catch((e: unknown) => hookFailed('authorizePublish', e));
			if (t?.kind !== 'report') {
				decided.then((d) => (d.allow ? done(null) : deny(d.reason))).catch((e: unknown) => log.error(`broker: authorizePublish: ${String(e)}`));
				return;
			}
			packet.retain = false; // a report is never stored as retained
			// A report is handled here, before aedes writes the QoS 1 PUBACK: PUBACK means "stored and
			// committed, or rejected". Reports of one client reach ingest in arrival order whatever the
			// hook's latency; the answer is published from `published`, after the PUBACK.
			const previous = reportTails.get(client) ?? Promise.resolve();
			const submitted = previous
				.then(() => decided)
				.then((d) => (d.allow ? { answer: ingest.submit({ thingName: t.thingName, format: t.format, payload, clientId: client.id }) } : { denied: d.reason }));
			reportTails.set(client, submitted.then(noop, noop));
			submitted
				.then(async (s) => {
					if (s.denied !== undefined) return deny(s.denied);
					answers.set(packet, await s.answer);
					done(null);
				})
				.catch((e: unknown) => {
					log.error(`broker: report handling failed: ${(e as Error)?.stack ?? String(e)}`);
					done(null);
				});
		},
		authorizeSubscribe(client, sub, done) {
			const ctx = ctxOf(client);
			const deny = (reason: string) => {
				authFailure(ctx, 'subscribe', sub.topic, reason);
				done(null, null); // SUBACK 0x80 for this filter
			};
			if (filterMatchesReportTopic(sub.topic)) return deny('Defender report topics are publish-only');
			Promise.resolve()
				.then(() => hooks.authorizeSubscribe(ctx, sub.topic))
				.catch((e: unknown) => hookFailed('authorizeSubscribe', e))
				.then((d) => (d.allow ? done(null, sub) : deny(d.reason)))
				.catch((e: unknown) => log.error(`broker: authorizeSubscribe: ${String(e)}`));
		},
		authorizeForward(client, packet) {
			try {
				if (parseDefenderTopic(packet.topic)?.kind === 'report') return null; // spec §1.1: reports go to the service only
				const ctx = ctxOf(client);
				let d: Decision;
				try {
					d = hooks.authorizeReceive(ctx, packet.topic);
				} catch (e) {
					d = hookFailed('authorizeReceive', e);
				}
				if (!d.allow) {
					authFailure(ctx, 'receive', packet.topic, d.reason);
					return null;
				}
				bus.emit('broker.deliver', { clientId: client.id, topic: packet.topic, bytes: packet.payload?.length ?? 0, at: clock.now() });
				return packet;
			} catch (e) {
				log.error(`broker: authorizeForward: ${(e as Error)?.stack ?? String(e)}`);
				return null;
			}
		},
		published(packet, client, done) {
			if (!client) return done(null);
			try {
				const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
				bus.emit('broker.publish', { clientId: client.id, topic: packet.topic, bytes: payload.length, at: clock.now() });
				const t = parseDefenderTopic(packet.topic);
				if (t?.kind !== 'report') return done(null);
				const res = answers.get(packet);
				if (!res) return done(null); // handled in authorizePublish; nothing to answer (it failed and was logged)
				answers.delete(packet);
				aedes.publish({ cmd: 'publish', topic: res.topic, payload: res.payload, qos: 1, retain: false, dup: false }, (err) => {
					if (err) log.error(`broker: reply to ${res.topic} not published: ${err.message}`);
					done(null);
				});
			} catch (e) {
				log.error(`broker: report handling failed: ${(e as Error)?.stack ?? String(e)}`);
				done(null);
			}
		},
	});

	aedes.on('client', (client) => {
		const ctx = ctxOf(client);
		bus.emit('broker.connect', { clientId: client.id, sourceIp: ctx.sourceIp, certificateId: ctx.identity.certificateId, thingName: ctx.identity.thingName, at: clock.now() });
	});
	aedes.on('clientDisconnect', (client) => {
		const ctx = ctxOf(client);
		const reason = endReasons.get(client) ?? 'connection closed';
		bus.emit('broker.disconnect', { clientId: client.id, sourceIp: ctx.sourceIp, certificateId: ctx.identity.certificateId, thingName: ctx.identity.thingName, at: clock.now(), reason });
	});
	aedes.on('clientError', (client, err) => {
		if (!endReasons.has(client)) endReasons.set(client, err.message);
	});
	aedes.on('keepaliveTimeout', (client) => endReasons.set(client, 'keepalive timeout'));
	aedes.on('connectionError', (client, err) => log.warn(`broker: connection ${ctxOf(client).sourceIp || '?'} dropped before CONNECT completed: ${err.message}`));
	(aedes as unknown as NodeJS.EventEmitter).on('error', (err: Error) => log.error(`broker: ${err.message}`));

	function handle(stream: Duplex, meta: ConnectionMeta = {}): void {
		stream.on('error', () => {}); // aedes reports the error; never let it become uncaught
		const ctx: ClientContext = {
			clientId: '',
			sourceIp: normaliseIp(meta.sourceIp ?? (stream as Socket).remoteAddress),
			listener: meta.listener ?? 'mqtt',
			peerCertificate: meta.peerCertificate !== undefined ? meta.peerCertificate : peerCertificateOf(stream),
			identity: { thingName: null, certificateId: null },
		};
		const guarded = new FrameGuard(stream, maxPacketBytes);
		guarded.on('error', (e) => {
			if (e instanceof FrameTooLargeError) {
				log.warn(`broker: closing ${ctx.clientId || ctx.sourceIp || 'a connection'}: ${e.message}`);
				const client = clientOf.get(guarded);
				if (client) endReasons.set(client, e.message);
			}
		});
		const client = aedes.handle(guarded);
		clientOf.set(guarded, client);
		contexts.set(client, ctx);
	}

	return Object.freeze({
		listen(host: string, port: number): Promise<number> {
			const server = createServer((socket) => {
				socket.setNoDelay(true);
				handle(socket, { listener: 'mqtt' });
			});
			servers.push(server);
			return new Promise<number>((resolve, reject) => {
				const fail = (e: NodeJS.ErrnoException) => reject(listenError('MQTT broker', host, port, e));
				server.once('error', fail);
				server.listen(port, host, () => {
					server.off('error', fail);
					server.on('error', (e) => log.error(`broker: listener ${host}:${port}: ${e.message}`));
					const addr = server.address();
					resolve(typeof addr === 'object' && addr ? addr.port : port);
				});
			});
		},
		handle,
		setHooks(next: Partial<BrokerHooks>) {
			hooks = { ...hooks, ...next };
		},
		disconnect(clientId: string, reason = 'disconnected by the service'): boolean {
			const client = (aedes as unknown as { clients: Record<string, Client | undefined> }).clients[clientId];
			if (!client) return false;
			endReasons.set(client, reason);
			client.close();
			return true;
		},
		clients(): ClientContext[] {
			const all = (aedes as unknown as { clients: Record<string, Client> }).clients;
			return Object.values(all).map(ctxOf);
		},
		publish(topic: string, payload: Buffer | string, opts: { qos?: 0 | 1; retain?: boolean } = {}): Promise<void> {
			return new Promise((resolve, reject) => {
				const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
				aedes.publish({ cmd: 'publish', topic, payload: body, qos: opts.qos ?? 0, retain: opts.retain ?? false, dup: false }, (err) => (err ? reject(err) : resolve()));
			});
		},
		async close(): Promise<void> {
			const closed = servers.map((s) => new Promise<void>((r) => s.close(() => r())));
			await new Promise<void>((r) => aedes.close(() => r()));
			await Promise.all(closed);
		},
	});
}
