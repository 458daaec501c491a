/**
 * Bounded, seeded fuzzing of parseReport: whatever the bytes, the result is either a valid
 * DeviceReport (which round-trips through the wire format) or a WARDEN_ERR_REPORT_INVALID — never
 * any other exception. The seed is fixed so a failure reproduces; FUZZ_SEED is not read here.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encode as cborEncode } from 'cbor-x';
import { parseReport } from '../../host/ingest/parse-report.ts';
import type { DeviceReport, ReportFormat } from '../../host/ingest/report-types.ts';
import { isWardenError } from '../../host/errors.ts';
import { EXAMPLE_LONG, EXAMPLE_MINIMAL, EXAMPLE_SHORT } from './fixtures.ts';

function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const rnd = mulberry32(0x5eed_2026);
const int = (n: number) => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

/** The canonical report back in long-name wire form (for the round-trip property). */
function toWire(r: DeviceReport): unknown {
	const out: Record<string, unknown> = { header: r.header };
	if (r.metrics) out.metrics = r.metrics;
	if (r.custom_metrics) {
		const cm: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(r.custom_metrics)) {
			const { type: _t, ...inner } = v;
			Object.defineProperty(cm, k, { value: [inner], enumerable: true });
		}
		out.custom_metrics = cm;
	}
	return out;
}

const stats = { accepted: 0, rejected: 0 };

function check(payload: Uint8Array, format: ReportFormat, label: string): void {
	let report: DeviceReport;
	try {
		report = parseReport(payload, format);
	} catch (e) {
		if (isWardenError(e) && e.code === 'WARDEN_ERR_REPORT_INVALID' && e.message.length > 0) {
			stats.rejected++;
			return;
		}
		throw new Error(`${label}: unexpected ${(e as Error)?.stack ?? String(e)}\npayload (hex, first 200 bytes): ${Buffer.from(payload).subarray(0, 200).toString('hex')}`);
	}
	stats.accepted++;
	assert.ok(Number.isSafeInteger(report.header.report_id) && report.header.report_id > 0, label);
	assert.is(report.header.version, '1.0', label);
	const again = parseReport(Buffer.from(JSON.stringify(toWire(report))), 'json');
	assert.equal(again, report, `${label}: round trip`);
}

const seeds = [EXAMPLE_LONG, EXAMPLE_SHORT, EXAMPLE_MINIMAL].map((s) => JSON.parse(s) as unknown);
const jsonSeeds = seeds.map((s) => Buffer.from(JSON.stringify(s)));
const cborSeeds = seeds.map((s) => Buffer.from(cborEncode(s)));

function mutateBytes(src: Buffer): Buffer {
	const b = Buffer.from(src);
	const n = 1 + int(4);
	let out = b;
	for (let i = 0; i < n; i++) {
		const at = int(out.length);
		switch (int(4)) {
			case 0: out[at] = int(256); break;
			case 1: out[at] = out[at]! ^ (1 << int(8)); break;
			case 2: out = Buffer.concat([out.subarray(0, at), Buffer.from([int(256)]), out.subarray(at)]); break;
			default: out = Buffer.concat([out.subarray(0, at), out.subarray(at + 1 + int(8))]); break;
		}
	}
	return out;
}

const WEIRD: unknown[] = [null, true, false, 0, -1, 1.5, 2 ** 53, -(2 ** 60), 1e308, '', 'x', '1.0', '::1', '1.2.3.4:5', [], [{}], {}, { number: 1 }, [[[]]], 'a'.repeat(300)];

