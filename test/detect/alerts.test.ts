/** Webhook and MQTT alerts: real HTTP server on 127.0.0.1, real SQLite file, virtual time for retries. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { VirtualClock } from '../../host/clock.ts';
import { verifySignature } from '../../host/detect/alerts/alert-body.ts';
import { AlertSink } from '../../host/detect/alerts/alert-sink.ts';
import { parseDestination, type AlertDestination } from '../../host/detect/alerts/destinations.ts';
import { AlertDispatcher } from '../../host/detect/alerts/dispatcher.ts';
import { MemoryDetectConfig } from '../../host/detect/engine/memory-config.ts';
import { isWardenError } from '../../host/errors.ts';
import { profile, report, rig, send, tcpPorts } from './fixtures.ts';

const SECRET = 'test-secret-0123456789';

interface Received {
	headers: Record<string, string>;
	body: string;
}

function startServer(statuses: number[]): Promise<{ server: Server; url: string; got: Received[] }> {
	const got: Received[] = [];
	const server = createServer((req, res) => {
		let body = '';
		req.on('data', (d) => (body += d));
		req.on('end', () => {
			got.push({ headers: req.headers as Record<string, string>, body });
			res.statusCode = statuses.shift() ?? 200;
			res.end();
		});
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got })));
}

/** Resolves once `pred()` holds, re-checked after each delivery attempt; fails after `ms` of real time. */
function attempts() {
	const waiters: Array<() => void> = [];
	const log: Array<{ id: string; ok: boolean }> = [];
	return {
		log,
		onAttempt: (id: string, ok: boolean) => {
			log.push({ id, ok });
			for (const w of waiters.splice(0)) w();
		},
		until(pred: () => boolean, ms = 5000): Promise<void> {
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('timed out waiting for alert delivery')), ms);
				const check = () => {
					if (pred()) {
						clearTimeout(timer);
						resolve();
					} else waiters.push(check);
				};
				check();
			});
		},
	};
}

function alertRig(file: string, clock: VirtualClock, config: MemoryDetectConfig, dest: AlertDestination, mqtt: Array<[string, string]>, a: ReturnType<typeof attempts>) {
	const holder: { dispatcher?: AlertDispatcher } = {};
	const r = rig({
		file,
		clock,
		config,
		sink: {
			outboxFor: (e, p) => sink.outboxFor(e, p),
			committed: () => holder.dispatcher!.kick(),
		},
	});
	const destination = (n: string) => (n === dest.name ? dest : undefined);
	const dispatcher = new AlertDispatcher({ clock, store: r.store, destination, publish: (t, p) => void mqtt.push([t, p]), onAttempt: a.onAttempt });
	holder.dispatcher = dispatcher;
	const sink = new AlertSink({ clock, accountId: '123456789012', region: 'us-east-1', destination, dispatcher });
	return { r, dispatcher };
}

