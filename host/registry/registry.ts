/**
 * The device registry: one handle over the registry tables, passed to the service functions in
 * this folder (things.ts, certificates.ts, policies.ts, principals.ts, settings.ts). It knows
 * nothing of better-sqlite3 (only the SqlDatabase port), takes its time from a Clock, and tells
 * listeners when a certificate or CA stops being usable so live MQTT sessions can be closed.
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.ts';
import { WardenError } from '../errors.ts';
import { type ArnScope, iotArn } from '../policy/arn.ts';
import { type SqlDatabase, type SqlStatement, migrate } from '../storage/database.ts';
import { REGISTRY_MIGRATIONS } from './schema.ts';

/** A certificate (device or CA) left the ACTIVE state: sessions authenticated by it must end. */
export interface CredentialRevocation {
	/** Device certificate ids no longer usable. */
	certificateIds: readonly string[];
	/** Set when a CA certificate was deactivated (every certificate it signed is affected). */
	caCertificateId: string | null;
	/** New status, e.g. `REVOKED`, `INACTIVE`, `DELETED`. */
	status: string;
}

export interface Registry {
	readonly db: SqlDatabase;
	readonly clock: Clock;
	readonly scope: ArnScope;
	arn(resource: string): string;
	/** Incremented on every write that can change an authorization decision (policies, attachments, groups, things). */
	readonly generation: number;
	bump(): void;
	onRevocation(fn: (r: CredentialRevocation) => void): () => void;
	notifyRevocation(r: CredentialRevocation): void;
	newId(): string;
	/** A prepared statement for `sql`, prepared once per database (preparing costs tens of µs). */
	sql(sql: string): SqlStatement;
}

export interface RegistryOptions {
	db: SqlDatabase;
	clock: Clock;
	/** AWS account id used in ARNs (default 123456789012). */
	accountId?: string;
	/** AWS region used in ARNs (default us-east-1). */
	region?: string;
}

/** Open the registry over `db`, applying its migrations. */
export function openRegistry(opts: RegistryOptions): Registry {
	migrate(opts.db, REGISTRY_MIGRATIONS);
	const scope = Object.freeze({ accountId: opts.accountId ?? '123456789012', region: opts.region ?? 'us-east-1' });
	if (!/^\d{12}$/.test(scope.accountId)) throw new WardenError('WARDEN_ERR_CONFIG', `accountId must be 12 digits (got ${scope.accountId})`);
	const listeners = new Set<(r: CredentialRevocation) => void>();
	const statements = new Map<string, SqlStatement>();
	let generation = 0;
	return {
		db: opts.db,
		clock: opts.clock,
		scope,
		arn: (resource) => iotArn(scope, resource),
		get generation() {
			return generation;
		},
		bump: () => {
			generation++;
		},
		onRevocation(fn) {
			listeners.add(fn);
			return () => listeners.delete(fn);
		},
		notifyRevocation(r) {
			generation++;
			for (const fn of listeners) {
				try {
					fn(r);
				} catch {
					// a listener failure must not undo the registry change
				}
			}
		},
		newId: () => randomUUID(),
		sql(text) {
			let st = statements.get(text);
			if (!st) {
				if (statements.size > 500) statements.clear();
				st = opts.db.prepare(text);
				statements.set(text, st);
			}
			return st;
		},
	};
}

const shared = new WeakMap<SqlDatabase, Registry>();

/**
 * The one registry handle of a database: the broker hooks, the HTTP API and mitigation actions
 * must share it so that revocation listeners and the authorization generation see every write.
 */
export function registryFor(opts: RegistryOptions): Registry {
	let reg = shared.get(opts.db);
	if (!reg) {
		reg = openRegistry(opts);
		shared.set(opts.db, reg);
	}
	return reg;
}

export const notFound = (what: string): never => {
	throw new WardenError('WARDEN_ERR_REGISTRY_NOT_FOUND', `${what} does not exist`);
};
export const invalid = (message: string): never => {
	throw new WardenError('WARDEN_ERR_REGISTRY_INVALID', message);
};
export const conflict = (message: string): never => {
	throw new WardenError('WARDEN_ERR_REGISTRY_CONFLICT', message);
};

/** Name rules (AWS IoT): things and groups `[a-zA-Z0-9:_-]+` 1–128; policies `[\w+=,.@-]+` 1–128. */
export const THING_NAME = /^[a-zA-Z0-9:_-]{1,128}$/;
export const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
export const ROLE_ALIAS_NAME = /^[\w=,@-]{1,128}$/;

export function checkName(kind: string, value: unknown, re: RegExp): string {
	if (typeof value !== 'string' || !re.test(value)) invalid(`${kind} must match ${re.source} (got ${JSON.stringify(value)})`);
	return value as string;
}

export function parseJsonObject(text: string | null | undefined): Record<string, string> {
	if (!text) return {};
	return JSON.parse(text) as Record<string, string>;
}
