/**
 * Cloud-side metrics measured by the broker (spec §2.1), aggregated per thing in 5-minute
 * buckets aligned to UTC multiples of 300 s. When a bucket closes (a Clock timer at the
 * boundary) every thing that was active in it or is still connected gets one sample per
 * counter metric, zero included, timestamped at the bucket end:
 *
 * - `aws:num-messages-sent` / `-received`, `aws:num-authorization-failures`,
 *   `aws:num-connection-attempts`, `aws:num-disconnects`: counts in the bucket.
 * - `aws:message-byte-size`: the largest message the device sent in the bucket (only when it sent one).
 * - `aws:disconnect-duration`: seconds the device has been disconnected so far, at every bucket
 *   close while it stays disconnected (up to 2 days), and the final length at reconnect.
 * - `aws:source-ip-address`: one sample per successful connection, immediately (not bucketed).
 *
 * TOPIC_FILTER dimensions (spec §2.5): for the (dimension, operator) pairs the thing's profiles
 * use, sent/received/auth-failure counts and the byte size are also kept per pair, counting
 * only messages whose topic is selected (IN: matches a filter, NOT_IN: matches none).
 * The thing is the thing name bound at connect (mTLS registry), else the MQTT client id.
 */
import type { Clock } from '../../clock.ts';
import type { WardenEvents } from '../../events.ts';
import type { Sample } from './sample.ts';
import { dimensionSelects } from './topic-filter.ts';

export const BUCKET_MS = 300_000;
const DISCONNECT_HORIZON_MS = 2 * 86_400_000;

/** A (dimension, operator) pair the thing's behaviors or retained metrics use. */
export interface WantedDimension {
	readonly key: string;
	readonly filters: readonly string[];
	readonly operator: 'IN' | 'NOT_IN';
}

interface Counters {
	sent: number;
	received: number;
	authFailures: number;
	maxBytes: number;
}

interface Bucket {
	all: Counters;
	attempts: number;
	disconnects: number;
	dims: Map<string, Counters>;
}

const zero = (): Counters => ({ sent: 0, received: 0, authFailures: 0, maxBytes: -1 });

export interface CloudMetricsOptions {
	clock: Clock;
	/** Receives samples (a closed bucket, or a source IP at connect). */
	emit: (samples: Sample[]) => void;
	/** Dimensions to count separately for a thing (from the profiles targeting it). */
	wantedDimensions: (thing: string) => readonly WantedDimension[];
}

export class CloudMetricAggregator {
	readonly #o: CloudMetricsOptions;
	readonly #thingOf = new Map<string, string>();
	readonly #connected = new Map<string, number>(); // thing → open connection count
	readonly #disconnectedSince = new Map<string, number>();
	#buckets = new Map<string, Bucket>();
	#bucketStart: number;
	#cancel: (() => void) | undefined;

	constructor(o: CloudMetricsOptions) {
		this.#o = o;
		this.#bucketStart = Math.floor(o.clock.now() / BUCKET_MS) * BUCKET_MS;
	}

	start(): void {
		this.#schedule();
	}

	stop(): void {
		this.#cancel?.();
		this.#cancel = undefined;
	}

