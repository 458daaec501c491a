/**
 * spec §1.7 examples are accepted (JSON and CBOR, long and short names) and decode to the same
 * logical report; one rejection per validation rule, asserting the reply's ErrorCode and the exact
 * ErrorMessage (through the ingest service, so the device-visible answer is what is checked).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encode as cborEncode } from 'cbor-x';
import { parseReport } from '../../host/ingest/parse-report.ts';
import { validateReport } from '../../host/ingest/validate-report.ts';
import { EXAMPLE_LONG, EXAMPLE_MINIMAL, EXAMPLE_MINIMAL_UNWRAPPED, EXAMPLE_SHORT, expectedLong, expectedMinimal, expectedShort } from './fixtures.ts';
import { memoryIngest } from './helpers.ts';

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const cbor = (v: unknown) => Buffer.from(cborEncode(v));

// ---
const parse = suite('parseReport: spec §1.7 examples');

parse('EXAMPLE 1 (long names, JSON)', () => {
	assert.equal(parseReport(utf8(EXAMPLE_LONG), 'json'), expectedLong());
});
parse('EXAMPLE 2 (short names, JSON) is the same logical report', () => {
	assert.equal(parseReport(utf8(EXAMPLE_SHORT), 'json'), expectedShort());
	const a = parseReport(utf8(EXAMPLE_LONG), 'json');
	const b = parseReport(utf8(EXAMPLE_SHORT), 'json');
	assert.equal(Object.keys(a.metrics!), Object.keys(b.metrics!));
	assert.equal(a.metrics!.listening_tcp_ports, b.metrics!.listening_tcp_ports);
	assert.equal(a.custom_metrics, b.custom_metrics);
});
parse('EXAMPLE 3 (minimal with a custom metric)', () => {
	assert.equal(parseReport(utf8(EXAMPLE_MINIMAL), 'json'), expectedMinimal());
});
parse('the three examples encoded as CBOR decode identically', () => {
	assert.equal(parseReport(cbor(JSON.parse(EXAMPLE_LONG)), 'cbor'), expectedLong());
	assert.equal(parseReport(cbor(JSON.parse(EXAMPLE_SHORT)), 'cbor'), expectedShort());
	assert.equal(parseReport(cbor(JSON.parse(EXAMPLE_MINIMAL)), 'cbor'), expectedMinimal());
});
parse('accepted edge cases: IPv6 remote address, absent lists, sampled totals, negative and fractional numbers', () => {
	const r = validateReport({
		header: { report_id: Number.MAX_SAFE_INTEGER, version: '1.0' },
		metrics: {
			listening_tcp_ports: {},
			listening_udp_ports: { ports: [{ port: 53 }], total: 40 },
			tcp_connections: { established_connections: { connections: [{ remote_addr: '[2001:db8::1]:443', local_port: 0 }] } },
		},
		custom_metrics: { big: [{ number: -999999999999999 }], temp: [{ number: -12.5 }], __proto__x: [{ number_list: [] }], ips: [{ ip_list: ['::1', '10.0.0.1'] }] },
	});
	assert.equal(r.metrics!.listening_tcp_ports, { ports: [], total: 0 });
	assert.equal(r.metrics!.listening_udp_ports, { ports: [{ port: 53 }], total: 40 });
	assert.equal(r.metrics!.tcp_connections!.established_connections!.total, 1);
	assert.equal(r.custom_metrics!.temp, { type: 'number', number: -12.5 });
	assert.equal(r.custom_metrics!.big, { type: 'number', number: -999999999999999 });
	assert.equal(r.custom_metrics!.ips, { type: 'ip-address-list', ip_list: ['::1', '10.0.0.1'] });
});
parse('a custom metric named __proto__ is an ordinary entry', () => {
	const r = parseReport(utf8('{"header":{"report_id":1,"version":"1.0"},"custom_metrics":{"__proto__":[{"number":3}]}}'), 'json');
	assert.equal(Object.keys(r.custom_metrics!), ['__proto__']);
	assert.equal(Object.getPrototypeOf(r.custom_metrics), Object.prototype);
});

parse.run();

// ---
const rules = suite('createIngest: one rejection per rule (InvalidPayload + exact message)');

const H = { report_id: 1, version: '1.0' };
const NS = { network_stats: { bytes_in: 1 } };
const withMetrics = (metrics: unknown) => ({ header: H, metrics });
const withCustom = (cm: unknown) => ({ header: H, custom_metrics: cm });
const ports = (p: unknown) => withMetrics({ listening_tcp_ports: p });
const conns = (c: unknown) => withMetrics({ tcp_connections: { established_connections: { connections: c } } });
const custom = (inner: unknown) => withCustom({ m: [inner] });

type Case = [rule: string, payload: Buffer, format: 'json' | 'cbor', message: string];
const J = (v: unknown) => utf8(JSON.stringify(v));

const cases: Case[] = [
	['payload over 128 KiB', Buffer.alloc(131_073, 0x20), 'json', 'payload is 131073 bytes, more than the limit of 131072'],
	['empty payload', Buffer.alloc(0), 'json', 'payload is empty'],
	['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]), 'json', 'payload is not valid UTF-8'],
	['nesting deeper than 16', utf8('['.repeat(17) + ']'.repeat(17)), 'json', 'payload nests deeper than 16 levels'],
	['not JSON', utf8('{"header":'), 'json', 'payload is not valid JSON: Unexpected end of JSON input'],
	['not an object', J([1, 2]), 'json', 'report must be an object (a JSON object or CBOR map)'],
	['header required', J({ metrics: NS }), 'json', 'header is required'],
	['header must be an object', J({ header: 5, metrics: NS }), 'json', 'header must be an object'],
	['long and short header mixed', J({ header: H, hed: { rid: 1, v: '1.0' }, metrics: NS }), 'json', 'report has both header and hed: long and short key names cannot be mixed'],
	['short key in a long-name report', J(withMetrics({ ns: { bi: 1 } })), 'json', 'metrics.ns is a short key name but this report uses long names'],
	['long key in a short-name report', J({ hed: { rid: 1, v: '1.0' }, met: { network_stats: {} } }), 'json', 'met.network_stats is a long key name but this report uses short names'],
	['unknown top-level key', J({ header: H, metrics: NS, extra: 1 }), 'json', 'extra is not a known key'],
	['unknown nested key', J(withMetrics({ network_stats: { bytes_in: 1, bytes_sideways: 2 } })), 'json', 'metrics.network_stats.bytes_sideways is not a known key'],
	['report_id required', J({ header: { version: '1.0' }, metrics: NS }), 'json', 'header.report_id is required'],
	['report_id positive', J({ header: { report_id: 0, version: '1.0' }, metrics: NS }), 'json', 'header.report_id must be an integer from 1 to 9007199254740991'],
	['report_id integer', J({ header: { report_id: 1.5, version: '1.0' }, metrics: NS }), 'json', 'header.report_id must be an integer from 1 to 9007199254740991'],
	['report_id a number, not a string', J({ header: { report_id: '7', version: '1.0' }, metrics: NS }), 'json', 'header.report_id must be an integer from 1 to 9007199254740991'],
	['report_id above 2^53 - 1', utf8('{"header":{"report_id":9007199254740993,"version":"1.0"},"metrics":{}}'), 'json', 'header.report_id must be an integer from 1 to 9007199254740991'],
	['short report_id uses its short path', J({ hed: { rid: -4, v: '1.0' }, met: {} }), 'json', 'hed.rid must be an integer from 1 to 9007199254740991'],
	['version required', J({ header: { report_id: 1 }, metrics: NS }), 'json', 'header.version is required'],
	['version "1.0" only', J({ header: { report_id: 1, version: '1.1' }, metrics: NS }), 'json', 'header.version must be "1.0"'],
	['version is a string', J({ header: { report_id: 1, version: 1.0 }, metrics: NS }), 'json', 'header.version must be "1.0"'],
	['metrics or custom_metrics required', J({ header: H }), 'json', 'one of metrics or custom_metrics is required'],
	['metrics must be an object', J(withMetrics([])), 'json', 'metrics must be an object'],
	['port list must be an object', J(withMetrics({ listening_udp_ports: 'eth0' })), 'json', 'metrics.listening_udp_ports must be an object'],
	['ports must be an array', J(ports({ ports: { port: 1 } })), 'json', 'metrics.listening_tcp_ports.ports must be an array'],
	['ports at most 1000', J(ports({ ports: Array.from({ length: 1001 }, () => ({ port: 1 })) })), 'json', 'metrics.listening_tcp_ports.ports must have at most 1000 entries'],
	['port entry must be an object', J(ports({ ports: [22] })), 'json', 'metrics.listening_tcp_ports.ports[0] must be an object'],
	['port required', J(ports({ ports: [{ interface: 'eth0' }] })), 'json', 'metrics.listening_tcp_ports.ports[0].port is required'],
	['port 1..65535', J(ports({ ports: [{ port: 22 }, { port: 80 }, { port: 65536 }] })), 'json', 'metrics.listening_tcp_ports.ports[2].port must be an integer from 1 to 65535'],
	['port not 0', J(ports({ ports: [{ port: 0 }] })), 'json', 'metrics.listening_tcp_ports.ports[0].port must be an integer from 1 to 65535'],
	['interface a clean string', J(ports({ ports: [{ port: 1, interface: 'eth\n0' }] })), 'json', 'metrics.listening_tcp_ports.ports[0].interface must be a string of 1 to 256 characters without control characters'],
	['total >= 0', J(ports({ ports: [], total: -1 })), 'json', 'metrics.listening_tcp_ports.total must be an integer from 0 to 9007199254740991'],
	['total not below the list length', J(ports({ ports: [{ port: 1 }, { port: 2 }], total: 1 })), 'json', 'metrics.listening_tcp_ports.total must not be less than the number of ports listed (2)'],
	['network_stats integers >= 0', J(withMetrics({ network_stats: { packets_out: -3 } })), 'json', 'metrics.network_stats.packets_out must be an integer from 0 to 9007199254740991'],
	['network_stats not fractional', J(withMetrics({ network_stats: { bytes_out: 2.5 } })), 'json', 'metrics.network_stats.bytes_out must be an integer from 0 to 9007199254740991'],
	['connections must be an array', J(conns('none')), 'json', 'metrics.tcp_connections.established_connections.connections must be an array'],
	['remote_addr required', J(conns([{ local_port: 80 }])), 'json', 'metrics.tcp_connections.established_connections.connections[0].remote_addr is required'],
	['remote_addr needs a port', J(conns([{ remote_addr: '10.0.0.1' }])), 'json', 'metrics.tcp_connections.established_connections.connections[0].remote_addr must be "ipv4:port" or "[ipv6]:port" with a port from 1 to 65535'],
	['remote_addr a valid IPv4', J(conns([{ remote_addr: '10.0.0.256:80' }])), 'json', 'metrics.tcp_connections.established_connections.connections[0].remote_addr must be "ipv4:port" or "[ipv6]:port" with a port from 1 to 65535'],
	['remote_addr IPv6 in brackets', J(conns([{ remote_addr: '2001:db8::1:443' }])), 'json', 'metrics.tcp_connections.established_connections.connections[0].remote_addr must be "ipv4:port" or "[ipv6]:port" with a port from 1 to 65535'],
	['remote_addr port 1..65535', J(conns([{ remote_addr: '[::1]:0' }])), 'json', 'metrics.tcp_connections.established_connections.connections[0].remote_addr must be "ipv4:port" or "[ipv6]:port" with a port from 1 to 65535'],
	['remote_addr a string', J(conns([{ remote_addr: 3232235521 }])), 'json', 'metrics.tcp_connections.established_connections.connections[0].remote_addr must be "ipv4:port" or "[ipv6]:port" with a port from 1 to 65535'],
	['local_port 0..65535', J(conns([{ remote_addr: '1.2.3.4:5', local_port: 70000 }])), 'json', 'metrics.tcp_connections.established_connections.connections[0].local_port must be an integer from 0 to 65535'],
	['local_interface a clean string', J(conns([{ remote_addr: '1.2.3.4:5', local_interface: '' }])), 'json', 'metrics.tcp_connections.established_connections.connections[0].local_interface must be a string of 1 to 256 characters without control characters'],
	['connection total not below the list length', J(withMetrics({ tcp_connections: { established_connections: { connections: [{ remote_addr: '1.2.3.4:5' }], total: 0 } } })), 'json', 'metrics.tcp_connections.established_connections.total must not be less than the number of connections listed (1)'],
	['custom_metrics must be an object', J(withCustom([1])), 'json', 'custom_metrics must be an object'],
	['custom_metrics at most 100 entries', J(withCustom(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`m${i}`, [{ number: i }]])))), 'json', 'custom_metrics must have at most 100 entries'],
	['custom metric name pattern', J(withCustom({ 'bad name': [{ number: 1 }] })), 'json', 'custom_metrics key "bad name" is not a valid custom metric name (1 to 128 of A-Z a-z 0-9 : _ -, not starting with aws:)'],
	['custom metric name not aws:', J(withCustom({ 'aws:num-messages-sent': [{ number: 1 }] })), 'json', 'custom_metrics key "aws:num-messages-sent" is not a valid custom metric name (1 to 128 of A-Z a-z 0-9 : _ -, not starting with aws:)'],
	['custom metric wrapped in an array (documented case)', utf8(EXAMPLE_MINIMAL_UNWRAPPED), 'json', 'custom_metrics.my_custom_metric must be an array of exactly one object'],
	['custom metric array of exactly one', J(withCustom({ m: [{ number: 1 }, { number: 2 }] })), 'json', 'custom_metrics.m must be an array of exactly one object'],
	['custom metric exactly one value key', J(custom({ number: 1, number_list: [1] })), 'json', 'custom_metrics.m[0] must have exactly one of number, number_list, string_list, ip_list'],
	['custom metric no empty object', J(custom({})), 'json', 'custom_metrics.m[0] must have exactly one of number, number_list, string_list, ip_list'],
	['custom metric unknown value key', J(custom({ numbers: [1] })), 'json', 'custom_metrics.m[0].numbers is not a known key'],
	['number finite', utf8('{"header":{"report_id":1,"version":"1.0"},"custom_metrics":{"m":[{"number":1e400}]}}'), 'json', 'custom_metrics.m[0].number must be a finite number of at most 15 significant digits'],
	['number at most 15 significant digits', J(custom({ number: 1.2345678901234567 })), 'json', 'custom_metrics.m[0].number must be a finite number of at most 15 significant digits'],
	['integers too have at most 15 digits', J(custom({ number: 1234567890123456 })), 'json', 'custom_metrics.m[0].number must be a finite number of at most 15 significant digits'],
	['number a number', J(custom({ number: '5' })), 'json', 'custom_metrics.m[0].number must be a finite number of at most 15 significant digits'],
	['number_list an array', J(custom({ number_list: 5 })), 'json', 'custom_metrics.m[0].number_list must be an array'],
	['number_list elements numbers', J(custom({ number_list: [1, 'x'] })), 'json', 'custom_metrics.m[0].number_list[1] must be a finite number of at most 15 significant digits'],
	['string_list allowed characters', J(custom({ string_list: ['ok', 'not ok'] })), 'json', 'custom_metrics.m[0].string_list[1] must be a string of 1 to 256 characters from A-Z a-z 0-9 : _ - / .'],
	['string_list no empty strings', J(custom({ string_list: [''] })), 'json', 'custom_metrics.m[0].string_list[0] must be a string of 1 to 256 characters from A-Z a-z 0-9 : _ - / .'],
	['ip_list valid addresses', J(custom({ ip_list: ['10.0.0.1', '10.0.0.300'] })), 'json', 'custom_metrics.m[0].ip_list[1] must be an IPv4 or IPv6 address'],
	['CBOR byte strings', cbor({ header: H, metrics: { network_stats: { bytes_in: Buffer.from([1]) } } }), 'cbor', 'CBOR byte strings are not allowed (byte 73)'],
	['CBOR tags', Buffer.from([0xc1, 0x01]), 'cbor', 'CBOR tags are not allowed (byte 0)'],
	['CBOR undefined', Buffer.from([0xf7]), 'cbor', 'CBOR undefined is not allowed (byte 0)'],
	['CBOR other simple values', Buffer.from([0xf0]), 'cbor', 'CBOR simple value 16 is not allowed (byte 0)'],
	['CBOR text keys only', Buffer.from([0xa1, 0x01, 0x02]), 'cbor', 'CBOR map key at byte 1 is not a text string'],
	['CBOR no repeated keys', Buffer.from([0xa2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02]), 'cbor', 'CBOR map at byte 0 repeats the key "a"'],
	['CBOR no trailing bytes', Buffer.concat([cbor(JSON.parse(EXAMPLE_MINIMAL)), Buffer.from([0])]), 'cbor', 'CBOR has 1 trailing bytes after the report'],
	['CBOR truncated', cbor(JSON.parse(EXAMPLE_MINIMAL)).subarray(0, 40), 'cbor', 'CBOR ends early at byte 40'],
	['CBOR definite strings only', Buffer.from([0x7f, 0x61, 0x61, 0xff]), 'cbor', 'CBOR indefinite-length strings are not allowed (byte 0)'],
	['CBOR text is UTF-8', Buffer.from([0x62, 0xc3, 0x28]), 'cbor', 'CBOR text string at byte 0 is not valid UTF-8'],
	['CBOR reserved additional information', Buffer.from([0x1c]), 'cbor', 'CBOR uses reserved additional information 28 at byte 0'],
	['CBOR array length cap before allocation', Buffer.from([0x9a, 0xff, 0xff, 0xff, 0xff]), 'cbor', 'CBOR array at byte 0 has more than 1000 elements'],
	['CBOR map size cap before allocation', Buffer.from([0xba, 0x00, 0x01, 0x00, 0x00]), 'cbor', 'CBOR map at byte 0 has more than 100 entries'],
	['CBOR nesting cap', Buffer.alloc(40, 0x81), 'cbor', 'payload nests deeper than 16 levels'],
];

for (const [rule, payload, format, message] of cases) {
	rules(rule, () => {
		const { ingest } = memoryIngest();
		const res = ingest.handle({ thingName: 'dev-1', format, payload, clientId: 'dev-1' });
		assert.is(res.accepted, false);
		assert.is(res.reply.status, 'REJECTED');
		assert.equal(res.reply.statusDetails, { ErrorCode: 'InvalidPayload', ErrorMessage: message });
	});
}

rules.run();
