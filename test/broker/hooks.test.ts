/**
 * Pluggable authentication/authorization and cloud-side events over a real broker on 127.0.0.1:
 * what hooks see (client id, source IP, listener), what a refusal does, disconnect by client id.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { type Server, createServer } from 'node:net';
import { rmSync } from 'node:fs';
import { type Warden, startWarden } from '../../host/server.ts';
import type { ClientContext } from '../../host/broker/hooks.ts';
import type { WardenEvents } from '../../host/events.ts';
import { closedByServer, connect, end, nextMessage, subscribe, tempDir } from '../helpers/mqtt.ts';

let dir = '';
let w: Warden;
const events: { name: string; ev: Record<string, unknown> }[] = [];

const hooks = suite('WardenBroker.setHooks');
hooks.before(async () => {
	dir = tempDir();
	w = await startWarden({ mqttPort: 0, httpPort: null, dataDir: dir, minReportIntervalSec: 0 });
	for (const name of ['broker.connect-attempt', 'broker.connect', 'broker.disconnect', 'broker.publish', 'broker.deliver', 'broker.auth-failure'] as const) {
		w.bus.on(name, (ev: WardenEvents[typeof name]) => events.push({ name, ev: ev as unknown as Record<string, unknown> }));
	}
});
hooks.after(async () => {
	await w.close();
	rmSync(dir, { recursive: true, force: true });
});
hooks.before.each(() => {
	events.length = 0;
	w.broker.setHooks({
		authenticate: () => ({ ok: true }),
		authorizePublish: () => ({ allow: true }),
		authorizeSubscribe: () => ({ allow: true }),
		authorizeReceive: () => ({ allow: true }),
	});
});

hooks('authenticate sees the client and credentials; a refusal is CONNACK 5 and an auth-failure event', async () => {
	const seen: { ctx: ClientContext; user: string | undefined }[] = [];
	w.broker.setHooks({
		authenticate: (ctx, creds) => {
			seen.push({ ctx, user: creds.username });
			return creds.password?.toString() === 'right' ? { ok: true, thingName: 'thing-A', certificateId: 'cert-1' } : { ok: false, reason: 'bad password' };
		},
	});
	const err = await connect(w.mqttPort, 'dev-A', { username: 'u', password: 'wrong' }).then(
		() => null,
		(e: Error & { code?: number }) => e,
	);
	assert.ok(err, 'connect was refused');
	assert.is(err!.code, 5);
	assert.is(seen[0]!.ctx.clientId, 'dev-A');
	assert.is(seen[0]!.ctx.sourceIp, '127.0.0.1');
	assert.is(seen[0]!.ctx.listener, 'mqtt');
	assert.is(seen[0]!.ctx.peerCertificate, null);
	assert.is(seen[0]!.user, 'u');
	const fail = events.find((e) => e.name === 'broker.auth-failure')!;
	assert.equal([fail.ev.clientId, fail.ev.action, fail.ev.reason], ['dev-A', 'connect', 'bad password']);
	assert.ok(events.some((e) => e.name === 'broker.connect-attempt' && e.ev.clientId === 'dev-A'));

	const ok = await connect(w.mqttPort, 'dev-A', { username: 'u', password: 'right' });
	const connected = events.find((e) => e.name === 'broker.connect')!;
	assert.equal([connected.ev.clientId, connected.ev.thingName, connected.ev.certificateId, connected.ev.sourceIp], ['dev-A', 'thing-A', 'cert-1', '127.0.0.1']);
	assert.equal(w.broker.clients().map((c) => c.identity.thingName), ['thing-A']);
	await end(ok);
});

hooks('a refused publish disconnects the client; a refused subscribe is SUBACK 0x80', async () => {
	w.broker.setHooks({
		authorizePublish: (_c, topic) => (topic.startsWith('allowed/') ? { allow: true } : { allow: false, reason: 'policy' }),
		authorizeSubscribe: (_c, filter) => (filter === 'secret/#' ? { allow: false, reason: 'policy' } : { allow: true }),
	});
	const c = await connect(w.mqttPort, 'dev-B');
	assert.is(await subscribe(c, 'secret/#'), 128);
	assert.is(await subscribe(c, 'allowed/x'), 1);
	const got = nextMessage(c, 'allowed/x');
	await c.publishAsync('allowed/x', 'hi', { qos: 1 });
	assert.is((await got).toString(), 'hi');
	const closed = closedByServer(c);
	c.publish('forbidden/x', 'no', { qos: 1 });
	await closed;
	const failures = events.filter((e) => e.name === 'broker.auth-failure').map((e) => `${e.ev.action} ${e.ev.resource} ${e.ev.reason}`);
	assert.equal(failures, ['subscribe secret/# policy', 'publish forbidden/x policy']);
	assert.ok(events.some((e) => e.name === 'broker.publish' && e.ev.topic === 'allowed/x' && e.ev.bytes === 2));
	assert.ok(events.some((e) => e.name === 'broker.deliver' && e.ev.topic === 'allowed/x' && e.ev.clientId === 'dev-B'));
	await end(c);
});

hooks('authorizeReceive filters deliveries per client; a throwing hook counts as a refusal', async () => {
	w.broker.setHooks({
		authorizeReceive: (ctx) => {
			if (ctx.clientId === 'boom') throw new Error('bug in hook');
			return ctx.clientId === 'deaf' ? { allow: false, reason: 'not for you' } : { allow: true };
		},
	});
	const deaf = await connect(w.mqttPort, 'deaf');
	const boom = await connect(w.mqttPort, 'boom');
	const hear = await connect(w.mqttPort, 'hear');
	const received: string[] = [];
	for (const c of [deaf, boom, hear]) {
		await subscribe(c, 'news');
		c.on('message', () => received.push(c.options.clientId!));
	}
	const got = nextMessage(hear, 'news');
	await hear.publishAsync('news', 'x', { qos: 1 });
	await got;
	await hear.publishAsync('barrier', 'x', { qos: 1 }); // let the other deliveries be decided
	assert.equal(received, ['hear']);
	const reasons = events.filter((e) => e.name === 'broker.auth-failure').map((e) => `${e.ev.clientId}: ${e.ev.reason}`).sort();
	assert.equal(reasons, ['boom: authorizeReceive hook failed', 'deaf: not for you']);
	for (const c of [deaf, boom, hear]) await end(c);
});

hooks('disconnect(clientId) closes that client only, with a reason', async () => {
	const a = await connect(w.mqttPort, 'kick-me');
	const b = await connect(w.mqttPort, 'keep-me');
	const closed = closedByServer(a);
	assert.is(w.broker.disconnect('kick-me', 'certificate revoked'), true);
	assert.is(w.broker.disconnect('nobody'), false);
	await closed;
	const disc = events.find((e) => e.name === 'broker.disconnect' && e.ev.clientId === 'kick-me')!;
	assert.is(disc.ev.reason, 'certificate revoked');
	assert.ok(b.connected);
	await end(a);
	await end(b);
});

hooks.run();

// ---
const handle = suite('WardenBroker.handle');

handle('serves a stream from another listener with the meta it was given', async () => {
	dir = tempDir();
	const w2 = await startWarden({ mqttPort: 0, httpPort: null, dataDir: dir, minReportIntervalSec: 0 });
	const seen: ClientContext[] = [];
	w2.broker.setHooks({ authenticate: (ctx) => (seen.push(ctx), { ok: true }) });
	const server: Server = createServer((s) => w2.broker.handle(s, { listener: 'extra', sourceIp: '10.1.2.3' }));
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const port = (server.address() as { port: number }).port;
	const c = await connect(port, 'via-extra');
	await subscribe(c, '$aws/things/via-extra/defender/metrics/json/accepted');
	const got = nextMessage(c, '$aws/things/via-extra/defender/metrics/json/accepted');
	await c.publishAsync('$aws/things/via-extra/defender/metrics/json', '{"header":{"report_id":1,"version":"1.0"},"metrics":{}}');
	assert.is(JSON.parse((await got).toString()).status, 'ACCEPTED');
	assert.equal([seen[0]!.listener, seen[0]!.sourceIp, seen[0]!.clientId], ['extra', '10.1.2.3', 'via-extra']);
	await end(c);
	await new Promise<void>((r) => server.close(() => r()));
	await w2.close();
	rmSync(dir, { recursive: true, force: true });
});

handle.run();
