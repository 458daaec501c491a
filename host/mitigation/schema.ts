/** Mitigation tables (spec §6). Rows keep the AWS-shaped record as JSON next to the key columns queried. */
import type { Migration } from '../storage/database.ts';

export const MITIGATION_MIGRATIONS: readonly Migration[] = Object.freeze([
	{
		id: 'mitigation/001-init',
		sql: `
CREATE TABLE mitigation_actions (
	action_name TEXT PRIMARY KEY,
	action_type TEXT NOT NULL,
	creation_date INTEGER NOT NULL,
	body TEXT NOT NULL
);
CREATE TABLE mitigation_audit_tasks (
	task_id TEXT PRIMARY KEY,
	start_time INTEGER NOT NULL,
	task_status TEXT NOT NULL,
	body TEXT NOT NULL
);
CREATE TABLE mitigation_audit_executions (
	task_id TEXT NOT NULL,
	finding_id TEXT NOT NULL,
	action_name TEXT NOT NULL,
	seq INTEGER NOT NULL,
	status TEXT NOT NULL,
	body TEXT NOT NULL,
	PRIMARY KEY (task_id, finding_id, action_name)
);
CREATE TABLE mitigation_detect_tasks (
	task_id TEXT PRIMARY KEY,
	start_time INTEGER NOT NULL,
	task_status TEXT NOT NULL,
	body TEXT NOT NULL
);
CREATE TABLE mitigation_detect_executions (
	task_id TEXT NOT NULL,
	violation_id TEXT NOT NULL,
	action_name TEXT NOT NULL,
	thing_name TEXT NOT NULL,
	start_time INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	body TEXT NOT NULL,
	PRIMARY KEY (task_id, violation_id, action_name)
);
`,
	},
]);
