/**
 * Collects evaluation results into store transactions. Without grouping every step is written at
 * once; with grouping, everything produced in one event-loop turn is merged and written in one
 * transaction on `setImmediate` (I/O batching, not a clock timer), so a burst of reports costs
 * one fsync. `flush()` writes immediately.
 */
import type { CommitBatch } from '../store/engine-store.ts';

export function emptyBatch(): CommitBatch {
	return { datapoints: [], alarms: [], upsertViolations: [], deleteViolations: [], events: [], outbox: [] };
}

export class CommitBuffer {
	readonly #write: (b: CommitBatch) => void;
	readonly #group: boolean;
	readonly #onError: (e: unknown) => void;
	#pending: CommitBatch | undefined;

	constructor(write: (b: CommitBatch) => void, group: boolean, onError: (e: unknown) => void) {
		this.#write = write;
		this.#group = group;
		this.#onError = onError;
	}

	push(b: CommitBatch): void {
		if (!this.#group) return this.#write(b);
		const p = this.#pending;
		if (!p) {
			this.#pending = b;
			setImmediate(() => {
				try {
					this.flush();
				} catch (e) {
					// the process keeps serving; the in-memory alarm state stays ahead of the store until the next write
					this.#onError(e);
				}
			});
			return;
		}
		p.datapoints.push(...b.datapoints);
		p.alarms.push(...b.alarms);
		p.upsertViolations.push(...b.upsertViolations);
		p.deleteViolations.push(...b.deleteViolations);
		p.events.push(...b.events);
		p.outbox.push(...b.outbox);
	}

	flush(): void {
		const b = this.#pending;
		this.#pending = undefined;
		if (b) this.#write(b);
	}
}
