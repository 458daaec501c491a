/** agent_encode: golden vectors, spec §1.7 examples, capacity/guard bytes, deltas, report_id, sampling. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { decode } from 'cbor-x';
import { loadAgent, specExampleMetrics, Stat, xorshift, type Agent } from './fake-host.ts';
import { longKeys, dropEmptyLists, numbers } from './report-shape.ts';

const JSON_LONG = 0;
const JSON_SHORT = 2;
const CBOR_LONG = 1;
const CBOR_SHORT = 3;
const FORMATS = [
	{ flags: JSON_LONG, file: 'report-json-long.json' },
	{ flags: JSON_SHORT, file: 'report-json-short.json' },
	{ flags: CBOR_LONG, file: 'report-cbor-long.cbor' },
	{ flags: CBOR_SHORT, file: 'report-cbor-short.cbor' },
];
const GOLDEN = new URL('./golden/', import.meta.url);
const UPDATE = process.argv.includes('--update-golden');

function bytes(r: Buffer | number): Buffer {
	if (typeof r === 'number') throw new Error(`agent_encode returned status ${r}`);
	return r;
}

function parse(flags: number, b: Buffer): any {
	return longKeys(flags & 1 ? numbers(decode(b)) : JSON.parse(b.toString('utf8')));
}

/** The golden fixture: spec data, an IPv6 and an IPv4-mapped connection, a fractional custom number. */
function goldenAgent(reuse?: Agent): Agent {
	const a = reuse ?? loadAgent();
	specExampleMetrics(a.host);
	a.host.connections.push(
		{ iface: 'wlan0', localPort: 51234, remote: '2001:db8:0:0:1:0:0:1', remotePort: 443 },
		{ localPort: 8883, remote: '::ffff:192.0.2.7', remotePort: 1883 },
	);
	a.host.custom.push({ name: 'temp\u00e9rature "c"', type: 'number-list', values: [-2.5, 0.1, 1e-7, 6.02214076e23] });
	a.host.store.set(0, 41n);
	assert.is(a.init({ thing: 'golden-thing' }), 0);
	a.host.counters = [1000n, 2000n, 30n, 40n];
	bytes(a.encode(JSON_LONG)); // baseline: report 42, no network_stats
	a.host.counters = [1000n + 29358693495n, 2000n + 26485035n, 30n + 10013573555n, 40n + 11382615n];
	return a;
}

const golden = suite('agent_encode golden vectors');

for (const f of FORMATS) {
	golden(`${f.file} is byte-exact`, () => {
		const out = bytes(goldenAgent().encode(f.flags));
		const path = new URL(f.file, GOLDEN);
		if (UPDATE || !existsSync(path)) writeFileSync(path, out);
		assert.equal(out.toString('hex'), readFileSync(path).toString('hex'));
	});
}

golden('every golden vector decodes to the same logical report', () => {
	const reports = FORMATS.map((f) => parse(f.flags, readFileSync(new URL(f.file, GOLDEN))));
	const r = reports[0];
	assert.equal(r.header, { report_id: 43, version: '1.0' });
	assert.equal(r.metrics.network_stats, { bytes_in: 29358693495, bytes_out: 26485035, packets_in: 10013573555, packets_out: 11382615 });
	assert.equal(r.metrics.tcp_connections.established_connections.connections.slice(2), [
		{ local_interface: 'wlan0', local_port: 51234, remote_addr: '[2001:db8::1:0:0:1]:443' },
		{ local_port: 8883, remote_addr: '[::ffff:192.0.2.7]:1883' },
	]);
	assert.equal(r.custom_metrics['temp\u00e9rature "c"'], [{ number_list: [-2.5, 0.1, 1e-7, 6.02214076e23] }]);
	for (const other of reports.slice(1)) assert.equal(other, r);
});

golden('sizes order: short CBOR < long CBOR, short JSON < long JSON, CBOR < JSON', () => {
	const size = (flags: number) => bytes(goldenAgent().encode(flags)).length;
	const [jl, js, cl, cs] = [size(JSON_LONG), size(JSON_SHORT), size(CBOR_LONG), size(CBOR_SHORT)];
	assert.ok(cs < cl && cl < jl && js < jl && cs < js, `${jl} ${js} ${cl} ${cs}`);
});

golden.run();

// ---- spec §1.7 examples ----

