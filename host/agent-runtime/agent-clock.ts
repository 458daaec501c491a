/**
 * The agent's `clock_ms` (docs/abi.md): monotonic ms since the runtime started, on the runtime's
 * Clock. With a sped-up Clock (ScaledClock × scale), waits that take wall time, not device time,
 * would look `scale` times longer to the agent: a 5 ms TCP handshake becomes 15 s at × 3000, past
 * the agent's 10 s deadline. While `isWaiting()` holds, this clock therefore runs at
 * 1/`networkTimeScale` of the Clock's speed, i.e. at wall speed when both scales match.
 * Call `sample()` whenever the waiting state may have changed; it returns the current value.
 */
import type { Clock } from '../clock.ts';
import { WardenError } from '../errors.ts';

export class AgentClock {
	readonly #clock: Clock;
	readonly #isWaiting: () => boolean;
	readonly #startedAt: number;
	/** Share of Clock time hidden while waiting (1 - 1/networkTimeScale). */
	readonly #hide: number;
	#hidden = 0;
	#waitSince: number | null = null;
	#last = 0;

	constructor(clock: Clock, networkTimeScale: number, isWaiting: () => boolean) {
		if (!Number.isFinite(networkTimeScale) || networkTimeScale < 1) {
			throw new WardenError('WARDEN_ERR_CONFIG', `networkTimeScale must be a finite number >= 1 (got ${networkTimeScale})`);
		}
		this.#clock = clock;
		this.#isWaiting = isWaiting;
		this.#startedAt = clock.now();
		this.#hide = 1 - 1 / networkTimeScale;
	}

	sample(): number {
		const now = this.#clock.now();
		if (this.#hide > 0) {
			const waiting = this.#isWaiting();
			if (waiting && this.#waitSince === null) this.#waitSince = now;
			if (!waiting && this.#waitSince !== null) {
				this.#hidden += (now - this.#waitSince) * this.#hide;
				this.#waitSince = null;
			}
		}
		const ongoing = this.#waitSince === null ? 0 : (now - this.#waitSince) * this.#hide;
		// docs/abi.md: clock_ms never decreases
		this.#last = Math.max(this.#last, Math.floor(now - this.#startedAt - this.#hidden - ongoing));
		return this.#last;
	}
}
