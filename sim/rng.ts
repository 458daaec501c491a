/**
 * A small seeded PRNG (sfc32 with a splitmix32 seeder) so that a fleet run is reproducible from one
 * seed; `fork(label)` derives an independent stream per device or scenario.
 */
export class Rng {
	#a: number;
	#b: number;
	#c: number;
	#d: number;
	readonly seed: number;

	constructor(seed: number) {
		this.seed = seed >>> 0;
		let s = this.seed;
		const next = () => {
			s = (s + 0x9e3779b9) | 0;
			let z = s;
			z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
			z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
			return (z ^ (z >>> 16)) >>> 0;
		};
		this.#a = next(); this.#b = next(); this.#c = next(); this.#d = next();
		for (let i = 0; i < 12; i++) this.u32();
	}

	/** 32 random bits, unsigned. */
	u32(): number {
		const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
		this.#d = (this.#d + 1) | 0;
		this.#a = this.#b ^ (this.#b >>> 9);
		this.#b = (this.#c + (this.#c << 3)) | 0;
		this.#c = (this.#c << 21) | (this.#c >>> 11);
		this.#c = (this.#c + t) | 0;
		return t >>> 0;
	}

	/** Uniform in [0, 1). */
	float(): number {
		return this.u32() / 0x1_0000_0000;
	}

	/** Integer in [min, max]. */
	int(min: number, max: number): number {
		return min + Math.floor(this.float() * (max - min + 1));
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.float() * items.length)]!;
	}

	/** Normal deviate (Box–Muller). */
	normal(mean = 0, sd = 1): number {
		const u = 1 - this.float();
		const v = this.float();
		return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
	}

	/** An independent stream for `label` (same seed + label → same stream). */
	fork(label: string): Rng {
		let h = this.seed ^ 0x811c9dc5;
		for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
		return new Rng(h >>> 0);
	}

	/** A public-looking IPv4 address outside the private and reserved ranges. */
	publicIp(): string {
		for (;;) {
			const a = this.int(1, 223);
			if ([10, 100, 127, 169, 172, 192, 198, 203].includes(a)) continue;
			return `${a}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
		}
	}
}
