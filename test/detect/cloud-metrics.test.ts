import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../host/clock.ts';
import { BUCKET_MS, CloudMetricAggregator } from '../../host/detect/engine/cloud-metrics.ts';
import type { Sample } from '../../host/detect/engine/sample.ts';

function setup() {
	const clock = new VirtualClock(Date.UTC(2026, 0, 1, 0, 1)); // 1 min into a bucket
	const out: Sample[] = [];
	const agg = new CloudMetricAggregator({
		clock,
		emit: (s) => out.push(...s),
		wantedDimensions: () => [{ key: 'tele|IN', filters: ['tele/#'], operator: 'IN' }],
	});
	agg.start();
	return { clock, out, agg };
}
const pick = (out: Sample[], metric: string, dimension = '') => out.filter((s) => s.metric === metric && s.dimension === dimension).map((s) => [s.thing, s.value.count ?? s.value.cidrs, s.at]);

const a = suite('CloudMetricAggregator');
a('buckets, dimensions, byte size, auth failures, connects and disconnect duration', () => {
	const { clock, out, agg } = setup();
	const t0 = clock.now();
	const end = Math.ceil(t0 / BUCKET_MS) * BUCKET_MS;
	agg.onConnectAttempt({ clientId: 'c1', sourceIp: '10.0.0.5', at: t0 });
	agg.onConnect({ clientId: 'c1', sourceIp: '10.0.0.5', certificateId: 'x', thingName: 'dev1', at: t0 });
	assert.equal(pick(out, 'aws:source-ip-address'), [['dev1', ['10.0.0.5'], t0]], 'source IP is immediate');
	agg.onPublish({ clientId: 'c1', topic: 'tele/a', bytes: 100, at: t0 });
	agg.onPublish({ clientId: 'c1', topic: 'cmd/a', bytes: 700, at: t0 });
	agg.onDeliver({ clientId: 'c1', topic: 'tele/b', bytes: 5, at: t0 });
	agg.onAuthFailure({ clientId: 'c1', sourceIp: '10.0.0.5', action: 'publish', resource: 'secret/x', reason: 'denied', at: t0 });
	clock.advanceTo(end - 1);
	assert.is(out.length, 1, 'nothing before the boundary');
	clock.advanceTo(end);
	assert.equal(pick(out, 'aws:num-messages-sent'), [['dev1', 2, end]]);
	assert.equal(pick(out, 'aws:num-messages-sent', 'tele|IN'), [['dev1', 1, end]]);
	assert.equal(pick(out, 'aws:num-messages-received'), [['dev1', 1, end]]);
	assert.equal(pick(out, 'aws:message-byte-size'), [['dev1', 700, end]]);
	assert.equal(pick(out, 'aws:message-byte-size', 'tele|IN'), [['dev1', 100, end]]);
	assert.equal(pick(out, 'aws:num-authorization-failures'), [['dev1', 1, end]]);
	assert.equal(pick(out, 'aws:num-connection-attempts'), [['dev1', 1, end]]);
	out.length = 0;
	clock.advance(BUCKET_MS);
	assert.equal(pick(out, 'aws:num-messages-sent'), [['dev1', 0, end + BUCKET_MS]], 'a connected idle thing reports zero');
	assert.equal(pick(out, 'aws:message-byte-size'), [], 'no message, no size');
	out.length = 0;
	agg.onDisconnect({ clientId: 'c1', sourceIp: '10.0.0.5', certificateId: 'x', thingName: 'dev1', at: end + BUCKET_MS + 60_000, reason: 'closed' });
	clock.advance(BUCKET_MS);
	assert.equal(pick(out, 'aws:num-disconnects'), [['dev1', 1, end + 2 * BUCKET_MS]]);
	assert.equal(pick(out, 'aws:disconnect-duration'), [['dev1', 240, end + 2 * BUCKET_MS]]);
	out.length = 0;
	agg.onConnect({ clientId: 'c1', sourceIp: '10.0.0.6', certificateId: 'x', thingName: 'dev1', at: end + 2 * BUCKET_MS + 30_000 });
	assert.equal(pick(out, 'aws:disconnect-duration'), [['dev1', 270, end + 2 * BUCKET_MS + 30_000]], 'final outage length at reconnect');
});
a('an unregistered client is identified by its client id', () => {
	const { clock, out, agg } = setup();
	agg.onPublish({ clientId: 'anon-7', topic: 'x', bytes: 3, at: clock.now() });
	agg.closeBucket();
	assert.equal(pick(out, 'aws:num-messages-sent').map((x) => x[0]), ['anon-7']);
});
a.run();
