/**
 * One clock abstraction for the whole service. Components take a `Clock`; nothing below the
 * CLI calls `Date.now()` or `setTimeout` directly. `SystemClock` runs on wall time,
 * `VirtualClock` on time driven by the simulator or a test (`advance`).
 */
export interface Clock {
	/** Current time in Unix milliseconds. */
	now(): number;
	/** Run `fn` once after `ms` milliseconds of this clock's time; returns a cancel function. */
	setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = Object.freeze({
	now: () => Date.now(),
	setTimer(ms: number, fn: () => void) {
		const t = setTimeout(fn, Math.max(0, ms));
		t.unref?.();
		return () => clearTimeout(t);
	},
});

interface Pending {
	at: number;
	seq: number;
	fn: () => void;
}

/** A clock that only moves when told to. Timers fire in time order during `advance`. */
export class VirtualClock implements Clock {
	#now: number;
	#seq = 0;
	#pending: Pending[] = [];

	/** @param start initial time in Unix ms (default 2026-01-01T00:00:00Z) */
	constructor(start = Date.UTC(2026, 0, 1)) {
		this.#now = start;
	}

	now(): number {
		return this.#now;
	}

	setTimer(ms: number, fn: () => void): () => void {
		const entry: Pending = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
		this.#pending.push(entry);
		return () => {
			const i = this.#pending.indexOf(entry);
			if (i >= 0) this.#pending.splice(i, 1);
		};
	}

	/** Move time forward by `ms`, firing due timers in order (timers may schedule more). */
	advance(ms: number): void {
		this.advanceTo(this.#now + ms);
	}

	/** Move time forward to `t` (Unix ms); never moves backwards. */
	advanceTo(t: number): void {
		for (;;) {
			let next: Pending | undefined;
			for (const p of this.#pending) {
				if (p.at <= t && (!next || p.at < next.at || (p.at === next.at && p.seq < next.seq))) next = p;
			}
			if (!next) break;
			this.#pending.splice(this.#pending.indexOf(next), 1);
			if (next.at > this.#now) this.#now = next.at;
			next.fn();
		}
		if (t > this.#now) this.#now = t;
	}

	/** Number of timers not yet fired. */
	get pendingTimers(): number {
		return this.#pending.length;
	}
}

/**
 * Wall time sped up by `scale` from the moment of creation: used by the demo and `warden sim`
 * so that a 300 s reporting interval passes in a few seconds while broker and agents share one
 * notion of time. Timers are real timers shortened by the same factor.
 */
export class ScaledClock implements Clock {
	readonly #wallStart: number;
	readonly #start: number;
	readonly scale: number;

	/** @param scale virtual seconds per wall second (>= 1) @param start virtual start in Unix ms (default: now) */
	constructor(scale: number, start = Date.now()) {
		if (!(scale >= 1) || !Number.isFinite(scale)) throw new RangeError('scale must be a finite number >= 1');
		this.scale = scale;
		this.#wallStart = Date.now();
		this.#start = start;
	}

	now(): number {
		return this.#start + Math.floor((Date.now() - this.#wallStart) * this.scale);
	}

	setTimer(ms: number, fn: () => void): () => void {
		const t = setTimeout(fn, Math.max(0, ms / this.scale));
		t.unref?.();
		return () => clearTimeout(t);
	}
}
