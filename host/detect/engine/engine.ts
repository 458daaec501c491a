/**
 * The Detect engine: turns samples (accepted reports, closed cloud buckets) into datapoints,
 * evaluates every applicable behavior, runs the alarm state machine (spec §3.5) and records
 * active violations and violation events, all in one store transaction per thing and step.
 * Alerts are handed to a ViolationSink (host/detect/alerts) inside the same transaction
 * (outbox) and after commit (MQTT, log).
 *
 * Windows (spec §9 item 6): a behavior with durationSeconds D evaluates a sliding window
 * (t − D, t] ending at each new sample: `sum` metrics add the samples, `max` metrics take the
 * largest. Device samples arrive per report; cloud samples per 5-minute bucket (aligned to
 * UTC multiples of 300 s), so cloud windows slide in 5-minute steps. One sample = one datapoint.
 *
 * Statistical thresholds (spec §3.4): the population of a (profile, behavior) is the latest
 * datapoint of every device the profile targets that produced one in the last 2 days. Statistical
 * datapoints are evaluated in batches at each 5-minute boundary (`statisticPeriodMs`), against the
 * percentile of the population as it stands then, so that a fleet-wide change in one period (the
 * whole fleet's traffic rising in the morning) moves the threshold before anyone is compared.
 */
import { randomBytes } from 'node:crypto';
import type { MetricValue } from '@aws-sdk/client-iot';
import type { Clock } from '../../clock.ts';
import type { EventBus, WardenEvents } from '../../events.ts';
import type { AlarmKey, CommitBatch, DetectStore, OutboxEntry, StoredEvent } from '../store/engine-store.ts';
import { NORMAL, isInAlarm, isTrivial, step, type AlarmState } from './alarm-machine.ts';
import { CloudMetricAggregator } from './cloud-metrics.ts';
import { compareNumber, conforms } from './compare.ts';
import { unregisteredDirectory, type DetectConfigPort, type DetectProfile, type ThingDirectory } from './config-port.ts';
import { numericOf, numericValue } from './metrics.ts';
import { StatisticalPopulations } from './percentile.ts';
import { buildPlan, planKey, profilesOf, seriesKey, type Plan, type Unit } from './plan.ts';
import { samplesFromReport } from './report-datapoints.ts';
import type { Sample } from './sample.ts';

const DAY = 86_400_000;
const MAX_WINDOW_MS = 3_600_000;

/** Receives violation events: outbox rows written with the event, then a post-commit notice. */
export interface ViolationSink {
	outboxFor(e: StoredEvent, profile: DetectProfile | undefined): OutboxEntry[];
	committed(events: readonly StoredEvent[]): void;
}

export interface DetectEngineOptions {
	clock: Clock;
	store: DetectStore;
	config: DetectConfigPort;
	/** Registry view of things (default: every thing unregistered). */
	directory?: ThingDirectory;
	sink?: ViolationSink;
	/** Structured log line (default: none); level defaults to info. */
	log?: (msg: string, fields: Record<string, unknown>, level?: 'info' | 'warn' | 'error') => void;
	/** Datapoint retention in ms (default 14 days, spec §8.1). */
	datapointRetentionMs?: number;
	/** Violation event retention in ms (default 30 days, spec §8.1). */
	eventRetentionMs?: number;
	/** Alarm invalidation after this long without data, ms (default 2 days, spec §3.5). */
	invalidateAfterMs?: number;
	/** Period of the invalidation + retention sweep, ms (default 1 hour). */
	sweepIntervalMs?: number;
	/** Statistical datapoints are evaluated in batches at multiples of this period, ms (default 300,000). */
	statisticPeriodMs?: number;
	/** How long a thing's evaluation plan is cached, ms (default 60 s; `configChanged()` drops it at once). */
	planCacheMs?: number;
	/** Makes violation ids (default 32 random lowercase hex characters). */
	newId?: () => string;
	/**
	 * Group commit (default false): evaluation results of one event-loop turn are written in one
	 * transaction (scheduled with setImmediate, not a clock timer), so a burst of reports costs one
	 * fsync instead of one each. In-memory alarm state is updated at once; alerts leave after the
	 * commit. `flush()` forces the write.
	 */
	groupCommit?: boolean;
}

