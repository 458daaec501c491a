/** Options of the Detect engine: documented, validated once, frozen. */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import { WardenError } from '../../errors.ts';
import type { DetectStore, OutboxEntry, StoredEvent } from '../store/engine-store.ts';
import { unregisteredDirectory, type DetectConfigPort, type DetectProfile, type ThingDirectory } from './config-port.ts';

const DAY = 86_400_000;

/** Receives violation events: outbox rows written with the event, then a post-commit notice. */
export interface ViolationSink {
	outboxFor(e: StoredEvent, profile: DetectProfile | undefined): OutboxEntry[];
	committed(events: readonly StoredEvent[]): void;
}

export interface DetectEngineOptions {
	clock: Clock;
	store: DetectStore;
	config: DetectConfigPort;
	/** Registry view of things (default: every thing unregistered). */
	directory?: ThingDirectory;
	sink?: ViolationSink;
	/** Structured log line (default: none); level defaults to info. */
	log?: (msg: string, fields: Record<string, unknown>, level?: 'info' | 'warn' | 'error') => void;
	/** Datapoint retention in ms (default 14 days, spec §8.1). */
	datapointRetentionMs?: number;
	/** Violation event retention in ms (default 30 days, spec §8.1). */
	eventRetentionMs?: number;
	/** Alarm invalidation after this long without data, ms (default 2 days, spec §3.5). */
	invalidateAfterMs?: number;
	/** Period of the invalidation + retention sweep, ms (default 1 hour). */
	sweepIntervalMs?: number;
	/** Statistical datapoints are evaluated in batches at multiples of this period, ms (default 300,000). */
	statisticPeriodMs?: number;
	/** How long a thing's evaluation plan is cached, ms (default 60 s; `configChanged()` drops it at once). */
	planCacheMs?: number;
	/** Makes violation ids (default 32 random lowercase hex characters). */
	newId?: () => string;
	/**
	 * Group commit (default false): evaluation results of one event-loop turn are written in one
	 * transaction (scheduled with setImmediate, not a clock timer), so a burst of reports costs one
	 * fsync instead of one each. In-memory alarm state is updated at once; alerts leave after the
	 * commit. `flush()` forces the write.
	 */
	groupCommit?: boolean;
}

export type ResolvedEngineOptions = Required<Omit<DetectEngineOptions, 'sink' | 'log'>> & Pick<DetectEngineOptions, 'sink' | 'log'>;

const DURATIONS = ['datapointRetentionMs', 'eventRetentionMs', 'invalidateAfterMs', 'sweepIntervalMs', 'statisticPeriodMs', 'planCacheMs'] as const;

export function resolveEngineOptions(o: DetectEngineOptions): Readonly<ResolvedEngineOptions> {
	const r: ResolvedEngineOptions = {
		directory: unregisteredDirectory,
		datapointRetentionMs: 14 * DAY,
		eventRetentionMs: 30 * DAY,
		invalidateAfterMs: 2 * DAY,
		sweepIntervalMs: 3_600_000,
		statisticPeriodMs: 300_000,
		planCacheMs: 60_000,
		newId: () => randomBytes(16).toString('hex'),
		groupCommit: false,
		...o,
	};
	for (const k of DURATIONS) {
		const v = r[k];
		const min = k === 'planCacheMs' ? 0 : 1;
		if (typeof v !== 'number' || !Number.isFinite(v) || v < min) throw new WardenError('WARDEN_ERR_CONFIG', `detect: ${k} must be a finite number of ms >= ${min} (got ${String(v)})`);
	}
	if (typeof r.clock?.now !== 'function' || typeof r.store?.commit !== 'function' || typeof r.config?.profilesForThing !== 'function') {
		throw new WardenError('WARDEN_ERR_CONFIG', 'detect: clock, store and config are required');
	}
	return Object.freeze(r);
}
