/**
 * Reports/s on one core through decode + validate (parseReport) for the spec §1.7 example report
 * as long-name JSON, short-name JSON and short-name CBOR, next to JSON.parse alone on the same
 * JSON bytes (the baseline, measured in the same run) and the ratio.
 * Run: node --import tsx bench/ingest-validate.ts
 */
import { encode as cborEncode } from 'cbor-x';
import { parseReport } from '../host/ingest/parse-report.ts';
import { EXAMPLE_LONG, EXAMPLE_SHORT } from '../test/ingest/fixtures.ts';

const longJson = Buffer.from(JSON.stringify(JSON.parse(EXAMPLE_LONG)));
const shortJson = Buffer.from(JSON.stringify(JSON.parse(EXAMPLE_SHORT)));
const shortCbor = Buffer.from(cborEncode(JSON.parse(EXAMPLE_SHORT)));
const utf8 = new TextDecoder();

/** Operations per second of `fn`, best of 5 rounds of ~300 ms each. */
function rate(fn: () => unknown): number {
	for (let i = 0; i < 5000; i++) fn(); // warm up
	let best = 0;
	for (let round = 0; round < 5; round++) {
		let n = 0;
		const start = process.hrtime.bigint();
		let elapsed = 0n;
		while (elapsed < 300_000_000n) {
			for (let i = 0; i < 1000; i++) fn();
			n += 1000;
			elapsed = process.hrtime.bigint() - start;
		}
		best = Math.max(best, n / (Number(elapsed) / 1e9));
	}
	return best;
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US').padStart(10);
const rows: [string, number, Buffer, () => unknown][] = [
	['long JSON', 0, longJson, () => parseReport(longJson, 'json')],
	['short JSON', 0, shortJson, () => parseReport(shortJson, 'json')],
	['short CBOR', 0, shortCbor, () => parseReport(shortCbor, 'cbor')],
];
const baseLong = rate(() => JSON.parse(utf8.decode(longJson)));
const baseShort = rate(() => JSON.parse(utf8.decode(shortJson)));

console.log('payload      bytes   parseReport/s   JSON.parse/s (same JSON bytes)   ratio');
for (const [name, , bytes, fn] of rows) {
	const r = rate(fn);
	const base = name === 'long JSON' ? baseLong : baseShort;
	console.log(`${name.padEnd(10)} ${String(bytes.length).padStart(7)}   ${fmt(r)}      ${fmt(base)}                     ${(r / base).toFixed(2)}`);
}
