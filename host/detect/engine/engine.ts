/**
 * The Detect engine: turns samples (accepted reports, closed cloud buckets) into datapoints,
 * evaluates every applicable behavior, runs the alarm state machine (spec §3.5) and records
 * active violations and violation events, all in one store transaction per thing and step.
 * Alerts are handed to a ViolationSink (host/detect/alerts) inside the same transaction
 * (outbox) and after commit (MQTT, log).
 *
 * Windows (window-history.ts): device samples arrive per report, cloud samples per 5-minute
 * bucket (aligned to UTC multiples of 300 s), so cloud windows slide in 5-minute steps. One
 * sample = one datapoint.
 *
 * Statistical thresholds (spec §3.4): the population of a (profile, behavior) is the latest
 * datapoint of every device the profile targets that produced one in the last 2 days. Statistical
 * datapoints are evaluated in batches at each 5-minute boundary (`statisticPeriodMs`), against the
 * percentile of the population as it stands then, so that a fleet-wide change in one period (the
 * whole fleet's traffic rising in the morning) moves the threshold before anyone is compared.
 */
import type { MetricValue } from '@aws-sdk/client-iot';
import type { EventBus, WardenEvents } from '../../events.ts';
import type { AlarmKey, CommitBatch, StoredEvent } from '../store/engine-store.ts';
import { NORMAL, isInAlarm, isTrivial, step, type AlarmState } from './alarm-machine.ts';
import { CloudMetricAggregator } from './cloud-metrics.ts';
import { compareNumber, conforms } from './compare.ts';
import { CommitBuffer, emptyBatch } from './commit-buffer.ts';
import type { DetectProfile } from './config-port.ts';
import { resolveEngineOptions, type DetectEngineOptions, type ResolvedEngineOptions } from './engine-options.ts';
import { numericOf } from './metrics.ts';
import { StatisticalPopulations } from './percentile.ts';
import { buildPlan, planKey, profilesOf, seriesKey, type Plan, type Unit } from './plan.ts';
import { samplesFromReport } from './report-datapoints.ts';
import type { Sample } from './sample.ts';
import { WindowHistory, windowValue } from './window-history.ts';


export type { DetectEngineOptions, ViolationSink } from './engine-options.ts';

const keyString = (k: AlarmKey) => `${k.thing}\u0000${k.profile}\u0000${k.behavior}\u0000${k.dimension}`;

export class DetectEngine {
	readonly #o: Readonly<ResolvedEngineOptions>;
	readonly #buffer: CommitBuffer;
	readonly #alarms = new Map<string, { key: AlarmKey; state: AlarmState }>();
	/** Behavior/criteria/suppression of each active violation (kept for invalidation after a behavior is removed). */
	readonly #active = new Map<string, Pick<StoredEvent, 'behavior' | 'criteriaType' | 'suppressed' | 'profile'>>();
	/** Per thing: its plan and when it was looked up. Plans are shared through #plansByKey. */
	readonly #plans = new Map<string, { plan: Plan; at: number }>();
	readonly #plansByKey = new Map<string, Plan>();
	readonly #history: WindowHistory;
	readonly #pops: StatisticalPopulations;
	readonly cloud: CloudMetricAggregator;
	#cancelSweep: (() => void) | undefined;
	#cancelStat: (() => void) | undefined;
	#pendingStat: Array<{ u: Unit; s: Sample; value: MetricValue; n: number }> = [];
	/** The config port's profile list last seen: a new array means the control plane changed. */
	#configSeen: readonly DetectProfile[] | undefined;
	#unsubscribe: Array<() => void> = [];
	/** Datapoints evaluated since start (for benches and `warden status`). */
	datapointsEvaluated = 0;

	constructor(options: DetectEngineOptions) {
		this.#o = resolveEngineOptions(options);
		this.#buffer = new CommitBuffer((b) => this.#write(b), this.#o.groupCommit, (e) =>
			this.#o.log?.('detect commit failed', { error: (e as Error)?.message ?? String(e) }, 'error'),
		);
		this.#history = new WindowHistory(this.#o.store);
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
		const batch = emptyBatch();
		for (const s of samples) {
			const sk = seriesKey(s.metric, s.dimension);
			const units = plan.units.get(sk);
			if (!units && !plan.retained.has(sk)) continue; // only metrics a profile uses are kept (like AWS)
			batch.datapoints.push(s);
			if (!units) continue;
			const windowed = units.some((u) => u.windowMs > 0);
			const hist = windowed ? this.#history.add(s) : undefined;
			for (const u of units) this.#evaluateUnit(u, s, hist, batch);
		}
		if (batch.datapoints.length === 0) return;
		this.#commit(batch);
	}

	#evaluateUnit(u: Unit, s: Sample, hist: Sample[] | undefined, batch: CommitBatch): void {
		const value = windowValue(u, s, hist);
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
		const batch = emptyBatch();
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
		this.#buffer.push(batch);
	}

	/** Write any group-commit batch now. */
	flush(): void {
		this.#buffer.flush();
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
		const batch = emptyBatch();
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
		this.#history.trim(now);
		const pruned = this.#o.store.prune(now - this.#o.datapointRetentionMs, now - this.#o.eventRetentionMs);
		if (pruned.datapoints || pruned.events) this.#o.log?.('detect retention', pruned);
	}

	/** Alarm states held (in alarm or with a violating streak). */
	get trackedAlarms(): number {
		return this.#alarms.size;
	}
}
