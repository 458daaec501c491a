/** agent_step as an MQTT 3.1.1 client, checked against the independent mqtt-packet codec. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decode, encode } from 'cbor-x';
import { loadAgent, Stat } from './fake-host.ts';
import { parsePackets, connack, suback, puback, pingresp, publish, replyJson, connected, step, gen } from './mqtt-helpers.ts';

const packets = suite('agent_step packets parse with mqtt-packet');

packets('CONNECT: client id, keepalive, clean session, no credentials by default', () => {
	const a = loadAgent();
	a.init({ thing: 'dev1', keepalive: 45 });
	step(a);
	assert.equal(parsePackets(a.host.takeSent()).map((p: any) => [p.cmd, p.protocolId, p.protocolVersion, p.clientId, p.keepalive, p.clean, p.username, p.password]),
		[['connect', 'MQTT', 4, 'dev1', 45, true, undefined, undefined]]);
});

packets('CONNECT: explicit client id, username and password', () => {
	const a = loadAgent();
	a.init({ thing: 'dev1', clientId: 'client-7', username: 'user', password: 'p\u00e4ss', keepalive: 0 });
	step(a);
	const [p] = parsePackets(a.host.takeSent()) as any[];
	assert.equal([p.clientId, p.username, Buffer.from(p.password).toString(), p.keepalive], ['client-7', 'user', 'p\u00e4ss', 0]);
});

packets('SUBSCRIBE to accepted and rejected at QoS 1; first report PUBLISH QoS 1 right after SUBACK', () => {
	const { a, report } = connected();
	assert.is(report.topic, '$aws/things/dev1/defender/metrics/json');
	assert.is(report.qos, 1);
	assert.is(report.dup, false);
	assert.ok(report.messageId! > 0);
	const body = JSON.parse(report.payload.toString());
	assert.is(body.header.version, '1.0');
	assert.is(a.stat(Stat.published), 1n);
	assert.is(a.stat(Stat.connections), 1n);
	assert.is(a.stat(Stat.connState), 2n);
});

packets('SUBSCRIBE topics for CBOR; the report is CBOR with short keys', () => {
	const a = loadAgent();
	a.init({ thing: 'dev2', flags: 3 });
	step(a);
	a.host.takeSent();
	a.host.push(connack());
	step(a);
	const [sub] = parsePackets(a.host.takeSent()) as any[];
	assert.equal(sub.subscriptions.map((s: any) => [s.topic, s.qos]), [
		['$aws/things/dev2/defender/metrics/cbor/accepted', 1],
		['$aws/things/dev2/defender/metrics/cbor/rejected', 1],
	]);
	assert.is(sub.qos, 1, 'SUBSCRIBE fixed-header flags 0b0010');
	a.host.push(suback(sub.messageId));
	step(a);
	const [pub] = parsePackets(a.host.takeSent()) as any[];
	assert.is(pub.topic, '$aws/things/dev2/defender/metrics/cbor');
	assert.is(decode(pub.payload).hed.v, '1.0');
});

packets('PUBACK for a QoS 1 delivery; PINGREQ after the keepalive', () => {
	const { a, topic, report } = connected({ keepalive: 30 });
	a.host.push(puback(report.messageId!));
	a.host.push(publish(`${topic}/accepted`, replyJson('ACCEPTED', 1), 1, 77));
	step(a);
	assert.equal(parsePackets(a.host.takeSent()).map((p: any) => [p.cmd, p.messageId]), [['puback', 77]]);
	a.host.clockMs += 30_000n;
	step(a);
	assert.equal(parsePackets(a.host.takeSent()).map((p) => p.cmd), ['pingreq']);
});

packets.run();

// ---- framing ----

const framing = suite('agent_step input framing: partial and coalesced reads');

/**
 * After the handshake: PUBACK for the report, an accepted reply for it (QoS 0), a second
 * (rejected) reply for the same report (QoS 1, not counted again), a PINGRESP.
 */
