/**
 * Recent samples of each windowed series (at most the longest window, 3,600 s), and the window
 * value of a behavior (spec §9 item 6): a sliding window (t − D, t] ending at the new sample;
 * `sum` metrics add the samples, `max` metrics take the largest. After a restart a series is
 * reloaded from the store the first time it is needed.
 */
import type { MetricValue } from '@aws-sdk/client-iot';
import type { DetectStore } from '../store/engine-store.ts';
import { numericOf, numericValue } from './metrics.ts';
import type { Unit } from './plan.ts';
import type { Sample } from './sample.ts';

export const MAX_WINDOW_MS = 3_600_000;

export class WindowHistory {
	readonly #store: DetectStore;
	readonly #series = new Map<string, Sample[]>();

	constructor(store: DetectStore) {
		this.#store = store;
	}

	/** Add `s` to its series and return the series (oldest first, `s` last). */
	add(s: Sample): Sample[] {
		const k = `${s.thing}\u0000${s.metric}\u0000${s.dimension}`;
		let h = this.#series.get(k);
		if (!h) h = this.#store.recentSamples(s.thing, s.metric, s.dimension, s.at - MAX_WINDOW_MS);
		h.push(s);
		let drop = 0;
		while (drop < h.length && h[drop]!.at <= s.at - MAX_WINDOW_MS) drop++;
		if (drop) h.splice(0, drop);
		this.#series.set(k, h);
		return h;
	}

	/** Drop series with nothing inside the longest window. */
	trim(now: number): void {
		for (const [k, h] of this.#series) if (h.length === 0 || h[h.length - 1]!.at <= now - MAX_WINDOW_MS) this.#series.delete(k);
	}
}

/** The datapoint of unit `u` for the new sample `s` (the window value when `u` has a window). */
export function windowValue(u: Unit, s: Sample, series: readonly Sample[] | undefined): MetricValue {
	if (u.windowMs === 0 || !series) return s.value;
	let acc = u.info.aggregation === 'sum' ? 0 : -Infinity;
	for (const h of series) {
		if (h.at <= s.at - u.windowMs) continue;
		const n = numericOf(h.value) ?? 0;
		acc = u.info.aggregation === 'sum' ? acc + n : Math.max(acc, n);
	}
	return numericValue(u.info.field, acc);
}