function mutateValue(v: unknown, depth = 0): unknown {
	if (rnd() < 0.15 || depth > 6) return pick(WEIRD);
	if (Array.isArray(v)) {
		const copy = v.map((x) => (rnd() < 0.3 ? mutateValue(x, depth + 1) : x));
		if (rnd() < 0.1) copy.push(pick(WEIRD));
		if (rnd() < 0.1) copy.pop();
		return copy;
	}
	if (v && typeof v === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, x] of Object.entries(v)) {
			if (rnd() < 0.05) continue; // drop a key
			Object.defineProperty(out, rnd() < 0.03 ? pick(['hed', 'met', 'extra', 'pt', 'port', '__proto__']) : k, {
				value: rnd() < 0.3 ? mutateValue(x, depth + 1) : x,
				enumerable: true,
				configurable: true,
				writable: true,
			});
		}
		return out;
	}
	return rnd() < 0.5 ? pick(WEIRD) : v;
}

// ---
const fuzz = suite('parseReport (fuzz)');

fuzz('random bytes', () => {
	for (let i = 0; i < 2000; i++) {
		const b = Buffer.alloc(int(300));
		for (let j = 0; j < b.length; j++) b[j] = int(256);
		check(b, 'json', `random json #${i}`);
		check(b, 'cbor', `random cbor #${i}`);
	}
});

fuzz('byte-mutated valid JSON and CBOR', () => {
	for (let i = 0; i < 2000; i++) {
		check(mutateBytes(pick(jsonSeeds)), 'json', `mutated json #${i}`);
		check(mutateBytes(pick(cborSeeds)), 'cbor', `mutated cbor #${i}`);
	}
});

fuzz('structurally mutated reports (wrong types, dropped and foreign keys) in both encodings', () => {
	for (let i = 0; i < 2000; i++) {
		const v = mutateValue(pick(seeds));
		check(Buffer.from(JSON.stringify(v) ?? 'null'), 'json', `structural json #${i}`);
		check(Buffer.from(cborEncode(v)), 'cbor', `structural cbor #${i}`);
	}
	assert.ok(stats.accepted > 100, `some mutated reports stay valid (${stats.accepted})`);
});

fuzz('deep nesting, huge lists, 128 KiB of garbage, invalid UTF-8', () => {
	for (const n of [17, 1000, 65_000]) {
		check(Buffer.from('['.repeat(n) + ']'.repeat(n)), 'json', `deep array ${n}`);
		check(Buffer.from('{"a":'.repeat(n) + '1' + '}'.repeat(n)), 'json', `deep object ${n}`);
		check(Buffer.alloc(n, 0x81), 'cbor', `deep cbor ${n}`);
		check(Buffer.alloc(n, 0xa1), 'cbor', `deep cbor map ${n}`);
	}
	const ports = Array.from({ length: 10_000 }, (_, i) => ({ port: 1 + (i % 65535) }));
	const huge = { header: { report_id: 1, version: '1.0' }, metrics: { listening_tcp_ports: { ports } } };
	check(Buffer.from(JSON.stringify(huge)), 'json', 'huge list json');
	check(Buffer.from(cborEncode(huge)), 'cbor', 'huge list cbor');
	const garbage = Buffer.alloc(128 * 1024);
	for (let j = 0; j < garbage.length; j++) garbage[j] = int(256);
	check(garbage, 'json', '128 KiB garbage json');
	check(garbage, 'cbor', '128 KiB garbage cbor');
	check(Buffer.concat([garbage, Buffer.from([0])]), 'cbor', '128 KiB + 1');
	for (const bad of [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xff], [0xe2, 0x82]]) {
		const s = Buffer.from(EXAMPLE_MINIMAL);
		const at = s.indexOf('my_custom');
		check(Buffer.concat([s.subarray(0, at), Buffer.from(bad), s.subarray(at)]), 'json', `invalid utf-8 ${bad}`);
		check(Buffer.concat([Buffer.from([0x60 + bad.length]), Buffer.from(bad)]), 'cbor', `invalid utf-8 text ${bad}`);
	}
});

fuzz.after(() => {
	assert.ok(stats.rejected > 8_000, `most fuzz inputs are rejected (${stats.rejected})`);
});

fuzz.run();
