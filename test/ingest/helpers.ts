/** An ingest service over an in-memory SQLite database and a virtual clock (no sockets, no timers). */
import { VirtualClock } from '../../host/clock.ts';
import { EventBus } from '../../host/events.ts';
import { createIngest } from '../../host/ingest/ingest-service.ts';
import { ingestMigrations } from '../../host/ingest/schema.ts';
import { createSqliteReportStore } from '../../host/ingest/sqlite-report-store.ts';
import { migrate } from '../../host/storage/database.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';

export function memoryIngest(minReportIntervalSec = 0) {
	const db = openSqlite(':memory:');
	migrate(db, ingestMigrations);
	const store = createSqliteReportStore(db);
	const bus = new EventBus((n, e) => {
		throw new Error(`listener of ${n} failed: ${String(e)}`);
	});
	const clock = new VirtualClock(Date.UTC(2026, 5, 1));
	const ingest = createIngest({ store, bus, clock, minReportIntervalSec });
	return { db, store, bus, clock, ingest };
}
