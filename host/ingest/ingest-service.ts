/**
 * Report ingest (spec §1, decisions): validate, reject duplicates and too-frequent reports,
 * store, then answer. Reports handed to `submit` close together are stored in one transaction
 * (group commit) and answered only after it committed, so ACCEPTED is only ever sent for
 * durably stored reports. Within a batch every decision is taken in arrival order against the
 * state left by the reports before it, exactly as if they had been handled one by one.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { WardenError, isWardenError } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { parseReport, peekReportId } from './parse-report.ts';
import { REPLY_ERROR_CODES, type ReportReply, encodeReply } from './reply.ts';
import type { ReportStore, StoredReport, ThingReportState } from './report-store.ts';
import type { DeviceReport, ReportFormat } from './report-types.ts';
import { replyTopic, thingNameProblem } from './topics.ts';

export interface IngestOptions {
	store: ReportStore;
	bus: EventBus;
	clock: Clock;
	/** Minimum delay between accepted reports of one thing, in seconds (spec §1.4: 300); 0 disables. */
	minReportIntervalSec: number;
	/** Most reports stored in one transaction by `submit` (default 256). */
	maxBatch?: number;
	/** Runs a batch flush once the reports queued in this event-loop turn are in (default `setImmediate`). */
	schedule?: (flush: () => void) => void;
	/** Called when storing fails (the device gets REJECTED/InternalError). Default: ignore. */
	onStorageError?: (e: unknown) => void;
	/** Called on any other unexpected failure while handling a report (REJECTED/InternalError). Default: onStorageError. */
	onInternalError?: (e: unknown) => void;
}

export interface IncomingReport {
	thingName: string;
	format: ReportFormat;
	payload: Uint8Array;
	clientId: string;
}

export interface IngestResult {
	accepted: boolean;
	reply: ReportReply;
	/** Where the reply goes: `.../metrics/{format}/{accepted|rejected}`. */
	topic: string;
	/** The encoded reply (JSON or CBOR, like the report). */
	payload: Buffer;
}

export interface Ingest {
	/** Handle one report now, in its own transaction (reports queued by `submit` are handled first). */
	handle(msg: IncomingReport): IngestResult;
	/** Queue a report for the next group commit; resolves with its answer after the commit. Never rejects. */
	submit(msg: IncomingReport): Promise<IngestResult>;
	/** Handle reports in order, storing the accepted ones in one transaction. */
	handleBatch(msgs: readonly IncomingReport[]): IngestResult[];
}

/** Longest ErrorMessage sent to a device, in characters: replies must fit small agent buffers (docs/abi.md: 1 KiB). */
export const MAX_ERROR_MESSAGE = 256;

/** Clock jitter allowance on the minimum delay (decisions: 10 %). */
export const THROTTLE_TOLERANCE = 0.1;

export const DEFAULT_MAX_BATCH = 256;

/** Identifies a byte-identical retransmission: the format and the payload bytes. */
export function payloadHash(format: ReportFormat, payload: Uint8Array): string {
	return createHash('sha256').update(format).update(':').update(payload).digest('base64');
}

/** What was decided for one report of a batch, before the commit. */
type Plan =
	| { kind: 'reject'; reportId: number | null; errorCode: string; message: string; internal?: boolean }
	| { kind: 'store'; stored: StoredReport; report: DeviceReport }
	| { kind: 'replay'; reportId: number };

const STORE_FAILED = 'The report could not be stored; retry later';
const PROCESS_FAILED = 'The report could not be processed';

