/** Tables owned by report ingest: stored reports and the per-thing duplicate/throttle state. */
import type { Migration } from '../storage/database.ts';

export const ingestMigrations: Migration[] = [
	{
		id: 'ingest/001-init',
		sql: `
			CREATE TABLE device_reports (
				id INTEGER PRIMARY KEY,
				thing_name TEXT NOT NULL,
				report_id INTEGER NOT NULL,
				format TEXT NOT NULL CHECK (format IN ('json', 'cbor')),
				client_id TEXT NOT NULL,
				received_at INTEGER NOT NULL,
				payload_bytes INTEGER NOT NULL,
				report TEXT NOT NULL,
				UNIQUE (thing_name, report_id)
			);
			CREATE INDEX device_reports_by_time ON device_reports (received_at);
			CREATE INDEX device_reports_by_thing_time ON device_reports (thing_name, received_at);
			CREATE TABLE report_state (
				thing_name TEXT PRIMARY KEY,
				last_report_id INTEGER NOT NULL,
				last_accepted_at INTEGER NOT NULL
			);
		`,
	},
	{
		// decisions: a byte-identical retransmission of the last accepted report is answered ACCEPTED again
		id: 'ingest/002-last-payload-hash',
		sql: 'ALTER TABLE report_state ADD COLUMN last_payload_hash TEXT;',
	},
];
