/**
 * Tags of AWS resources served by Warden (TagResource, UntagResource, ListTagsForResource and
 * the `tags` member of Create* operations), one table for every feature keyed by resource ARN.
 * Features register which resource types are taggable and how to tell whether one exists
 * (`TagRegistry.register`), so the tag operations answer ResourceNotFoundException correctly.
 */
import type { Tag } from '@aws-sdk/client-iot';
import { migrate, type Migration, type SqlDatabase, type SqlStatement } from '../storage/database.ts';

/** Tags per resource (AWS: 50). */
export const MAX_TAGS_PER_RESOURCE = 50;

export const apiTagMigrations: Migration[] = [
	{
		id: 'api/001-tags',
		sql: `
CREATE TABLE api_resource_tags (
	arn TEXT NOT NULL,
	key TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (arn, key)
);`,
	},
];

export class TagStore {
	readonly #db: SqlDatabase;
	readonly #s: Record<'list' | 'put' | 'remove' | 'clear', SqlStatement>;

	/** Applies the api tag migrations on `db`. */
	constructor(db: SqlDatabase) {
		migrate(db, apiTagMigrations);
		this.#db = db;
		this.#s = {
			list: db.prepare('SELECT key, value FROM api_resource_tags WHERE arn = ? ORDER BY key'),
			put: db.prepare('INSERT OR REPLACE INTO api_resource_tags (arn, key, value) VALUES (?, ?, ?)'),
			remove: db.prepare('DELETE FROM api_resource_tags WHERE arn = ? AND key = ?'),
			clear: db.prepare('DELETE FROM api_resource_tags WHERE arn = ?'),
		};
	}

	list(arn: string): Tag[] {
		return (this.#s.list.all(arn) as { key: string; value: string }[]).map((r) => ({ Key: r.key, Value: r.value }));
	}

	/** Add or overwrite tags; returns the number of tags the resource would have afterwards. */
	countAfter(arn: string, tags: readonly Tag[]): number {
		const keys = new Set(this.list(arn).map((t) => t.Key));
		for (const t of tags) keys.add(t.Key);
		return keys.size;
	}

	put(arn: string, tags: readonly Tag[]): void {
		this.#db.transaction(() => {
			for (const t of tags) this.#s.put.run(arn, t.Key, t.Value ?? '');
		})();
	}

	remove(arn: string, keys: readonly string[]): void {
		this.#db.transaction(() => {
			for (const k of keys) this.#s.remove.run(arn, k);
		})();
	}

	/** Forget every tag of a deleted resource. */
	clear(arn: string): void {
		this.#s.clear.run(arn);
	}
}

const shared = new WeakMap<SqlDatabase, TagStore>();

/** The one TagStore of a database. */
export function tagStoreFor(db: SqlDatabase): TagStore {
	let s = shared.get(db);
	if (!s) {
		s = new TagStore(db);
		shared.set(db, s);
	}
	return s;
}

/** Which resource types (the ARN resource part before `/`) can be tagged, and whether one exists. */
export class TagRegistry {
	readonly #types = new Map<string, (name: string) => boolean>();

	/** `type` as in the ARN, e.g. `securityprofile`; `exists` receives the decoded name after `type/`. */
	register(type: string, exists: (name: string) => boolean): void {
		this.#types.set(type, exists);
	}

	types(): string[] {
		return [...this.#types.keys()].sort();
	}

	/** undefined: not a taggable type; otherwise whether the named resource exists. */
	exists(type: string, name: string): boolean | undefined {
		const fn = this.#types.get(type);
		return fn ? fn(name) : undefined;
	}
}
