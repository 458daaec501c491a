/**
 * Delivers the alert outbox. Rows are written in the same transaction as their violation event,
 * so an alert survives a crash or restart; the dispatcher picks up due rows at start, after each
 * commit (`kick`) and on a Clock timer for retries. Failed deliveries back off exponentially
 * (`baseDelayMs · 2^(attempt−1)`, capped at `maxDelayMs`) and are parked after `maxAttempts`.
 * Delivery is at-least-once: receivers de-duplicate on `X-Warden-Delivery`.
 */
import type { Clock } from '../../clock.ts';
import type { DetectStore, OutboxEntry } from '../store/engine-store.ts';
import { signature } from './alert-body.ts';
import type { AlertDestination, StoredDestination } from './destinations.ts';

/** POST a body; resolves to the HTTP status, rejects on a network error. */
export type HttpPost = (url: string, headers: Record<string, string>, body: string) => Promise<number>;

export const fetchPost: HttpPost = async (url, headers, body) => {
	const res = await fetch(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
	await res.arrayBuffer().catch(() => undefined);
	return res.status;
};

export interface DispatcherOptions {
	clock: Clock;
	store: DetectStore;
	/** Current destination by name (secrets come from here, never from the outbox). */
	destination: (name: string) => AlertDestination | undefined;
	/** Publish on Warden's broker (QoS 1). */
	publish: (topic: string, payload: string) => Promise<void> | void;
	/** HTTP client (default: fetch with a 10 s timeout). */
	post?: HttpPost;
	/** First retry delay, ms (default 10,000). */
	baseDelayMs?: number;
	/** Longest retry delay, ms (default 3,600,000). */
	maxDelayMs?: number;
	/** Attempts before an alert is parked (default 20, about 17 hours of retries). */
	maxAttempts?: number;
	log?: (msg: string, fields: Record<string, unknown>) => void;
	/** Called after each attempt (tests and metrics). */
	onAttempt?: (id: string, ok: boolean, error?: string) => void;
}

export const PARKED_AT = Number.MAX_SAFE_INTEGER;

export class AlertDispatcher {
	readonly #o: Required<Omit<DispatcherOptions, 'log' | 'onAttempt'>> & Pick<DispatcherOptions, 'log' | 'onAttempt'>;
	#running = false;
	#again = false;
	#stopped = true;
	#cancel: (() => void) | undefined;
	#timerAt = Infinity;

	constructor(o: DispatcherOptions) {
		this.#o = Object.freeze({ post: fetchPost, baseDelayMs: 10_000, maxDelayMs: 3_600_000, maxAttempts: 20, ...o });
	}

	start(): void {
		this.#stopped = false;
		this.kick();
	}

	stop(): void {
		this.#stopped = true;
		this.#cancel?.();
		this.#cancel = undefined;
		this.#timerAt = Infinity;
	}

	/** Deliver whatever is due now (called after each commit that wrote outbox rows). */
	kick(): void {
		if (this.#stopped) return;
		if (this.#running) {
			this.#again = true;
			return;
		}
		this.#running = true;
		void this.#run().finally(() => {
			this.#running = false;
			if (this.#again) {
				this.#again = false;
				this.kick();
			}
		});
	}

	/** Resolves when no delivery is in flight (for orderly shutdown). */
	async idle(): Promise<void> {
		while (this.#running) await new Promise((r) => setImmediate(r));
	}

	async #run(): Promise<void> {
		for (;;) {
			if (this.#stopped) return;
			const due = this.#o.store.dueAlerts(this.#o.clock.now(), 20);
			if (due.length === 0) break;
			const results = await Promise.all(due.map((e) => this.#deliver(e)));
			const now = this.#o.clock.now();
			this.#o.store.batch(() => {
				for (const r of results) {
					if (r.error === undefined) this.#o.store.markAlertDelivered(r.e.id, now);
					else this.#o.store.markAlertFailed(r.e.id, r.attempts, r.nextAt, r.error);
				}
			});
			for (const r of results) this.#o.onAttempt?.(r.e.id, r.error === undefined, r.error);
		}
		this.#schedule();
	}

	#schedule(): void {
		const next = this.#o.store.nextAlertAt();
		if (next === undefined || next >= PARKED_AT || this.#stopped) return;
		if (next >= this.#timerAt) return;
		this.#cancel?.();
		this.#timerAt = next;
		this.#cancel = this.#o.clock.setTimer(next - this.#o.clock.now(), () => {
			this.#timerAt = Infinity;
			this.#cancel = undefined;
			this.kick();
		});
	}

	async #deliver(e: OutboxEntry): Promise<{ e: OutboxEntry; error?: string; attempts: number; nextAt: number }> {
		let error: string | undefined;
		try {
			const d = JSON.parse(e.destination) as StoredDestination;
			if (d.kind === 'mqtt') await this.#o.publish(d.topic, e.body);
			else {
				const current = this.#o.destination(d.name);
				if (!current || current.kind !== 'webhook') throw new Error(`destination ${d.name} is no longer configured`);
				const ts = String(Math.floor(this.#o.clock.now() / 1000));
				const status = await this.#o.post(current.url, {
					'content-type': 'application/json',
					'user-agent': 'warden-detect/1',
					'x-warden-delivery': e.id,
					'x-warden-timestamp': ts,
					'x-warden-signature': signature(current.secret, ts, e.body),
				}, e.body);
				if (status < 200 || status > 299) throw new Error(`HTTP ${status}`);
			}
		} catch (err) {
			error = (err as Error).message || String(err);
		}
		const attempts = e.attempts + 1;
		if (error === undefined) return { e, attempts, nextAt: 0 };
		const park = attempts >= this.#o.maxAttempts;
		const delay = Math.min(this.#o.maxDelayMs, this.#o.baseDelayMs * 2 ** (attempts - 1));
		this.#o.log?.('detect alert delivery failed', { id: e.id, attempts, error, parked: park });
		return { e, attempts, nextAt: park ? PARKED_AT : this.#o.clock.now() + delay, error: park ? `gave up: ${error}` : error };
	}
}
