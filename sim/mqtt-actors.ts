/**
 * MQTT-side scenarios: extra clients that misbehave on behalf of a device while its window is
 * open. Their cadence runs on the fleet's Clock (virtual or scaled); their sockets are real.
 * What they do is counted so a test can match it against the broker's view.
 */
import { createConnection } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { MqttClient, type IClientOptions } from 'mqtt';
import type { Clock } from '../host/clock.ts';
import type { BrokerAddress } from '../host/agent-runtime/tcp-transport.ts';
import type { TlsCredentials } from '../host/agent-runtime/tls-transport.ts';
import { createDevCa } from '../host/registry/dev-pki.ts';
import type { Rng } from './rng.ts';

export interface ActorContext {
	broker: BrokerAddress;
	thingName: string;
	/** The device's own MQTT client id. */
	clientId: string;
	username?: string;
	password?: string;
	/** The device's mTLS credentials when the broker is mqtts:// (the actors then use TLS too). */
	tls?: TlsCredentials;
	clock: Clock;
	rng: Rng;
}

export interface ActorStats {
	connectAttempts: number;
	connected: number;
	refused: number;
	publishes: number;
	subscribes: number;
}

export interface Actor {
	readonly stats: ActorStats;
	/** True when none of its clients is still connecting and nothing is left to write. */
	readonly idle: boolean;
	stop(): void;
}

const MINUTE = 60_000;
/** Clients whose stream has closed (mqtt.js has no flag for "closed by the broker"). */
const closed = new WeakSet<MqttClient>();

/** A client certificate and key for a TLS actor client. */
type ClientCert = Pick<TlsCredentials, 'certPem' | 'keyPem'>;

function client(ctx: ActorContext, opts: IClientOptions, localAddress?: string, cert?: ClientCert): MqttClient {
	const { host, port } = ctx.broker;
	const local = localAddress ? { localAddress } : {};
	const tls = ctx.tls;
	const c = new MqttClient(
		() => tls
			? tlsConnect({ host, port, ...local, ca: tls.caPem, cert: (cert ?? tls).certPem, key: (cert ?? tls).keyPem, minVersion: 'TLSv1.2' })
			: createConnection({ host, port, ...local }),
		{ protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 10_000, keepalive: 0, clean: true, ...opts },
	);
	c.on('error', () => {});
	c.on('close', () => closed.add(c));
	return c;
}

/** Connected with an empty write buffer, or closed: nothing in flight. */
function settled(c: MqttClient | undefined): boolean {
	if (!c || closed.has(c) || c.disconnecting) return true;
	if (!c.connected) return false;
	const stream = (c as unknown as { stream?: { writableLength?: number } }).stream;
	return (stream?.writableLength ?? 0) === 0;
}

function zero(): ActorStats {
	return { connectAttempts: 0, connected: 0, refused: 0, publishes: 0, subscribes: 0 };
}

/** Run `tick` now and then every `everyMs` of clock time until stopped. */
function every(clock: Clock, everyMs: number, tick: () => void): () => void {
	let cancel: (() => void) | undefined;
	let stopped = false;
	const run = () => {
		if (stopped) return;
		tick();
		cancel = clock.setTimer(everyMs, run);
	};
	run();
	return () => { stopped = true; cancel?.(); };
}

/**
 * Wrong credentials for the device, a few attempts per minute of clock time. Over mTLS: the
 * device's client id with a certificate the registry does not know (a self-signed one made
 * for the attack), refused at CONNECT and counted against the device's thing.
 */
function credentialStuffing(ctx: ActorContext): Actor {
	const stats = zero();
	const open = new Set<MqttClient>();
	let rogue: ClientCert | undefined;
	const stopTimer = every(ctx.clock, MINUTE / 4, () => {
		stats.connectAttempts++;
		if (ctx.tls && !rogue) rogue = createDevCa({ commonName: ctx.thingName });
		const c = client(ctx, {
			clientId: ctx.clientId,
			username: ctx.username ?? ctx.thingName,
			password: `guess-${ctx.rng.u32().toString(36)}`,
		}, undefined, rogue);
		open.add(c);
		c.on('connect', () => { stats.connected++; c.end(true); });
		c.on('error', () => { stats.refused++; });
		c.on('close', () => { open.delete(c); c.end(true); });
	});
	return {
		stats,
		get idle() { return open.size === 0; },
		stop() { stopTimer(); for (const c of open) c.end(true); },
	};
}

/** A flood of messages on the device's behalf plus publishes and subscribes it may not make. */
function cloudAbuse(ctx: ActorContext): Actor {
	const stats = zero();
	stats.connectAttempts++;
	const c = client(ctx, {
		clientId: `${ctx.clientId}-abuse`,
		...(ctx.username ? { username: ctx.username } : {}),
		...(ctx.password ? { password: ctx.password } : {}),
	});
	c.on('connect', () => { stats.connected++; });
	const stopTimer = every(ctx.clock, MINUTE, () => {
		if (!c.connected) return;
		for (let i = 0; i < 60; i++) {
			c.publish(`things/${ctx.thingName}/telemetry`, Buffer.alloc(512 + ctx.rng.int(0, 512), 0x61), { qos: 0 });
			stats.publishes++;
		}
		c.publish(`$aws/things/${ctx.thingName}-other/shadow/update`, '{}', { qos: 0 });
		stats.publishes++;
		c.subscribe('#', { qos: 0 }, () => {});
		stats.subscribes++;
	});
	return { stats, get idle() { return settled(c); }, stop() { stopTimer(); c.end(true); } };
}

/**
 * The device's client id from another address (127.0.0.2 when the broker is on IPv4 loopback):
 * each connect takes the session over, the device reconnects, and so on.
 */
function clonedIdentity(ctx: ActorContext): Actor {
	const stats = zero();
	const local = ctx.broker.host === '127.0.0.1' ? '127.0.0.2' : undefined;
	let current: MqttClient | undefined;
	const stopTimer = every(ctx.clock, 2 * MINUTE, () => {
		current?.end(true);
		stats.connectAttempts++;
		const c = client(ctx, {
			clientId: ctx.clientId,
			...(ctx.username ? { username: ctx.username } : {}),
			...(ctx.password ? { password: ctx.password } : {}),
		}, local);
		c.on('connect', () => { stats.connected++; });
		current = c;
	});
	return { stats, get idle() { return settled(current); }, stop() { stopTimer(); current?.end(true); } };
}

export const ACTORS = {
	'credential-stuffing': credentialStuffing,
	'cloud-abuse': cloudAbuse,
	'cloned-identity': clonedIdentity,
} as const;
