/** agent_step fuzzing: seeded random and mutated broker packets never trap the module. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encode } from 'cbor-x';
import { decode } from 'cbor-x';
import { loadAgent, FakeHost, Stat, xorshift, type Agent } from './fake-host.ts';
import type * as mp from 'mqtt-packet';
import { connack, suback, puback, pingresp, publish, replyJson, parsePackets } from './mqtt-helpers.ts';

const ITERATIONS = 10_000;

/** Brings a dropped link back: waits out the backoff, answers CONNACK and SUBACK. */
/** Packet type and, for SUBSCRIBE, the packet id of the first packet in `b` (raw, for speed). */
function firstPacket(b: Buffer): { type: number; id: number } {
	if (b.length < 2) return { type: 0, id: 0 };
	let at = 1;
	while (b[at]! & 0x80) at++;
	return { type: b[0]! >> 4, id: b.length > at + 2 ? b.readUInt16BE(at + 1) : 0 };
}

/** Brings a dropped link back: waits out the backoff, answers CONNACK and SUBACK. */
function reconnect(a: Agent): void {
	for (let i = 0; ; i++) {
		assert.ok(i < 4, 'no CONNECT after the backoff');
		const wait = a.x.agent_step();
		assert.ok(wait >= 0, `agent_step status ${wait}`);
		if (firstPacket(a.host.takeSent()).type === 1) break;
		a.host.clockMs += BigInt(wait);
	}
	a.host.inbound = [];
	a.host.push(connack());
	a.x.agent_step();
	const sub = firstPacket(a.host.takeSent());
	assert.is(sub.type, 8, 'SUBSCRIBE after CONNACK');
	a.host.push(suback(sub.id));
	a.x.agent_step();
	a.host.takeSent();
	assert.is(a.stat(Stat.connState), 2n);
}

function seeds(topic: string, cbor: boolean): Buffer[] {
	const reply = (status: 'ACCEPTED' | 'REJECTED', code?: string) => (cbor
		? encode({ thingName: 'dev1', reportId: 3, status, timestamp: 1, ...(code ? { statusDetails: { ErrorCode: code, ErrorMessage: 'm' } } : {}) })
		: Buffer.from(replyJson(status, 3, code)));
	return [
		connack(), suback(1), puback(2), pingresp(),
		publish(`${topic}/accepted`, reply('ACCEPTED')),
		publish(`${topic}/rejected`, reply('REJECTED', 'InvalidPayload'), 1, 5),
		publish(`${topic}/rejected`, reply('REJECTED', 'Throttled'), 1, 6),
	];
}

function mutate(b: Buffer, rnd: () => number): Buffer {
	const out = Buffer.from(b);
	const kind = rnd() % 4;
	if (kind === 0) { // flip bytes
		const n = 1 + (rnd() % 3);
		for (let i = 0; i < n; i++) out[rnd() % out.length] = rnd() & 0xff;
		return out;
	}
	if (kind === 1) return out.subarray(0, rnd() % out.length); // truncate
	if (kind === 2) { // insert bytes
		const at = rnd() % (out.length + 1);
		const extra = Buffer.from(Array.from({ length: 1 + (rnd() % 4) }, () => rnd() & 0xff));
		return Buffer.concat([out.subarray(0, at), extra, out.subarray(at)]);
	}
	out[1] = rnd() & 0xff; // wrong remaining length
	return out;
}

