/** createIngest: duplicates, throttling, thing names, events, storage failure, reply encodings. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decode as cborDecode } from 'cbor-x';
import { VirtualClock } from '../../host/clock.ts';
import { EventBus, type WardenEvents } from '../../host/events.ts';
import { createIngest, payloadHash } from '../../host/ingest/ingest-service.ts';
import type { ReportStore } from '../../host/ingest/report-store.ts';
import { EXAMPLE_MINIMAL } from './fixtures.ts';
import { memoryIngest } from './helpers.ts';

const rep = (id: number) => Buffer.from(JSON.stringify({ header: { report_id: id, version: '1.0' }, metrics: {} }));
const msg = (thingName: string, id: number) => ({ thingName, format: 'json' as const, payload: rep(id), clientId: 'c1' });

// ---
const handle = suite('createIngest().handle');

handle('an accepted report is stored before the reply and announced on the bus', () => {
	const { ingest, store, bus, clock } = memoryIngest();
	const seen: WardenEvents['report.accepted'][] = [];
	bus.on('report.accepted', (e) => {
		assert.is(store.count('t1'), 1, 'stored before report.accepted');
		seen.push(e);
	});
	const res = ingest.handle({ thingName: 't1', format: 'json', payload: Buffer.from(EXAMPLE_MINIMAL), clientId: 'client-9' });
	assert.is(res.accepted, true);
	assert.is(res.topic, '$aws/things/t1/defender/metrics/json/accepted');
	assert.equal(JSON.parse(res.payload.toString()), { thingName: 't1', reportId: 12334567, status: 'ACCEPTED', timestamp: clock.now() });
	assert.is(seen.length, 1);
	assert.is(seen[0]!.clientId, 'client-9');
	assert.is(seen[0]!.report.custom_metrics!.my_custom_metric!.type, 'number');
	const stored = store.listByThing('t1');
	assert.is(stored[0]!.reportId, 12334567);
	assert.is(stored[0]!.payloadBytes, EXAMPLE_MINIMAL.length);
});

handle('report_id must increase per thing; other things are independent', () => {
	const { ingest, store } = memoryIngest();
	assert.is(ingest.handle(msg('a', 10)).accepted, true);
	const lower = ingest.handle(msg('a', 9));
	assert.equal(lower.reply.statusDetails, { ErrorCode: 'InvalidPayload', ErrorMessage: 'Duplicate report_id 9: not greater than the last accepted report_id 10' });
	assert.is(lower.reply.reportId, 9);
	assert.is(lower.topic, '$aws/things/a/defender/metrics/json/rejected');
	assert.is(ingest.handle(msg('b', 9)).accepted, true);
	assert.is(ingest.handle(msg('a', 11)).accepted, true);
	assert.is(store.count('a'), 2);
});

handle('throttling: 300 s minimum with 10 % tolerance, 0 disables', () => {
	const { ingest, clock } = memoryIngest(300);
	assert.is(ingest.handle(msg('t', 1)).accepted, true);
	clock.advance(269_999);
	const early = ingest.handle(msg('t', 2));
	assert.equal(early.reply.statusDetails, { ErrorCode: 'Throttled', ErrorMessage: 'Report sent 270 s after the previous accepted report; the minimum delay is 300 s' });
	clock.advance(1);
	assert.is(ingest.handle(msg('t', 3)).accepted, true);
	const off = memoryIngest(0);
	assert.is(off.ingest.handle(msg('t', 1)).accepted, true);
	assert.is(off.ingest.handle(msg('t', 2)).accepted, true);
});

handle('thing names: at most 128 bytes, no control characters', () => {
	const { ingest } = memoryIngest();
	assert.is(ingest.handle(msg('é'.repeat(64), 1)).accepted, true); // 128 bytes
	const long = ingest.handle(msg(`${'é'.repeat(64)}x`, 1));
	assert.equal(long.reply.statusDetails, { ErrorCode: 'InvalidPayload', ErrorMessage: 'thing name is 129 bytes, more than 128' });
	assert.is(long.reply.reportId, 1);
	const ctl = ingest.handle(msg('bad\u0007name', 1));
	assert.equal(ctl.reply.statusDetails, { ErrorCode: 'InvalidPayload', ErrorMessage: 'thing name must not contain control characters' });
});

handle('a rejected reply omits reportId only when it cannot be read', () => {
	const { ingest, bus } = memoryIngest();
	const events: (number | null)[] = [];
	bus.on('report.rejected', (e) => events.push(e.reportId));
	const res = ingest.handle({ thingName: 't', format: 'json', payload: Buffer.from('not json'), clientId: 'c' });
	assert.is('reportId' in JSON.parse(res.payload.toString()), false);
	ingest.handle({ thingName: 't', format: 'json', payload: Buffer.from('{"hed":{"rid":77,"v":"2.0"},"met":{}}'), clientId: 'c' });
	assert.equal(events, [null, 77]);
});

handle('CBOR reports are answered with CBOR maps having the JSON reply keys', () => {
	const { ingest, clock } = memoryIngest();
	const res = ingest.handle({ thingName: 't', format: 'cbor', payload: Buffer.from([0xa0]), clientId: 'c' });
	assert.is(res.topic, '$aws/things/t/defender/metrics/cbor/rejected');
	assert.equal(cborDecode(res.payload), {
		thingName: 't',
		status: 'REJECTED',
		timestamp: clock.now(),
		statusDetails: { ErrorCode: 'InvalidPayload', ErrorMessage: 'header is required' },
	});
});

handle('a storage failure is answered REJECTED / InternalError, never ACCEPTED', () => {
	const failing: ReportStore = {
		thingState: () => null,
		accept: () => {
			throw new Error('disk full');
		},
		listByThing: () => [],
		listSince: () => [],
		count: () => 0,
		deleteBefore: () => 0,
	};
	const errors: string[] = [];
	const ingest = createIngest({ store: failing, bus: new EventBus(), clock: new VirtualClock(), minReportIntervalSec: 0, onStorageError: (e) => errors.push((e as Error).message) });
	const res = ingest.handle(msg('t', 1));
	assert.is(res.accepted, false);
	assert.equal(res.reply.statusDetails, { ErrorCode: 'InternalError', ErrorMessage: 'The report could not be stored; retry later' });
	assert.equal(errors, ['disk full']);
});

handle('any other failure (here: reading the thing state) is answered REJECTED / InternalError', () => {
	const { store } = memoryIngest();
	const broken: ReportStore = { ...store, thingState: () => { throw new Error('database is locked'); } };
	const errors: string[] = [];
	const ingest = createIngest({ store: broken, bus: new EventBus(), clock: new VirtualClock(), minReportIntervalSec: 0, onInternalError: (e) => errors.push((e as Error).message) });
	const res = ingest.handle(msg('t', 1));
	assert.is(res.topic, '$aws/things/t/defender/metrics/json/rejected');
	assert.equal(res.reply.statusDetails, { ErrorCode: 'InternalError', ErrorMessage: 'The report could not be processed' });
	assert.equal(errors, ['database is locked']);
});

handle('options are validated', () => {
	assert.throws(() => createIngest({ store: memoryIngest().store, bus: new EventBus(), clock: new VirtualClock(), minReportIntervalSec: -1 }), /minReportIntervalSec must be a number >= 0/);
});

handle.run();

// ---
const retention = suite('createSqliteReportStore().deleteBefore / listSince');

retention('removes old reports and lists by time', () => {
	const { ingest, store, clock } = memoryIngest();
	const t0 = clock.now();
	ingest.handle(msg('a', 1));
	clock.advance(1000);
	ingest.handle(msg('b', 1));
	assert.equal(store.listSince(t0 + 1).map((r) => r.thingName), ['b']);
	assert.is(store.deleteBefore(t0 + 1), 1);
	assert.is(store.count(), 1);
	assert.equal(store.thingState('a'), { lastReportId: 1, lastAcceptedAt: t0, lastPayloadHash: payloadHash('json', rep(1)) });
});

retention.run();

// ---
const sweep = suite('startReportRetention');

sweep('deletes reports older than the retention on each clock-driven sweep, and stops', async () => {
	const { startReportRetention } = await import('../../host/ingest/retention.ts');
	const { ingest, store, clock } = memoryIngest();
	ingest.handle(msg('a', 1));
	const deleted: number[] = [];
	const stop = startReportRetention({ store, clock, retentionMs: 10_000, intervalMs: 1000, onSweep: (n) => deleted.push(n) });
	clock.advance(5000);
	ingest.handle(msg('a', 2));
	assert.is(store.count(), 2);
	clock.advance(6000); // report 1 is now 11 s old
	assert.equal(deleted, [1]);
	assert.equal(store.listByThing('a').map((r) => r.reportId), [2]);
	stop();
	assert.is(clock.pendingTimers, 0);
	clock.advance(60_000);
	assert.is(store.count(), 1);
});

sweep.run();

// ---
const size = suite('createIngest().handle: reply size');

size('ErrorMessage is capped at 256 characters so a reply fits a 1 KiB agent buffer', () => {
	const { ingest } = memoryIngest();
	const thing = 't'.repeat(128);
	const key = 'k'.repeat(900);
	const payload = Buffer.from(`{"header":{"report_id":1,"version":"1.0"},"metrics":{"${key}":1}}`);
	const res = ingest.handle({ thingName: thing, format: 'json', payload, clientId: 'c' });
	const text = res.reply.statusDetails!.ErrorMessage;
	assert.is(text.length, 256);
	assert.ok(text.startsWith(`metrics.${'k'.repeat(100)}`));
	assert.ok(text.endsWith('…'));
	assert.ok(res.payload.length + res.topic.length + 4 <= 1024, `reply packet of ${res.payload.length + res.topic.length + 4} bytes`);
});

size.run();
