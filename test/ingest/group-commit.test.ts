/** createIngest: idempotent retransmission, group commit (handleBatch, submit), payloadHash. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { VirtualClock } from '../../host/clock.ts';
import { EventBus, type WardenEvents } from '../../host/events.ts';
import { type IngestResult, createIngest, payloadHash } from '../../host/ingest/ingest-service.ts';
import type { ReportStore, StoredReport } from '../../host/ingest/report-store.ts';
import { ingestMigrations } from '../../host/ingest/schema.ts';
import { createSqliteReportStore } from '../../host/ingest/sqlite-report-store.ts';
import { migrate } from '../../host/storage/database.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import { memoryIngest } from './helpers.ts';

const rep = (id: number, extra = '') => Buffer.from(`{"header":{"report_id":${id},"version":"1.0"},"metrics":{}${extra}}`);
const msg = (thingName: string, id: number, extra = '') => ({ thingName, format: 'json' as const, payload: rep(id, extra), clientId: 'c1' });
const status = (r: IngestResult) => `${r.reply.status}${r.reply.statusDetails ? `/${r.reply.statusDetails.ErrorCode}` : ''}`;

function recordEvents(bus: EventBus) {
	const accepted: WardenEvents['report.accepted'][] = [];
	const rejected: WardenEvents['report.rejected'][] = [];
	bus.on('report.accepted', (e) => accepted.push(e));
	bus.on('report.rejected', (e) => rejected.push(e));
	return { accepted, rejected };
}

// ---
const hash = suite('payloadHash');

hash('depends on the format and every payload byte', () => {
	const a = payloadHash('json', rep(1));
	assert.is(payloadHash('json', rep(1)), a);
	assert.is.not(payloadHash('cbor', rep(1)), a);
	assert.is.not(payloadHash('json', rep(1, ' ')), a);
	assert.is.not(payloadHash('json', rep(2)), a);
});

hash.run();

// ---
const retransmit = suite('createIngest().handle: retransmission');

retransmit('the same bytes again are answered ACCEPTED with the same reportId, not stored or announced again', () => {
	const { ingest, store, bus, clock } = memoryIngest(300);
	const ev = recordEvents(bus);
	const first = ingest.handle(msg('t', 7));
	clock.advance(2000); // a PUBACK timeout later; well inside the throttle window
	const again = ingest.handle(msg('t', 7));
	assert.is(again.accepted, true);
	assert.is(again.topic, '$aws/things/t/defender/metrics/json/accepted');
	assert.equal(JSON.parse(again.payload.toString()), { thingName: 't', reportId: 7, status: 'ACCEPTED', timestamp: clock.now() });
	assert.is(first.reply.reportId, again.reply.reportId);
	assert.is(store.count('t'), 1);
	assert.is(ev.accepted.length, 1);
	assert.is(ev.rejected.length, 0);
	assert.is(store.thingState('t')!.lastAcceptedAt, clock.now() - 2000, 'a replay does not move the throttle window');
});

retransmit('different bytes with the same report_id stay a Duplicate rejection', () => {
	const { ingest, store } = memoryIngest();
	ingest.handle(msg('t', 7));
	const other = ingest.handle(msg('t', 7, ',"custom_metrics":{"x":[{"number":1}]}'));
	assert.is(status(other), 'REJECTED/InvalidPayload');
	assert.match(other.reply.statusDetails!.ErrorMessage, /^Duplicate report_id 7/);
	const spaced = ingest.handle({ ...msg('t', 7), payload: Buffer.concat([rep(7), Buffer.from(' ')]) });
	assert.match(spaced.reply.statusDetails!.ErrorMessage, /^Duplicate report_id 7/);
	assert.is(store.count('t'), 1);
});

retransmit('only the last accepted report is replayed; an older one is a Duplicate', () => {
	const { ingest } = memoryIngest();
	ingest.handle(msg('t', 1));
	ingest.handle(msg('t', 2));
	assert.is(status(ingest.handle(msg('t', 2))), 'ACCEPTED');
	assert.match(ingest.handle(msg('t', 1)).reply.statusDetails!.ErrorMessage, /^Duplicate report_id 1/);
});

retransmit('the same bytes on the other format topic are a Duplicate', () => {
	const { ingest } = memoryIngest();
	ingest.handle(msg('t', 1));
	const cbor = ingest.handle({ ...msg('t', 1), format: 'cbor' });
	assert.is(cbor.accepted, false); // not CBOR at all, but never a replay
});

retransmit('the hash of the last accepted payload survives a restart', () => {
	const dir = mkdtempSync(join(tmpdir(), 'warden-ingest-'));
	try {
		const open = () => {
			const db = openSqlite(join(dir, 'warden.db'));
			migrate(db, ingestMigrations);
			const store = createSqliteReportStore(db);
			return { db, store, ingest: createIngest({ store, bus: new EventBus(), clock: new VirtualClock(Date.UTC(2026, 5, 1)), minReportIntervalSec: 0 }) };
		};
		const a = open();
		assert.is(a.ingest.handle(msg('t', 3)).accepted, true);
		a.db.close();
		const b = open();
		assert.is(status(b.ingest.handle(msg('t', 3))), 'ACCEPTED');
		assert.is(status(b.ingest.handle(msg('t', 3, ' '))), 'REJECTED/InvalidPayload');
		assert.is(b.store.count(), 1);
		b.db.close();
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

retransmit.run();

// ---
const batch = suite('createIngest().handleBatch');

/** The same reports handled one by one and as one batch give the same answers and the same rows. */
function sameAsSequential(minReportIntervalSec: number, msgs: ReturnType<typeof msg>[]) {
	const one = memoryIngest(minReportIntervalSec);
	const seq = msgs.map((m) => one.ingest.handle(m));
	const all = memoryIngest(minReportIntervalSec);
	const bat = all.ingest.handleBatch(msgs);
	assert.equal(bat.map((r) => r.reply), seq.map((r) => r.reply));
	assert.equal(all.store.listSince(0).map((r) => [r.thingName, r.reportId]), one.store.listSince(0).map((r) => [r.thingName, r.reportId]));
	return bat;
}

