import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../host/clock.ts';
import { MemoryDetectConfig } from '../../host/detect/engine/memory-config.ts';
import { DAY, MIN5, profile, report, rig, send, tcpPorts } from './fixtures.ts';

const ev = (r: ReturnType<typeof rig>) => r.events.map((e) => `${e.thing}:${e.behavior.name}:${e.type}`);

const st = suite('DetectEngine static behaviors');
st('a violating report raises in-alarm, an active violation and a stored datapoint; conforming clears', () => {
	const r = rig();
	profile(r.config, 'ports', [{ name: 'few-ports', metric: 'aws:num-listening-tcp-ports', criteria: { comparisonOperator: 'less-than', value: { count: 3 } } }]);
	send(r, 'd1', report(tcpPorts(22)));
	assert.equal(ev(r), []);
	r.clock.advance(MIN5);
	send(r, 'd1', report(tcpPorts(22, 80, 443, 8080)));
	assert.equal(ev(r), ['d1:few-ports:in-alarm']);
	const active = r.store.listActiveViolations({}, 10).items;
	assert.is(active.length, 1);
	assert.equal(active[0]!.lastValue, { count: 4 });
	assert.is(active[0]!.violationId, r.events[0]!.violationId);
	assert.match(active[0]!.violationId, /^[0-9a-f]{32}$/);
	r.clock.advance(MIN5);
	send(r, 'd1', report(tcpPorts(22, 80, 443, 8080, 9000)));
	assert.equal(r.store.listActiveViolations({}, 10).items[0]!.lastValue, { count: 5 }, 'last violation value updated');
	r.clock.advance(MIN5);
	send(r, 'd1', report(tcpPorts(22)));
	assert.equal(ev(r), ['d1:few-ports:in-alarm', 'd1:few-ports:alarm-cleared']);
	assert.is(r.store.listActiveViolations({}, 10).items.length, 0);
	assert.is(r.store.listMetricValues('d1', 'aws:num-listening-tcp-ports', '', 0, Infinity, 100).items.length, 4);
	assert.is(r.store.listMetricValues('d1', 'aws:all-bytes-in', '', 0, Infinity, 100).items.length, 0, 'unused metrics are not stored');
});
st('list operators: port set, destination CIDRs, custom string list; empty list clears', () => {
	const r = rig();
	r.config.putCustomMetric('users', 'string-list');
	profile(r.config, 'lists', [
		{ name: 'ports', metric: 'aws:listening-tcp-ports', criteria: { comparisonOperator: 'in-port-set', value: { ports: [22, 443] } } },
		{ name: 'dest', metric: 'aws:destination-ip-addresses', criteria: { comparisonOperator: 'not-in-cidr-set', value: { cidrs: ['198.51.100.0/24'] } } },
		{ name: 'users', metric: 'users', criteria: { comparisonOperator: 'not-in-set', value: { strings: ['root'] } } },
	]);
	send(r, 'd1', report({ ...tcpPorts(22, 23), tcp_connections: { established_connections: { connections: [{ remote_addr: '198.51.100.7:80' }], total: 1 } } }, { users: { type: 'string-list', string_list: ['root'] } }));
	assert.equal(ev(r).sort(), ['d1:dest:in-alarm', 'd1:ports:in-alarm', 'd1:users:in-alarm']);
	r.clock.advance(MIN5);
	send(r, 'd1', report({ ...tcpPorts(), tcp_connections: { established_connections: { connections: [{ remote_addr: '203.0.113.1:80' }], total: 1 } } }, { users: { type: 'string-list', string_list: [] } }));
	assert.equal(ev(r).filter((x) => x.endsWith('cleared')).sort(), ['d1:dest:alarm-cleared', 'd1:ports:alarm-cleared', 'd1:users:alarm-cleared']);
});
st.run();

const win = suite('DetectEngine durationSeconds and consecutive datapoints');
win('bytes out summed over a sliding 900 s window', () => {
	const r = rig();
	profile(r.config, 'net', [{ name: 'egress', metric: 'aws:all-bytes-out', criteria: { comparisonOperator: 'less-than-equals', value: { count: 1000 }, durationSeconds: 900 } }]);
	const sendBytes = (n: number) => (send(r, 'd1', report({ network_stats: { bytes_out: n } })), r.clock.advance(MIN5));
	sendBytes(400);
	sendBytes(400);
	assert.equal(ev(r), [], '800 in window');
	sendBytes(400);
	assert.equal(ev(r), ['d1:egress:in-alarm'], '1200 in window');
	assert.equal(r.events[0]!.value, { count: 1200 });
	sendBytes(100); // window now 400+400+100 = 900 (the first sample left the window)
	assert.equal(ev(r), ['d1:egress:in-alarm', 'd1:egress:alarm-cleared']);
});
win('consecutiveDatapointsToAlarm 3 and ToClear 2', () => {
	const r = rig();
	profile(r.config, 'p', [{ name: 'b', metric: 'aws:num-established-tcp-connections', criteria: { comparisonOperator: 'less-than', value: { count: 10 }, consecutiveDatapointsToAlarm: 3, consecutiveDatapointsToClear: 2 } }]);
	const conns = (n: number) => (send(r, 'd1', report({ tcp_connections: { established_connections: { connections: [], total: n } } })), r.clock.advance(MIN5));
	for (const n of [50, 50, 1, 50, 50]) conns(n);
	assert.equal(ev(r), [], 'streak broken by a conforming datapoint');
	conns(50);
	assert.equal(ev(r), ['d1:b:in-alarm']);
	conns(1);
	conns(50);
	conns(1);
	assert.equal(ev(r), ['d1:b:in-alarm'], 'one conforming datapoint is not enough to clear');
	conns(1);
	assert.equal(ev(r), ['d1:b:in-alarm', 'd1:b:alarm-cleared']);
});
win.run();