const EXAMPLE_1 = {
	header: { report_id: 1530304554, version: '1.0' },
	metrics: {
		listening_tcp_ports: { ports: [{ interface: 'eth0', port: 24800 }, { interface: 'eth0', port: 22 }, { interface: 'eth0', port: 53 }], total: 3 },
		listening_udp_ports: { ports: [{ interface: 'eth0', port: 5353 }, { interface: 'eth0', port: 67 }], total: 2 },
		network_stats: { bytes_in: 29358693495, bytes_out: 26485035, packets_in: 10013573555, packets_out: 11382615 },
		tcp_connections: {
			established_connections: {
				connections: [
					{ local_interface: 'eth0', local_port: 80, remote_addr: '192.168.0.1:8000' },
					{ local_interface: 'eth0', local_port: 80, remote_addr: '192.168.0.1:8000' },
				],
				total: 2,
			},
		},
	},
	custom_metrics: {
		MyMetricOfType_Number: [{ number: 1 }],
		MyMetricOfType_NumberList: [{ number_list: [1, 2, 3] }],
		MyMetricOfType_StringList: [{ string_list: ['value_1', 'value_2'] }],
		MyMetricOfType_IpList: [{ ip_list: ['172.0.0.0', '172.0.0.10'] }],
	},
};
const EXAMPLE_2_SHORT = {
	hed: { rid: 1530305228, v: '1.0' },
	met: {
		tp: { pts: [{ if: 'eth0', pt: 24800 }, { if: 'eth0', pt: 22 }, { if: 'eth0', pt: 53 }], t: 3 },
		up: { pts: [{ if: 'eth0', pt: 5353 }, { if: 'eth0', pt: 67 }], t: 2 },
		ns: { bi: 29359307173, bo: 26490711, pi: 10014614051, po: 11387620 },
		tc: { ec: { cs: [{ li: 'eth0', lp: 80, rad: '192.168.0.1:8000' }, { li: 'eth0', lp: 80, rad: '192.168.0.1:8000' }], t: 2 } },
	},
	cmet: EXAMPLE_1.custom_metrics,
};
const EXAMPLE_3 = {
	header: { report_id: 12334567, version: '1.0' },
	metrics: { network_stats: { bytes_in: 30680, bytes_out: 10652, packets_in: 113, packets_out: 118 } },
	custom_metrics: { my_custom_metric: [{ number: 0 }] },
};

/** Feeds the example's data through the fake imports: a baseline report, then the one compared. */
function encodeExample(example: any, flags: number, setup: (a: Agent) => void): any {
	const a = loadAgent();
	setup(a);
	const ns = example.metrics.network_stats;
	a.host.store.set(0, BigInt(example.header.report_id - 2));
	a.init({ thing: 'myThing' });
	a.host.counters = [5n, 6n, 7n, 8n];
	bytes(a.encode(flags));
	a.host.counters = [5n + BigInt(ns.bytes_in), 6n + BigInt(ns.bytes_out), 7n + BigInt(ns.packets_in), 8n + BigInt(ns.packets_out)];
	return dropEmptyLists(parse(flags, bytes(a.encode(flags))));
}

const examples = suite('agent_encode spec §1.7 examples');

for (const flags of [JSON_LONG, JSON_SHORT, CBOR_LONG, CBOR_SHORT]) {
	examples(`example 1 (long names), flags ${flags}`, () => {
		assert.equal(encodeExample(EXAMPLE_1, flags, (a) => specExampleMetrics(a.host)), EXAMPLE_1);
	});
	examples(`example 2 (short names), flags ${flags}`, () => {
		const want = longKeys(EXAMPLE_2_SHORT) as any;
		assert.equal(encodeExample(want, flags, (a) => specExampleMetrics(a.host)), want);
	});
	examples(`example 3 (minimal, custom number 0), flags ${flags}`, () => {
		const got = encodeExample(EXAMPLE_3, flags, (a) => { a.host.custom = [{ name: 'my_custom_metric', type: 'number', value: 0 }]; });
		assert.equal(got, EXAMPLE_3);
	});
}

examples('short-key JSON of example 2 uses exactly the spec short names', () => {
	const a = loadAgent();
	specExampleMetrics(a.host);
	a.host.store.set(0, 1530305226n);
	a.init({ thing: 'myThing' });
	a.host.counters = [0n, 0n, 0n, 0n];
	bytes(a.encode(JSON_SHORT));
	a.host.counters = [29359307173n, 26490711n, 10014614051n, 11387620n];
	assert.equal(JSON.parse(bytes(a.encode(JSON_SHORT)).toString()), EXAMPLE_2_SHORT);
});

