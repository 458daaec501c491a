/** ListActiveViolations, ListViolationEvents, PutVerificationStateOnViolation, ListMetricValues through the official IoTClient. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
	ListActiveViolationsCommand,
	ListMetricValuesCommand,
	ListViolationEventsCommand,
	PutVerificationStateOnViolationCommand,
} from '@aws-sdk/client-iot';
import { VirtualClock } from '../../host/clock.ts';
import { registerRoutes } from '../../host/detect/api/api-routes.ts';
import { DetectEngine } from '../../host/detect/engine/engine.ts';
import { MemoryDetectConfig } from '../../host/detect/engine/memory-config.ts';
import { detectEngineMigrations } from '../../host/detect/store/schema.ts';
import { SqliteDetectStore } from '../../host/detect/store/sqlite-engine-store.ts';
import { migrate } from '../../host/storage/database.ts';
import { rejection, startTestApi, type TestApi } from '../api/helpers.ts';
import { MIN5, profile, report, tcpPorts } from './fixtures.ts';

let t: TestApi;
const clock = new VirtualClock(Math.floor(Date.now() / 1000) * 1000 - 16 * 60_000); // near wall time: SigV4 checks the clock
const t0 = clock.now();

const api = suite('Detect violation API');
api.before(async () => {
	t = await startTestApi([registerRoutes], { clock, setup: (db) => migrate(db, detectEngineMigrations) });
	const config = new MemoryDetectConfig();
	profile(config, 'ports', [
		{ name: 'few', metric: 'aws:num-listening-tcp-ports', criteria: { comparisonOperator: 'less-than', value: { count: 2 } } },
		{ name: 'quiet', metric: 'aws:listening-tcp-ports', suppressAlerts: true, criteria: { comparisonOperator: 'in-port-set', value: { ports: [22] } } },
	]);
	const engine = new DetectEngine({ clock, store: new SqliteDetectStore(t.db), config });
	const send = (thing: string, ports: number[]) => {
		const rep = report(tcpPorts(...ports));
		engine.onReport({ thingName: thing, clientId: thing, reportId: rep.header.report_id, format: 'json', report: rep, at: clock.now() });
	};
	for (let i = 0; i < 3; i++) {
		send('cam-1', [22]);
		send('cam-2', [22, 23, 80]);
		send('cam-3', i === 2 ? [22] : [22, 23]);
		clock.advance(MIN5);
	}
});
api.after(() => t.close());

api('ListActiveViolations with filters and pagination', async () => {
	const all = await t.client.send(new ListActiveViolationsCommand({}));
	assert.equal(all.activeViolations!.map((v) => `${v.thingName}/${v.behavior!.name}`).sort(), ['cam-2/few', 'cam-2/quiet']);
	const v = all.activeViolations!.find((x) => x.behavior!.name === 'few')!;
	assert.equal(v.lastViolationValue, { count: 3 });
	assert.is(v.violationStartTime!.getTime(), t0);
	assert.is(v.lastViolationTime!.getTime(), t0 + 2 * MIN5);
	assert.is(v.verificationState, 'UNKNOWN');
	const noSuppressed = await t.client.send(new ListActiveViolationsCommand({ listSuppressedAlerts: false }));
	assert.equal(noSuppressed.activeViolations!.map((x) => x.behavior!.name), ['few']);
	const p1 = await t.client.send(new ListActiveViolationsCommand({ maxResults: 1 }));
	assert.is(p1.activeViolations!.length, 1);
	assert.ok(p1.nextToken);
	const p2 = await t.client.send(new ListActiveViolationsCommand({ maxResults: 1, nextToken: p1.nextToken }));
	assert.is(p2.activeViolations!.length, 1);
	assert.is(p2.nextToken, undefined);
	assert.is.not(p2.activeViolations![0]!.violationId, p1.activeViolations![0]!.violationId);
	const none = await t.client.send(new ListActiveViolationsCommand({ thingName: 'cam-1' }));
	assert.equal(none.activeViolations, []);
});

api('ListViolationEvents over a time range, and verification state on a past violation', async () => {
	const ev = await t.client.send(new ListViolationEventsCommand({ startTime: new Date(t0), endTime: new Date(t0 + 3 * MIN5) }));
	const summary = ev.violationEvents!.map((e) => `${e.thingName}/${e.behavior!.name}/${e.violationEventType}`);
	assert.equal(summary.sort(), ['cam-2/few/in-alarm', 'cam-2/quiet/in-alarm', 'cam-3/few/alarm-cleared', 'cam-3/few/in-alarm', 'cam-3/quiet/alarm-cleared', 'cam-3/quiet/in-alarm']);
	const cleared = ev.violationEvents!.find((e) => e.thingName === 'cam-3' && e.violationEventType === 'alarm-cleared' && e.behavior!.name === 'few')!;
	assert.is(cleared.violationEventTime!.getTime(), t0 + 2 * MIN5);
	await t.client.send(new PutVerificationStateOnViolationCommand({ violationId: cleared.violationId!, verificationState: 'BENIGN_POSITIVE', verificationStateDescription: 'maintenance port' }));
	const fp = await t.client.send(new ListViolationEventsCommand({ startTime: new Date(t0), endTime: new Date(t0 + 3 * MIN5), verificationState: 'BENIGN_POSITIVE' }));
	assert.equal(fp.violationEvents!.map((e) => e.violationEventType).sort(), ['alarm-cleared', 'in-alarm']);
	assert.is(fp.violationEvents![0]!.verificationStateDescription, 'maintenance port');
	const early = await t.client.send(new ListViolationEventsCommand({ startTime: new Date(t0 - 2 * MIN5), endTime: new Date(t0 - MIN5) }));
	assert.equal(early.violationEvents, []);
	const bad = await rejection(() => t.client.send(new PutVerificationStateOnViolationCommand({ violationId: 'nope', verificationState: 'TRUE_POSITIVE' })));
	assert.is(bad.name, 'InvalidRequestException');
	const badState = await rejection(() => t.client.send(new PutVerificationStateOnViolationCommand({ violationId: cleared.violationId!, verificationState: 'MAYBE' as never })));
	assert.is(badState.name, 'InvalidRequestException');
});

api('ListMetricValues returns the stored datapoints', async () => {
	const r = await t.client.send(new ListMetricValuesCommand({ thingName: 'cam-2', metricName: 'aws:num-listening-tcp-ports', startTime: new Date(t0), endTime: new Date(t0 + 3 * MIN5) }));
	assert.equal(r.metricDatumList!.map((d) => [d.timestamp!.getTime() - t0, d.value]), [[0, { count: 3 }], [MIN5, { count: 3 }], [2 * MIN5, { count: 3 }]]);
	const ports = await t.client.send(new ListMetricValuesCommand({ thingName: 'cam-2', metricName: 'aws:listening-tcp-ports', startTime: new Date(t0), endTime: new Date(t0), maxResults: 5 }));
	assert.equal(ports.metricDatumList!.map((d) => d.value), [{ ports: [22, 23, 80] }]);
	const missing = await rejection(() => t.client.send(new ListMetricValuesCommand({ thingName: 'cam-2', metricName: undefined as never, startTime: new Date(t0), endTime: new Date(t0) })));
	assert.ok(missing);
});
api.run();
