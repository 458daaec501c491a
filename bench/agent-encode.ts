/**
 * Reports/s on one core through the Node agent runtime: a metrics snapshot of a simulated device
 * (20 listening ports, 50 connections, 4 custom metrics) turned into ABI records, read by
 * agent.wasm and encoded as a report (agent_encode), for JSON/CBOR × long/short keys. The baseline,
 * measured in the same run, is JSON.stringify of the same logical report built from the same
 * snapshot in JavaScript. Subject and baseline alternate in 200 ms slices; the ratio is the
 * median of per-slice ratios. Run: node --import tsx bench/agent-encode.ts
 */
import { AgentRuntime, loadAgentModule } from '../host/agent-runtime/agent-runtime.ts';
import { SimulatedDeviceState } from '../host/agent-runtime/simulated-device.ts';
import type { ByteTransport } from '../host/agent-runtime/tcp-transport.ts';
import { VirtualClock } from '../host/clock.ts';
import { median, slice as sliceOf } from './rate.ts';

const slice = (fn: () => unknown, ms: number) => sliceOf(fn, ms, 50);

const state = new SimulatedDeviceState();
state.counters = { bytesIn: 1e9, bytesOut: 2e8, packetsIn: 1e6, packetsOut: 5e5 };
state.listeningTcp = Array.from({ length: 20 }, (_, i) => ({ port: 1000 + i, iface: 'eth0' }));
state.listeningUdp = Array.from({ length: 5 }, (_, i) => ({ port: 5000 + i }));
state.connections = Array.from({ length: 50 }, (_, i) => ({ remoteIp: `10.0.${i}.${i + 1}`, remotePort: 443, localPort: 40000 + i, iface: 'eth0' }));
state.custom = [
	{ name: 'cpu_usage', type: 'number', value: 17.5 },
	{ name: 'temps', type: 'number-list', value: [40.5, 41, 39.25] },
	{ name: 'apps', type: 'string-list', value: ['sshd', 'mosquitto', 'nginx'] },
	{ name: 'peers', type: 'ip-address-list', value: ['10.0.0.1', '2001:db8::1'] },
];

const offline: ByteTransport = { open: () => -1, state: () => 0, send: () => -1, recv: () => null, close() {}, awaitingAnswer: false, onActivity: undefined };
const clock = new VirtualClock();
const rt = new AgentRuntime({ module: loadAgentModule(), config: { thingName: 'bench' }, source: state, transport: offline, clock, defer: () => {} }).start();

let rid = 0;
function jsReport(): string {
	const s = state.snapshot(clock.now());
	return JSON.stringify({
		header: { report_id: ++rid, version: '1.0' },
		metrics: {
			listening_tcp_ports: { ports: s.listeningTcp.map((p) => ({ port: p.port, interface: p.iface })), total: s.listeningTcp.length },
			listening_udp_ports: { ports: s.listeningUdp.map((p) => ({ port: p.port })), total: s.listeningUdp.length },
			network_stats: { bytes_in: 1, bytes_out: 1, packets_in: 1, packets_out: 1 },
			tcp_connections: { established_connections: { connections: s.connections.map((c) => ({ remote_addr: `${c.remoteIp}:${c.remotePort}`, local_port: c.localPort, local_interface: c.iface })), total: s.connections.length } },
		},
		custom_metrics: Object.fromEntries(s.custom.map((m) => [m.name, [{ [m.type === 'number' ? 'number' : m.type === 'number-list' ? 'number_list' : m.type === 'string-list' ? 'string_list' : 'ip_list']: m.value }]])),
	});
}


console.log('report: 20 TCP + 5 UDP ports, 50 connections, 4 custom metrics');
for (const [flags, label] of [[0, 'json long'], [2, 'json short'], [1, 'cbor long'], [3, 'cbor short']] as const) {
	const fn = () => rt.encodeReport(flags);
	for (let i = 0; i < 2000; i++) (fn(), jsReport());
	const rates: number[] = [];
	const bases: number[] = [];
	const ratios: number[] = [];
	for (let round = 0; round < 7; round++) {
		const r = slice(fn, 200);
		const b = slice(jsReport, 200);
		rates.push(r); bases.push(b); ratios.push(r / b);
	}
	const bytes = rt.encodeReport(flags).length;
	console.log(`${label.padEnd(10)} agent.wasm ${Math.round(median(rates)).toLocaleString('en')} reports/s (${bytes} B)  baseline JSON.stringify ${Math.round(median(bases)).toLocaleString('en')} reports/s  ratio ${median(ratios).toFixed(2)}`);
}
rt.stop();