function stream(topic: string, packetId: number): Buffer {
	return Buffer.concat([
		puback(packetId),
		publish(`${topic}/accepted`, replyJson('ACCEPTED', 1)),
		publish(`${topic}/rejected`, replyJson('REJECTED', 1, 'Throttled'), 1, 9),
		pingresp(),
	]);
}

function checkAfterStream(s: ReturnType<typeof connected>): void {
	const { a } = s;
	assert.is(a.stat(Stat.protocolErrors), 0n);
	assert.is(a.stat(Stat.accepted), 1n);
	assert.is(a.stat(Stat.rejected), 0n, 'the second reply for report 1 is not counted');
	assert.is(a.stat(Stat.lastError), 0n);
	assert.equal(parsePackets(a.host.takeSent()).map((p: any) => [p.cmd, p.messageId]), [['puback', 9]]);
	a.host.clockMs += 20_000n;
	step(a);
	assert.is(a.stat(Stat.retransmissions), 0n, 'PUBACK was seen');
	assert.is(a.host.closes, 0);
}

framing('coalesced: all frames in one read', () => {
	const s = connected();
	s.a.host.push(stream(s.topic, s.report.messageId!));
	step(s.a);
	checkAfterStream(s);
});

framing('one byte per read', () => {
	const s = connected();
	const bytes = stream(s.topic, s.report.messageId!);
	s.a.host.recvChunk = 1;
	s.a.host.push(bytes);
	for (let i = 0; i < bytes.length && s.a.host.inbound.length > 0; i++) step(s.a);
	assert.is(s.a.host.inbound.length, 0);
	checkAfterStream(s);
});

framing('every split point across two steps', () => {
	const probe = connected();
	const len = stream(probe.topic, probe.report.messageId!).length;
	for (let k = 1; k < len; k++) {
		const s = connected();
		const bytes = stream(s.topic, s.report.messageId!);
		s.a.host.push(bytes.subarray(0, k));
		step(s.a);
		s.a.host.push(bytes.subarray(k));
		step(s.a);
		checkAfterStream(s);
	}
});

framing('CONNACK and SUBACK split at every byte', () => {
	for (const chunk of [1, 2, 3]) {
		const a = loadAgent();
		a.init({ thing: 'dev1' });
		a.host.recvChunk = chunk;
		step(a);
		a.host.takeSent();
		a.host.push(connack());
		step(a, 3);
		const [sub] = parsePackets(a.host.takeSent()) as any[];
		a.host.push(suback(sub.messageId));
		step(a, 5);
		assert.equal(parsePackets(a.host.takeSent()).map((p) => p.cmd), ['publish'], `chunk ${chunk}`);
	}
});

framing('partial writes: the transport takes 7 bytes per call', () => {
	const a = loadAgent();
	a.host.sendChunk = 7;
	a.init({ thing: 'dev1', username: 'u', password: 'p' });
	step(a, 10);
	a.host.push(connack());
	step(a, 10);
	const subs = parsePackets(a.host.takeSent()) as any[];
	assert.equal(subs.map((p) => p.cmd), ['connect', 'subscribe']);
	a.host.push(suback(subs[1].messageId));
	for (let i = 0; i < 400; i++) step(a);
	const [pub] = parsePackets(a.host.takeSent()) as any[];
	assert.is(pub.cmd, 'publish');
	assert.ok(JSON.parse(pub.payload.toString()).header.report_id > 0);
});

framing('a burst of QoS 1 replies beyond the PUBACK slots is handled in turn, not dropped', () => {
	const s = connected();
	const burst = Array.from({ length: 9 }, (_, i) => publish(`${s.topic}/accepted`, replyJson('ACCEPTED', 1), 1, 100 + i));
	s.a.host.push(Buffer.concat(burst));
	for (let i = 0; i < 5; i++) step(s.a);
	assert.equal(parsePackets(s.a.host.takeSent()).map((p: any) => p.messageId), Array.from({ length: 9 }, (_, i) => 100 + i));
	assert.equal([s.a.stat(Stat.accepted), s.a.stat(Stat.protocolErrors), BigInt(s.a.host.closes)], [1n, 0n, 0n], 'nine replies to one report count once');
});

