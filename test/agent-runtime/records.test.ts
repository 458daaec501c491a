import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encodeConnection, encodeCounters, encodeCustom, encodePort } from '../../host/agent-runtime/records.ts';
import { bytesToIp, ipToBytes, unmapV4 } from '../../host/agent-runtime/ip-bytes.ts';
import { encodeConfig } from '../../host/agent-runtime/config-tlv.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

const Counters = suite('encodeCounters');
Counters('four little-endian u64 in ABI order', () => {
	const b = encodeCounters({ bytesIn: 1, bytesOut: 0x1_0000_0000, packetsIn: 3, packetsOut: 258 });
	assert.is(hex(b), '0100000000000000' + '0000000001000000' + '0300000000000000' + '0201000000000000');
});
Counters.run();

const Port = suite('encodePort');
Port('port, interface length, interface', () => {
	assert.is(hex(encodePort({ port: 0x1234, iface: 'eth0' })), '341204' + hex(new TextEncoder().encode('eth0')));
	assert.is(hex(encodePort({ port: 22 })), '160000');
});
Port('interface names are cut at 15 bytes', () => {
	assert.is(encodePort({ port: 1, iface: 'a'.repeat(20) }).length, 3 + 15);
});
Port.run();

const Conn = suite('encodeConnection');
Conn('IPv4 in the first 4 of 16 bytes, ports little-endian', () => {
	const b = encodeConnection({ remoteIp: '10.0.0.5', remotePort: 8883, localPort: 50000, iface: 'e' });
	assert.is(hex(b), '04' + '0a000005' + '00'.repeat(12) + 'b322' + '50c3' + '01' + '65');
});
Conn('IPv6 and v4-mapped', () => {
	assert.is(hex(encodeConnection({ remoteIp: '2001:db8::1', remotePort: 443, localPort: 1 }).subarray(0, 17)), '0620010db8' + '00'.repeat(11) + '01');
	assert.is(encodeConnection({ remoteIp: '::ffff:1.2.3.4', remotePort: 1, localPort: 1 })[0], 4);
});
Conn('rejects a non-address', () => {
	assert.throws(() => encodeConnection({ remoteIp: 'nope', remotePort: 1, localPort: 1 }), /not an IP/);
});
Conn.run();

const Custom = suite('encodeCustom');
Custom('number', () => {
	const b = encodeCustom({ name: 'cpu', type: 'number', value: 1.5 });
	assert.is(hex(b), '0103' + hex(new TextEncoder().encode('cpu')) + '0100' + '000000000000f83f');
});
Custom('string list and ip list', () => {
	assert.is(hex(encodeCustom({ name: 's', type: 'string-list', value: ['ab', ''] })), '030173' + '0200' + '026162' + '00');
	assert.is(hex(encodeCustom({ name: 'i', type: 'ip-address-list', value: ['1.2.3.4'] })), '040169' + '0100' + '04' + '01020304');
	assert.is(encodeCustom({ name: 'i', type: 'ip-address-list', value: ['::1'] }).length, 4 + 1 + 1 + 16);
});
Custom('number list count', () => {
	assert.is(encodeCustom({ name: 'n', type: 'number-list', value: [1, 2, 3] }).length, 5 + 24);
});
Custom.run();

const Ip = suite('ipToBytes');
Ip('round trips through bytesToIp', () => {
	for (const ip of ['1.2.3.4', '::', '::1', '2001:db8::1', 'fe80::20f:12ff:fe3b:4aff', '1:2:3:4:5:6:7:8', '::ffff:10.0.0.1', '2001:db8:0:0:1::1']) {
		const b = ipToBytes(ip)!;
		assert.is(bytesToIp(b), ip === '2001:db8:0:0:1::1' ? '2001:db8::1:0:0:1' : ip);
	}
	assert.is(ipToBytes('999.1.1.1'), null);
	assert.is(unmapV4('::ffff:1.2.3.4'), '1.2.3.4');
	assert.is(unmapV4('::1'), '::1');
});
Ip.run();

const Config = suite('encodeConfig');
Config('TLV entries with little-endian lengths and values', () => {
	const b = encodeConfig({ thingName: 'ab', intervalSec: 60, format: 'cbor', keys: 'short', allowShortInterval: true, keepaliveSec: 30 });
	assert.is(hex(b), '01' + '0200' + '6162' + '05' + '0200' + '1e00' + '06' + '0400' + '3c000000' + '07' + '0400' + '07000000');
});
Config('defaults write only the thing name and flags', () => {
	assert.is(hex(encodeConfig({ thingName: 'x', clientId: 'c' })), '01010078' + '02010063' + '070400' + '00000000');
});
Config('rejects bad names and values', () => {
	assert.throws(() => encodeConfig({ thingName: '' }), (e: { code: string }) => e.code === 'WARDEN_ERR_AGENT_CONFIG');
	assert.throws(() => encodeConfig({ thingName: 'a\nb' }), /control characters/);
	assert.throws(() => encodeConfig({ thingName: 'x'.repeat(129) }), /1 to 128/);
	assert.throws(() => encodeConfig({ thingName: 'x', intervalSec: 0 }), /intervalSec/);
	assert.throws(() => encodeConfig({ thingName: 'x', keepaliveSec: 70000 }), /keepaliveSec/);
});
Config.run();
