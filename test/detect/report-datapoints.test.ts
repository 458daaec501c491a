import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { samplesFromReport } from '../../host/detect/engine/report-datapoints.ts';
import type { DeviceReport } from '../../host/ingest/report-types.ts';

const s = suite('samplesFromReport');
const full: DeviceReport = {
	header: { report_id: 1, version: '1.0' },
	metrics: {
		listening_tcp_ports: { ports: [{ port: 22 }, { port: 443 }], total: 60 },
		listening_udp_ports: { ports: [{ port: 53 }], total: 1 },
		network_stats: { bytes_in: 10, bytes_out: 20, packets_in: 1, packets_out: 2 },
		tcp_connections: { established_connections: { connections: [{ remote_addr: '1.2.3.4:443' }, { remote_addr: '[2001:db8::1]:80' }, { remote_addr: '1.2.3.4:8443' }], total: 3 } },
	},
	custom_metrics: {
		cpu: { type: 'number', number: 0.5 },
		users: { type: 'string-list', string_list: ['root'] },
		peers: { type: 'ip-address-list', ip_list: ['10.0.0.1'] },
		undefinedOne: { type: 'number', number: 1 },
		wrongType: { type: 'number', number: 1 },
	},
};
s('maps every device field and defined custom metric', () => {
	const types: Record<string, string> = { cpu: 'number', users: 'string-list', peers: 'ip-address-list', wrongType: 'number-list' };
	const got = Object.fromEntries(samplesFromReport('t1', full, 42, (n) => types[n] as never).map((x) => [x.metric, x.value]));
	assert.equal(got, {
		'aws:all-bytes-in': { count: 10 },
		'aws:all-bytes-out': { count: 20 },
		'aws:all-packets-in': { count: 1 },
		'aws:all-packets-out': { count: 2 },
		'aws:num-listening-tcp-ports': { count: 60 },
		'aws:listening-tcp-ports': { ports: [22, 443] },
		'aws:num-listening-udp-ports': { count: 1 },
		'aws:listening-udp-ports': { ports: [53] },
		'aws:num-established-tcp-connections': { count: 3 },
		'aws:destination-ip-addresses': { cidrs: ['1.2.3.4', '2001:db8::1'] },
		cpu: { number: 0.5 },
		users: { strings: ['root'] },
		peers: { cidrs: ['10.0.0.1'] },
	});
});
s('thing, time and no dimension on every sample; absent sections give no samples', () => {
	const out = samplesFromReport('t9', { header: { report_id: 2, version: '1.0' }, metrics: { network_stats: { bytes_out: 5 } } }, 7, () => undefined);
	assert.equal(out, [{ thing: 't9', metric: 'aws:all-bytes-out', dimension: '', at: 7, value: { count: 5 } }]);
});
s.run();