batch('two reports of one thing in one batch behave as if sequential: throttled', () => {
	const res = sameAsSequential(300, [msg('a', 1), msg('b', 1), msg('a', 2)]);
	assert.equal(res.map(status), ['ACCEPTED', 'ACCEPTED', 'REJECTED/Throttled']);
});

batch('duplicates, replays and order inside one batch', () => {
	const res = sameAsSequential(0, [msg('a', 5), msg('a', 5), msg('a', 4), msg('a', 5, ' '), msg('a', 6), msg('b', 1), { ...msg('bad\u0007', 1) }]);
	assert.equal(res.map(status), ['ACCEPTED', 'ACCEPTED', 'REJECTED/InvalidPayload', 'REJECTED/InvalidPayload', 'ACCEPTED', 'ACCEPTED', 'REJECTED/InvalidPayload']);
});

batch('one transaction per batch; events only after it committed', () => {
	const { store, bus, clock } = memoryIngest();
	const calls: number[] = [];
	let committed = false;
	const spy: ReportStore = { ...store, accept: (rs: readonly StoredReport[]) => (calls.push(rs.length), store.accept(rs), (committed = true)) && undefined };
	const ingest = createIngest({ store: spy, bus, clock, minReportIntervalSec: 0 });
	const order: string[] = [];
	bus.on('report.accepted', (e) => order.push(`${committed ? 'after' : 'before'}:${e.reportId}`));
	bus.on('report.rejected', (e) => order.push(`${committed ? 'after' : 'before'}:rejected ${e.reportId}`));
	ingest.handleBatch([msg('a', 1), msg('a', 1, ' '), msg('b', 9)]);
	assert.equal(calls, [2]);
	assert.equal(order, ['after:1', 'after:rejected 1', 'after:9']);
});