framing('a reply PUBLISH larger than the receive buffer is skipped, the session survives', () => {
	const s = connected();
	s.a.host.push(Buffer.concat([publish(`${s.topic}/accepted`, 'x'.repeat(3000)), publish(`${s.topic}/accepted`, replyJson('ACCEPTED', 1))]));
	step(s.a, 4);
	assert.is(s.a.stat(Stat.accepted), 1n);
	assert.is(s.a.stat(Stat.protocolErrors), 0n);
	assert.is(s.a.host.closes, 0);
});

framing.run();

// ---- session timers ----

const timers = suite('agent_step QoS 1 retry, keepalive, reconnect, schedule');

timers('PUBLISH is re-sent with DUP after the ack timeout, same id and payload', () => {
	const { a, report } = connected({ keepalive: 0 });
	a.host.clockMs += 9_999n;
	step(a);
	assert.is(a.host.takeSent().length, 0);
	a.host.clockMs += 1n;
	step(a);
	const [again] = parsePackets(a.host.takeSent()) as any[];
	assert.equal([again.cmd, again.dup, again.qos, again.messageId, again.topic], ['publish', true, 1, report.messageId, report.topic]);
	assert.equal(again.payload, report.payload);
	assert.is(a.stat(Stat.retransmissions), 1n);
	a.host.push(puback(report.messageId!));
	step(a);
	a.host.clockMs += 60_000n;
	step(a);
	assert.is(a.host.takeSent().length, 0);
	assert.is(a.stat(Stat.retransmissions), 1n);
});

timers('keepalive: PINGREQ when idle, link dropped without PINGRESP, reconnect with backoff', () => {
	const { a, report } = connected({ keepalive: 20 });
	a.host.push(puback(report.messageId!));
	a.host.clockMs += 20_000n;
	step(a);
	assert.equal(parsePackets(a.host.takeSent()).map((p) => p.cmd), ['pingreq']);
	a.host.clockMs += 19_999n;
	step(a);
	assert.is(a.host.closes, 0);
	a.host.clockMs += 1n;
	const wait = step(a);
	assert.is(a.host.closes, 1);
	assert.is(a.stat(Stat.connState), 0n);
	assert.ok(wait >= 500 && wait <= 1000, `first backoff ${wait}`);
});

timers('a PINGRESP keeps the link up', () => {
	const { a, report } = connected({ keepalive: 20 });
	a.host.push(puback(report.messageId!));
	for (let i = 0; i < 5; i++) {
		a.host.clockMs += 20_000n;
		step(a);
		assert.equal(parsePackets(a.host.takeSent()).map((p) => p.cmd), ['pingreq']);
		a.host.push(pingresp());
		step(a);
	}
	assert.is(a.host.closes, 0);
});

timers('reconnect backoff doubles up to 64 s with jitter in [d/2, d]', () => {
	const a = loadAgent();
	a.host.openMode = 'fail';
	a.init({ thing: 'dev1' });
	const waits: number[] = [];
	for (let i = 0; i < 9; i++) {
		const opens = a.host.opens;
		const w = step(a);
		assert.is(a.host.opens, opens + 1);
		waits.push(w);
		a.host.clockMs += BigInt(w - 1);
		step(a);
		assert.is(a.host.opens, opens + 1, 'no attempt before the delay');
		a.host.clockMs += 1n;
	}
	const caps = [1000, 2000, 4000, 8000, 16000, 32000, 64000, 64000, 64000];
	waits.forEach((w, i) => assert.ok(w >= caps[i]! / 2 && w <= caps[i]!, `attempt ${i}: ${w}`));
	a.host.openMode = 'connect';
	step(a);
	a.host.takeSent();
	a.host.push(connack());
	step(a);
	assert.is(a.stat(Stat.connections), 1n);
	a.host.netState = 0;
	const w = step(a);
	assert.ok(w >= 500 && w <= 1000, `backoff restarts after a CONNACK: ${w}`);
});

