/** The real agent.wasm under the Node runtime, encoding reports without a network (agent_encode). */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { AgentRuntime, agentWasmPath, loadAgentModule } from '../../host/agent-runtime/agent-runtime.ts';
import { SimulatedDeviceState } from '../../host/agent-runtime/simulated-device.ts';
import type { ByteTransport } from '../../host/agent-runtime/tcp-transport.ts';
import { VirtualClock } from '../../host/clock.ts';
import { parseReport } from '../../host/ingest/parse-report.ts';

const offline: ByteTransport = { open: () => -1, state: () => 0, send: () => -1, recv: () => null, close() {}, awaitingAnswer: false, onActivity: undefined };

function device(): SimulatedDeviceState {
	const s = new SimulatedDeviceState();
	s.counters = { bytesIn: 1000, bytesOut: 2000, packetsIn: 10, packetsOut: 20 };
	s.listeningTcp = [{ port: 22, iface: 'eth0' }, { port: 80 }];
	s.listeningUdp = [{ port: 53, iface: 'eth0' }];
	s.connections = [
		{ remoteIp: '10.0.0.5', remotePort: 8883, localPort: 50000, iface: 'eth0' },
		{ remoteIp: '2001:db8::1', remotePort: 443, localPort: 40000 },
	];
	s.custom = [
		{ name: 'cpu', type: 'number', value: 12.5 },
		{ name: 'peers', type: 'ip-address-list', value: ['1.2.3.4', '::1'] },
		{ name: 'apps', type: 'string-list', value: ['sshd', 'nginx'] },
		{ name: 'temps', type: 'number-list', value: [1, 2.5] },
	];
	return s;
}

function runtime(s: SimulatedDeviceState, clock = new VirtualClock()): AgentRuntime {
	return new AgentRuntime({ module: loadAgentModule(), config: { thingName: 'enc-1' }, source: s, transport: offline, clock, defer: () => {} }).start();
}

const expectedMetrics = {
	listening_tcp_ports: { ports: [{ port: 22, interface: 'eth0' }, { port: 80 }], total: 2 },
	listening_udp_ports: { ports: [{ port: 53, interface: 'eth0' }], total: 1 },
	tcp_connections: {
		established_connections: {
			connections: [
				{ remote_addr: '10.0.0.5:8883', local_port: 50000, local_interface: 'eth0' },
				{ remote_addr: '[2001:db8::1]:443', local_port: 40000 },
			],
			total: 2,
		},
	},
};
const expectedCustom = {
	cpu: { type: 'number', number: 12.5 },
	peers: { type: 'ip-address-list', ip_list: ['1.2.3.4', '::1'] },
	apps: { type: 'string-list', string_list: ['sshd', 'nginx'] },
	temps: { type: 'number-list', number_list: [1, 2.5] },
};

const Encode = suite('AgentRuntime.encodeReport');
for (const [flags, format, keys] of [[0, 'json', 'long'], [2, 'json', 'short'], [1, 'cbor', 'long'], [3, 'cbor', 'short']] as const) {
	Encode(`${format} with ${keys} keys decodes to the device state`, () => {
		const s = device();
		const rt = runtime(s);
		const bytes = rt.encodeReport(flags);
		if (format === 'json') assert.ok(new TextDecoder().decode(bytes).includes(keys === 'long' ? '"listening_tcp_ports"' : '"tp"'));
		const r = parseReport(bytes, format);
		assert.is(r.header.version, '1.0');
		assert.ok(r.header.report_id > 0);
		assert.equal(r.metrics?.listening_tcp_ports, expectedMetrics.listening_tcp_ports);
		assert.equal(r.metrics?.listening_udp_ports, expectedMetrics.listening_udp_ports);
		assert.equal(r.metrics?.tcp_connections, expectedMetrics.tcp_connections);
		assert.equal(r.custom_metrics, expectedCustom);
		assert.is(r.metrics?.network_stats, undefined, 'first report has no baseline for deltas');
	});
}
Encode('network stats are deltas of the cumulative counters; report ids increase', () => {
	const s = device();
	const rt = runtime(s);
	const first = parseReport(rt.encodeReport(0), 'json');
	s.addTraffic({ bytesIn: 500, bytesOut: 70, packetsIn: 5, packetsOut: 1 });
	const second = parseReport(rt.encodeReport(0), 'json');
	assert.equal(second.metrics?.network_stats, { bytes_in: 500, bytes_out: 70, packets_in: 5, packets_out: 1 });
	assert.ok(second.header.report_id > first.header.report_id);
	assert.is(rt.stats().traps, 0);
});
Encode('the debug build (assertions on) encodes the same report', () => {
	const s = device();
	const debug = new AgentRuntime({
		module: loadAgentModule(agentWasmPath('debug')), config: { thingName: 'enc-1' }, source: s, transport: offline, clock: new VirtualClock(), defer: () => {},
	}).start();
	const release = runtime(s);
	const strip = (b: Uint8Array) => ({ ...parseReport(b, 'json'), header: undefined });
	assert.equal(strip(debug.encodeReport(2)), strip(release.encodeReport(2)));
});
Encode('a device without counters reports no network_stats', () => {
	const s = device();
	s.counters = null;
	const rt = runtime(s);
	rt.encodeReport(0);
	assert.is(parseReport(rt.encodeReport(0), 'json').metrics?.network_stats, undefined);
});
Encode('invalid records from the source are skipped, not fatal', () => {
	const s = device();
	s.connections = [{ remoteIp: 'not-an-ip', remotePort: 1, localPort: 1 }, ...s.connections];
	const lines: string[] = [];
	const rt = new AgentRuntime({
		module: loadAgentModule(), config: { thingName: 'enc-2' }, source: s, transport: offline, clock: new VirtualClock(),
		defer: () => {}, log: (_l, t) => lines.push(t),
	}).start();
	const r = parseReport(rt.encodeReport(0), 'json');
	assert.is(r.metrics?.tcp_connections?.established_connections?.total, 2);
	assert.ok(lines.some((l) => l.includes('not-an-ip')));
});
Encode.run();
