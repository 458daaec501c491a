/**
 * Reports/s on one core through decode + validate (parseReport) for the spec §1.7 example report
 * as long-name JSON, short-name JSON and short-name CBOR, next to JSON.parse alone on the same JSON
 * bytes (the baseline, measured in the same run). Subject and baseline are timed in alternating
 * 200 ms slices and the ratio is the median of the per-slice ratios, so a busy machine slows both
 * alike. Run: node --import tsx bench/ingest-validate.ts
 */
import { encode as cborEncode } from 'cbor-x';
import { parseReport } from '../host/ingest/parse-report.ts';
import { EXAMPLE_LONG, EXAMPLE_SHORT } from '../test/ingest/fixtures.ts';
import { median, slice as sliceOf } from './rate.ts';

const slice = (fn: () => unknown, ms: number) => sliceOf(fn, ms, 200);

const longJson = Buffer.from(JSON.stringify(JSON.parse(EXAMPLE_LONG)));
const shortJson = Buffer.from(JSON.stringify(JSON.parse(EXAMPLE_SHORT)));
const shortCbor = Buffer.from(cborEncode(JSON.parse(EXAMPLE_SHORT)));
const utf8 = new TextDecoder();


function compare(fn: () => unknown, baseline: () => unknown): { rate: number; base: number; ratio: number } {
	for (let i = 0; i < 5000; i++) (fn(), baseline()); // warm up
	const rates: number[] = [];
	const bases: number[] = [];
	const ratios: number[] = [];
	for (let round = 0; round < 9; round++) {
		const r = slice(fn, 200);
		const b = slice(baseline, 200);
		rates.push(r);
		bases.push(b);
		ratios.push(r / b);
	}
	return { rate: median(rates), base: median(bases), ratio: median(ratios) };
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(10);
const rows: [string, Buffer, () => unknown, () => unknown][] = [
	['long JSON', longJson, () => parseReport(longJson, 'json'), () => JSON.parse(utf8.decode(longJson))],
	['short JSON', shortJson, () => parseReport(shortJson, 'json'), () => JSON.parse(utf8.decode(shortJson))],
	['short CBOR', shortCbor, () => parseReport(shortCbor, 'cbor'), () => JSON.parse(utf8.decode(shortJson))],
];

console.log('payload      bytes   parseReport/s   JSON.parse/s (same report as JSON)   ratio');
for (const [name, bytes, fn, base] of rows) {
	const r = compare(fn, base);
	console.log(`${name.padEnd(10)} ${String(bytes.length).padStart(7)}   ${fmt(r.rate)}      ${fmt(r.base)}                         ${r.ratio.toFixed(2)}`);
}