timers('a transport that never connects times out after 10 s', () => {
	const a = loadAgent();
	a.host.openMode = 'pending';
	a.init({ thing: 'dev1' });
	assert.is(step(a), 50);
	a.host.clockMs += 10_000n;
	step(a);
	assert.is(a.host.closes, 1);
});

timers('reports every 300 s; agent_report_now publishes at once', () => {
	const { a, report } = connected({ keepalive: 0 });
	a.host.push(puback(report.messageId!));
	const wait = step(a);
	assert.is(wait, 300_000);
	a.host.clockMs += 299_999n;
	step(a);
	assert.is(a.host.takeSent().length, 0);
	a.host.clockMs += 1n;
	step(a);
	const [second] = parsePackets(a.host.takeSent()) as any[];
	assert.is(second.cmd, 'publish');
	assert.is(JSON.parse(second.payload.toString()).header.report_id, 2);
	a.x.agent_report_now();
	step(a);
	assert.equal(parsePackets(a.host.takeSent()).map((p) => p.cmd), ['publish']);
	assert.is(a.stat(Stat.published), 3n);
});

/** Drops the link and completes a new handshake; returns what was sent after the SUBACK. */
function reconnectAndCollect(a: ReturnType<typeof connected>['a']): any[] {
	a.host.netState = 0;
	a.host.clockMs += BigInt(step(a));
	step(a);
	a.host.takeSent();
	a.host.push(connack());
	step(a);
	const [sub] = parsePackets(a.host.takeSent()) as any[];
	a.host.push(suback(sub.messageId));
	step(a);
	return parsePackets(a.host.takeSent());
}

timers('boot reports at once; a reconnect resumes the schedule instead of reporting on connect', () => {
	const { a, report } = connected({ keepalive: 0 });
	const bootAt = a.host.clockMs;
	assert.is(a.stat(Stat.published), 1n, 'first session after agent_init: report right after SUBACK');
	a.host.push(puback(report.messageId!));
	step(a);
	a.host.clockMs += 60_000n;
	const sent = reconnectAndCollect(a);
	assert.equal(sent.map((p) => p.cmd), [], 'reconnect 60 s after the report: nothing yet');
	assert.is(a.stat(Stat.connections), 2n);
	const wait = step(a);
	assert.is(BigInt(wait), bootAt + 300_000n - a.host.clockMs, 'the wait runs to the report that is due');
	a.host.clockMs = bootAt + 299_999n;
	step(a);
	assert.equal(parsePackets(a.host.takeSent()).map((p) => p.cmd), [], 'not before the interval');
	a.host.clockMs += 1n;
	step(a);
	const [second] = parsePackets(a.host.takeSent()) as any[];
	assert.is(second.cmd, 'publish');
	assert.is(a.stat(Stat.published), 2n);
	a.host.push(puback(second.messageId));
	step(a);
	// Down for longer than the interval: the report is overdue, so it goes out right after SUBACK.
	a.host.clockMs += 400_000n;
	const again = reconnectAndCollect(a);
	assert.equal(again.map((p) => p.cmd), ['publish']);
	assert.is(a.stat(Stat.published), 3n);
	assert.is(a.stat(Stat.connections), 3n);
});

timers('a report whose PUBACK never came is replaced right after the next SUBACK', () => {
	const { a, report } = connected({ keepalive: 0 });
	const first = JSON.parse(report.payload.toString()).header.report_id;
	a.host.clockMs += 5_000n; // no PUBACK: the link drops with the report unacknowledged
	const sent = reconnectAndCollect(a);
	assert.equal(sent.map((p) => p.cmd), ['publish']);
	assert.is(sent[0].dup, false);
	assert.is(JSON.parse(sent[0].payload.toString()).header.report_id, first + 1, 'a new report, not a retransmission');
	a.host.push(puback(sent[0].messageId));
	step(a);
	a.host.clockMs += 60_000n;
	assert.equal(reconnectAndCollect(a).map((p) => p.cmd), [], 'acknowledged: the next reconnect resumes the schedule');
	assert.is(a.stat(Stat.published), 2n);
});

