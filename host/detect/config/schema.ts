/**
 * Control-plane tables of Detect: security profiles and their targets, custom metrics,
 * dimensions (spec §2.3, §2.5, §3.1, §3.3). Times are Unix ms; AWS shapes are stored as JSON text.
 */
import type { Migration } from '../../storage/database.ts';

export const detectConfigMigrations: Migration[] = [
	{
		id: 'detect/config-001-init',
		sql: `
CREATE TABLE detect_security_profiles (
	name TEXT PRIMARY KEY,
	arn TEXT NOT NULL,
	description TEXT,
	behaviors TEXT NOT NULL,
	alert_targets TEXT,
	metrics_to_retain TEXT,
	metrics_to_retain_v2 TEXT,
	metrics_export_config TEXT,
	tags TEXT,
	version INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	modified_at INTEGER NOT NULL
);

CREATE TABLE detect_profile_targets (
	profile TEXT NOT NULL REFERENCES detect_security_profiles(name) ON DELETE CASCADE,
	target_arn TEXT NOT NULL,
	attached_at INTEGER NOT NULL,
	PRIMARY KEY (profile, target_arn)
);
CREATE INDEX detect_profile_targets_target ON detect_profile_targets (target_arn);

CREATE TABLE detect_custom_metrics (
	name TEXT PRIMARY KEY,
	arn TEXT NOT NULL,
	metric_type TEXT NOT NULL,
	display_name TEXT,
	tags TEXT,
	client_request_token TEXT,
	created_at INTEGER NOT NULL,
	modified_at INTEGER NOT NULL
);

CREATE TABLE detect_dimensions (
	name TEXT PRIMARY KEY,
	arn TEXT NOT NULL,
	type TEXT NOT NULL,
	string_values TEXT NOT NULL,
	tags TEXT,
	client_request_token TEXT,
	created_at INTEGER NOT NULL,
	modified_at INTEGER NOT NULL
);
`,
	},
];
