/**
 * createBroker without sockets: MQTT.js talks to the broker over an in-memory duplex pair attached
 * with `handle`, ingest runs on an in-memory SQLite database and a virtual clock.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Duplex } from 'node:stream';
import { MqttClient } from 'mqtt';
import { createBroker } from '../../host/broker/broker.ts';
import type { ClientContext } from '../../host/broker/hooks.ts';
import { memoryIngest } from '../ingest/helpers.ts';
import { nextMessage } from '../helpers/mqtt.ts';

/** Two connected in-memory streams: what one writes, the other reads. */
function duplexPair(): [Duplex, Duplex] {
	const make = (): Duplex & { peer?: Duplex } =>
		new Duplex({
			read() {},
			write(chunk: Buffer, _enc, cb) {
				(this as unknown as { peer: Duplex }).peer.push(chunk);
				cb();
			},
			final(cb) {
				(this as unknown as { peer: Duplex }).peer.push(null);
				cb();
			},
		});
	const a = make();
	const b = make();
	a.peer = b;
	b.peer = a;
	return [a, b];
}

const broker = suite('createBroker (in memory)');

broker('a report over an in-memory stream is stored and answered; hooks see the given meta', async () => {
	const { ingest, bus, clock, store } = memoryIngest();
	const seen: ClientContext[] = [];
	const b = await createBroker({ bus, clock, ingest, hooks: { authenticate: (ctx) => (seen.push(ctx), { ok: true, thingName: 'mem-1' }) } });
	const [serverSide, clientSide] = duplexPair();
	b.handle(serverSide, { listener: 'memory', sourceIp: '192.0.2.7' });
	const client = new MqttClient(() => clientSide as never, { clientId: 'mem-1', reconnectPeriod: 0, protocolVersion: 4 } as never);
	await new Promise<void>((resolve, reject) => {
		client.once('connect', () => resolve());
		client.once('error', reject);
	});
	assert.equal([seen[0]!.listener, seen[0]!.sourceIp, seen[0]!.clientId], ['memory', '192.0.2.7', 'mem-1']);
	await client.subscribeAsync('$aws/things/mem-1/defender/metrics/json/+', { qos: 1 });
	const got = nextMessage(client, '$aws/things/mem-1/defender/metrics/json/accepted');
	await client.publishAsync('$aws/things/mem-1/defender/metrics/json', '{"header":{"report_id":3,"version":"1.0"},"metrics":{}}', { qos: 1 });
	assert.equal(JSON.parse((await got).toString()), { thingName: 'mem-1', reportId: 3, status: 'ACCEPTED', timestamp: clock.now() });
	assert.is(store.count('mem-1'), 1);
	assert.equal(b.clients().map((c) => c.identity.thingName), ['mem-1']);
	await client.endAsync(true);
	await b.close();
});

broker.run();