const stat = suite('DetectEngine statistical thresholds');
stat('p90 across a synthetic fleet flags only the outlier', () => {
	const r = rig();
	profile(r.config, 'stat', [{ name: 'p90-bytes', metric: 'aws:all-bytes-out', criteria: { comparisonOperator: 'less-than-equals', statisticalThreshold: { statistic: 'p90' }, durationSeconds: 300 } }]);
	for (let round = 0; round < 6; round++) {
		for (let i = 0; i < 10; i++) send(r, `dev${i}`, report({ network_stats: { bytes_out: i === 3 ? 50_000 : 1000 + i * 10 } }));
		r.clock.advance(MIN5);
	}
	const things = [...new Set(r.events.filter((e) => e.type === 'in-alarm').map((e) => e.thing))];
	assert.equal(things, ["dev3"], "p90 of 10 devices is the second largest: only the outlier exceeds it");
	assert.is(r.events[0]!.criteriaType, 'STATISTICAL');
	assert.equal(r.store.listActiveViolations({ behaviorCriteriaType: 'STATIC' }, 10).items, []);
	assert.is(r.store.listActiveViolations({ behaviorCriteriaType: 'STATISTICAL' }, 10).items.length, 1);
});
stat.run();

const inv = suite('DetectEngine invalidation');
inv('alarm-invalidated after 2 days without data', () => {
	const r = rig();
	profile(r.config, 'ports', [{ name: 'few', metric: 'aws:num-listening-tcp-ports', criteria: { comparisonOperator: 'less-than', value: { count: 1 } } }]);
	send(r, 'd1', report(tcpPorts(1, 2)));
	r.clock.advance(2 * DAY - 3_600_000);
	assert.equal(ev(r), ['d1:few:in-alarm'], 'not yet');
	r.clock.advance(2 * 3_600_000);
	assert.equal(ev(r), ['d1:few:in-alarm', 'd1:few:alarm-invalidated']);
	assert.equal(r.events[1]!.value, { count: 2 });
	assert.is(r.store.listActiveViolations({}, 10).items.length, 0);
});
inv('alarm-invalidated when the device leaves the target', () => {
	const r = rig();
	r.config.putThing('d1', { registered: true, groups: ['cams'] });
	profile(r.config, 'cams', [{ name: 'few', metric: 'aws:num-listening-tcp-ports', criteria: { comparisonOperator: 'less-than', value: { count: 1 } } }], { targets: ['arn:aws:iot:us-east-1:123456789012:thinggroup/cams'] });
	send(r, 'd1', report(tcpPorts(1)));
	assert.equal(ev(r), ['d1:few:in-alarm']);
	r.config.putThing('d1', { registered: true, groups: [] });
	r.engine.configChanged();
	assert.equal(ev(r), ['d1:few:in-alarm', 'd1:few:alarm-invalidated']);
});
inv('a control-plane change is noticed without a callback: deleting the profile invalidates its alarms', () => {
	const r = rig();
	profile(r.config, 'p', [{ name: 'few', metric: 'aws:num-listening-tcp-ports', criteria: { comparisonOperator: 'less-than', value: { count: 3 } } }]);
	send(r, 'd1', report(tcpPorts(1, 2, 3)));
	assert.equal(ev(r), ['d1:few:in-alarm']);
	profile(r.config, 'p', [{ name: 'few', metric: 'aws:num-listening-tcp-ports', criteria: { comparisonOperator: 'less-than', value: { count: 10 } } }]);
	r.clock.advance(MIN5);
	send(r, 'd1', report(tcpPorts(1, 2, 3)));
	assert.equal(ev(r), ['d1:few:in-alarm', 'd1:few:alarm-cleared'], 'the updated threshold applies at once (plan cache bypassed)');
	send(r, 'd1', report(tcpPorts(...Array.from({ length: 12 }, (_, i) => i + 1))));
	r.config.deleteProfile('p');
	send(r, 'd2', report(tcpPorts(1)));
	assert.equal(ev(r), ['d1:few:in-alarm', 'd1:few:alarm-cleared', 'd1:few:in-alarm', 'd1:few:alarm-invalidated']);
});
inv.run();