examples.run();

// ---- capacity and guard bytes ----

const capacity = suite('agent_encode capacity and guard bytes');

for (const f of FORMATS) {
	capacity(`every capacity, ${f.file}`, () => {
		const full = bytes(goldenAgent().encode(f.flags));
		const len = full.length;
		const instance = loadAgent();
		for (let cap = 0; cap <= len + 2; cap++) {
			const a = goldenAgent(instance); // agent_init resets the module; slot 0 is set again
			const ptr = a.x.agent_io_ptr();
			a.mem().fill(0xa5, ptr, ptr + len + 16);
			const n = a.x.agent_encode(f.flags, ptr, cap);
			const m = a.mem();
			if (cap < len) {
				assert.is(n, -1, `cap ${cap}`);
				for (let i = ptr + cap; i < ptr + len + 16; i++) if (m[i] !== 0xa5) assert.unreachable(`byte ${i - ptr} written with cap ${cap}`);
				// nothing advanced: the next report still has id 43 and the same deltas
				assert.is(a.stat(Stat.lastReportId), 42n);
			} else {
				assert.is(n, len, `cap ${cap}`);
				assert.equal(Buffer.from(m.subarray(ptr, ptr + len)).toString('hex'), full.toString('hex'));
				assert.is(m[ptr + len], 0xa5);
			}
		}
	});
}

capacity('a range outside linear memory is refused', () => {
	const a = loadAgent();
	a.init({ thing: 't' });
	const size = a.x.memory.buffer.byteLength;
	assert.is(a.x.agent_encode(0, size - 10, 11), -2);
	assert.is(a.x.agent_encode(0, 0, -1), -2);
});

capacity.run();

// ---- deltas ----

const deltas = suite('agent_encode network_stats deltas');

function ns(a: Agent, flags = JSON_LONG): any {
	return parse(flags, bytes(a.encode(flags))).metrics.network_stats;
}

deltas('first report after init has no network_stats; later ones carry deltas', () => {
	const a = loadAgent();
	a.init({ thing: 't' });
	a.host.counters = [100n, 200n, 10n, 20n];
	assert.is(ns(a), undefined);
	a.host.counters = [150n, 260n, 11n, 25n];
	assert.equal(ns(a), { bytes_in: 50, bytes_out: 60, packets_in: 1, packets_out: 5 });
	a.host.counters = [150n, 260n, 11n, 25n];
	assert.equal(ns(a, CBOR_SHORT), { bytes_in: 0, bytes_out: 0, packets_in: 0, packets_out: 0 });
	a.init({ thing: 't' });
	assert.is(ns(a), undefined, 'agent_init drops the baseline');
});

deltas('a counter going backwards never yields a huge delta', () => {
	const a = loadAgent();
	a.init({ thing: 't' });
	a.host.counters = [1_000_000n, 1_000_000n, 1000n, 1000n];
	ns(a);
	a.host.counters = [500n, 1_000_100n, 1001n, 1002n]; // bytes_in reset (reboot of the interface)
	assert.is(ns(a), undefined);
	a.host.counters = [700n, 1_000_200n, 1003n, 1004n];
	assert.equal(ns(a), { bytes_in: 200, bytes_out: 100, packets_in: 2, packets_out: 2 });
	a.host.counters = [0xffff_ffff_ffff_fff0n, 0n, 0n, 0n];
	ns(a);
	a.host.counters = [0xffff_ffff_ffff_fff8n, 0n, 0n, 0n];
	assert.is(ns(a).bytes_in, 8);
});

deltas('no counters on this device: never network_stats', () => {
	const a = loadAgent();
	a.init({ thing: 't' });
	assert.is(ns(a), undefined);
	assert.is(ns(a), undefined);
});

deltas.run();

// ---- report_id ----

const reportId = suite('agent_encode report_id');

function rid(a: Agent): number {
	return parse(CBOR_SHORT, bytes(a.encode(CBOR_SHORT))).header.report_id;
}

reportId('without a clock: +1 each report, persisted in slot 0, continues after re-init', () => {
	const a = loadAgent();
	a.init({ thing: 't' });
	assert.equal([rid(a), rid(a), rid(a)], [1, 2, 3]);
	assert.is(a.host.store.get(0), 3n);
	const b = loadAgent(undefined, a.host); // "reboot": new instance, same store
	b.init({ thing: 't' });
	assert.is(b.stat(Stat.lastReportId), 3n);
	assert.is(rid(b), 4);
});

