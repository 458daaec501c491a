/** Helpers for integration tests against a real broker on 127.0.0.1: connect, wait with bounded timeouts. */
import mqtt, { type MqttClient } from 'mqtt';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'warden-test-'): string {
	return mkdtempSync(join(tmpdir(), prefix));
}

export async function connect(port: number, clientId: string, opts: mqtt.IClientOptions = {}): Promise<MqttClient> {
	const client = mqtt.connect({ host: '127.0.0.1', port, clientId, reconnectPeriod: 0, connectTimeout: 5000, ...opts });
	await new Promise<void>((resolve, reject) => {
		const t = setTimeout(() => reject(new Error(`connect ${clientId} timed out`)), 5000);
		client.once('connect', () => (clearTimeout(t), resolve()));
		client.once('error', (e) => (clearTimeout(t), reject(e)));
	});
	return client;
}

/** Resolve with the next message on `topic` (exact), rejecting after `ms`. */
export function nextMessage(client: MqttClient, topic: string, ms = 5000): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const t = setTimeout(() => (client.off('message', on), reject(new Error(`no message on ${topic} within ${ms} ms`))), ms);
		const on = (tp: string, payload: Buffer) => {
			if (tp !== topic) return;
			clearTimeout(t);
			client.off('message', on);
			resolve(payload);
		};
		client.on('message', on);
	});
}

/** Collect every message whose topic starts with `prefix` until `count` arrived or `ms` passed. */
export function collect(client: MqttClient, prefix: string, count: number, ms = 10_000): Promise<{ topic: string; payload: Buffer }[]> {
	return new Promise((resolve, reject) => {
		const got: { topic: string; payload: Buffer }[] = [];
		const t = setTimeout(() => (client.off('message', on), reject(new Error(`got ${got.length}/${count} messages under ${prefix} within ${ms} ms`))), ms);
		const on = (topic: string, payload: Buffer) => {
			if (!topic.startsWith(prefix)) return;
			got.push({ topic, payload });
			if (got.length === count) {
				clearTimeout(t);
				client.off('message', on);
				resolve(got);
			}
		};
		client.on('message', on);
	});
}

/** Subscribe; resolves with the granted QoS, or 128 when the broker refused the filter. */
export async function subscribe(client: MqttClient, topic: string, qos: 0 | 1 = 1): Promise<number> {
	try {
		const granted = await client.subscribeAsync(topic, { qos });
		return granted[0]?.qos ?? -1;
	} catch (e) {
		const granted = (e as { packet?: { granted?: number[] } }).packet?.granted;
		if (granted?.[0] === 128) return 128;
		throw e;
	}
}

export function end(client: MqttClient): Promise<void> {
	return client.endAsync(true).catch(() => {});
}

/** Resolve when `client` is closed by the server, or reject after `ms`. */
export function closedByServer(client: MqttClient, ms = 5000): Promise<void> {
	return new Promise((resolve, reject) => {
		if (!client.connected) return resolve();
		const t = setTimeout(() => reject(new Error('client was not disconnected')), ms);
		client.once('close', () => (clearTimeout(t), resolve()));
	});
}
