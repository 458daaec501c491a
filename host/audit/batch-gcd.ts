/**
 * Batch GCD over RSA moduli (Heninger, Durumeric, Wustrow, Halderman, "Mining Your Ps and Qs",
 * USENIX Security 2012; algorithm after Bernstein, "How to find smooth parts of integers"):
 * a product tree P = ∏ Nᵢ, then a remainder tree giving P mod Nᵢ², and gᵢ = gcd((P mod Nᵢ²)/Nᵢ, Nᵢ).
 * gᵢ > 1 means Nᵢ shares a prime with another modulus in the batch. Plain BigInt, O(n log² n)
 * instead of n² pairwise gcds.
 *
 * `batchGcd` is the textbook remainder tree (one BigInt division per node). `batchGcdScaled` is
 * Bernstein's scaled remainder tree ("Scaled remainder trees", 2004): it carries the fraction
 * t = frac(P / X²) in fixed point and gets a child's fraction as frac(t · sibling²), one
 * multiplication per node and a single division at the root. Measured on Node 20 / V8 the two
 * are within noise of each other (V8's large division is only ~4.6× a multiplication), so the
 * check uses the simpler one; the tests hold both to the same answers.
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

/** Guard bits of the fixed-point fractions: truncation errors stay below 2^-GUARD of a unit at every leaf. */
const GUARD = 64;

/** Bit length of a (small, leaf-sized) positive BigInt. */
function bitLength(x: bigint): number {
	return x === 0n ? 0 : x.toString(16).length * 4 - Math.clz32(Number.parseInt(x.toString(16)[0]!, 16)) + 28;
}

/**
 * Same result as `batchGcd`, with a scaled remainder tree. For a node X with fraction
 * t_X = frac(P / X²) held as T_X / 2^s_X (s_X = 2·bits(X) + GUARD), a child C with sibling S has
 * t_C = frac(t_X · S²); at a leaf N, P mod N² = round(t_N · N²) (mod N², which absorbs a
 * wrap-around of the approximated fraction). Bit lengths are upper bounds summed from the leaves.
 */
export function batchGcdScaled(moduli: readonly bigint[]): bigint[] {
	if (moduli.length < 2) return moduli.map(() => 1n);
	const levels = productTree(moduli);
	const bits: number[][] = [moduli.map(bitLength)];
	for (let l = 1; l < levels.length; l++) {
		const below = bits[l - 1]!;
		bits.push(levels[l]!.map((_, i) => below[2 * i]! + (below[2 * i + 1] ?? 0)));
	}
	const top = levels.length - 1;
	const rootBits = bits[top]![0]!;
	let scale = [2 * rootBits + GUARD];
	// t_root = frac(P / P²) = 1 / P
	let fracs = [(1n << BigInt(scale[0]!)) / levels[top]![0]!];
	for (let l = top - 1; l >= 0; l--) {
		const level = levels[l]!;
		const nextFracs: bigint[] = new Array(level.length);
		const nextScale: number[] = new Array(level.length);
		for (let i = 0; i < level.length; i++) {
			const parent = i >> 1;
			const sCpos = 2 * bits[l]![i]! + GUARD;
			nextScale[i] = sCpos;
			const sibling = level[i ^ 1];
			const sP = scale[parent]!;
			const tP = fracs[parent]!;
			if (sibling === undefined) {
				// an odd node is its parent: same fraction, maybe at a lower precision
				nextFracs[i] = sP >= sCpos ? tP >> BigInt(sP - sCpos) : tP << BigInt(sCpos - sP);
				continue;
			}
			const u = BigInt.asUintN(sP, tP * sibling * sibling);
			nextFracs[i] = sP >= sCpos ? u >> BigInt(sP - sCpos) : u << BigInt(sCpos - sP);
		}
		fracs = nextFracs;
		scale = nextScale;
	}
	return moduli.map((n, i) => {
		const n2 = n * n;
		const s = BigInt(scale[i]!);
		let r = (fracs[i]! * n2 + (1n << (s - 1n))) >> s;
		if (r >= n2) r -= n2;
		return gcd(r / n, n);
	});
}