function fuzz(flags: number, seed: number): { errors: bigint; closes: number } {
	const rnd = xorshift(seed);
	const a = loadAgent();
	a.host.random = xorshift(seed + 1);
	a.init({ thing: 'dev1', flags, keepalive: 0 });
	reconnect(a);
	const topic = `$aws/things/dev1/defender/metrics/${flags & 1 ? 'cbor' : 'json'}`;
	const base = seeds(topic, (flags & 1) !== 0);
	for (let i = 0; i < ITERATIONS; i++) {
		const pick = rnd() % 3;
		const pkt = pick === 0
			? Buffer.from(Array.from({ length: 1 + (rnd() % 48) }, () => rnd() & 0xff))
			: mutate(base[rnd() % base.length]!, rnd);
		const errorsBefore = a.stat(Stat.protocolErrors);
		const closesBefore = a.host.closes;
		a.host.push(pkt);
		const r = a.x.agent_step(); // a trap would throw WebAssembly.RuntimeError here
		assert.ok(r >= 0, `agent_step returned ${r}`);
		a.host.takeSent();
		if (a.host.closes > closesBefore) {
			assert.ok(a.stat(Stat.protocolErrors) > errorsBefore, `drop without a counted protocol error: ${pkt.toString('hex')}`);
		} else {
			// The packet may have left a partial frame: start the next case on a fresh stream.
			a.host.netState = 0;
		}
		reconnect(a);
	}
	// Still a working client after the link is renewed: a report goes out and its clean reply is accounted.
	a.host.netState = 0;
	reconnect(a);
	const accepted = a.stat(Stat.accepted);
	a.host.inbound = [];
	a.x.agent_report_now();
	a.x.agent_step();
	const [pub] = parsePackets(a.host.takeSent()) as mp.IPublishPacket[];
	assert.is(pub?.cmd, 'publish');
	const rep = (flags & 1) !== 0 ? decode(pub!.payload as Buffer) : JSON.parse(pub!.payload.toString());
	const id = Number(flags & 2 ? rep.hed.rid : rep.header.report_id);
	assert.is(BigInt(id), a.stat(Stat.lastReportId));
	a.host.push(publish(`${topic}/accepted`, (flags & 1) !== 0
		? encode({ thingName: 'dev1', reportId: id, status: 'ACCEPTED', timestamp: 1 })
		: replyJson('ACCEPTED', id)));
	a.x.agent_step();
	assert.is(a.stat(Stat.accepted), accepted + 1n);
	return { errors: a.stat(Stat.protocolErrors), closes: a.host.closes };
}

const fuzzing = suite('agent_step fuzzed broker input');

fuzzing(`${ITERATIONS} random and mutated packets on a JSON session`, () => {
	const r = fuzz(0, 0xc0ffee);
	if (process.argv.includes("--verbose")) console.log("json", r);
	assert.ok(r.errors > 3000n && r.closes > ITERATIONS, `errors ${r.errors}, closes ${r.closes}`);
});

fuzzing(`${ITERATIONS} random and mutated packets on a CBOR session`, () => {
	const r = fuzz(3, 0xbadf00d);
	if (process.argv.includes("--verbose")) console.log("cbor", r);
	assert.ok(r.errors > 3000n && r.closes > ITERATIONS, `errors ${r.errors}, closes ${r.closes}`);
});

fuzzing.run();

/** A host whose metric records are random bytes of random lengths. */
class NoisyHost extends FakeHost {
	constructor(private rnd: () => number) { super(); }
	override imports(): WebAssembly.Imports {
		const base = super.imports();
		const w = base.warden as Record<string, unknown>;
		w.metrics_count = () => this.rnd() % 3;
		w.metrics_item = (_kind: number, _index: number, ptr: number, cap: number) => {
			const r = this.rnd() % 10;
			if (r === 0) return -1;
			if (r === 1) return -2;
			const len = this.rnd() % 48;
			const m = new Uint8Array(this.exports.memory.buffer);
			for (let i = 0; i < Math.min(len, cap); i++) m[ptr + i] = this.rnd() & 0xff;
			return r === 2 ? cap + 5 : len; // sometimes a length past the capacity
		};
		w.metrics_counters = (ptr: number) => {
			const v = new DataView(this.exports.memory.buffer, ptr, 32);
			for (let i = 0; i < 4; i++) v.setBigUint64(i * 8, BigInt(this.rnd()) * BigInt(this.rnd()), true);
			return this.rnd() % 3 === 0 ? 1 : 0;
		};
		return base;
	}
}

const records = suite('agent_encode fuzzed host records');

records('3000 encodes from random records: a valid report or Unavailable, never a trap', () => {
	const rnd = xorshift(4242);
	const a = loadAgent(undefined, new NoisyHost(rnd));
	a.init({ thing: 't', maxItems: 3 });
	let ok = 0;
	let unavailable = 0;
	for (let i = 0; i < 3000; i++) {
		const flags = i & 3;
		const r = a.encode(flags);
		if (typeof r === 'number') {
			assert.is(r, -5);
			unavailable++;
			continue;
		}
		const report = flags & 1 ? decode(r) : JSON.parse(r.toString('utf8'));
		assert.ok(report.header ?? report.hed, 'has a header');
		ok++;
	}
	assert.ok(ok > 50 && unavailable > 50, `ok ${ok}, unavailable ${unavailable}`);
});

records.run();
