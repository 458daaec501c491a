/**
 * Statistical thresholds (spec §3.4). The population of a (profile, behavior) is the latest
 * datapoint value of every device the profile targets that produced one within `horizonMs`
 * (2 days, the alarm-invalidation horizon). A percentile is recomputed only when the population
 * changed and at most once per `refreshMs` of clock time; the engine asks once per 5-minute period.
 */

/** The statistic names AWS accepts (`p0`..`p100`), as fractions. */
export function parseStatistic(statistic: string | undefined): number | undefined {
	const m = /^p(\d{1,3}(?:\.\d{1,2})?)$/.exec(statistic ?? '');
	if (!m) return undefined;
	const p = Number(m[1]);
	return p >= 0 && p <= 100 ? Math.round(p * 100) / 10_000 : undefined;
}

/**
 * Nearest-rank percentile over `sorted` (ascending): the smallest value such that at least
 * `q` of the measurements are at or below it. p0 is the minimum, p100 the maximum.
 */
export function percentile(sorted: readonly number[], q: number): number | undefined {
	if (sorted.length === 0) return undefined;
	const rank = Math.max(1, Math.ceil(q * sorted.length));
	return sorted[Math.min(sorted.length, rank) - 1];
}

interface Population {
	values: Map<string, { v: number; at: number }>;
	cached: number | undefined;
	cachedAt: number;
	dirty: boolean;
}

export class StatisticalPopulations {
	readonly #pops = new Map<string, Population>();
	readonly #refreshMs: number;
	readonly #horizonMs: number;
	readonly #minPopulation: number;

	/**
	 * @param refreshMs recompute a percentile at most this often (ms of clock time; default 300,000)
	 * @param horizonMs values older than this leave the population (ms; default 2 days)
	 * @param minPopulation fewer devices than this → no threshold, the datapoint is not evaluated (default 2)
	 */
	constructor(refreshMs = 300_000, horizonMs = 2 * 86_400_000, minPopulation = 2) {
		this.#refreshMs = refreshMs;
		this.#horizonMs = horizonMs;
		this.#minPopulation = minPopulation;
	}

	/** Record a device's latest value for a population key (`profile/behavior`). */
	record(key: string, thing: string, value: number, at: number): void {
		let p = this.#pops.get(key);
		if (!p) {
			p = { values: new Map(), cached: undefined, cachedAt: -Infinity, dirty: true };
			this.#pops.set(key, p);
		}
		p.values.set(thing, { v: value, at });
		p.dirty = true;
	}

	/** The percentile `q` of a population at time `now` (cached for `refreshMs`). */
	threshold(key: string, q: number, now: number): number | undefined {
		const p = this.#pops.get(key);
		if (!p) return undefined;
		if (p.dirty && now - p.cachedAt >= this.#refreshMs) {
			const vals: number[] = [];
			for (const [thing, e] of p.values) {
				if (now - e.at > this.#horizonMs) p.values.delete(thing);
				else vals.push(e.v);
			}
			vals.sort((a, b) => a - b);
			p.cached = vals.length >= this.#minPopulation ? percentile(vals, q) : undefined;
			p.cachedAt = now;
			p.dirty = false;
		}
		return p.cached;
	}

	/** Forget a device everywhere (it left every target). */
	forget(thing: string): void {
		for (const p of this.#pops.values()) if (p.values.delete(thing)) p.dirty = true;
	}

	get size(): number {
		let n = 0;
		for (const p of this.#pops.values()) n += p.values.size;
		return n;
	}
}
