/**
 * Connection history for Audit (spec §5.2 checks 14 and 16): one row per MQTT session, written
 * from the broker's `broker.connect` / `broker.disconnect` events. A disconnect closes the oldest
 * open session of that client id, so a session taken over by a new connection with the same id
 * is closed even when the new CONNECT was seen first.
 */
import type { ConnectionRecord } from '../audit/snapshot.ts';
import type { Clock } from '../clock.ts';
import type { EventBus } from '../events.ts';
import type { SqlDatabase } from '../storage/database.ts';

export interface ConnectionHistory {
	/** Sessions that were open at some point in [since, until] (Unix ms), newest first. */
	list(since: number, until?: number): ConnectionRecord[];
	/** Delete sessions that ended before `before` (Unix ms); returns how many. */
	prune(before: number): number;
}

interface Row { client_id: string; certificate_id: string | null; thing_name: string | null; source_ip: string; connected_at: number; disconnected_at: number | null; disconnect_reason: string | null }

/** The SQLite store (tables from REGISTRY_MIGRATIONS). */
export function sqliteConnectionHistory(db: SqlDatabase): ConnectionHistory & {
	opened(e: { clientId: string; certificateId: string | null; thingName: string | null; sourceIp: string; at: number }): void;
	closed(e: { clientId: string; at: number; reason: string }): void;
} {
	const insert = db.prepare('INSERT INTO registry_connections (client_id, certificate_id, thing_name, source_ip, connected_at) VALUES (?,?,?,?,?)');
	const close = db.prepare(`UPDATE registry_connections SET disconnected_at = ?, disconnect_reason = ? WHERE id =
		(SELECT id FROM registry_connections WHERE client_id = ? AND disconnected_at IS NULL ORDER BY id ASC LIMIT 1)`);
	const list = db.prepare(`SELECT * FROM registry_connections WHERE connected_at <= ? AND (disconnected_at IS NULL OR disconnected_at >= ?)
		ORDER BY connected_at DESC, id DESC`);
	const prune = db.prepare('DELETE FROM registry_connections WHERE disconnected_at IS NOT NULL AND disconnected_at < ?');
	return {
		opened: (e) => void insert.run(e.clientId, e.certificateId, e.thingName, e.sourceIp, e.at),
		closed: (e) => void close.run(e.at, e.reason, e.clientId),
		list: (since, until = Number.MAX_SAFE_INTEGER) => (list.all(until, since) as Row[]).map((r) => ({
			clientId: r.client_id, certificateId: r.certificate_id, thingName: r.thing_name, sourceIp: r.source_ip,
			connectedAt: r.connected_at, disconnectedAt: r.disconnected_at, disconnectReason: r.disconnect_reason,
		})),
		prune: (before) => prune.run(before).changes,
	};
}

/** Longest time a connection event waits before it is written (ms of the service clock). */
export const HISTORY_FLUSH_MS = 250;

/**
 * Record sessions from the event bus. Events are written in batches (one transaction, so one
 * fsync, per HISTORY_FLUSH_MS or 500 events) so connection storms do not wait on the disk;
 * reads flush first. Returns the history and a stop function (which flushes).
 */
export function recordConnections(bus: EventBus, db: SqlDatabase, clock: Clock): { history: ConnectionHistory; stop: () => void } {
	const store = sqliteConnectionHistory(db);
	type Pending = { kind: 'open'; e: Parameters<typeof store.opened>[0] } | { kind: 'close'; e: Parameters<typeof store.closed>[0] };
	let pending: Pending[] = [];
	let cancel: (() => void) | null = null;
	const write = db.transaction((batch: Pending[]) => {
		for (const p of batch) {
			if (p.kind === 'open') store.opened(p.e);
			else store.closed(p.e);
		}
	});
	const flush = () => {
		cancel?.();
		cancel = null;
		if (pending.length === 0) return;
		const batch = pending;
		pending = [];
		write(batch);
	};
	const push = (p: Pending) => {
		pending.push(p);
		if (pending.length >= 500) flush();
		else cancel ??= clock.setTimer(HISTORY_FLUSH_MS, flush);
	};
	const offs = [
		bus.on('broker.connect', (e) => push({ kind: 'open', e })),
		bus.on('broker.disconnect', (e) => push({ kind: 'close', e })),
	];
	const history: ConnectionHistory = {
		list: (since, until) => (flush(), store.list(since, until)),
		prune: (before) => (flush(), store.prune(before)),
	};
	return { history, stop: () => (offs.forEach((off) => off()), flush()) };
}
