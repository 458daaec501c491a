/**
 * Storage port of report ingest. The ingest service and readers (Detect, the API) depend on this,
 * never on SQLite. `accept` must be durable when it returns: the ACCEPTED replies follow it.
 */
import type { DeviceReport, ReportFormat } from './report-types.ts';

export interface StoredReport {
	thingName: string;
	reportId: number;
	format: ReportFormat;
	clientId: string;
	/** Unix ms, from the service clock. */
	receivedAt: number;
	payloadBytes: number;
	report: DeviceReport;
	/** Hash of the format and the payload bytes (identifies a byte-identical retransmission). */
	payloadHash?: string;
}

/** Per-thing state for duplicate and throttle decisions (survives restarts). */
export interface ThingReportState {
	lastReportId: number;
	/** Unix ms of the last accepted report. */
	lastAcceptedAt: number;
	/** `payloadHash` of the last accepted report; null when unknown (stored before hashes were kept). */
	lastPayloadHash: string | null;
}

export interface ReportStore {
	thingState(thingName: string): ThingReportState | null;
	/**
	 * Store the reports, in order, and advance their things' state, all in one committed transaction
	 * (group commit): either every report is stored or none is.
	 */
	accept(reports: readonly StoredReport[]): void;
	/** Reports of one thing received in [from, to) (Unix ms), oldest first, at most `limit`. */
	listByThing(thingName: string, opts?: { from?: number; to?: number; limit?: number }): StoredReport[];
	/** Reports of all things received in [from, to), oldest first, at most `limit`. */
	listSince(from: number, opts?: { to?: number; limit?: number }): StoredReport[];
	count(thingName?: string): number;
	/** Delete reports received before `before` (retention); returns the number deleted. */
	deleteBefore(before: number): number;
}
