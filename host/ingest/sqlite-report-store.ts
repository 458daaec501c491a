/** ReportStore on the SQL storage port (tables from ./schema.ts). */
import type { SqlDatabase } from '../storage/database.ts';
import type { ReportStore, StoredReport, ThingReportState } from './report-store.ts';
import type { DeviceReport, ReportFormat } from './report-types.ts';

interface Row {
	thing_name: string;
	report_id: number;
	format: ReportFormat;
	client_id: string;
	received_at: number;
	payload_bytes: number;
	report: string;
}

const COLS = 'thing_name, report_id, format, client_id, received_at, payload_bytes, report';
const MAX_LIMIT = 100_000;

function fromRow(r: Row): StoredReport {
	return {
		thingName: r.thing_name,
		reportId: r.report_id,
		format: r.format,
		clientId: r.client_id,
		receivedAt: r.received_at,
		payloadBytes: r.payload_bytes,
		report: JSON.parse(r.report) as DeviceReport,
	};
}

export function createSqliteReportStore(db: SqlDatabase): ReportStore {
	const getState = db.prepare('SELECT last_report_id, last_accepted_at, last_payload_hash FROM report_state WHERE thing_name = ?');
	const insert = db.prepare(`INSERT INTO device_reports (${COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)`);
	const upsertState = db.prepare(
		`INSERT INTO report_state (thing_name, last_report_id, last_accepted_at, last_payload_hash) VALUES (?, ?, ?, ?)
		 ON CONFLICT (thing_name) DO UPDATE SET last_report_id = excluded.last_report_id, last_accepted_at = excluded.last_accepted_at,
		   last_payload_hash = excluded.last_payload_hash`,
	);
	const byThing = db.prepare(
		`SELECT ${COLS} FROM device_reports WHERE thing_name = ? AND received_at >= ? AND received_at < ? ORDER BY received_at, id LIMIT ?`,
	);
	const since = db.prepare(`SELECT ${COLS} FROM device_reports WHERE received_at >= ? AND received_at < ? ORDER BY received_at, id LIMIT ?`);
	const countAll = db.prepare('SELECT COUNT(*) AS n FROM device_reports');
	const countThing = db.prepare('SELECT COUNT(*) AS n FROM device_reports WHERE thing_name = ?');
	const del = db.prepare('DELETE FROM device_reports WHERE received_at < ?');

	const accept = db.transaction((reports: readonly StoredReport[]) => {
		for (const r of reports) {
			insert.run(r.thingName, r.reportId, r.format, r.clientId, r.receivedAt, r.payloadBytes, JSON.stringify(r.report));
			upsertState.run(r.thingName, r.reportId, r.receivedAt, r.payloadHash ?? null);
		}
	});

	return Object.freeze({
		thingState(thingName: string): ThingReportState | null {
			const row = getState.get(thingName) as { last_report_id: number; last_accepted_at: number; last_payload_hash: string | null } | undefined;
			return row ? { lastReportId: row.last_report_id, lastAcceptedAt: row.last_accepted_at, lastPayloadHash: row.last_payload_hash } : null;
		},
		accept,
		listByThing(thingName: string, opts: { from?: number; to?: number; limit?: number } = {}) {
			const rows = byThing.all(thingName, opts.from ?? 0, opts.to ?? Number.MAX_SAFE_INTEGER, Math.min(opts.limit ?? MAX_LIMIT, MAX_LIMIT)) as Row[];
			return rows.map(fromRow);
		},
		listSince(from: number, opts: { to?: number; limit?: number } = {}) {
			const rows = since.all(from, opts.to ?? Number.MAX_SAFE_INTEGER, Math.min(opts.limit ?? MAX_LIMIT, MAX_LIMIT)) as Row[];
			return rows.map(fromRow);
		},
		count(thingName?: string): number {
			const row = (thingName === undefined ? countAll.get() : countThing.get(thingName)) as { n: number };
			return row.n;
		},
		deleteBefore(before: number): number {
			return del.run(before).changes;
		},
	});
}
