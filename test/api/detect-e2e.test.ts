/**
 * The whole path the way an AWS user drives it: security profile configured with the official
 * IoTClient, a device report over MQTT, the violation listed through the API, and a profile
 * update that removes the behavior invalidating the alarm (spec §3.5 rule 4) — the engine
 * learns about the change through the config store's onChange hook.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync } from 'node:fs';
import {
	AttachSecurityProfileCommand,
	CreateSecurityProfileCommand,
	IoTClient,
	ListActiveViolationsCommand,
	ListViolationEventsCommand,
	UpdateSecurityProfileCommand,
} from '@aws-sdk/client-iot';
import './helpers.ts';
import { VirtualClock } from '../../host/clock.ts';
import { type Warden, startWarden } from '../../host/server.ts';
import { connect, end, nextMessage, subscribe, tempDir } from '../helpers/mqtt.ts';

const e2e = suite('Detect configured through the API');
const clock = new VirtualClock(Date.UTC(2026, 5, 1, 0, 0, 10));
let dir = '';
let w: Warden | undefined;
let iot: IoTClient | undefined;

const globalIot = () => iot!;
const globalWarden = () => w!;

e2e.before(async () => {
	dir = tempDir();
	const started = await startWarden({ mqttPort: 0, httpPort: 0, dataDir: dir, clock, minReportIntervalSec: 0 });
	w = started;
	iot = new IoTClient({ endpoint: `http://127.0.0.1:${started.httpPort}`, region: 'us-east-1', credentials: { ...started.apiCredentials! }, maxAttempts: 1 });
});
e2e.after(async () => {
	iot?.destroy();
	await w?.close();
	rmSync(dir, { recursive: true, force: true });
});

e2e('report → violation listed by ListActiveViolations → behavior removed → alarm-invalidated', async () => {
	const iot = globalIot();
	const w = globalWarden();
	await iot.send(
		new CreateSecurityProfileCommand({
			securityProfileName: 'ports-only',
			behaviors: [{ name: 'onlyHttps', metric: 'aws:listening-tcp-ports', criteria: { comparisonOperator: 'in-port-set', value: { ports: [443] } } }],
		}),
	);
	await iot.send(new AttachSecurityProfileCommand({ securityProfileName: 'ports-only', securityProfileTargetArn: 'arn:aws:iot:us-east-1:123456789012:all/things' }));

	const dev = await connect(w.mqttPort, 'cam-1');
	await subscribe(dev, '$aws/things/cam-1/defender/metrics/json/accepted');
	const accepted = nextMessage(dev, '$aws/things/cam-1/defender/metrics/json/accepted');
	const rep = { header: { report_id: 1, version: '1.0' }, metrics: { listening_tcp_ports: { ports: [{ port: 443 }, { port: 22 }], total: 2 } } };
	await dev.publishAsync('$aws/things/cam-1/defender/metrics/json', JSON.stringify(rep), { qos: 1 });
	assert.is(JSON.parse((await accepted).toString()).status, 'ACCEPTED');
	await end(dev);

	const active = await iot.send(new ListActiveViolationsCommand({ securityProfileName: 'ports-only' }));
	assert.is(active.activeViolations?.length, 1);
	assert.is(active.activeViolations?.[0]?.thingName, 'cam-1');
	assert.is(active.activeViolations?.[0]?.behavior?.name, 'onlyHttps');
	assert.equal(active.activeViolations?.[0]?.lastViolationValue?.ports, [443, 22]);

	await iot.send(new UpdateSecurityProfileCommand({ securityProfileName: 'ports-only', deleteBehaviors: true }));
	const after = await iot.send(new ListActiveViolationsCommand({ securityProfileName: 'ports-only' }));
	assert.equal(after.activeViolations, []);
	const events = await iot.send(new ListViolationEventsCommand({ startTime: new Date(clock.now() - 3600_000), endTime: new Date(clock.now() + 1000), thingName: 'cam-1' }));
	assert.equal(events.violationEvents?.map((e) => e.violationEventType), ['in-alarm', 'alarm-invalidated']);
});

e2e.run();
