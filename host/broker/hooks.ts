/**
 * The broker's pluggable authentication and authorization contract. The registry/policy feature
 * installs its hooks with `broker.setHooks(...)`; until then every client is allowed (the
 * plaintext development listener). Hooks see the client's context: client id, source IP, the
 * listener it came in on and, on TLS listeners, the peer certificate. The broker's own rules
 * (reserved Defender topics, `$SYS/`) are applied before any hook and cannot be overridden.
 */
import type { PeerCertificate } from 'node:tls';

/** What the broker knows about one connection; `identity` is filled by `authenticate`. */
export interface ClientContext {
	/** MQTT client id (set once CONNECT arrived). */
	clientId: string;
	/** Remote IP address of the connection ('' when unknown, e.g. an in-memory stream). */
	readonly sourceIp: string;
	/** Name of the listener the connection came in on (`mqtt` for the plaintext TCP listener). */
	readonly listener: string;
	/** The TLS peer certificate (with issuer chain) when the listener is TLS and one was sent. */
	readonly peerCertificate: PeerCertificate | null;
	/** Who the client is, as decided by `authenticate`. */
	identity: ClientIdentity;
}

export interface ClientIdentity {
	thingName: string | null;
	certificateId: string | null;
	/** Anything else the auth feature wants to keep with the connection (policy cache, ...). */
	attributes?: Record<string, unknown>;
}

export type AuthResult =
	| { ok: true; thingName?: string | null; certificateId?: string | null; attributes?: Record<string, unknown> }
	/** returnCode: CONNACK code 2 (identifier rejected), 4 (bad credentials) or 5 (not authorized, default). */
	| { ok: false; reason: string; returnCode?: 2 | 4 | 5 };

export type Decision = { allow: true } | { allow: false; reason: string };

type MaybePromise<T> = T | Promise<T>;

export interface BrokerHooks {
	/** On CONNECT, after the broker's checks. */
	authenticate(client: ClientContext, credentials: { username: string | undefined; password: Buffer | undefined }): MaybePromise<AuthResult>;
	/** On every client PUBLISH (refused → the client is disconnected, as MQTT 3.1.1 has no negative PUBACK). */
	authorizePublish(client: ClientContext, topic: string, payload: Buffer): MaybePromise<Decision>;
	/** On every SUBSCRIBE filter (refused → SUBACK 0x80 for that filter). */
	authorizeSubscribe(client: ClientContext, topicFilter: string): MaybePromise<Decision>;
	/** Before each delivery to a subscriber; synchronous (refused → the message is skipped for that client). */
	authorizeReceive(client: ClientContext, topic: string): Decision;
}

const ALLOW: Decision = Object.freeze({ allow: true });

/** Allow everything: the default for the plaintext listener. */
export const allowAllHooks: BrokerHooks = Object.freeze({
	authenticate: () => ({ ok: true }) as const,
	authorizePublish: () => ALLOW,
	authorizeSubscribe: () => ALLOW,
	authorizeReceive: () => ALLOW,
});