reportId('with a clock: max(epoch_ms, last + 1), never decreasing', () => {
	const a = loadAgent();
	a.host.store.set(0, 7n);
	a.host.epochMs = 1_700_000_000_000n;
	a.init({ thing: 't' });
	assert.is(rid(a), 1_700_000_000_000);
	assert.is(rid(a), 1_700_000_000_001, 'same millisecond');
	a.host.epochMs = 1_600_000_000_000n; // clock stepped back
	assert.is(rid(a), 1_700_000_000_002);
	a.host.epochMs = 1_800_000_000_000n;
	assert.is(rid(a), 1_800_000_000_000);
	assert.is(a.host.store.get(0), 7n, 'clock-based ids are not persisted');
	a.host.epochMs = 0n;
	assert.is(rid(a), 1_800_000_000_001, 'losing the clock continues from the last id');
	assert.is(a.host.store.get(0), 1_800_000_000_001n);
});

reportId.run();

// ---- sampling ----

const sampling = suite('agent_encode list sampling');

sampling('lists over the cap are sampled uniformly; total stays true', () => {
	const a = loadAgent();
	a.host.tcp = Array.from({ length: 200 }, (_, i) => ({ port: i + 1, iface: 'eth0' }));
	a.host.connections = Array.from({ length: 80 }, (_, i) => ({ remote: `10.0.0.${i}`, remotePort: 443, localPort: 40000 + i }));
	a.init({ thing: 't', maxItems: 50 });
	const r = parse(JSON_LONG, bytes(a.encode(JSON_LONG)));
	const ports = r.metrics.listening_tcp_ports.ports.map((p: any) => p.port);
	assert.is(ports.length, 50);
	assert.is(r.metrics.listening_tcp_ports.total, 200);
	assert.equal(ports, [...ports].sort((x: number, y: number) => x - y), 'kept in index order');
	assert.is(new Set(ports).size, 50);
	assert.is(r.metrics.tcp_connections.established_connections.connections.length, 50);
	assert.is(r.metrics.tcp_connections.established_connections.total, 80);
});

sampling('every item is equally likely to be kept', () => {
	const counts = new Array(10).fill(0);
	const runs = 2000;
	const a = loadAgent();
	a.host.random = xorshift(99);
	a.host.udp = Array.from({ length: 10 }, (_, i) => ({ port: 100 + i }));
	a.init({ thing: 't', maxItems: 3 });
	for (let i = 0; i < runs; i++) {
		const r = parse(CBOR_SHORT, bytes(a.encode(CBOR_SHORT)));
		assert.is(r.metrics.listening_udp_ports.ports.length, 3);
		for (const p of r.metrics.listening_udp_ports.ports) counts[p.port - 100]++;
	}
	// expected 600 each (3/10 of 2000); 5 standard deviations ≈ 100
	for (const c of counts) assert.ok(Math.abs(c - 600) < 100, `counts ${counts}`);
});

sampling('lists at or under the cap are complete and sampling calls no entropy', () => {
	const a = loadAgent();
	let calls = 0;
	a.host.random = () => { calls++; return 1; };
	a.host.tcp = Array.from({ length: 5 }, (_, i) => ({ port: i + 1 }));
	a.init({ thing: 't', maxItems: 5 });
	const r = parse(JSON_LONG, bytes(a.encode(JSON_LONG)));
	assert.equal(r.metrics.listening_tcp_ports.ports, [1, 2, 3, 4, 5].map((port) => ({ port })));
	assert.is(calls, 0);
});

sampling.run();

// ---- address, number and string text ----

const text = suite('agent_encode text of addresses, numbers and strings');

function connectionsOf(addrs: string[]): string[] {
	const a = loadAgent();
	a.host.connections = addrs.map((remote, i) => ({ remote, remotePort: 1000 + i, localPort: 1 }));
	a.init({ thing: 't', maxItems: 100 });
	return parse(JSON_LONG, bytes(a.encode(JSON_LONG))).metrics.tcp_connections.established_connections.connections.map((c: any) => c.remote_addr);
}

