/**
 * What the Detect engine reads from the control plane (security profiles, custom metrics,
 * dimensions) and from the registry (is a thing registered, which groups is it in). The
 * control-plane store (host/detect/config/) and the registry implement these two ports; the
 * engine never touches their tables. `memory-config.ts` is the in-memory implementation used
 * by tests, benches and the simulator.
 */
import type { AlertTarget, Behavior, MetricToRetain } from '@aws-sdk/client-iot';

/** A security profile as the engine sees it (the official shapes, plus its attachment targets). */
export interface DetectProfile {
	readonly name: string;
	readonly arn: string;
	/** Incremented on every update (UpdateSecurityProfile). */
	readonly version: number;
	readonly behaviors: readonly Behavior[];
	/** `alertTargets` exactly as in the API (key `SNS`); mapped to Warden destinations by host/detect/alerts. */
	readonly alertTargets?: Readonly<Record<string, AlertTarget>>;
	readonly additionalMetricsToRetainV2?: readonly MetricToRetain[];
	/** Target ARNs: `...:all/things`, `...:all/registered-things`, `...:all/unregistered-things`, `...:thinggroup/{name}`. */
	readonly targets: readonly string[];
}

/** How the registry sees a thing (spec §3.3). */
export interface ThingIdentity {
	/** True when the thing exists in the registry. Unregistered things are identified by client id / thing name. */
	readonly registered: boolean;
	/** Names of the thing groups the thing belongs to, including every ancestor group (targets are recursive). */
	readonly groups: readonly string[];
}

export type CustomMetricType = 'number' | 'number-list' | 'string-list' | 'ip-address-list';

export interface DimensionDef {
	readonly name: string;
	readonly type: 'TOPIC_FILTER';
	/** MQTT topic filters (`+`, `#`, `${iot:ClientId}`), spec §2.5. */
	readonly stringValues: readonly string[];
}

export interface DetectConfigPort {
	/** Profiles attached to a target that matches this thing (all/things, registered/unregistered, its groups). */
	profilesForThing(thingName: string, identity: ThingIdentity): readonly DetectProfile[];
	/**
	 * Every security profile (invalidation sweeps). Implementations should return the same array
	 * until something in the control plane changes and a new one after: the engine compares
	 * identities to notice changes without a callback (a new array each call only costs cache hits).
	 */
	listProfiles(): readonly DetectProfile[];
	/** Type of a custom metric defined with CreateCustomMetric, or undefined if unknown. */
	customMetricType(metricName: string): CustomMetricType | undefined;
	/** A dimension defined with CreateDimension, or undefined if unknown. */
	dimension(name: string): DimensionDef | undefined;
}

export interface ThingDirectory {
	/** Registry view of a thing; unknown things are `{ registered: false, groups: [] }`. */
	identity(thingName: string): ThingIdentity;
}

/** For deployments or tests without a registry: every thing is unregistered and in no group. */
export const unregisteredDirectory: ThingDirectory = Object.freeze({
	identity: () => ({ registered: false, groups: [] }),
});

/** Does `targetArn` select this thing? (spec §3.3) Shared by every implementation of the port. */
export function targetMatches(targetArn: string, identity: ThingIdentity): boolean {
	const i = targetArn.lastIndexOf(':');
	const resource = i >= 0 ? targetArn.slice(i + 1) : targetArn;
	if (resource === 'all/things') return true;
	if (resource === 'all/registered-things') return identity.registered;
	if (resource === 'all/unregistered-things') return !identity.registered;
	if (resource.startsWith('thinggroup/')) return identity.groups.includes(resource.slice('thinggroup/'.length));
	return false;
}
