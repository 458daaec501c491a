/**
 * Batch GCD over RSA moduli (Heninger, Durumeric, Wustrow, Halderman, "Mining Your Ps and Qs",
 * USENIX Security 2012; algorithm after Bernstein, "How to find smooth parts of integers"):
 * a product tree P = ∏ Nᵢ, then a remainder tree giving P mod Nᵢ², and gᵢ = gcd((P mod Nᵢ²)/Nᵢ, Nᵢ).
 * gᵢ > 1 means Nᵢ shares a prime with another modulus in the batch. Plain BigInt, O(n log² n)
 * multiplications instead of n² pairwise gcds.
 */

export function gcd(a: bigint, b: bigint): bigint {
	if (a < 0n) a = -a;
	if (b < 0n) b = -b;
	while (b !== 0n) {
		const t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/** Levels of the product tree, leaves first; the last level holds the product of all moduli. */
export function productTree(moduli: readonly bigint[]): bigint[][] {
	const levels: bigint[][] = [moduli.slice()];
	let cur = levels[0]!;
	while (cur.length > 1) {
		const next: bigint[] = new Array(Math.ceil(cur.length / 2));
		for (let i = 0; i < next.length; i++) {
			const a = cur[2 * i]!;
			const b = cur[2 * i + 1];
			next[i] = b === undefined ? a : a * b;
		}
		levels.push(next);
		cur = next;
	}
	return levels;
}

/**
 * For each modulus, the gcd with the product of all the others (1 when it shares nothing).
 * Duplicated moduli give gcd = N; callers should de-duplicate first.
 */
export function batchGcd(moduli: readonly bigint[]): bigint[] {
	if (moduli.length < 2) return moduli.map(() => 1n);
	const levels = productTree(moduli);
	let rems: bigint[] = levels[levels.length - 1]!.slice();
	for (let l = levels.length - 2; l >= 0; l--) {
		const level = levels[l]!;
		const next: bigint[] = new Array(level.length);
		for (let i = 0; i < level.length; i++) {
			const n = level[i]!;
			next[i] = rems[i >> 1]! % (n * n);
		}
		rems = next;
	}
	return moduli.map((n, i) => gcd(rems[i]! / n, n));
}