text('remote_addr: IPv4 a.b.c.d:port, IPv6 [RFC 5952]:port', () => {
	const cases: [string, string][] = [
		['10.1.2.3', '10.1.2.3'],
		['0.0.0.0', '0.0.0.0'],
		['255.255.255.255', '255.255.255.255'],
		['2001:0db8:0000:0000:0000:0000:0002:0001', '[2001:db8::2:1]'], // §4.1 leading zeros, §4.2.1 longest run
		['2001:db8:0:1:1:1:1:1', '[2001:db8:0:1:1:1:1:1]'], // §4.2.2 a single 0 group is not shortened
		['2001:db8:0:0:1:0:0:1', '[2001:db8::1:0:0:1]'], // §4.2.3 tie: first run
		['2001:0:0:1:0:0:0:1', '[2001:0:0:1::1]'], // §4.2.3 longest run wins
		['2001:DB8:0:0:0:0:0:ABCD', '[2001:db8::abcd]'], // §4.3 lower case
		['::', '[::]'],
		['::1', '[::1]'],
		['1::', '[1::]'],
		['fe80::1:2', '[fe80::1:2]'],
		['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]'],
		['::ffff:192.0.2.128', '[::ffff:192.0.2.128]'], // §5 IPv4-mapped
	];
	const got = connectionsOf(cases.map((c) => c[0]));
	assert.equal(got, cases.map((c, i) => `${c[1]}:${1000 + i}`));
});

text('custom numbers: integers exact, others with 15 significant digits; ip_list text', () => {
	const values = [0, -0, 1, -1, 42, 2 ** 53 - 1, -(2 ** 53), 2 ** 60, 0.1, -2.5, 3.14159265358979, 1e-7, 1.5e-300, 6.02214076e23, 1.7976931348623157e308, 123456.789, 0.000123];
	const a = loadAgent();
	a.host.custom = [
		{ name: 'n', type: 'number-list', values },
		{ name: 'ips', type: 'ip-address-list', values: ['192.168.1.1', '2001:db8::5'] },
	];
	a.init({ thing: 't' });
	const json = bytes(a.encode(JSON_LONG)).toString();
	const got = JSON.parse(json).custom_metrics.n[0].number_list as number[];
	const want = (v: number) => (Number.isInteger(v) && Math.abs(v) <= 2 ** 53 ? v : Number(v.toPrecision(15)));
	values.forEach((v, i) => assert.is(got[i], want(v) === 0 ? 0 : want(v), `value ${v}`));
	assert.ok(json.includes('"number_list":[0,0,1,-1,42,9007199254740991,-9007199254740992,'), json);
	assert.equal(JSON.parse(json).custom_metrics.ips, [{ ip_list: ['192.168.1.1', '2001:db8::5'] }]);
	const a2 = loadAgent();
	a2.host.custom = [{ name: 'n', type: 'number-list', values }];
	a2.init({ thing: 't' });
	const cb = decode(bytes(a2.encode(CBOR_SHORT))).cmet.n[0].number_list;
	values.forEach((v, i) => assert.is(Number(cb[i]), v === 0 ? 0 : v, `cbor value ${v}`));
});

text('strings are escaped in JSON; invalid custom records are left out', () => {
	const a = loadAgent();
	a.host.tcp = [{ port: 80, iface: 'a"b\\c\n' }];
	a.host.custom = [
		{ name: 'ok', type: 'string-list', values: ['x\ty', ''] },
		{ name: 'bad-nan', type: 'number', value: NaN },
		{ name: '', type: 'number', value: 1 },
		{ name: 'bad-inf', type: 'number-list', values: [1, Infinity] },
	];
	a.init({ thing: 't' });
	const json = bytes(a.encode(JSON_LONG)).toString();
	assert.ok(json.includes('"interface":"a\\"b\\\\c\\u000a"'), json);
	const r = JSON.parse(json);
	assert.is(r.metrics.listening_tcp_ports.ports[0].interface, 'a"b\\c\n');
	assert.equal(r.custom_metrics, { ok: [{ string_list: ['x\ty', ''] }] });
});

text('an unusable record from the host is a status, not a broken report', () => {
	const a = loadAgent();
	a.host.tcp = [{ port: 0 }];
	a.init({ thing: 't' });
	assert.is(a.encode(JSON_LONG), -5);
	a.host.tcp = [{ port: 22, iface: 'x'.repeat(16) }];
	assert.is(a.encode(CBOR_SHORT), -5);
	a.host.tcp = [{ port: 22, iface: 'x'.repeat(15) }];
	assert.ok(Buffer.isBuffer(a.encode(CBOR_SHORT)));
});

text.run();
