/**
 * Report ingest (spec §1, decisions): validate, reject duplicates and too-frequent reports,
 * store, then answer. The caller (the broker) publishes the returned reply; because storing is
 * synchronous and committed before `handle` returns, ACCEPTED is only ever sent for stored reports.
 */
import type { Clock } from '../clock.ts';
import { WardenError, isWardenError } from '../errors.ts';
import type { EventBus } from '../events.ts';
import { parseReport, peekReportId } from './parse-report.ts';
import { REPLY_ERROR_CODES, type ReportReply, encodeReply } from './reply.ts';
import type { ReportStore } from './report-store.ts';
import type { ReportFormat } from './report-types.ts';
import { replyTopic, thingNameProblem } from './topics.ts';

export interface IngestOptions {
	store: ReportStore;
	bus: EventBus;
	clock: Clock;
	/** Minimum delay between accepted reports of one thing, in seconds (spec §1.4: 300); 0 disables. */
	minReportIntervalSec: number;
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
	handle(msg: IncomingReport): IngestResult;
}

/** Longest ErrorMessage sent to a device, in characters: replies must fit small agent buffers (docs/abi.md: 1 KiB). */
export const MAX_ERROR_MESSAGE = 256;

/** Clock jitter allowance on the minimum delay (decisions: 10 %). */
export const THROTTLE_TOLERANCE = 0.1;

export function createIngest(options: IngestOptions): Ingest {
	const { store, bus, clock } = options;
	const sec = options.minReportIntervalSec;
	if (!Number.isFinite(sec) || sec < 0) throw new WardenError('WARDEN_ERR_CONFIG', `minReportIntervalSec must be a number >= 0 (got ${sec})`);
	const minDelayMs = sec * 1000 * (1 - THROTTLE_TOLERANCE);
	const onStorageError = options.onStorageError ?? (() => {});
	const onInternalError = options.onInternalError ?? onStorageError;

	function reject(msg: IncomingReport, reportId: number | null, errorCode: string, fullMessage: string): IngestResult {
		const at = clock.now();
		const message = fullMessage.length > MAX_ERROR_MESSAGE ? `${fullMessage.slice(0, MAX_ERROR_MESSAGE - 1)}…` : fullMessage;
		const reply: ReportReply = { thingName: msg.thingName, status: 'REJECTED', timestamp: at, statusDetails: { ErrorCode: errorCode, ErrorMessage: message } };
		if (reportId !== null) reply.reportId = reportId;
		bus.emit('report.rejected', { thingName: msg.thingName, clientId: msg.clientId, reportId, format: msg.format, errorCode, message, at });
		return { accepted: false, reply, topic: replyTopic(msg.thingName, msg.format, 'rejected'), payload: encodeReply(reply, msg.format) };
	}

	/** Any unexpected failure (a storage read, a decoder bug) still gets an answer, never ACCEPTED. */
	function handle(msg: IncomingReport): IngestResult {
		try {
			return handleReport(msg);
		} catch (e) {
			onInternalError(e);
			return reject(msg, null, 'InternalError', 'The report could not be processed');
		}
	}

	function handleReport(msg: IncomingReport): IngestResult {
		const nameProblem = thingNameProblem(msg.thingName);
		if (nameProblem) return reject(msg, peekReportId(msg.payload, msg.format), REPLY_ERROR_CODES.invalid, nameProblem);
		let report;
		try {
			report = parseReport(msg.payload, msg.format);
		} catch (e) {
			if (!isWardenError(e) || e.code !== 'WARDEN_ERR_REPORT_INVALID') throw e;
			return reject(msg, peekReportId(msg.payload, msg.format), REPLY_ERROR_CODES.invalid, e.message);
		}
		const reportId = report.header.report_id;
		const now = clock.now();
		const state = store.thingState(msg.thingName);
		if (state && reportId <= state.lastReportId) {
			// spec §1.4: a re-used report_id is a duplicate; not stored
			return reject(msg, reportId, REPLY_ERROR_CODES.invalid, `Duplicate report_id ${reportId}: not greater than the last accepted report_id ${state.lastReportId}`);
		}
		if (state && minDelayMs > 0 && now - state.lastAcceptedAt < minDelayMs) {
			const elapsed = Math.max(0, Math.round((now - state.lastAcceptedAt) / 1000));
			return reject(msg, reportId, REPLY_ERROR_CODES.throttled, `Report sent ${elapsed} s after the previous accepted report; the minimum delay is ${sec} s`);
		}
		try {
			store.accept({ thingName: msg.thingName, reportId, format: msg.format, clientId: msg.clientId, receivedAt: now, payloadBytes: msg.payload.length, report });
		} catch (e) {
			onStorageError(e);
			return reject(msg, reportId, 'InternalError', 'The report could not be stored; retry later');
		}
		const reply: ReportReply = { thingName: msg.thingName, reportId, status: 'ACCEPTED', timestamp: now };
		bus.emit('report.accepted', { thingName: msg.thingName, clientId: msg.clientId, reportId, format: msg.format, report, at: now });
		return { accepted: true, reply, topic: replyTopic(msg.thingName, msg.format, 'accepted'), payload: encodeReply(reply, msg.format) };
	}

	return Object.freeze({ handle });
}
