/**
 * Integration: a QEMU board whose simulated network counters misbehave (the bridge tells it to
 * scale them ×1000) raises a Detect violation of an `aws:all-bytes-out <= 100000` behavior,
 * configured through the AWS API; a well-behaved board under the same profile does not.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AttachSecurityProfileCommand, CreateSecurityProfileCommand, IoTClient, ListActiveViolationsCommand } from '@aws-sdk/client-iot';
import { startWarden, type Warden } from '../../host/server.ts';
import { bootBoard } from '../../sim/qemu/run.ts';
import { tempDir } from '../helpers/mqtt.ts';

const detect = suite('bootBoard: misbehaving counters and Detect');
let warden: Warden;
let iot: IoTClient;

detect.before(async () => {
	warden = await startWarden({ mqttPort: 0, httpPort: 0, dataDir: tempDir('warden-qemu-detect-'), minReportIntervalSec: 0 });
	iot = new IoTClient({ endpoint: `http://127.0.0.1:${warden.httpPort}`, region: 'us-east-1', credentials: { ...warden.apiCredentials! }, maxAttempts: 1 });
	await iot.send(new CreateSecurityProfileCommand({
		securityProfileName: 'egress',
		// Device Defender behaviors describe normal traffic: more than 100 kB out in 5 minutes violates
		behaviors: [{ name: 'bytesOut', metric: 'aws:all-bytes-out', criteria: { comparisonOperator: 'less-than-equals', value: { count: 100_000 }, durationSeconds: 300 } }],
	}));
	await iot.send(new AttachSecurityProfileCommand({ securityProfileName: 'egress', securityProfileTargetArn: 'arn:aws:iot:us-east-1:123456789012:all/things' }));
});

detect.after(async () => {
	iot?.destroy();
	await warden?.close();
});

async function runBoard(thingName: string, counterScale: number): Promise<void> {
	const b = await bootBoard({
		board: 'qemu-netduinoplus2',
		brokerUrl: `mqtt://127.0.0.1:${warden.mqttPort}`,
		agent: { thingName, intervalSec: 300 },
		counterScale,
	});
	try {
		await b.waitForStats((s) => s.accepted >= 1, 20_000);
		// the first report sets the counters' baseline; the second carries network_stats deltas
		b.bridge.reportNow();
		const s = await b.waitForStats((x) => x.accepted >= 2, 20_000);
		assert.is(s.rejected, 0);
	} finally {
		assert.is(await b.stop(), 0);
	}
}

detect('a board reporting ×1000 bytes out is in violation; a normal one is not', async () => {
	await runBoard('qemu-noisy', 1000);
	await runBoard('qemu-quiet', 1);
	const active = await iot.send(new ListActiveViolationsCommand({ securityProfileName: 'egress' }));
	const things = (active.activeViolations ?? []).map((v) => v.thingName).sort();
	assert.equal(things, ['qemu-noisy']);
	const v = active.activeViolations![0]!;
	assert.is(v.behavior?.name, 'bytesOut');
	assert.ok((v.lastViolationValue?.count ?? 0) > 100_000, `violation value ${v.lastViolationValue?.count}`);
});

detect.run();