timers('agent_init starts a new boot: the first session reports at once again', () => {
	const { a, report } = connected({ keepalive: 0 });
	a.host.push(puback(report.messageId!));
	step(a);
	a.host.clockMs += 10_000n;
	a.init({ thing: 'dev1', keepalive: 0 });
	step(a);
	assert.equal(parsePackets(a.host.takeSent()).map((p) => p.cmd), ['connect']);
	a.host.push(connack());
	step(a);
	const [sub] = parsePackets(a.host.takeSent()) as any[];
	a.host.push(suback(sub.messageId));
	step(a);
	assert.equal(parsePackets(a.host.takeSent()).map((p) => p.cmd), ['publish']);
});

timers('an interval below 300 s is clamped (with a warning) unless explicitly allowed', () => {
	const clamped = connected({ interval: 60, keepalive: 0 });
	assert.equal(clamped.a.host.logs.map((l) => l.level), [1]);
	clamped.a.host.push(puback(clamped.report.messageId!));
	assert.is(step(clamped.a), 300_000);
	const allowed = connected({ interval: 60, flags: 4, keepalive: 0 });
	allowed.a.host.push(puback(allowed.report.messageId!));
	assert.is(step(allowed.a), 60_000);
	allowed.a.host.clockMs += 60_000n;
	step(allowed.a);
	assert.is(allowed.a.stat(Stat.published), 2n);
});

timers.run();

// ---- replies ----

const replies = suite('agent_step accepted/rejected replies update the stats');

/** agent_report_now, one step: returns the new report's report_id (JSON or CBOR, long or short keys). */
function reportNow(a: ReturnType<typeof connected>['a']): number {
	a.x.agent_report_now();
	step(a);
	const [p] = parsePackets(a.host.takeSent()) as any[];
	assert.is(p?.cmd, 'publish');
	const body = p.topic.endsWith('/cbor') ? decode(p.payload) : JSON.parse(p.payload.toString());
	return Number((body.header ?? body.hed).report_id ?? (body.header ?? body.hed).rid);
}

replies('JSON replies: accepted, then rejected with each error code', () => {
	const { a, topic } = connected();
	a.host.push(publish(`${topic}/accepted`, replyJson('ACCEPTED', 1)));
	step(a);
	assert.equal([a.stat(Stat.accepted), a.stat(Stat.rejected), a.stat(Stat.lastError)], [1n, 0n, 0n]);
	for (const [code, want] of [['InvalidPayload', 1n], ['Throttled', 2n], ['SomethingElse', 3n]] as const) {
		const id = reportNow(a);
		a.host.push(publish(`${topic}/rejected`, replyJson('REJECTED', id, code)));
		step(a);
		assert.is(a.stat(Stat.lastError), want, code);
	}
	const id = reportNow(a);
	a.host.push(publish(`${topic}/rejected`, `{"status":"REJECTED","thingName":"dev1","reportId":${id}}`));
	step(a);
	assert.is(a.stat(Stat.lastError), 3n, 'no statusDetails');
	assert.is(a.stat(Stat.rejected), 4n);
	assert.is(a.stat(Stat.protocolErrors), 0n);
});

replies('CBOR replies on cbor topics', () => {
	const { a, topic } = connected({ flags: 1 });
	a.host.push(publish(`${topic}/accepted`, encode({ thingName: 'dev1', reportId: 1, status: 'ACCEPTED', timestamp: 1700000000000 })));
	step(a);
	const id = reportNow(a);
	assert.is(id, 2);
	a.host.push(publish(`${topic}/rejected`, encode({ thingName: 'dev1', reportId: 2, status: 'REJECTED', timestamp: 1700000000000, statusDetails: { ErrorCode: 'InvalidPayload', ErrorMessage: 'Duplicate report_id 2' } })));
	step(a);
	assert.equal([a.stat(Stat.accepted), a.stat(Stat.rejected), a.stat(Stat.lastError), a.stat(Stat.protocolErrors)], [1n, 1n, 1n, 0n]);
});