type Resolved = Required<Omit<DetectEngineOptions, 'sink' | 'log'>> & Pick<DetectEngineOptions, 'sink' | 'log'>;

const keyString = (k: AlarmKey) => `${k.thing}\u0000${k.profile}\u0000${k.behavior}\u0000${k.dimension}`;

export class DetectEngine {
	readonly #o: Readonly<Resolved>;
	readonly #alarms = new Map<string, { key: AlarmKey; state: AlarmState }>();
	/** Behavior/criteria/suppression of each active violation (kept for invalidation after a behavior is removed). */
	readonly #active = new Map<string, Pick<StoredEvent, 'behavior' | 'criteriaType' | 'suppressed' | 'profile'>>();
	/** Per thing: its plan and when it was looked up. Plans are shared through #plansByKey. */
	readonly #plans = new Map<string, { plan: Plan; at: number }>();
	readonly #plansByKey = new Map<string, Plan>();
	readonly #history = new Map<string, Sample[]>();
	readonly #pops: StatisticalPopulations;
	readonly cloud: CloudMetricAggregator;
	#cancelSweep: (() => void) | undefined;
	#cancelStat: (() => void) | undefined;
	#pendingStat: Array<{ u: Unit; s: Sample; value: MetricValue; n: number }> = [];
	#pendingCommit: CommitBatch | undefined;
	/** The config port's profile list last seen: a new array means the control plane changed. */
	#configSeen: readonly DetectProfile[] | undefined;
	#unsubscribe: Array<() => void> = [];
	/** Datapoints evaluated since start (for benches and `warden status`). */
	datapointsEvaluated = 0;

