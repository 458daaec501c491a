/**
 * Detect inside startWarden: a real broker on 127.0.0.1, MQTT.js clients, a SQLite file and
 * virtual time. A device-side violation (report) and a cloud-side one (message count in a
 * 5-minute bucket) both end up as active violations and as alerts on the broker's alert topic.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import { VirtualClock } from '../../host/clock.ts';
import { detectConfigStoreFor } from '../../host/detect/config/sqlite-store.ts';
import { SqliteDetectStore } from '../../host/detect/store/sqlite-engine-store.ts';
import { type Warden, startWarden } from '../../host/server.ts';
import { connect, end, nextMessage, subscribe, tempDir } from '../helpers/mqtt.ts';

let dir = '';
let w: Warden;
const clock = new VirtualClock(Date.UTC(2026, 5, 1, 0, 0, 10));

const e2e = suite('startWarden with Detect');
e2e.before(async () => {
	dir = tempDir();
	w = await startWarden({ mqttPort: 0, httpPort: null, dataDir: dir, clock, minReportIntervalSec: 0 });
	const cfg = detectConfigStoreFor(w.db);
	const arn = 'arn:aws:iot:us-east-1:123456789012:securityprofile/edge';
	cfg.insertProfile({
		name: 'edge',
		arn,
		behaviors: [
			{ name: 'ports', metric: 'aws:num-listening-tcp-ports', criteria: { comparisonOperator: 'less-than', value: { count: 2 } } },
			{ name: 'chatty', metric: 'aws:num-messages-sent', criteria: { comparisonOperator: 'less-than', value: { count: 5 }, durationSeconds: 300 } },
		],
		version: 1,
		createdAt: clock.now(),
		modifiedAt: clock.now(),
	});
	cfg.attach('edge', 'arn:aws:iot:us-east-1:123456789012:all/things', clock.now());
});
e2e.after(async () => {
	await w.close();
	rmSync(dir, { recursive: true, force: true });
});

e2e('a violating report raises an alert on warden/detect/alerts/<profile>', async () => {
	const watcher = await connect(w.mqttPort, 'soc-console');
	await subscribe(watcher, 'warden/detect/alerts/#');
	const dev = await connect(w.mqttPort, 'cam-9');
	const alert = nextMessage(watcher, 'warden/detect/alerts/edge');
	const rep = { header: { report_id: 1, version: '1.0' }, metrics: { listening_tcp_ports: { ports: [{ port: 22 }, { port: 23 }, { port: 80 }], total: 3 } } };
	await dev.publishAsync('$aws/things/cam-9/defender/metrics/json', JSON.stringify(rep), { qos: 1 });
	const body = JSON.parse((await alert).toString());
	assert.is(body.thingName, 'cam-9');
	assert.is(body.behavior.name, 'ports');
	assert.is(body.violationEventType, 'in-alarm');
	assert.equal(body.metricValue, { count: 3 });
	assert.is(body.securityProfileArn, 'arn:aws:iot:us-east-1:123456789012:securityprofile/edge');

	// cloud side: 6 messages in one bucket, seen when the bucket closes
	const chatty = nextMessage(watcher, 'warden/detect/alerts/edge');
	for (let i = 0; i < 6; i++) await dev.publishAsync('tele/cam-9', 'x', { qos: 1 });
	clock.advance(300_000);
	const b2 = JSON.parse((await chatty).toString());
	assert.is(b2.behavior.name, 'chatty');
	assert.equal(b2.metricValue, { count: 7 }, 'the report publish and the six telemetry messages');

	const active = new SqliteDetectStore(w.db).listActiveViolations({ thingName: 'cam-9' }, 10).items.map((v) => v.behavior.name).sort();
	assert.equal(active, ['chatty', 'ports']);
	await end(dev);
	await end(watcher);
});
e2e.run();