for (const format of ['json', 'cbor'] as const) {
	const body = (r: Record<string, unknown>) => (format === 'cbor' ? encode(r) : JSON.stringify(r));
	const accepted = (reportId?: number) => body({ thingName: 'dev1', ...(reportId === undefined ? {} : { reportId }), status: 'ACCEPTED', timestamp: 1700000000000 });
	const rejected = (reportId: number, code: string) => body({ thingName: 'dev1', reportId, status: 'REJECTED', timestamp: 1700000000000, statusDetails: { ErrorCode: code, ErrorMessage: 'm' } });

	replies(`${format}: only the first reply for the awaited report counts`, () => {
		const { a, topic, report } = connected({ flags: format === 'cbor' ? 1 : 0, keepalive: 0 });
		// The PUBACK is late: the PUBLISH goes out again with DUP and the service answers both copies.
		a.host.clockMs += 10_000n;
		step(a);
		assert.equal(parsePackets(a.host.takeSent()).map((p: any) => [p.cmd, p.dup]), [['publish', true]]);
		a.host.push(puback(report.messageId!));
		a.host.push(publish(`${topic}/accepted`, accepted(1)));
		a.host.push(publish(`${topic}/rejected`, rejected(1, 'InvalidPayload'), 1, 40));
		step(a);
		assert.equal([a.stat(Stat.accepted), a.stat(Stat.rejected), a.stat(Stat.lastError)], [1n, 0n, 0n], 'the duplicate answer is ignored');
		a.host.push(publish(`${topic}/accepted`, accepted(1)));
		step(a);
		assert.is(a.stat(Stat.accepted), 1n, 'two replies for the same reportId count once');
		assert.equal(parsePackets(a.host.takeSent()).map((p: any) => [p.cmd, p.messageId]), [['puback', 40]], 'ignored replies are still acknowledged');
	});

	replies(`${format}: replies for an unknown, an older or no report are not counted`, () => {
		const { a, topic } = connected({ flags: format === 'cbor' ? 1 : 0, keepalive: 0 });
		// report 1 is awaited: none of these is its reply
		for (const payload of [accepted(99), accepted(0), accepted(), body({ reportId: 1.5, status: 'ACCEPTED' }), body({ reportId: '1', status: 'ACCEPTED' }), body({ reportId: -1, status: 'ACCEPTED' }), body({ reportId: 2 ** 64, status: 'ACCEPTED' })]) {
			a.host.push(publish(`${topic}/accepted`, payload));
		}
		a.host.push(publish(`${topic}/rejected`, rejected(2, 'Throttled')));
		step(a);
		assert.equal([a.stat(Stat.accepted), a.stat(Stat.rejected), a.stat(Stat.lastError), a.stat(Stat.protocolErrors)], [0n, 0n, 0n, 0n]);
		const id = reportNow(a);
		assert.is(id, 2);
		a.host.push(publish(`${topic}/accepted`, accepted(1)));
		step(a);
		assert.is(a.stat(Stat.accepted), 0n, 'report 1 was replaced by report 2: its late reply is ignored');
		a.host.push(publish(`${topic}/rejected`, rejected(2, 'Throttled')));
		step(a);
		assert.equal([a.stat(Stat.accepted), a.stat(Stat.rejected), a.stat(Stat.lastError)], [0n, 1n, 2n]);
	});

	replies(`${format}: clock-based report ids (epoch ms, a float64 in cbor-x replies) are matched exactly`, () => {
		const a = loadAgent();
		a.host.epochMs = 1_764_000_000_123n;
		a.host.clockMs = 1_000n;
		a.init({ thing: 'dev1', flags: format === 'cbor' ? 1 : 0, keepalive: 0 });
		step(a);
		a.host.takeSent();
		a.host.push(connack());
		step(a);
		const [sub] = parsePackets(a.host.takeSent()) as any[];
		a.host.push(suback(sub.messageId));
		step(a);
		const [pub] = parsePackets(a.host.takeSent()) as any[];
		const topic = pub.topic as string;
		assert.is(a.stat(Stat.lastReportId), 1_764_000_000_123n);
		if (format === 'cbor') assert.is(Buffer.from(encode({ reportId: 1_764_000_000_123 })).includes(0xfb), true, 'cbor-x writes it as float64');
		a.host.push(publish(`${topic}/accepted`, accepted(1_764_000_000_122)));
		a.host.push(publish(`${topic}/accepted`, accepted(1_764_000_000_124)));
		step(a);
		assert.is(a.stat(Stat.accepted), 0n);
		a.host.push(publish(`${topic}/accepted`, accepted(1_764_000_000_123)));
		step(a);
		assert.is(a.stat(Stat.accepted), 1n);
	});
}