const wh = suite('AlertDispatcher webhook');
wh('signed delivery, retried after HTTP 500 with backoff, MQTT copy, and delivery after a restart', async () => {
	const dir = mkdtempSync(join(tmpdir(), 'warden-alerts-'));
	const { server, url, got } = await startServer([500]);
	try {
		const file = join(dir, 'warden.db');
		const clock = new VirtualClock();
		const config = new MemoryDetectConfig();
		profile(config, 'cams', [{ name: 'few-ports', metric: 'aws:num-listening-tcp-ports', criteria: { comparisonOperator: 'less-than', value: { count: 2 } } }], {
			alertTargets: { SNS: { alertTargetArn: 'arn:aws:sns:us-east-1:123456789012:ops', roleArn: 'arn:aws:iam::123456789012:role/x' } },
		});
		const dest = parseDestination(`ops=${url};secret=${SECRET}`);
		const mqtt: Array<[string, string]> = [];
		const a = attempts();
		let { r, dispatcher } = alertRig(file, clock, config, dest, mqtt, a);
		dispatcher.start();

		send(r, 'cam-1', report(tcpPorts(1, 2, 3)));
		await a.until(() => a.log.length >= 2);
		assert.is(got.length, 1);
		assert.equal(a.log.map((x) => x.ok).sort(), [false, true], 'webhook failed (500), MQTT delivered');
		assert.is(mqtt.length, 1);
		assert.is(mqtt[0]![0], 'warden/detect/alerts/cams');

		const first = got[0]!;
		assert.ok(verifySignature(SECRET, first.headers['x-warden-timestamp']!, first.body, first.headers['x-warden-signature']!), 'valid HMAC');
		assert.not.ok(verifySignature('wrong-secret-0000000', first.headers['x-warden-timestamp']!, first.body, first.headers['x-warden-signature']!));
		const body = JSON.parse(first.body);
		assert.is(body.violationEventType, 'in-alarm');
		assert.is(body.thingName, 'cam-1');
		assert.is(body.securityProfileName, 'cams');
		assert.equal(body.metricValue, { count: 3 });
		assert.is(body.violationEventTime, clock.now() / 1000);
		assert.is(body.deliveryId, first.headers['x-warden-delivery']);

		clock.advance(9_999);
		assert.is(a.log.length, 2, 'no retry before the 10 s backoff');
		clock.advance(1);
		await a.until(() => a.log.length >= 3);
		assert.is(got.length, 2);
		assert.is(got[1]!.headers['x-warden-delivery'], first.headers['x-warden-delivery'], 'same delivery id on retry');
		assert.is(got[1]!.body, first.body);
		assert.ok(a.log[2]!.ok);

		// Restart: an alert committed while the dispatcher was down is delivered by the next process.
		dispatcher.stop();
		clock.advance(300_000);
		send(r, 'cam-1', report(tcpPorts(1)));
		assert.is(got.length, 2, 'not delivered while stopped');
		r.engine.stop();
		r.db.close();
		({ r, dispatcher } = alertRig(file, clock, config, dest, mqtt, a));
		dispatcher.start();
		await a.until(() => got.length >= 3);
		assert.is(JSON.parse(got[2]!.body).violationEventType, 'alarm-cleared');
		await a.until(() => mqtt.length >= 2);
		await dispatcher.idle();
		assert.equal(r.store.dueAlerts(Number.MAX_SAFE_INTEGER, 10), [], 'outbox drained');
		dispatcher.stop();
		r.engine.stop();
		r.db.close();
	} finally {
		server.close();
		rmSync(dir, { recursive: true, force: true });
	}
});
wh('an alert is parked after maxAttempts', async () => {
	const { server, url, got } = await startServer([500, 500, 500, 500]);
	try {
		const clock = new VirtualClock();
		const config = new MemoryDetectConfig();
		profile(config, 'p', [{ name: 'b', metric: 'aws:num-listening-tcp-ports', criteria: { comparisonOperator: 'less-than', value: { count: 1 } } }], {
			alertTargets: { SNS: { alertTargetArn: 'arn:aws:sns:us-east-1:123456789012:ops', roleArn: 'arn:aws:iam::123456789012:role/x' } },
		});
		const dest = parseDestination(`ops=${url};secret=${SECRET}`);
		const a = attempts();
		const r = rig({ clock, config });
		const dispatcher = new AlertDispatcher({ clock, store: r.store, destination: () => dest, publish: () => {}, onAttempt: a.onAttempt, maxAttempts: 3, baseDelayMs: 1000 });
		const sink = new AlertSink({ clock, accountId: '123456789012', region: 'us-east-1', destination: () => dest, dispatcher, alertTopicPrefix: '' });
		r.engine.stop();
		const { DetectEngine } = await import('../../host/detect/engine/engine.ts');
		const engine = new DetectEngine({ clock, store: r.store, config, sink });
		dispatcher.start();
		engine.onReport({ thingName: 't', clientId: 't', reportId: 1, format: 'json', report: report(tcpPorts(5)), at: clock.now() });
		await a.until(() => a.log.length >= 1);
		clock.advance(1000);
		await a.until(() => a.log.length >= 2);
		clock.advance(2000);
		await a.until(() => a.log.length >= 3);
		clock.advance(3_600_000);
		await dispatcher.idle();
		assert.is(got.length, 3);
		assert.is(r.store.nextAlertAt(), Number.MAX_SAFE_INTEGER, 'parked');
		dispatcher.stop();
	} finally {
		server.close();
	}
});
wh.run();

const pd = suite('parseDestination');
pd('webhook and MQTT forms; bad input gets WARDEN_ERR_CONFIG', () => {
	assert.equal(parseDestination(`a=https://x.example/h;secret=${SECRET}`), { kind: 'webhook', name: 'a', url: 'https://x.example/h', secret: SECRET });
	assert.equal(parseDestination('b=mqtt:ops/alerts'), { kind: 'mqtt', name: 'b', topic: 'ops/alerts' });
	for (const bad of ['noequals', 'a=ftp://x;secret=0123456789abcdef', 'a=https://x', 'a=mqtt:ops/#', 'a b=mqtt:x']) {
		try {
			parseDestination(bad);
			assert.unreachable(bad);
		} catch (e) {
			assert.ok(isWardenError(e) && e.code === 'WARDEN_ERR_CONFIG', bad);
		}
	}
});
pd.run();