export function createIngest(options: IngestOptions): Ingest {
	const { store, bus, clock } = options;
	const sec = options.minReportIntervalSec;
	if (!Number.isFinite(sec) || sec < 0) throw new WardenError('WARDEN_ERR_CONFIG', `minReportIntervalSec must be a number >= 0 (got ${sec})`);
	const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
	if (!Number.isSafeInteger(maxBatch) || maxBatch < 1 || maxBatch > 100_000) throw new WardenError('WARDEN_ERR_CONFIG', `maxBatch must be an integer from 1 to 100000 (got ${maxBatch})`);
	const minDelayMs = sec * 1000 * (1 - THROTTLE_TOLERANCE);
	const schedule = options.schedule ?? ((fn: () => void) => void setImmediate(fn));
	const onStorageError = options.onStorageError ?? (() => {});
	const onInternalError = options.onInternalError ?? onStorageError;

	const rejectPlan = (reportId: number | null, errorCode: string, message: string): Plan => ({ kind: 'reject', reportId, errorCode, message });

	/** Decide one report against `states` (committed state overlaid with earlier reports of the batch). */
	function planReport(msg: IncomingReport, states: Map<string, ThingReportState | null>): Plan {
		const nameProblem = thingNameProblem(msg.thingName);
		if (nameProblem) return rejectPlan(peekReportId(msg.payload, msg.format), REPLY_ERROR_CODES.invalid, nameProblem);
		let report: DeviceReport;
		try {
			report = parseReport(msg.payload, msg.format);
		} catch (e) {
			if (!isWardenError(e) || e.code !== 'WARDEN_ERR_REPORT_INVALID') throw e;
			return rejectPlan(peekReportId(msg.payload, msg.format), REPLY_ERROR_CODES.invalid, e.message);
		}
		const reportId = report.header.report_id;
		const now = clock.now();
		let state = states.get(msg.thingName);
		if (state === undefined) {
			state = store.thingState(msg.thingName);
			states.set(msg.thingName, state);
		}
		if (state && reportId === state.lastReportId && state.lastPayloadHash !== null && state.lastPayloadHash === payloadHash(msg.format, msg.payload)) {
			// decisions: a QoS 1 retransmission of the accepted report is answered ACCEPTED again, not stored again
			return { kind: 'replay', reportId };
		}
		if (state && reportId <= state.lastReportId) {
			// spec §1.4: a re-used report_id is a duplicate; not stored
			return rejectPlan(reportId, REPLY_ERROR_CODES.invalid, `Duplicate report_id ${reportId}: not greater than the last accepted report_id ${state.lastReportId}`);
		}
		if (state && minDelayMs > 0 && now - state.lastAcceptedAt < minDelayMs) {
			const elapsed = Math.max(0, Math.round((now - state.lastAcceptedAt) / 1000));
			return rejectPlan(reportId, REPLY_ERROR_CODES.throttled, `Report sent ${elapsed} s after the previous accepted report; the minimum delay is ${sec} s`);
		}
		const hash = payloadHash(msg.format, msg.payload);
		states.set(msg.thingName, { lastReportId: reportId, lastAcceptedAt: now, lastPayloadHash: hash });
		const stored: StoredReport = { thingName: msg.thingName, reportId, format: msg.format, clientId: msg.clientId, receivedAt: now, payloadBytes: msg.payload.length, report, payloadHash: hash };
		return { kind: 'store', stored, report };
	}

	/** Build the answer and emit its event; runs only after the batch committed (or failed to). */
	function finish(msg: IncomingReport, plan: Plan): IngestResult {
		const at = clock.now();
		if (plan.kind === 'reject') {
			const message = plan.message.length > MAX_ERROR_MESSAGE ? `${plan.message.slice(0, MAX_ERROR_MESSAGE - 1)}…` : plan.message;
			const reply: ReportReply = { thingName: msg.thingName, status: 'REJECTED', timestamp: at, statusDetails: { ErrorCode: plan.errorCode, ErrorMessage: message } };
			if (plan.reportId !== null) reply.reportId = plan.reportId;
			const result = { accepted: false, reply, topic: replyTopic(msg.thingName, msg.format, 'rejected'), payload: encodeReply(reply, msg.format) };
			bus.emit('report.rejected', { thingName: msg.thingName, clientId: msg.clientId, reportId: plan.reportId, format: msg.format, errorCode: plan.errorCode, message, at });
			return result;
		}
		const reportId = plan.kind === 'store' ? plan.stored.reportId : plan.reportId;
		const timestamp = plan.kind === 'store' ? plan.stored.receivedAt : at;
		const reply: ReportReply = { thingName: msg.thingName, reportId, status: 'ACCEPTED', timestamp };
		const result = { accepted: true, reply, topic: replyTopic(msg.thingName, msg.format, 'accepted'), payload: encodeReply(reply, msg.format) };
		if (plan.kind === 'store') bus.emit('report.accepted', { thingName: msg.thingName, clientId: msg.clientId, reportId, format: msg.format, report: plan.report, at: timestamp });
		return result;
	}

	/** The last resort: a failure while building an answer is still answered, never ACCEPTED. */
	function internalRejection(msg: IncomingReport, reportId: number | null, message: string): IngestResult {
		try {
			return finish(msg, { kind: 'reject', reportId, errorCode: 'InternalError', message });
		} catch (e) {
			onInternalError(e);
			const reply: ReportReply = { thingName: msg.thingName, status: 'REJECTED', timestamp: clock.now(), statusDetails: { ErrorCode: 'InternalError', ErrorMessage: message } };
			if (reportId !== null) reply.reportId = reportId;
			return { accepted: false, reply, topic: replyTopic(msg.thingName, msg.format, 'rejected'), payload: encodeReply(reply, msg.format) };
		}
	}

	function handleBatch(msgs: readonly IncomingReport[]): IngestResult[] {
		const states = new Map<string, ThingReportState | null>();
		const plans = msgs.map((msg): Plan => {
			try {
				return planReport(msg, states);
			} catch (e) {
				// an unexpected failure (a storage read, a decoder bug) still gets an answer
				onInternalError(e);
				return { kind: 'reject', reportId: null, errorCode: 'InternalError', message: PROCESS_FAILED, internal: true };
			}
		});
		const toStore = plans.flatMap((p) => (p.kind === 'store' ? [p.stored] : []));
		if (toStore.length > 0) {
			try {
				store.accept(toStore);
			} catch (e) {
				// decisions: a failed group commit answers every report of the batch InternalError
				onStorageError(e);
				return msgs.map((msg, i) => {
					const p = plans[i]!;
					const reportId = p.kind === 'store' ? p.stored.reportId : p.kind === 'replay' ? p.reportId : p.reportId;
					return internalRejection(msg, reportId, p.kind === 'reject' && p.internal ? PROCESS_FAILED : STORE_FAILED);
				});
			}
		}
		return msgs.map((msg, i) => {
			const p = plans[i]!;
			try {
				return finish(msg, p);
			} catch (e) {
				onInternalError(e);
				return internalRejection(msg, p.kind === 'store' ? p.stored.reportId : p.reportId, PROCESS_FAILED);
			}
		});
	}

	const queue: { msg: IncomingReport; resolve: (r: IngestResult) => void }[] = [];
	let scheduled = false;

	function flushQueue(): void {
		while (queue.length > 0) {
			const batch = queue.splice(0, maxBatch);
			const results = handleBatch(batch.map((q) => q.msg));
			batch.forEach((q, i) => q.resolve(results[i]!));
		}
	}

	function submit(msg: IncomingReport): Promise<IngestResult> {
		return new Promise((resolve) => {
			queue.push({ msg, resolve });
			if (queue.length >= maxBatch) return flushQueue();
			if (!scheduled) {
				scheduled = true;
				schedule(() => {
					scheduled = false;
					flushQueue();
				});
			}
		});
	}

	function handle(msg: IncomingReport): IngestResult {
		flushQueue(); // keep arrival order with reports already queued
		return handleBatch([msg])[0]!;
	}

	return Object.freeze({ handle, submit, handleBatch });
}