const sup = suite('DetectEngine suppressAlerts');
sup('violations are recorded but no alert is queued', () => {
	const queued: string[] = [];
	const r = rig({ sink: { outboxFor: (e) => (queued.push(e.behavior.name!), []), committed: () => {} } });
	profile(r.config, 'p', [
		{ name: 'quiet', metric: 'aws:num-listening-tcp-ports', suppressAlerts: true, criteria: { comparisonOperator: 'less-than', value: { count: 1 } } },
		{ name: 'loud', metric: 'aws:num-listening-tcp-ports', criteria: { comparisonOperator: 'less-than', value: { count: 1 } } },
	]);
	send(r, 'd1', report(tcpPorts(1)));
	assert.equal(ev(r).sort(), ['d1:loud:in-alarm', 'd1:quiet:in-alarm']);
	assert.equal(queued, ['loud']);
	assert.is(r.store.listActiveViolations({ listSuppressedAlerts: false }, 10).items.length, 1);
	assert.is(r.store.listActiveViolations({}, 10).items.length, 2);
});
sup.run();

const rs = suite('DetectEngine restart');
rs('closing and reopening the SQLite file keeps alarm streaks, violations and windows', () => {
	const dir = mkdtempSync(join(tmpdir(), 'warden-detect-'));
	try {
		const file = join(dir, 'warden.db');
		const clock = new VirtualClock();
		const config = new MemoryDetectConfig();
		config.putThing('d1', { registered: false, groups: [] });
		profile(config, 'p', [
			{ name: 'ports', metric: 'aws:num-listening-tcp-ports', criteria: { comparisonOperator: 'less-than', value: { count: 2 }, consecutiveDatapointsToAlarm: 2 } },
			{ name: 'bytes', metric: 'aws:all-bytes-out', criteria: { comparisonOperator: 'less-than', value: { count: 100 }, durationSeconds: 600 } },
			{ name: 'one', metric: 'aws:num-listening-udp-ports', criteria: { comparisonOperator: 'less-than', value: { count: 1 } } },
		]);
		let r = rig({ file, clock, config });
		send(r, 'd1', report({ ...tcpPorts(1, 2, 3), network_stats: { bytes_out: 60 }, listening_udp_ports: { ports: [{ port: 53 }], total: 1 } }));
		assert.equal(ev(r), ['d1:one:in-alarm']);
		const id = r.events[0]!.violationId;
		r.engine.stop();
		r.db.close();
		clock.advance(MIN5);
		r = rig({ file, clock, config });
		send(r, 'd1', report({ ...tcpPorts(1, 2, 3), network_stats: { bytes_out: 60 } }));
		assert.equal(ev(r).sort(), ['d1:bytes:in-alarm', 'd1:ports:in-alarm'], 'streak of 2 and the 600 s window both survived the restart');
		const active = r.store.listActiveViolations({ thingName: 'd1' }, 10).items.map((v) => v.violationId);
		assert.ok(active.includes(id));
		clock.advance(MIN5);
		send(r, 'd1', report({ listening_udp_ports: { ports: [], total: 0 } }));
		assert.equal(r.events.find((e) => e.behavior.name === 'one')?.violationId, id, 'the violation from before the restart is cleared by id');
		r.engine.stop();
		r.db.close();
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
rs.run();

const dim = suite('DetectEngine TOPIC_FILTER dimensions');
dim('a behavior with a dimension counts only matching topics; NOT_IN the rest; ListMetricValues per dimension', () => {
	const r = rig();
	r.config.putDimension('telemetry', ['tele/${iot:ClientId}/#']);
	profile(r.config, 'p', [
		{ name: 'tele-msgs', metric: 'aws:num-messages-sent', metricDimension: { dimensionName: 'telemetry' }, criteria: { comparisonOperator: 'less-than', value: { count: 3 }, durationSeconds: 300 } },
		{ name: 'other-msgs', metric: 'aws:num-messages-sent', metricDimension: { dimensionName: 'telemetry', operator: 'NOT_IN' }, criteria: { comparisonOperator: 'less-than', value: { count: 20 }, durationSeconds: 300 } },
		{ name: 'all-msgs', metric: 'aws:num-messages-sent', criteria: { comparisonOperator: 'less-than', value: { count: 20 }, durationSeconds: 300 } },
	]);
	const at = r.clock.now();
	r.engine.cloud.onConnect({ clientId: 'c1', sourceIp: '10.0.0.1', certificateId: null, thingName: null, at });
	for (let i = 0; i < 5; i++) r.engine.cloud.onPublish({ clientId: 'c1', topic: 'tele/c1/temp', bytes: 10, at });
	for (let i = 0; i < 10; i++) r.engine.cloud.onPublish({ clientId: 'c1', topic: 'tele/c2/temp', bytes: 10, at }); // another client's topic
	r.clock.advance(MIN5);
	assert.equal(ev(r), ['c1:tele-msgs:in-alarm']);
	const series = (dimensionName?: string, op?: 'IN' | 'NOT_IN') =>
		r.store.listMetricValues('c1', 'aws:num-messages-sent', dimensionName ? `${dimensionName}|${op ?? 'IN'}` : '', 0, Infinity, 10).items.map((d) => d.value.count);
	assert.equal(series('telemetry', 'IN'), [5]);
	assert.equal(series('telemetry', 'NOT_IN'), [10]);
	assert.equal(series(), [15]);
});
dim.run();
