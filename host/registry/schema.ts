/** Registry tables: things, groups, certificates, CAs, policies, attachments, role aliases, settings, connection history. */
import type { Migration } from '../storage/database.ts';

export const REGISTRY_MIGRATIONS: readonly Migration[] = Object.freeze([
	{
		id: 'registry/001-init',
		sql: `
CREATE TABLE registry_things (
	name TEXT PRIMARY KEY,
	thing_id TEXT NOT NULL,
	type_name TEXT,
	attributes TEXT NOT NULL DEFAULT '{}',
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL
);
CREATE TABLE registry_thing_groups (
	name TEXT PRIMARY KEY,
	group_id TEXT NOT NULL,
	parent_name TEXT REFERENCES registry_thing_groups(name),
	description TEXT,
	attributes TEXT NOT NULL DEFAULT '{}',
	version INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL
);
CREATE TABLE registry_group_members (
	group_name TEXT NOT NULL REFERENCES registry_thing_groups(name) ON DELETE CASCADE,
	thing_name TEXT NOT NULL REFERENCES registry_things(name) ON DELETE CASCADE,
	PRIMARY KEY (group_name, thing_name)
);
CREATE INDEX registry_group_members_thing ON registry_group_members(thing_name);
CREATE TABLE registry_ca_certificates (
	id TEXT PRIMARY KEY,
	pem TEXT NOT NULL,
	status TEXT NOT NULL,
	auto_registration TEXT NOT NULL DEFAULT 'DISABLE',
	subject TEXT NOT NULL,
	not_before INTEGER NOT NULL,
	not_after INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	last_modified INTEGER NOT NULL
);
CREATE TABLE registry_certificates (
	id TEXT PRIMARY KEY,
	pem TEXT NOT NULL,
	ca_id TEXT REFERENCES registry_ca_certificates(id),
	status TEXT NOT NULL,
	mode TEXT NOT NULL,
	subject TEXT NOT NULL,
	not_before INTEGER NOT NULL,
	not_after INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	last_modified INTEGER NOT NULL
);
CREATE INDEX registry_certificates_ca ON registry_certificates(ca_id);
CREATE TABLE registry_policies (
	name TEXT PRIMARY KEY,
	default_version INTEGER NOT NULL,
	next_version INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	last_modified INTEGER NOT NULL
);
CREATE TABLE registry_policy_versions (
	policy_name TEXT NOT NULL REFERENCES registry_policies(name) ON DELETE CASCADE,
	version_id INTEGER NOT NULL,
	document TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (policy_name, version_id)
);
CREATE TABLE registry_policy_targets (
	policy_name TEXT NOT NULL REFERENCES registry_policies(name),
	target TEXT NOT NULL,
	PRIMARY KEY (policy_name, target)
);
CREATE INDEX registry_policy_targets_target ON registry_policy_targets(target);
CREATE TABLE registry_thing_principals (
	thing_name TEXT NOT NULL REFERENCES registry_things(name),
	principal TEXT NOT NULL,
	PRIMARY KEY (thing_name, principal)
);
CREATE INDEX registry_thing_principals_principal ON registry_thing_principals(principal);
CREATE TABLE registry_role_aliases (
	alias TEXT PRIMARY KEY,
	role_arn TEXT NOT NULL,
	credential_duration_seconds INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	last_modified INTEGER NOT NULL
);
CREATE TABLE registry_settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
CREATE TABLE registry_connections (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	client_id TEXT NOT NULL,
	certificate_id TEXT,
	thing_name TEXT,
	source_ip TEXT NOT NULL,
	connected_at INTEGER NOT NULL,
	disconnected_at INTEGER,
	disconnect_reason TEXT
);
CREATE INDEX registry_connections_client ON registry_connections(client_id, disconnected_at);
CREATE INDEX registry_connections_time ON registry_connections(connected_at);
`,
	},
]);
