/** Measuring helpers shared by the benchmarks. */

/** Operations per second of `fn` over one slice of `ms`, calling it `batch` times between clock reads. */
export function slice(fn: () => unknown, ms: number, batch = 100): number {
	const limit = BigInt(ms) * 1_000_000n;
	const start = process.hrtime.bigint();
	let n = 0;
	let elapsed = 0n;
	while (elapsed < limit) {
		for (let i = 0; i < batch; i++) fn();
		n += batch;
		elapsed = process.hrtime.bigint() - start;
	}
	return n / (Number(elapsed) / 1e9);
}

/** The median of a non-empty list. */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
