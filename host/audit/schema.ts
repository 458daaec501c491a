/** Audit tables (spec §5.3–§5.6). Owned by host/audit; JSON columns hold AWS-shaped members. */
import type { Migration } from '../storage/database.ts';

export const AUDIT_MIGRATIONS: readonly Migration[] = Object.freeze([
	{
		id: 'audit/001-init',
		sql: `
CREATE TABLE audit_account_config (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	role_arn TEXT,
	notification_targets TEXT NOT NULL DEFAULT '{}',
	check_configs TEXT NOT NULL DEFAULT '{}',
	updated_at INTEGER NOT NULL
);
CREATE TABLE audit_scheduled (
	name TEXT PRIMARY KEY,
	frequency TEXT NOT NULL,
	day_of_month TEXT,
	day_of_week TEXT,
	target_checks TEXT NOT NULL,
	tags TEXT NOT NULL DEFAULT '[]',
	created_at INTEGER NOT NULL,
	anchor_at INTEGER NOT NULL,
	last_run_at INTEGER,
	next_run_at INTEGER NOT NULL
);
CREATE TABLE audit_tasks (
	task_id TEXT PRIMARY KEY,
	task_type TEXT NOT NULL,
	task_status TEXT NOT NULL,
	scheduled_audit_name TEXT,
	start_time INTEGER NOT NULL,
	end_time INTEGER,
	target_checks TEXT NOT NULL,
	statistics TEXT NOT NULL DEFAULT '{}',
	details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_tasks_start ON audit_tasks (start_time);
CREATE TABLE audit_findings (
	finding_id TEXT PRIMARY KEY,
	task_id TEXT NOT NULL,
	check_name TEXT NOT NULL,
	task_start_time INTEGER NOT NULL,
	finding_time INTEGER NOT NULL,
	severity TEXT NOT NULL,
	resource_key TEXT NOT NULL,
	resource TEXT NOT NULL,
	related TEXT NOT NULL,
	reason TEXT NOT NULL,
	reason_code TEXT NOT NULL,
	is_suppressed INTEGER NOT NULL
);
CREATE INDEX audit_findings_task ON audit_findings (task_id, check_name);
CREATE INDEX audit_findings_time ON audit_findings (finding_time);
CREATE TABLE audit_suppressions (
	check_name TEXT NOT NULL,
	resource_key TEXT NOT NULL,
	resource_identifier TEXT NOT NULL,
	expiration_date INTEGER,
	suppress_indefinitely INTEGER NOT NULL,
	description TEXT,
	client_request_token TEXT,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (check_name, resource_key)
);
`,
	},
]);
