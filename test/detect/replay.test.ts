/**
 * Two weeks (plus a day, to see retention) of a 10-device fleet replayed on virtual time through
 * the real engine, SQLite store and cloud-metric aggregator: only the anomalous device alarms.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DAY, MIN5, profile, report, rig } from './fixtures.ts';

const HOUR = 3_600_000;
const FLEET = 10;
const BAD = 'dev-7';

const rp = suite('two-week replay');
rp('expected violations only on the anomalous device; datapoints older than 14 days pruned', () => {
	const started = performance.now();
	const r = rig({ engine: { planCacheMs: HOUR, groupCommit: true } }); // group commit as in warden serve: one transaction per step
	profile(r.config, 'fleet', [
		{ name: 'egress-p90', metric: 'aws:all-bytes-out', criteria: { comparisonOperator: 'less-than-equals', statisticalThreshold: { statistic: 'p90' }, durationSeconds: 900, consecutiveDatapointsToAlarm: 3 } },
		{ name: 'ports', metric: 'aws:listening-tcp-ports', criteria: { comparisonOperator: 'in-port-set', value: { ports: [22, 443] } } },
		{ name: 'msgs', metric: 'aws:num-messages-sent', criteria: { comparisonOperator: 'less-than', value: { count: 50 }, durationSeconds: 300 } },
	]);
	const t0 = r.clock.now();
	const steps = (15 * DAY) / MIN5;
	let reports = 0;
	for (let step = 0; step < steps; step++) {
		const now = r.clock.now();
		const hour = (now - t0) / HOUR;
		const diurnal = Math.round(1000 + 400 * Math.sin((2 * Math.PI * hour) / 24));
		for (let i = 0; i < FLEET; i++) {
			const thing = `dev-${i}`;
			const bad = thing === BAD;
			const exfil = bad && hour >= 7 * 24 + 2 && hour < 7 * 24 + 6;
			const burst = bad && hour >= 9 * 24 && hour < 9 * 24 + 2;
			const backdoor = bad && hour >= 10 * 24;
			r.engine.cloud.onPublish({ clientId: thing, topic: `$aws/things/${thing}/defender/metrics/json`, bytes: 400, at: now });
			for (let m = 0; burst && m < 120; m++) r.engine.cloud.onPublish({ clientId: thing, topic: 'telemetry', bytes: 64, at: now });
			const rep = report({
				network_stats: { bytes_out: exfil ? 60_000 : diurnal, bytes_in: diurnal },
				listening_tcp_ports: { ports: [{ port: 22 }, { port: 443 }, ...(backdoor ? [{ port: 4444 }] : [])], total: backdoor ? 3 : 2 },
				tcp_connections: { established_connections: { connections: [{ remote_addr: '203.0.113.10:443' }], total: 1 + (step % 5) } }, // not used by the profile: neither stored nor evaluated
			});
			r.engine.onReport({ thingName: thing, clientId: thing, reportId: rep.header.report_id, format: 'json', report: rep, at: now });
			reports++;
		}
		r.engine.flush();
		r.clock.advance(MIN5);
	}
	r.engine.flush();
	const ms = performance.now() - started;
	console.log(`  replayed ${reports} reports (15 virtual days, ${FLEET} devices) in ${(ms / 1000).toFixed(2)} s; ${r.engine.datapointsEvaluated} datapoints evaluated`);

	const summary = r.events.map((e) => `${e.thing}/${e.behavior.name}/${e.type}`);
	assert.equal(summary, [
		`${BAD}/egress-p90/in-alarm`,
		`${BAD}/egress-p90/alarm-cleared`,
		`${BAD}/msgs/in-alarm`,
		`${BAD}/msgs/alarm-cleared`,
		`${BAD}/ports/in-alarm`,
	]);
	const at = (i: number) => (r.events[i]!.at - t0) / 60_000; // minutes since start
	assert.is(at(0), (7 * 24 + 2) * 60 + 10, 'egress alarm on the 3rd violating report (exfiltration starts day 7, 02:00)');
	assert.is(at(2), 9 * 24 * 60 + 5, 'message burst seen when the first 5-minute bucket closes');
	assert.is(at(4), 10 * 24 * 60, 'backdoor port on the first report');
	const active = r.store.listActiveViolations({}, 10).items;
	assert.equal(active.map((v) => `${v.thing}/${v.behavior.name}`), [`${BAD}/ports`]);
	assert.equal(active[0]!.lastValue, { ports: [22, 443, 4444] });

	const dps = r.store.listMetricValues('dev-0', 'aws:all-bytes-out', '', 0, Infinity, 10_000).items;
	assert.ok(dps.length > 0);
	assert.ok(dps[0]!.at >= r.clock.now() - 14 * DAY - HOUR, 'retention: nothing older than 14 days (pruned hourly)');
	assert.ok(ms < 50_000, `replay took ${ms} ms`);
});
rp.run();
