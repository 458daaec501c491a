/**
 * Tables of the Detect engine (the control-plane tables of profiles, custom metrics and
 * dimensions belong to host/detect/config/). Times are Unix ms; MetricValue and Behavior are
 * stored as JSON text.
 */
import type { Migration } from '../../storage/database.ts';

export const detectEngineMigrations: Migration[] = [
	{
		id: 'detect/engine-001-init',
		sql: `
-- one row per (thing, time) holding every retained metric of that report or bucket:
-- vals = {"<metric>|<dimensionName>|<IN|NOT_IN>" or "<metric>|": MetricValue}
CREATE TABLE detect_datapoints (
	thing TEXT NOT NULL,
	at INTEGER NOT NULL,
	vals TEXT NOT NULL
);
CREATE INDEX detect_datapoints_thing ON detect_datapoints (thing, at);
CREATE INDEX detect_datapoints_at ON detect_datapoints (at);

CREATE TABLE detect_alarm_state (
	thing TEXT NOT NULL,
	profile TEXT NOT NULL,
	behavior TEXT NOT NULL,
	dimension TEXT NOT NULL,
	violating INTEGER NOT NULL,
	conforming INTEGER NOT NULL,
	violation_id TEXT,
	start_time INTEGER,
	last_value TEXT,
	last_violation_time INTEGER,
	last_datapoint_at INTEGER NOT NULL,
	PRIMARY KEY (thing, profile, behavior, dimension)
);

CREATE TABLE detect_active_violations (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	violation_id TEXT NOT NULL UNIQUE,
	thing TEXT NOT NULL,
	profile TEXT NOT NULL,
	behavior TEXT NOT NULL,
	criteria_type TEXT NOT NULL,
	suppressed INTEGER NOT NULL,
	start_time INTEGER NOT NULL,
	last_value TEXT,
	last_time INTEGER
);
CREATE INDEX detect_active_violations_thing ON detect_active_violations (thing);

CREATE TABLE detect_violation_events (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	violation_id TEXT NOT NULL,
	thing TEXT NOT NULL,
	profile TEXT NOT NULL,
	behavior TEXT NOT NULL,
	criteria_type TEXT NOT NULL,
	suppressed INTEGER NOT NULL,
	event_type TEXT NOT NULL,
	metric_value TEXT,
	at INTEGER NOT NULL
);
CREATE INDEX detect_violation_events_at ON detect_violation_events (at);
CREATE INDEX detect_violation_events_id ON detect_violation_events (violation_id);

-- verification state is per violation and outlives the active row (ListViolationEvents shows it)
CREATE TABLE detect_verification (
	violation_id TEXT PRIMARY KEY,
	state TEXT NOT NULL,
	description TEXT,
	at INTEGER NOT NULL
);

CREATE TABLE detect_alert_outbox (
	id TEXT PRIMARY KEY,
	destination TEXT NOT NULL,
	body TEXT NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	next_at INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	delivered_at INTEGER,
	last_error TEXT
);
CREATE INDEX detect_alert_outbox_due ON detect_alert_outbox (delivered_at, next_at);
`,
	},
];
