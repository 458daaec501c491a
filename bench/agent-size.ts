/**
 * Agent budgets: release agent.wasm size (≤ 16 KiB), linear-memory high-water (≤ 16 KiB) while
 * encoding a 64-port + 64-connection IPv6 report in every format and running an MQTT session, and
 * short-key CBOR size as % of long-key JSON for the spec §1.7 example (≤ 45 %). Also times the
 * encoder against JSON.stringify of the same report (baseline measured in this run).
 * Run: bash scripts/build.sh && node --import tsx bench/agent-size.ts
 */
import { readFileSync } from 'node:fs';
import { loadAgent, specExampleMetrics, RELEASE_WASM, type Agent } from '../test/agent/fake-host.ts';
import { parsePackets, connack, suback } from '../test/agent/mqtt-helpers.ts';

const KIB = 1024;
const SIZE_BUDGET = 16 * KIB;
const MEMORY_BUDGET = 16 * KIB;
const CBOR_RATIO_BUDGET = 0.45;
const PATTERN = 0xa5;

/** Active data segments [start, end) of a wasm binary (section 11, MVP encoding). */
function dataSegments(wasm: Uint8Array): [number, number][] {
	let at = 8;
	const u32 = () => { let v = 0, s = 0, b; do { b = wasm[at++]!; v |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return v >>> 0; };
	const s32 = () => { let v = 0, s = 0, b; do { b = wasm[at++]!; v |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return s < 32 && (b & 0x40) ? v | (-1 << s) : v; };
	const out: [number, number][] = [];
	while (at < wasm.length) {
		const id = wasm[at++]!;
		const size = u32();
		const end = at + size;
		if (id === 11) {
			const count = u32();
			for (let i = 0; i < count; i++) {
				const flags = u32();
				if (flags === 1) { at += u32(); continue; } // passive
				if (flags === 2) u32();
				if (wasm[at++] !== 0x41) throw new Error('unexpected data offset expression');
				const offset = s32();
				at++; // end
				const len = u32();
				out.push([offset, offset + len]);
				at += len;
			}
		}
		at = end;
	}
	return out;
}

function worstCase(a: Agent): void {
	a.host.tcp = Array.from({ length: 32 }, (_, i) => ({ port: 10000 + i * 1777, iface: 'eth0' }));
	a.host.udp = Array.from({ length: 32 }, (_, i) => ({ port: 20000 + i * 1333, iface: 'eth0' }));
	a.host.connections = Array.from({ length: 64 }, (_, i) => ({
		remote: `2001:db8:1234:5678:9abc:def0:${(0x1000 + i).toString(16)}:ffff`,
		remotePort: 50000 + i, localPort: 40000 + i, iface: 'wlan0',
	}));
	a.host.counters = [1n << 40n, 1n << 40n, 1n << 36n, 1n << 36n];
}

// ---- size ----
const wasm = readFileSync(RELEASE_WASM);
const size = wasm.length;

// ---- memory high-water ----
const a = loadAgent(RELEASE_WASM);
const segs = dataSegments(wasm);
const mem = a.mem();
const covered = new Uint8Array(mem.length);
for (const [s, e] of segs) covered.fill(1, s, e);
for (let i = 0; i < mem.length; i++) if (!covered[i]) mem[i] = PATTERN;
worstCase(a);
a.init({ thing: 'bench-thing-with-a-fairly-long-name-0123456789', maxItems: 64, keepalive: 60 });
const lengths: Record<string, number> = {};
for (const [name, flags] of [['long JSON', 0], ['short JSON', 2], ['long CBOR', 1], ['short CBOR', 3]] as const) {
	a.host.counters = a.host.counters!.map((c) => c + 1000n) as typeof a.host.counters;
	const r = a.encode(flags);
	if (typeof r === 'number') throw new Error(`${name}: agent_encode status ${r}`);
	lengths[name] = r.length;
}
// An MQTT session with the same data: CONNECT, SUBSCRIBE, report PUBLISH, a reply.
a.x.agent_step();
a.host.push(connack());
a.x.agent_step();
const sub = parsePackets(a.host.takeSent()).find((p) => p.cmd === 'subscribe')!;
a.host.push(suback(sub.messageId!));
a.x.agent_step();
const published = parsePackets(a.host.takeSent()).find((p) => p.cmd === 'publish');
if (!published) throw new Error('no report published');
let high = 0;
const after = a.mem();
for (let i = after.length - 1; i >= 0; i--) if (!covered[i] && after[i] !== PATTERN) { high = i + 1; break; }
const staticEnd = segs.reduce((m, [, e]) => Math.max(m, e), 0);
const highWater = Math.max(high, staticEnd);
const declared = Number(a.stat(9));
if (high > declared) console.log('WARNING: memory written above __heap_base');

// ---- CBOR ratio for the spec example ----
function exampleSize(flags: number, custom: boolean): number {
	const b = loadAgent(RELEASE_WASM);
	specExampleMetrics(b.host);
	if (!custom) b.host.custom = [];
	b.host.store.set(0, 1530304553n);
	b.init({ thing: 'myThing' });
	b.host.counters = [0n, 0n, 0n, 0n];
	b.encode(flags);
	b.host.counters = [29358693495n, 26485035n, 10013573555n, 11382615n];
	const r = b.encode(flags);
	if (typeof r === 'number') throw new Error(`status ${r}`);
	return r.length;
}
const longJson = exampleSize(0, true);
const shortCbor = exampleSize(3, true);
const ratio = shortCbor / longJson;
const ratioNoCustom = exampleSize(3, false) / exampleSize(0, false);

// ---- encode speed vs JSON.stringify of the same report ----
const t = loadAgent(RELEASE_WASM);
worstCase(t);
t.init({ thing: 'bench', maxItems: 64 });
const sample = JSON.parse((t.encode(0) as Buffer).toString());
const N = 2000;
let t0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) t.x.agent_encode(0, t.x.agent_io_ptr(), t.x.agent_io_cap());
const agentNs = Number(process.hrtime.bigint() - t0) / N;
t0 = process.hrtime.bigint();
let sink = 0;
for (let i = 0; i < N; i++) sink += Buffer.byteLength(JSON.stringify(sample));
const baseNs = Number(process.hrtime.bigint() - t0) / N;

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const verdict = (ok: boolean) => (ok ? 'within budget' : 'OVER BUDGET');
console.log(`agent.wasm (release)            ${size} B = ${pct(size / SIZE_BUDGET)} of 16 KiB  ${verdict(size <= SIZE_BUDGET)}`);
console.log(`memory high-water               ${highWater} B = ${pct(highWater / MEMORY_BUDGET)} of 16 KiB  ${verdict(highWater <= MEMORY_BUDGET)}`);
console.log(`  highest byte written ${high} B; end of initialised data ${staticEnd} B; reserved static region (agent_stat 9, __heap_base) ${declared} B = ${pct(declared / MEMORY_BUDGET)}`);
console.log(`  bytes written above the reserved region: ${Math.max(0, high - declared)} (0 = nothing allocated after init)`);
console.log(`worst-case report sizes          ${Object.entries(lengths).map(([k, v]) => `${k} ${v} B`).join(', ')}; PUBLISH ${published.length} B`);
console.log(`spec example: short CBOR / long JSON = ${shortCbor} / ${longJson} B = ${pct(ratio)}  ${verdict(ratio <= CBOR_RATIO_BUDGET)} (45 %)`);
console.log(`  without the custom metrics (names have no short form): ${pct(ratioNoCustom)}`);
console.log(`encode 64+64 long JSON (host imports included): agent ${(agentNs / 1000).toFixed(1)} µs vs JSON.stringify ${(baseNs / 1000).toFixed(1)} µs = ${(agentNs / baseNs).toFixed(2)}× (${sink > 0 ? 'ok' : ''})`);
