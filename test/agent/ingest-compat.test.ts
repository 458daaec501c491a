/** The agent's reports parse with the service's ingest decoder, and the service's replies update the agent. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseReport } from '../../host/ingest/parse-report.ts';
import { encodeReply } from '../../host/ingest/reply.ts';
import { loadAgent, specExampleMetrics, Stat } from './fake-host.ts';
import { connack, connected, parsePackets, publish, step, suback } from './mqtt-helpers.ts';

const reports = suite('agent_encode output accepted by host/ingest parseReport');

for (const flags of [0, 1, 2, 3]) {
	reports(`spec example data plus IPv6, flags ${flags}`, () => {
		const a = loadAgent();
		specExampleMetrics(a.host);
		a.host.connections.push({ remote: 'fe80::1', remotePort: 22, localPort: 5555, iface: 'eth1' });
		a.host.custom.push({ name: 'temperature', type: 'number', value: -12.5 });
		a.init({ thing: 'dev1' });
		a.host.counters = [1n, 1n, 1n, 1n];
		a.encode(flags);
		a.host.counters = [101n, 201n, 11n, 21n];
		const bytes = a.encode(flags);
		assert.ok(Buffer.isBuffer(bytes));
		const r = parseReport(bytes as Buffer, flags & 1 ? 'cbor' : 'json');
		assert.is(r.header.report_id, 2);
		assert.equal(r.metrics?.network_stats, { bytes_in: 100, bytes_out: 200, packets_in: 10, packets_out: 20 });
		assert.equal(r.metrics?.listening_tcp_ports?.ports.map((p) => p.port), [24800, 22, 53]);
		assert.is(r.metrics?.tcp_connections?.established_connections?.connections[2]?.remote_addr, '[fe80::1]:22');
		assert.equal(r.custom_metrics?.temperature, { type: 'number', number: -12.5 });
		assert.equal(r.custom_metrics?.MyMetricOfType_IpList, { type: 'ip-address-list', ip_list: ['172.0.0.0', '172.0.0.10'] });
	});
}

reports.run();

const replies = suite('agent_step reads host/ingest encodeReply replies');

for (const format of ['json', 'cbor'] as const) {
	replies(`${format} accepted and rejected replies`, () => {
		const { a, topic } = connected({ flags: format === 'cbor' ? 1 : 0 });
		a.host.push(publish(`${topic}/accepted`, encodeReply({ thingName: 'dev1', reportId: 1, status: 'ACCEPTED', timestamp: 1 }, format)));
		step(a);
		a.x.agent_report_now();
		step(a);
		a.host.push(publish(`${topic}/rejected`, encodeReply({ thingName: 'dev1', reportId: 2, status: 'REJECTED', timestamp: 2, statusDetails: { ErrorCode: 'Throttled', ErrorMessage: 'too frequent' } }, format)));
		step(a);
		assert.equal([a.stat(Stat.accepted), a.stat(Stat.rejected), a.stat(Stat.lastError), a.stat(Stat.protocolErrors)], [1n, 1n, 2n, 0n]);
	});
}

for (const format of ['json', 'cbor'] as const) {
	replies(`${format} reply to a clock-based report_id (epoch ms, above 2^32) is matched`, () => {
		const a = loadAgent();
		a.host.epochMs = 1_764_000_000_456n;
		a.init({ thing: 'dev1', flags: format === 'cbor' ? 1 : 0, keepalive: 0 });
		const topic = `$aws/things/dev1/defender/metrics/${format}`;
		step(a);
		a.host.takeSent();
		a.host.push(connack());
		step(a);
		const sub = parsePackets(a.host.takeSent())[0] as { messageId: number };
		a.host.push(suback(sub.messageId));
		step(a);
		assert.is(a.stat(Stat.published), 1n);
		const reportId = Number(a.stat(Stat.lastReportId));
		assert.is(reportId, 1_764_000_000_456);
		a.host.push(publish(`${topic}/accepted`, encodeReply({ thingName: 'dev1', reportId, status: 'ACCEPTED', timestamp: 1 }, format)));
		a.host.push(publish(`${topic}/accepted`, encodeReply({ thingName: 'dev1', reportId, status: 'ACCEPTED', timestamp: 2 }, format)));
		step(a);
		assert.equal([a.stat(Stat.accepted), a.stat(Stat.protocolErrors)], [1n, 0n]);
	});
}

replies.run();
