/** Shared set-up for the Detect tests: an engine on a VirtualClock over a real SQLite database. */
import type { Behavior } from '@aws-sdk/client-iot';
import { VirtualClock } from '../../host/clock.ts';
import { migrate, type SqlDatabase } from '../../host/storage/database.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import { DetectEngine, type DetectEngineOptions, type ViolationSink } from '../../host/detect/engine/engine.ts';
import { MemoryDetectConfig } from '../../host/detect/engine/memory-config.ts';
import { detectEngineMigrations } from '../../host/detect/store/schema.ts';
import { SqliteDetectStore } from '../../host/detect/store/sqlite-engine-store.ts';
import type { StoredEvent } from '../../host/detect/store/engine-store.ts';
import type { DeviceReport } from '../../host/ingest/report-types.ts';

export const ALL_THINGS = 'arn:aws:iot:us-east-1:123456789012:all/things';

export interface Rig {
	clock: VirtualClock;
	db: SqlDatabase;
	store: SqliteDetectStore;
	config: MemoryDetectConfig;
	engine: DetectEngine;
	/** Every violation event committed, in order. */
	events: StoredEvent[];
}

export function openStore(file: string): { db: SqlDatabase; store: SqliteDetectStore } {
	const db = openSqlite(file);
	migrate(db, detectEngineMigrations);
	return { db, store: new SqliteDetectStore(db) };
}

export function rig(opts: { file?: string; clock?: VirtualClock; config?: MemoryDetectConfig; sink?: ViolationSink; engine?: Partial<DetectEngineOptions> } = {}): Rig {
	const clock = opts.clock ?? new VirtualClock();
	const config = opts.config ?? new MemoryDetectConfig();
	const { db, store } = openStore(opts.file ?? ':memory:');
	const events: StoredEvent[] = [];
	const sink: ViolationSink = {
		outboxFor: (e, p) => opts.sink?.outboxFor(e, p) ?? [],
		committed: (evs) => {
			events.push(...evs);
			opts.sink?.committed(evs);
		},
	};
	const engine = new DetectEngine({ clock, store, config, directory: config, sink, ...opts.engine });
	engine.start();
	return { clock, db, store, config, engine, events };
}

export function profile(config: MemoryDetectConfig, name: string, behaviors: Behavior[], extra: { targets?: string[]; alertTargets?: Record<string, { alertTargetArn: string; roleArn: string }> } = {}) {
	return config.putProfile({ name, behaviors, targets: extra.targets ?? [ALL_THINGS], alertTargets: extra.alertTargets });
}

let rid = 1;
/** A report with the given metrics (ids increase). */
export function report(metrics: DeviceReport['metrics'], custom?: DeviceReport['custom_metrics']): DeviceReport {
	return { header: { report_id: rid++, version: '1.0' }, metrics, custom_metrics: custom };
}

export function tcpPorts(...ports: number[]): DeviceReport['metrics'] {
	return { listening_tcp_ports: { ports: ports.map((port) => ({ port })), total: ports.length } };
}

/** Deliver a report for `thing` at the clock's current time. */
export function send(r: Rig, thing: string, rep: DeviceReport): void {
	r.engine.onReport({ thingName: thing, clientId: thing, reportId: rep.header.report_id, format: 'json', report: rep, at: r.clock.now() });
}

export const MIN5 = 300_000;
export const DAY = 86_400_000;
