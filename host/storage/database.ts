/**
 * The storage port. Feature stores (reports, detect, registry, audit) depend on this small
 * structural subset of a synchronous SQL driver, never on better-sqlite3 itself, so a second
 * backend only has to provide these few members. Migrations are plain SQL, registered per
 * feature, applied once each inside a transaction.
 */
import { WardenError } from '../errors.ts';

export interface SqlStatement {
	run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
	get(...params: unknown[]): unknown;
	all(...params: unknown[]): unknown[];
}

export interface SqlDatabase {
	prepare(sql: string): SqlStatement;
	exec(sql: string): void;
	/** Wrap `fn` so that each call runs in one transaction. */
	transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
	close(): void;
}

export interface Migration {
	/** Unique, stable id such as `reports/001-init`; applied in the order given. */
	id: string;
	sql: string;
}

/** Apply every migration not applied yet. Returns the ids applied by this call. */
export function migrate(db: SqlDatabase, migrations: readonly Migration[]): string[] {
	db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
	const has = db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?');
	const mark = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
	const applied: string[] = [];
	for (const m of migrations) {
		if (has.get(m.id)) continue;
		try {
			db.transaction(() => {
				db.exec(m.sql);
				mark.run(m.id, Date.now());
			})();
		} catch (e) {
			throw new WardenError('WARDEN_ERR_STORAGE', `migration ${m.id} failed: ${(e as Error).message}`, { migration: m.id });
		}
		applied.push(m.id);
	}
	return applied;
}