batch('a failed commit answers every report of the batch InternalError and stores none', () => {
	const { store, bus, clock } = memoryIngest();
	const ev = recordEvents(bus);
	const errors: string[] = [];
	const failing: ReportStore = { ...store, accept: () => { throw new Error('disk I/O error'); } };
	const ingest = createIngest({ store: failing, bus, clock, minReportIntervalSec: 0, onStorageError: (e) => errors.push((e as Error).message) });
	const res = ingest.handleBatch([msg('a', 1), msg('a', 1), msg('b', 2), { ...msg('c', 3), payload: Buffer.from('nope') }]);
	assert.equal(res.map(status), ['REJECTED/InternalError', 'REJECTED/InternalError', 'REJECTED/InternalError', 'REJECTED/InternalError']);
	assert.equal(res.map((r) => r.reply.reportId), [1, 1, 2, undefined]);
	assert.is(res[0]!.reply.statusDetails!.ErrorMessage, 'The report could not be stored; retry later');
	assert.equal(errors, ['disk I/O error']);
	assert.is(ev.accepted.length, 0);
	assert.is(ev.rejected.length, 4);
	assert.is(store.count(), 0);
	// the state was not advanced: the same reports go through once storage works again
	const healthy = createIngest({ store, bus, clock, minReportIntervalSec: 0 });
	assert.equal(healthy.handleBatch([msg('a', 1), msg('b', 2)]).map(status), ['ACCEPTED', 'ACCEPTED']);
});

batch.run();

// ---
const submit = suite('createIngest().submit');

function queued(maxBatch?: number) {
	const base = memoryIngest();
	const flushes: (() => void)[] = [];
	const sizes: number[] = [];
	const store: ReportStore = { ...base.store, accept: (rs) => (sizes.push(rs.length), base.store.accept(rs)) };
	const ingest = createIngest({ store, bus: base.bus, clock: base.clock, minReportIntervalSec: 0, schedule: (fn) => flushes.push(fn), ...(maxBatch ? { maxBatch } : {}) });
	return { ...base, ingest, flushes, sizes };
}

submit('reports queued in one turn are stored in one transaction, answered only after it', async () => {
	const { ingest, store, flushes, sizes } = queued();
	const answered: number[] = [];
	const all = [1, 2, 3].map((i) => ingest.submit(msg(`t${i}`, i)).then((r) => (answered.push(i), r)));
	assert.is(flushes.length, 1, 'one flush scheduled');
	await Promise.resolve();
	assert.equal(answered, []);
	assert.is(store.count(), 0, 'nothing stored before the flush');
	flushes[0]!();
	const res = await Promise.all(all);
	assert.equal(sizes, [3]);
	assert.equal(answered, [1, 2, 3]);
	assert.equal(res.map(status), ['ACCEPTED', 'ACCEPTED', 'ACCEPTED']);
	assert.is(store.count(), 3);
});

submit('a full batch is committed at once; the rest waits for the flush', async () => {
	const { ingest, flushes, sizes } = queued(2);
	const all = [1, 2, 3, 4, 5].map((i) => ingest.submit(msg('t', i)));
	assert.equal(sizes, [2, 2]);
	flushes.forEach((f) => f());
	assert.equal(sizes, [2, 2, 1]);
	assert.equal((await Promise.all(all)).map((r) => r.reply.reportId), [1, 2, 3, 4, 5]);
});

submit('handle() first commits what submit() queued, keeping arrival order', async () => {
	const { ingest, flushes } = queued();
	const first = ingest.submit(msg('t', 2));
	assert.is(status(ingest.handle(msg('t', 1))), 'REJECTED/InvalidPayload');
	assert.is(status(await first), 'ACCEPTED');
	flushes.forEach((f) => f()); // nothing left
});

submit('maxBatch is validated', () => {
	const { store, bus, clock } = memoryIngest();
	assert.throws(() => createIngest({ store, bus, clock, minReportIntervalSec: 0, maxBatch: 0 }), /maxBatch must be an integer/);
});

submit.run();