replies('unreadable replies are counted as protocol errors, the link stays', () => {
	const { a, topic } = connected();
	a.host.push(publish(`${topic}/accepted`, '{"status":'));
	a.host.push(publish(`${topic}/accepted`, replyJson('REJECTED', 1)));
	a.host.push(publish(`${topic}/other`, 'ignored'));
	step(a);
	assert.equal([a.stat(Stat.accepted), a.stat(Stat.protocolErrors), BigInt(a.host.closes)], [0n, 2n, 0n]);
});

replies.run();

// ---- protocol errors ----

const errors = suite('agent_step malformed broker input');

errors('each malformed packet counts one protocol error and drops the link', () => {
	const bad: Buffer[] = [
		Buffer.from([0x21, 0x02, 0x00, 0x00]), // CONNACK with reserved flags
		Buffer.from([0x20, 0x03, 0x00, 0x00, 0x00]), // CONNACK with a wrong length
		Buffer.from([0x30 | 0x06, 0x05, 0x00, 0x01, 0x61, 0x00, 0x01]), // PUBLISH QoS 3
		Buffer.from([0x90, 0x03, 0x00, 0x01, 0x05]), // SUBACK with return code 5
		Buffer.from([0x10, 0x00]), // CONNECT from the server
		Buffer.from([0x40, 0xff, 0xff, 0xff, 0xff, 0x01]), // remaining length longer than 4 bytes
		Buffer.from([0x32, 0x03, 0x00, 0x01, 0x61]), // PUBLISH QoS 1 without a packet id
		Buffer.from([0xd0, 0x01, 0x00]), // PINGRESP with a body
	];
	for (const b of bad) {
		const { a } = connected();
		a.host.push(b);
		step(a);
		assert.is(a.stat(Stat.protocolErrors), 1n, b.toString('hex'));
		assert.is(a.host.closes, 1, b.toString('hex'));
		assert.is(a.stat(Stat.connState), 0n);
	}
});

errors('a refused CONNACK drops the link; a later attempt succeeds', () => {
	const a = loadAgent();
	a.init({ thing: 'dev1' });
	step(a);
	a.host.takeSent();
	a.host.push(connack(5));
	const w = step(a);
	assert.is(a.host.closes, 1);
	a.host.clockMs += BigInt(w);
	step(a);
	assert.equal(parsePackets(a.host.takeSent()).map((p) => p.cmd), ['connect']);
	a.host.push(gen({ cmd: 'connack', returnCode: 0, sessionPresent: false }));
	step(a);
	assert.is(a.stat(Stat.connections), 1n);
});

errors('agent_step without a valid configuration returns BadParam', () => {
	const a = loadAgent();
	assert.is(a.init({ thing: '' }), -2);
	assert.is(a.x.agent_step(), -2);
	assert.is(a.init({ thing: 'a/b' }), -2);
	assert.is(a.init({ thing: 'x'.repeat(129) }), -2);
	assert.is(a.init({ thing: 'ok', password: 'p' }), -2, 'password without username');
	assert.is(a.init({ thing: 'x'.repeat(128), clientId: 'c'.repeat(128), username: 'u'.repeat(128), password: 'p'.repeat(128), keepalive: 1, interval: 900, flags: 3, maxItems: 256 }), 0);
	assert.is(a.init({ thing: 'ok', maxItems: 0 }), -2);
});

errors.run();
