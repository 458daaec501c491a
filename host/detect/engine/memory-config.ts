/** In-memory DetectConfigPort + ThingDirectory for tests, benches and the simulator. */
import {
	targetMatches,
	type CustomMetricType,
	type DetectConfigPort,
	type DetectProfile,
	type DimensionDef,
	type ThingDirectory,
	type ThingIdentity,
} from './config-port.ts';

export class MemoryDetectConfig implements DetectConfigPort, ThingDirectory {
	readonly #profiles = new Map<string, DetectProfile>();
	readonly #custom = new Map<string, CustomMetricType>();
	readonly #dimensions = new Map<string, DimensionDef>();
	readonly #things = new Map<string, ThingIdentity>();
	#list: readonly DetectProfile[] | undefined;

	/** Create or replace a profile (version is bumped on replace). */
	putProfile(p: Omit<DetectProfile, 'version' | 'arn'> & { arn?: string }): DetectProfile {
		const prev = this.#profiles.get(p.name);
		const full: DetectProfile = Object.freeze({
			...p,
			arn: p.arn ?? `arn:aws:iot:us-east-1:123456789012:securityprofile/${p.name}`,
			version: (prev?.version ?? 0) + 1,
		});
		this.#profiles.set(p.name, full);
		this.#list = undefined;
		return full;
	}

	deleteProfile(name: string): void {
		this.#profiles.delete(name);
		this.#list = undefined;
	}

	putCustomMetric(name: string, type: CustomMetricType): void {
		this.#custom.set(name, type);
		this.#list = undefined;
	}

	putDimension(name: string, stringValues: string[]): void {
		this.#dimensions.set(name, Object.freeze({ name, type: 'TOPIC_FILTER', stringValues: Object.freeze([...stringValues]) }));
		this.#list = undefined;
	}

	/** Register a thing (unknown things are unregistered). */
	putThing(name: string, identity: ThingIdentity): void {
		this.#things.set(name, identity);
	}

	profilesForThing(_thingName: string, identity: ThingIdentity): readonly DetectProfile[] {
		const out: DetectProfile[] = [];
		for (const p of this.#profiles.values()) if (p.targets.some((t) => targetMatches(t, identity))) out.push(p);
		return out;
	}

	listProfiles(): readonly DetectProfile[] {
		this.#list ??= Object.freeze([...this.#profiles.values()]);
		return this.#list;
	}

	customMetricType(metricName: string): CustomMetricType | undefined {
		return this.#custom.get(metricName);
	}

	dimension(name: string): DimensionDef | undefined {
		return this.#dimensions.get(name);
	}

	identity(thingName: string): ThingIdentity {
		return this.#things.get(thingName) ?? { registered: false, groups: [] };
	}
}