	constructor(options: DetectEngineOptions) {
		this.#o = Object.freeze({
			directory: unregisteredDirectory,
			datapointRetentionMs: 14 * DAY,
			eventRetentionMs: 30 * DAY,
			invalidateAfterMs: 2 * DAY,
			sweepIntervalMs: 3_600_000,
			statisticPeriodMs: 300_000,
			planCacheMs: 60_000,
			newId: () => randomBytes(16).toString('hex'),
			groupCommit: false,
			...options,
		});
		this.#pops = new StatisticalPopulations(0, this.#o.invalidateAfterMs);
		this.cloud = new CloudMetricAggregator({
			clock: options.clock,
			emit: (samples) => this.ingestSamples(samples),
			wantedDimensions: (thing) => this.#plan(thing).dimensions,
		});
		for (const a of this.#o.store.loadAlarms()) this.#alarms.set(keyString(a.key), a);
		let cursor: string | undefined;
		do {
			const page = this.#o.store.listActiveViolations({}, 1000, cursor);
			for (const v of page.items) this.#active.set(v.violationId, v);
			cursor = page.next;
		} while (cursor);
	}

	/** Start the bucket and sweep timers and (optionally) subscribe to the event bus. */
	start(bus?: EventBus): void {
		this.cloud.start();
		const sweep = () => {
			this.sweep();
			this.#cancelSweep = this.#o.clock.setTimer(this.#o.sweepIntervalMs, sweep);
		};
		this.#cancelSweep = this.#o.clock.setTimer(this.#o.sweepIntervalMs, sweep);
		const period = this.#o.statisticPeriodMs;
		const stat = () => {
			this.flushStatistical();
			const now = this.#o.clock.now();
			this.#cancelStat = this.#o.clock.setTimer(Math.floor(now / period) * period + period - now, stat);
		};
		const now = this.#o.clock.now();
		this.#cancelStat = this.#o.clock.setTimer(Math.floor(now / period) * period + period - now, stat);
		if (bus) {
			this.#unsubscribe = [
				bus.on('report.accepted', (ev) => this.onReport(ev)),
				bus.on('broker.connect-attempt', (ev) => this.cloud.onConnectAttempt(ev)),
				bus.on('broker.connect', (ev) => this.cloud.onConnect(ev)),
				bus.on('broker.disconnect', (ev) => this.cloud.onDisconnect(ev)),
				bus.on('broker.publish', (ev) => this.cloud.onPublish(ev)),
				bus.on('broker.deliver', (ev) => this.cloud.onDeliver(ev)),
				bus.on('broker.auth-failure', (ev) => this.cloud.onAuthFailure(ev)),
			];
		}
	}

	stop(): void {
		this.flush();
		this.cloud.stop();
		this.#cancelSweep?.();
		this.#cancelStat?.();
		for (const u of this.#unsubscribe) u();
		this.#unsubscribe = [];
	}

	/** Profiles, custom metrics, dimensions or group membership changed: rebuild plans, invalidate untargeted alarms. */
	configChanged(): void {
		this.#plans.clear();
		this.#plansByKey.clear();
		this.#invalidate(false);
	}

	/**
	 * The control-plane store hands out one cached profile list and replaces it on every change,
	 * so a new array identity means profiles, targets, custom metrics or dimensions changed.
	 */
	#noticeConfigChange(): void {
		const all = this.#o.config.listProfiles();
		if (all === this.#configSeen) return;
		const first = this.#configSeen === undefined;
		this.#configSeen = all;
		if (!first) this.configChanged();
	}

	onReport(ev: WardenEvents['report.accepted']): void {
		this.ingestSamples(samplesFromReport(ev.thingName, ev.report, ev.at, (n) => this.#o.config.customMetricType(n)));
	}

	#plan(thing: string): Plan {
		const now = this.#o.clock.now();
		const cached = this.#plans.get(thing);
		if (cached && now - cached.at <= this.#o.planCacheMs) return cached.plan;
		const profiles = profilesOf(thing, this.#o.directory.identity(thing), this.#o.config);
		const key = planKey(profiles);
		let plan = this.#plansByKey.get(key);
		if (!plan) {
			plan = buildPlan(profiles, this.#o.config);
			this.#plansByKey.set(key, plan);
		}
		this.#plans.set(thing, { plan, at: now });
		return plan;
	}

	/** Store and evaluate samples (all of one thing, or mixed: grouped here). */
	ingestSamples(samples: readonly Sample[]): void {
		this.#noticeConfigChange();
		const byThing = new Map<string, Sample[]>();
		for (const s of samples) {
			const l = byThing.get(s.thing);
			if (l) l.push(s);
			else byThing.set(s.thing, [s]);
		}
		for (const [thing, list] of byThing) this.#evaluateThing(thing, list);
	}

	#evaluateThing(thing: string, samples: Sample[]): void {
		const plan = this.#plan(thing);
		const batch: CommitBatch = { datapoints: [], alarms: [], upsertViolations: [], deleteViolations: [], events: [], outbox: [] };
		for (const s of samples) {
			const sk = seriesKey(s.metric, s.dimension);
			const units = plan.units.get(sk);
			if (!units && !plan.retained.has(sk)) continue; // only metrics a profile uses are kept (like AWS)
			batch.datapoints.push(s);
			if (!units) continue;
			const windowed = units.some((u) => u.windowMs > 0);
			const hist = windowed ? this.#historyFor(s) : undefined;
			for (const u of units) this.#evaluateUnit(u, s, hist, batch);
		}
		if (batch.datapoints.length === 0) return;
		this.#commit(batch);
	}

	#historyFor(s: Sample): Sample[] {
		const k = `${s.thing}\u0000${s.metric}\u0000${s.dimension}`;
		let h = this.#history.get(k);
		if (!h) h = this.#o.store.recentSamples(s.thing, s.metric, s.dimension, s.at - MAX_WINDOW_MS);
		h.push(s);
		let drop = 0;
		while (drop < h.length && h[drop]!.at <= s.at - MAX_WINDOW_MS) drop++;
		if (drop) h.splice(0, drop);
		this.#history.set(k, h);
		return h;
	}

	#datapointValue(u: Unit, s: Sample, hist: Sample[] | undefined): MetricValue {
		if (u.windowMs === 0 || !hist) return s.value;
		let acc = u.info.aggregation === 'sum' ? 0 : -Infinity;
		for (const h of hist) {
			if (h.at <= s.at - u.windowMs) continue;
			const n = numericOf(h.value) ?? 0;
			acc = u.info.aggregation === 'sum' ? acc + n : Math.max(acc, n);
		}
		return numericValue(u.info.field, acc);
	}

	#evaluateUnit(u: Unit, s: Sample, hist: Sample[] | undefined, batch: CommitBatch): void {
		const value = this.#datapointValue(u, s, hist);
		const op = u.behavior.criteria?.comparisonOperator ?? '';
		if (u.criteriaType === 'STATISTICAL') {
			const n = numericOf(value);
			if (n === undefined || u.statQ === undefined) return;
			this.#pops.record(u.popKey, s.thing, n, s.at);
			this.#pendingStat.push({ u, s, value, n });
			return;
		}
		const v = u.behavior.criteria?.value;
		const ok = v ? conforms(op, v, value) : undefined;
		if (ok !== undefined) this.#applyDatapoint(u, s, value, ok, batch);
	}

	/** Evaluate the statistical datapoints gathered since the last period boundary (timer-driven). */
	flushStatistical(): void {
		if (this.#pendingStat.length === 0) return;
		const now = this.#o.clock.now();
		const pending = this.#pendingStat;
		this.#pendingStat = [];
		const batch: CommitBatch = { datapoints: [], alarms: [], upsertViolations: [], deleteViolations: [], events: [], outbox: [] };
		for (const { u, s, value, n } of pending) {
			const threshold = this.#pops.threshold(u.popKey, u.statQ!, now);
			if (threshold === undefined) continue; // population too small yet
			const ok = compareNumber(u.behavior.criteria?.comparisonOperator ?? '', n, threshold);
			if (ok !== undefined) this.#applyDatapoint(u, s, value, ok, batch);
		}
		if (batch.alarms.length || batch.events.length) this.#commit(batch);
	}

	#applyDatapoint(u: Unit, s: Sample, value: MetricValue, ok: boolean, batch: CommitBatch): void {
		this.datapointsEvaluated++;
		const key: AlarmKey = { thing: s.thing, profile: u.profile.name, behavior: u.behaviorName, dimension: u.dimension };
		const ks = keyString(key);
		const prev = this.#alarms.get(ks)?.state ?? NORMAL;
		const { state, transition } = step(prev, { violates: !ok, value, at: s.at, toAlarm: u.toAlarm, toClear: u.toClear, newId: this.#o.newId });
		this.#setAlarm(ks, key, prev, state, batch);
		const suppressed = u.behavior.suppressAlerts === true;
		const meta = { profile: u.profile.name, behavior: u.behavior, criteriaType: u.criteriaType, suppressed };
		if (transition === 'in-alarm') {
			this.#active.set(state.violationId!, meta);
			this.#event(batch, { ...meta, violationId: state.violationId!, thing: s.thing, type: 'in-alarm', value, at: s.at }, u.profile);
		} else if (transition === 'alarm-cleared') {
			this.#active.delete(prev.violationId!);
			batch.deleteViolations.push(prev.violationId!);
			this.#event(batch, { ...meta, violationId: prev.violationId!, thing: s.thing, type: 'alarm-cleared', value, at: s.at }, u.profile);
		}
		if (isInAlarm(state) && (transition === 'in-alarm' || !ok)) {
			batch.upsertViolations.push({ ...meta, violationId: state.violationId!, thing: s.thing, startTime: state.startTime!, lastValue: state.lastViolationValue, lastTime: state.lastViolationTime });
		}
	}

	#setAlarm(ks: string, key: AlarmKey, prev: AlarmState, state: AlarmState, batch: CommitBatch): void {
		if (isTrivial(state)) {
			if (!isTrivial(prev)) batch.alarms.push({ key, state: null });
			this.#alarms.delete(ks);
		} else {
			batch.alarms.push({ key, state });
			this.#alarms.set(ks, { key, state });
		}
	}

	#event(batch: CommitBatch, e: StoredEvent, profile: DetectProfile | undefined): void {
		batch.events.push(e);
		if (!e.suppressed && this.#o.sink) batch.outbox.push(...this.#o.sink.outboxFor(e, profile));
	}

	#commit(batch: CommitBatch): void {
		if (!this.#o.groupCommit) return this.#write(batch);
		if (!this.#pendingCommit) {
			this.#pendingCommit = batch;
			setImmediate(() => {
				try {
					this.flush();
				} catch (e) {
					// the process keeps serving; the in-memory alarm state stays ahead of the store until the next write
					this.#o.log?.('detect commit failed', { error: (e as Error)?.message ?? String(e) }, 'error');
				}
			});
			return;
		}
		const p = this.#pendingCommit;
		p.datapoints.push(...batch.datapoints);
		p.alarms.push(...batch.alarms);
		p.upsertViolations.push(...batch.upsertViolations);
		p.deleteViolations.push(...batch.deleteViolations);
		p.events.push(...batch.events);
		p.outbox.push(...batch.outbox);
	}

	/** Write any group-commit batch now. */
	flush(): void {
		const b = this.#pendingCommit;
		this.#pendingCommit = undefined;
		if (b) this.#write(b);
	}

	#write(batch: CommitBatch): void {
		this.#o.store.commit(batch);
		for (const e of batch.events) this.#o.log?.('detect violation event', { type: e.type, thing: e.thing, profile: e.profile, behavior: e.behavior.name, violationId: e.violationId, suppressed: e.suppressed });
		if (batch.events.length && this.#o.sink) this.#o.sink.committed(batch.events);
	}

	/**
	 * spec §3.5 rule 4: alarm-invalidated after `invalidateAfterMs` without data (when `checkSilence`),
	 * or when the thing is no longer targeted by the profile or the behavior is gone.
	 */
	#invalidate(checkSilence: boolean): void {
		const now = this.#o.clock.now();
		const batch: CommitBatch = { datapoints: [], alarms: [], upsertViolations: [], deleteViolations: [], events: [], outbox: [] };
		const profiles = new Map(this.#o.config.listProfiles().map((p) => [p.name, p]));
		for (const [ks, { key, state }] of this.#alarms) {
			const silent = checkSilence && now - state.lastDatapointAt > this.#o.invalidateAfterMs;
			const untargeted = !this.#plan(key.thing).behaviorKeys.has(`${key.profile}/${key.behavior}`);
			if (!silent && !untargeted) continue;
			this.#alarms.delete(ks);
			batch.alarms.push({ key, state: null });
			if (!isInAlarm(state)) continue;
			const meta = this.#active.get(state.violationId!);
			this.#active.delete(state.violationId!);
			batch.deleteViolations.push(state.violationId!);
			if (!meta) continue;
			const e: StoredEvent = { ...meta, violationId: state.violationId!, thing: key.thing, type: 'alarm-invalidated', value: state.lastViolationValue, at: now };
			this.#event(batch, e, profiles.get(key.profile));
		}
		if (batch.alarms.length) this.#commit(batch);
	}

	/** Hourly: invalidate silent or untargeted alarms, drop old datapoints/events, trim caches. */
	sweep(): void {
		const now = this.#o.clock.now();
		this.#plans.clear();
		this.#plansByKey.clear();
		this.#invalidate(true);
		for (const [k, h] of this.#history) if (h.length === 0 || h[h.length - 1]!.at <= now - MAX_WINDOW_MS) this.#history.delete(k);
		const pruned = this.#o.store.prune(now - this.#o.datapointRetentionMs, now - this.#o.eventRetentionMs);
		if (pruned.datapoints || pruned.events) this.#o.log?.('detect retention', pruned);
	}

	/** Alarm states held (in alarm or with a violating streak). */
	get trackedAlarms(): number {
		return this.#alarms.size;
	}
}
