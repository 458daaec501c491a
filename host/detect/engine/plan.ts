/**
 * A thing's evaluation plan: which behaviors of which profiles apply to each of its metric
 * series, which series are retained without a behavior (additionalMetricsToRetainV2), and which
 * TOPIC_FILTER dimensions the broker must count for it. Derived from the config port; the
 * engine caches it per thing.
 */
import type { Behavior } from '@aws-sdk/client-iot';
import type { CriteriaType } from '../store/engine-store.ts';
import { consecutive } from './alarm-machine.ts';
import type { DetectConfigPort, DetectProfile, ThingIdentity } from './config-port.ts';
import type { WantedDimension } from './cloud-metrics.ts';
import { metricInfo, type MetricInfo } from './metrics.ts';
import { parseStatistic } from './percentile.ts';
import { dimensionKey } from './sample.ts';

export interface Unit {
	readonly profile: DetectProfile;
	readonly behavior: Behavior;
	readonly behaviorName: string;
	readonly dimension: string;
	readonly info: MetricInfo;
	readonly criteriaType: CriteriaType;
	readonly toAlarm: number;
	readonly toClear: number;
	/** Window length in ms for windowed numeric metrics, else 0 (each sample is a datapoint). */
	readonly windowMs: number;
	/** Percentile as a fraction for statistical behaviors. */
	readonly statQ: number | undefined;
	/** Population key for statistical behaviors (`profile/behavior`). */
	readonly popKey: string;
}

export interface Plan {
	/** Units by series key `metric|dimension`. */
	readonly units: ReadonlyMap<string, readonly Unit[]>;
	/** Series stored without a behavior (additionalMetricsToRetainV2). */
	readonly retained: ReadonlySet<string>;
	readonly dimensions: readonly WantedDimension[];
	/** `profile/behavior` names that currently apply (for invalidation). */
	readonly behaviorKeys: ReadonlySet<string>;
}

export const seriesKey = (metric: string, dimension: string) => `${metric}|${dimension}`;

export function criteriaTypeOf(b: Behavior): CriteriaType {
	if (b.criteria?.mlDetectionConfig) return 'MACHINE_LEARNING';
	if (b.criteria?.statisticalThreshold) return 'STATISTICAL';
	return 'STATIC';
}

/**
 * Things targeted by the same profile versions share one Plan object: `planKey` names that set,
 * and `buildPlan` derives the plan from it (the engine caches plans by key).
 */
export function planKey(profiles: readonly DetectProfile[]): string {
	return profiles.map((p) => `${p.name}@${p.version}`).join(',');
}

/** Profiles that apply to a thing (thin wrapper so callers need not know the port). */
export function profilesOf(thing: string, identity: ThingIdentity, config: DetectConfigPort): readonly DetectProfile[] {
	return config.profilesForThing(thing, identity);
}

export function buildPlan(profiles: readonly DetectProfile[], config: DetectConfigPort): Plan {
	const units = new Map<string, Unit[]>();
	const retained = new Set<string>();
	const dims = new Map<string, WantedDimension>();
	const behaviorKeys = new Set<string>();
	const wantDim = (name: string | undefined, op: string | undefined): string => {
		const key = dimensionKey(name, op);
		if (key && !dims.has(key)) {
			const def = config.dimension(name!);
			if (def) dims.set(key, { key, filters: def.stringValues, operator: op === 'NOT_IN' ? 'NOT_IN' : 'IN' });
		}
		return key;
	};
	for (const profile of profiles) {
		for (const b of profile.behaviors) {
			if (!b.name || !b.metric) continue;
			behaviorKeys.add(`${profile.name}/${b.name}`);
			const info = metricInfo(b.metric, config.customMetricType(b.metric));
			const criteriaType = criteriaTypeOf(b);
			if (!info || criteriaType === 'MACHINE_LEARNING') continue; // ML Detect is evaluated elsewhere
			const dimension = info.dimensionable ? wantDim(b.metricDimension?.dimensionName, b.metricDimension?.operator) : '';
			const c = b.criteria ?? {};
			const duration = c.durationSeconds ?? 0;
			const unit: Unit = {
				profile,
				behavior: b,
				behaviorName: b.name,
				dimension,
				info,
				criteriaType,
				toAlarm: consecutive(c.consecutiveDatapointsToAlarm),
				toClear: consecutive(c.consecutiveDatapointsToClear),
				windowMs: info.aggregation === 'set' ? 0 : Math.max(0, duration) * 1000,
				statQ: criteriaType === 'STATISTICAL' ? parseStatistic(c.statisticalThreshold?.statistic) : undefined,
				popKey: `${profile.name}/${b.name}`,
			};
			const k = seriesKey(b.metric, dimension);
			const list = units.get(k);
			if (list) list.push(unit);
			else units.set(k, [unit]);
		}
		for (const r of profile.additionalMetricsToRetainV2 ?? []) {
			if (!r.metric) continue;
			const info = metricInfo(r.metric, config.customMetricType(r.metric));
			const dimension = info?.dimensionable ? wantDim(r.metricDimension?.dimensionName, r.metricDimension?.operator) : '';
			retained.add(seriesKey(r.metric, dimension));
		}
	}
	return { units, retained, dimensions: [...dims.values()], behaviorKeys };
}
