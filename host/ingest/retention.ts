/**
 * Stored reports are kept for the metric-data retention of spec §2 (14 days), then deleted by a
 * clock-driven sweep. With a VirtualClock the sweep runs as the clock is advanced.
 */
import type { Clock } from '../clock.ts';
import type { ReportStore } from './report-store.ts';

export const REPORT_RETENTION_MS = 14 * 24 * 3600 * 1000;

export interface RetentionOptions {
	store: ReportStore;
	clock: Clock;
	/** How long a report is kept, in ms (default 14 days). */
	retentionMs?: number;
	/** Time between sweeps, in ms (default 1 hour). */
	intervalMs?: number;
	/** Called after each sweep that deleted something. */
	onSweep?: (deleted: number) => void;
	onError?: (e: unknown) => void;
}

/** Start sweeping (the first sweep runs immediately); returns the stop function. */
export function startReportRetention(o: RetentionOptions): () => void {
	const retention = o.retentionMs ?? REPORT_RETENTION_MS;
	const interval = o.intervalMs ?? 3600 * 1000;
	let cancel: (() => void) | null = null;
	let stopped = false;
	const sweep = () => {
		if (stopped) return;
		try {
			const n = o.store.deleteBefore(o.clock.now() - retention);
			if (n > 0) o.onSweep?.(n);
		} catch (e) {
			o.onError?.(e);
		}
		cancel = o.clock.setTimer(interval, sweep);
	};
	sweep();
	return () => {
		stopped = true;
		cancel?.();
	};
}
