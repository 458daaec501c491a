/** The SQLite driver behind the storage port (better-sqlite3, WAL, synchronous=FULL). */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { WardenError } from '../errors.ts';
import type { SqlDatabase } from './database.ts';

/**
 * Open (creating if needed) a SQLite file. `synchronous=FULL` in WAL mode makes a committed
 * transaction survive `kill -9` and power loss, which is what "acknowledged means stored" needs.
 * Pass `:memory:` for unit tests.
 */
export function openSqlite(file: string): SqlDatabase {
	try {
		if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
		const db = new Database(file);
		db.pragma('journal_mode = WAL');
		db.pragma('synchronous = FULL');
		db.pragma('foreign_keys = ON');
		db.pragma('busy_timeout = 5000');
		return db as unknown as SqlDatabase;
	} catch (e) {
		throw new WardenError('WARDEN_ERR_STORAGE', `cannot open database ${file}: ${(e as Error).message}`, { file });
	}
}