	#schedule(): void {
		const due = this.#bucketStart + BUCKET_MS - this.#o.clock.now();
		this.#cancel = this.#o.clock.setTimer(due, () => {
			this.closeBucket();
			this.#schedule();
		});
	}

	#thing(clientId: string): string {
		return this.#thingOf.get(clientId) ?? clientId;
	}

	#bucket(thing: string): Bucket {
		let b = this.#buckets.get(thing);
		if (!b) {
			b = { all: zero(), attempts: 0, disconnects: 0, dims: new Map() };
			this.#buckets.set(thing, b);
		}
		return b;
	}

	#count(thing: string, clientId: string, topic: string, bytes: number, field: 'sent' | 'received' | 'authFailures'): void {
		const b = this.#bucket(thing);
		b.all[field]++;
		if (field === 'sent' && bytes > b.all.maxBytes) b.all.maxBytes = bytes;
		for (const d of this.#o.wantedDimensions(thing)) {
			if (!dimensionSelects(d.filters, d.operator, topic, clientId)) continue;
			let c = b.dims.get(d.key);
			if (!c) b.dims.set(d.key, (c = zero()));
			c[field]++;
			if (field === 'sent' && bytes > c.maxBytes) c.maxBytes = bytes;
		}
	}

	onConnectAttempt(ev: WardenEvents['broker.connect-attempt']): void {
		this.#bucket(this.#thing(ev.clientId)).attempts++;
	}

	onConnect(ev: WardenEvents['broker.connect']): void {
		const thing = ev.thingName ?? ev.clientId;
		this.#thingOf.set(ev.clientId, thing);
		this.#connected.set(thing, (this.#connected.get(thing) ?? 0) + 1);
		const b = this.#bucket(thing);
		const pre = thing !== ev.clientId ? this.#buckets.get(ev.clientId) : undefined;
		if (pre && !this.#connected.has(ev.clientId)) {
			// the attempt was counted before authentication told us the thing name
			b.attempts += pre.attempts;
			pre.attempts = 0;
			if (pre.all.sent + pre.all.received + pre.all.authFailures + pre.disconnects === 0) this.#buckets.delete(ev.clientId);
		}
		const out: Sample[] = [{ thing, metric: 'aws:source-ip-address', dimension: '', at: ev.at, value: { cidrs: [ev.sourceIp] } }];
		const since = this.#disconnectedSince.get(thing);
		if (since !== undefined) {
			// the final length of the outage, measured at reconnect
			this.#disconnectedSince.delete(thing);
			out.push({ thing, metric: 'aws:disconnect-duration', dimension: '', at: ev.at, value: { count: Math.round((ev.at - since) / 1000) } });
		}
		this.#o.emit(out);
	}

	onDisconnect(ev: WardenEvents['broker.disconnect']): void {
		const thing = ev.thingName ?? this.#thing(ev.clientId);
		this.#bucket(thing).disconnects++;
		const n = (this.#connected.get(thing) ?? 1) - 1;
		if (n > 0) this.#connected.set(thing, n);
		else {
			this.#connected.delete(thing);
			this.#disconnectedSince.set(thing, ev.at);
		}
		this.#thingOf.delete(ev.clientId);
	}

	onPublish(ev: WardenEvents['broker.publish']): void {
		this.#count(this.#thing(ev.clientId), ev.clientId, ev.topic, ev.bytes, 'sent');
	}

	onDeliver(ev: WardenEvents['broker.deliver']): void {
		this.#count(this.#thing(ev.clientId), ev.clientId, ev.topic, ev.bytes, 'received');
	}

	onAuthFailure(ev: WardenEvents['broker.auth-failure']): void {
		this.#count(this.#thing(ev.clientId), ev.clientId, ev.resource, 0, 'authFailures');
	}

	/** Close the current bucket now (normally called by the timer at the boundary). */
	closeBucket(): void {
		const at = this.#bucketStart + BUCKET_MS;
		const buckets = this.#buckets;
		this.#buckets = new Map();
		this.#bucketStart = at;
		for (const thing of this.#connected.keys()) if (!buckets.has(thing)) buckets.set(thing, { all: zero(), attempts: 0, disconnects: 0, dims: new Map() });
		for (const thing of this.#disconnectedSince.keys()) if (!buckets.has(thing)) buckets.set(thing, { all: zero(), attempts: 0, disconnects: 0, dims: new Map() });
		for (const [thing, b] of buckets) {
			const out: Sample[] = [];
			const add = (metric: string, dimension: string, count: number) => out.push({ thing, metric, dimension, at, value: { count } });
			add('aws:num-messages-sent', '', b.all.sent);
			add('aws:num-messages-received', '', b.all.received);
			add('aws:num-authorization-failures', '', b.all.authFailures);
			add('aws:num-connection-attempts', '', b.attempts);
			add('aws:num-disconnects', '', b.disconnects);
			if (b.all.maxBytes >= 0) add('aws:message-byte-size', '', b.all.maxBytes);
			for (const d of this.#o.wantedDimensions(thing)) {
				const c = b.dims.get(d.key) ?? zero();
				add('aws:num-messages-sent', d.key, c.sent);
				add('aws:num-messages-received', d.key, c.received);
				add('aws:num-authorization-failures', d.key, c.authFailures);
				if (c.maxBytes >= 0) add('aws:message-byte-size', d.key, c.maxBytes);
			}
			const since = this.#disconnectedSince.get(thing);
			if (since !== undefined) {
				add('aws:disconnect-duration', '', Math.round((at - since) / 1000));
				if (at - since > DISCONNECT_HORIZON_MS) this.#disconnectedSince.delete(thing);
			}
			this.#o.emit(out);
		}
	}

	/** Things currently tracked (connected, disconnected within 2 days, or active in the open bucket). */
	get trackedThings(): number {
		return new Set([...this.#connected.keys(), ...this.#disconnectedSince.keys(), ...this.#buckets.keys()]).size;
	}
}
