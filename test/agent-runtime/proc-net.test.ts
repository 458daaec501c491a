import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import {
	decodeProcAddress, establishedConnections, interfaceIndex, listeningPorts, parseNetDev, parseSocketTable, totalCounters,
} from '../../host/agent-runtime/proc-net.ts';
import { LinuxHostSource } from '../../host/agent-runtime/linux-host-source.ts';

const procRoot = new URL('./fixtures/proc', import.meta.url).pathname;
const fixture = (name: string) => readFileSync(`${procRoot}/net/${name}`, 'utf8');

function info(address: string, family: 'IPv4' | 'IPv6'): NetworkInterfaceInfo {
	return { address, family, netmask: '', mac: '00:00:00:00:00:00', internal: false, cidr: null, scopeid: 0 } as NetworkInterfaceInfo;
}
const IFACES = {
	lo: [info('127.0.0.1', 'IPv4'), info('::1', 'IPv6')],
	eth0: [info('10.0.2.15', 'IPv4'), info('2001:db8::2', 'IPv6'), info('fe80::1%eth0', 'IPv6')],
};
const index = interfaceIndex(IFACES);

const NetDev = suite('parseNetDev');
NetDev('reads receive and transmit bytes and packets per interface', () => {
	const m = parseNetDev(fixture('dev'));
	assert.equal([...m.keys()], ['lo', 'eth0', 'wlan0']);
	assert.equal(m.get('eth0'), { bytesIn: 29358693495, packetsIn: 10013573555, bytesOut: 26485035, packetsOut: 11382615 });
	assert.equal(m.get('wlan0'), { bytesIn: 100, packetsIn: 2, bytesOut: 300, packetsOut: 4 });
});
NetDev('skips malformed lines', () => {
	assert.equal(parseNetDev('garbage\n eth1: 1 2 x\n').size, 0);
});
NetDev.run();

const Total = suite('totalCounters');
Total('sums every interface except loopback', () => {
	assert.equal(totalCounters(parseNetDev(fixture('dev'))), {
		bytesIn: 29358693595, bytesOut: 26485335, packetsIn: 10013573557, packetsOut: 11382619,
	});
});
Total.run();

const Decode = suite('decodeProcAddress');
Decode('IPv4 words are little-endian', () => {
	assert.is(decodeProcAddress('0100007F'), '127.0.0.1');
	assert.is(decodeProcAddress('0F02000A'), '10.0.2.15');
	assert.is(decodeProcAddress('00000000'), '0.0.0.0');
});
Decode('IPv6 is four little-endian words', () => {
	assert.is(decodeProcAddress('B80D0120000000000000000001000000'), '2001:db8::1');
	assert.is(decodeProcAddress('00000000000000000000000001000000'), '::1');
	assert.is(decodeProcAddress('00000000000000000000000000000000'), '::');
	assert.is(decodeProcAddress('000080FE00000000FF120F02FF4A3BFE'), 'fe80::20f:12ff:fe3b:4aff');
});
Decode('v4-mapped IPv6 keeps the mapped form', () => {
	assert.is(decodeProcAddress('0000000000000000FFFF00000F02000A'), '::ffff:10.0.2.15');
});
Decode('rejects bad lengths and non-hex', () => {
	assert.throws(() => decodeProcAddress('0100007'), /bad \/proc\/net address/);
	assert.throws(() => decodeProcAddress('0100007G'), /bad \/proc\/net address/);
});
Decode.run();

const Table = suite('parseSocketTable');
Table('parses rows, skips the header', () => {
	const rows = parseSocketTable(fixture('tcp'));
	assert.is(rows.length, 5);
	assert.equal(rows[3], { localIp: '10.0.2.15', localPort: 50000, remoteIp: '10.0.0.5', remotePort: 8883, state: 1 });
	const rows6 = parseSocketTable(fixture('tcp6'));
	assert.equal(rows6[2], { localIp: '2001:db8::2', localPort: 40960, remoteIp: '2001:db8::1', remotePort: 443, state: 1 });
});
Table('skips rows with malformed addresses', () => {
	assert.equal(parseSocketTable('  0: ZZ:0016 00000000:0000 0A\n  1: 0100007F:0016 00000000:0000 0A\n').length, 1);
});
Table.run();

const Index = suite('interfaceIndex');
Index('maps addresses to names and strips zone ids', () => {
	assert.is(index.get('10.0.2.15'), 'eth0');
	assert.is(index.get('fe80::1'), 'eth0');
	assert.is(index.get('::1'), 'lo');
});
Index.run();

const Listening = suite('listeningPorts');
Listening('TCP: LISTEN rows, wildcard v4 and v6 deduped, interfaces from local addresses', () => {
	const rows = [...parseSocketTable(fixture('tcp')), ...parseSocketTable(fixture('tcp6'))];
	assert.equal(listeningPorts(rows, 'tcp', index), [
		{ port: 22 }, { port: 80, iface: 'eth0' }, { port: 443, iface: 'eth0' }, { port: 3306, iface: 'lo' },
	]);
});
Listening('UDP: unconnected sockets only', () => {
	const rows = [...parseSocketTable(fixture('udp')), ...parseSocketTable(fixture('udp6'))];
	assert.equal(listeningPorts(rows, 'udp', index), [{ port: 53 }, { port: 68, iface: 'eth0' }, { port: 5353 }]);
});
Listening.run();

const Established = suite('establishedConnections');
Established('ESTABLISHED rows only; v4-mapped remotes become IPv4', () => {
	const rows = [...parseSocketTable(fixture('tcp')), ...parseSocketTable(fixture('tcp6'))];
	assert.equal(establishedConnections(rows, index), [
		{ remoteIp: '10.0.0.5', remotePort: 8883, localPort: 50000, iface: 'eth0' },
		{ remoteIp: '2001:db8::1', remotePort: 443, localPort: 40960, iface: 'eth0' },
		{ remoteIp: '10.0.0.9', remotePort: 54321, localPort: 8080, iface: 'eth0' },
	]);
});
Established.run();

const Host = suite('LinuxHostSource');
Host('snapshots a proc tree', () => {
	const snap = new LinuxHostSource({ procRoot, interfaces: () => IFACES }).snapshot();
	assert.is(snap.counters?.bytesOut, 26485335);
	assert.is(snap.listeningTcp.length, 4);
	assert.is(snap.listeningUdp.length, 3);
	assert.is(snap.connections.length, 3);
});
Host('a missing proc tree gives no counters and empty lists', () => {
	const snap = new LinuxHostSource({ procRoot: '/nonexistent', interfaces: () => ({}) }).snapshot();
	assert.equal(snap, { counters: null, listeningTcp: [], listeningUdp: [], connections: [], custom: [] });
});
Host.run();

const Real = suite('LinuxHostSource on this host');
Real('sees a listening socket and an established connection opened by the test', async () => {
	const server = createServer(() => {});
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const port = (server.address() as { port: number }).port;
	const client = connect(port, '127.0.0.1');
	await once(client, 'connect');
	try {
		const snap = new LinuxHostSource().snapshot();
		assert.ok(snap.counters !== null);
		assert.ok(snap.listeningTcp.some((p) => p.port === port && p.iface === 'lo'), JSON.stringify(snap.listeningTcp));
		assert.ok(snap.connections.some((c) => c.remoteIp === '127.0.0.1' && c.remotePort === port && c.localPort === client.localPort && c.iface === 'lo'));
	} finally {
		client.destroy();
		server.close();
	}
});
Real.run();
