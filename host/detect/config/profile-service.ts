/**
 * Security-profile operations with AWS semantics (spec §3.1, §3.3, §7.2, §8.1): create,
 * describe, update (expectedVersion), delete, list with filters, validate, attach/detach and the
 * two target listings. Errors are AWS error types (ApiError); the routes only map HTTP to these.
 */
import type { Behavior, DescribeSecurityProfileResponse, MetricToRetain } from '@aws-sdk/client-iot';
import { alreadyExists, invalidRequest, limitExceeded, notFound, versionConflict } from '../../api/aws-errors.ts';
import { checkTags, Fields, NAME_RULE, checkString, type JsonObject } from '../../api/fields.ts';
import { epochSeconds } from '../../api/request.ts';
import type { Clock } from '../../clock.ts';
import { checkBehaviors, requireValidBehaviors, type ValidationLookups } from './behavior-validation.ts';
import { DESCRIPTION_RULE, parseAlertTargets, parseMetricsExportConfig, parseMetricsToRetain, parseMetricsToRetainV2 } from './profile-input.ts';
import type { DetectConfigStore, ProfileRecord } from './store.ts';
import type { TagStore } from '../../api/tag-store.ts';

/** Security profiles per target (spec §8.1, not adjustable). */
export const MAX_PROFILES_PER_TARGET = 5;

export interface ProfileServiceOptions {
	clock: Clock;
	/** `arn:aws:iot:<region>:<account>:<resource>` */
	arn: (resource: string) => string;
	/** Child groups (all levels) of a thing group, for ListSecurityProfilesForTarget?recursive (registry). */
	thingGroupDescendants?: ((group: string) => string[]) | undefined;
	/** Whether a thing group exists (registry); without it any well-formed group ARN can be attached. */
	thingGroupExists?: ((group: string) => boolean) | undefined;
	/** Where `tags` of CreateSecurityProfile go (TagResource & co. read them); omitted: kept on the record only. */
	tagStore?: TagStore | undefined;
}

type Described = Omit<DescribeSecurityProfileResponse, '$metadata' | 'creationDate' | 'lastModifiedDate'> & { creationDate: number; lastModifiedDate: number };

function usesMetric(b: Behavior | MetricToRetain, metric: string): boolean {
	return b.metric === metric;
}

export class SecurityProfileService {
	readonly #store: DetectConfigStore;
	readonly #o: ProfileServiceOptions;
	readonly lookups: ValidationLookups;

	constructor(store: DetectConfigStore, opts: ProfileServiceOptions) {
		this.#store = store;
		this.#o = opts;
		this.lookups = Object.freeze({
			customMetricType: (n: string) => store.customMetricType(n),
			dimensionExists: (n: string) => store.dimension(n) !== undefined,
		});
	}

	#require(name: string): ProfileRecord {
		const p = this.#store.getProfile(name);
		if (!p) throw notFound(`Security profile ${name} does not exist`);
		return p;
	}

	/** Members shared by create and update; `into` is modified. */
	#apply(f: Fields, into: ProfileRecord): void {
		const description = f.optString('securityProfileDescription', DESCRIPTION_RULE);
		if (description !== undefined) into.description = description;
		if (f.has('behaviors')) into.behaviors = requireValidBehaviors(f.obj.behaviors, this.lookups);
		if (f.has('alertTargets')) into.alertTargets = parseAlertTargets(f.obj.alertTargets);
		if (f.has('additionalMetricsToRetain')) into.additionalMetricsToRetain = parseMetricsToRetain(f.obj.additionalMetricsToRetain, this.lookups);
		if (f.has('additionalMetricsToRetainV2')) into.additionalMetricsToRetainV2 = parseMetricsToRetainV2(f.obj.additionalMetricsToRetainV2, this.lookups);
		if (f.has('metricsExportConfig')) into.metricsExportConfig = parseMetricsExportConfig(f.obj.metricsExportConfig);
	}

	#checkWhole(p: ProfileRecord): void {
		if (p.additionalMetricsToRetain?.length && p.additionalMetricsToRetainV2?.length) {
			throw invalidRequest('additionalMetricsToRetain and additionalMetricsToRetainV2 cannot both be set; use additionalMetricsToRetainV2');
		}
		const exported = [...p.behaviors, ...(p.additionalMetricsToRetainV2 ?? [])].some((b) => b.exportMetric === true);
		if (exported && !p.metricsExportConfig) throw invalidRequest('exportMetric is true on a behavior or retained metric but the profile has no metricsExportConfig');
	}

	create(name: string, body: JsonObject): { securityProfileName: string; securityProfileArn: string } {
		const f = new Fields(body);
		const now = this.#o.clock.now();
		const rec: ProfileRecord = { name, arn: this.#o.arn(`securityprofile/${name}`), behaviors: [], version: 1, createdAt: now, modifiedAt: now };
		this.#apply(f, rec);
		if (f.has('tags')) rec.tags = checkTags(f.obj.tags);
		this.#checkWhole(rec);
		this.#store.transaction(() => {
			if (this.#store.getProfile(name)) throw alreadyExists(`Security profile ${name} already exists`, name, rec.arn);
			this.#store.insertProfile(rec);
			if (rec.tags?.length) this.#o.tagStore?.put(rec.arn, rec.tags);
		});
		return { securityProfileName: name, securityProfileArn: rec.arn };
	}

	describe(name: string): Described {
		const p = this.#require(name);
		const out: Described = {
			securityProfileName: p.name,
			securityProfileArn: p.arn,
			behaviors: p.behaviors,
			version: p.version,
			creationDate: epochSeconds(p.createdAt),
			lastModifiedDate: epochSeconds(p.modifiedAt),
		};
		if (p.description !== undefined) out.securityProfileDescription = p.description;
		if (p.alertTargets) out.alertTargets = p.alertTargets;
		if (p.additionalMetricsToRetain) out.additionalMetricsToRetain = p.additionalMetricsToRetain;
		if (p.additionalMetricsToRetainV2) out.additionalMetricsToRetainV2 = p.additionalMetricsToRetainV2;
		if (p.metricsExportConfig) out.metricsExportConfig = p.metricsExportConfig;
		return out;
	}

	update(name: string, body: JsonObject, expectedVersion?: number): Described {
		const f = new Fields(body);
		const flags = {
			deleteBehaviors: f.optBoolean('deleteBehaviors') === true,
			deleteAlertTargets: f.optBoolean('deleteAlertTargets') === true,
			deleteAdditionalMetricsToRetain: f.optBoolean('deleteAdditionalMetricsToRetain') === true,
			deleteMetricsExportConfig: f.optBoolean('deleteMetricsExportConfig') === true,
		};
		const clash = (flag: keyof typeof flags, members: string[]) => {
			const both = members.find((m) => f.has(m));
			if (flags[flag] && both) throw invalidRequest(`${flag} cannot be true when ${both} is also given`);
		};
		clash('deleteBehaviors', ['behaviors']);
		clash('deleteAlertTargets', ['alertTargets']);
		clash('deleteAdditionalMetricsToRetain', ['additionalMetricsToRetain', 'additionalMetricsToRetainV2']);
		clash('deleteMetricsExportConfig', ['metricsExportConfig']);
		this.#store.transaction(() => {
			const cur = this.#require(name);
			if (expectedVersion !== undefined && expectedVersion !== cur.version) {
				throw versionConflict(`Security profile ${name} is at version ${cur.version}, not the expected version ${expectedVersion}`);
			}
			const next: ProfileRecord = { ...cur, version: cur.version + 1, modifiedAt: this.#o.clock.now() };
			if (flags.deleteBehaviors) next.behaviors = [];
			if (flags.deleteAlertTargets) next.alertTargets = undefined;
			if (flags.deleteAdditionalMetricsToRetain) {
				next.additionalMetricsToRetain = undefined;
				next.additionalMetricsToRetainV2 = undefined;
			}
			if (flags.deleteMetricsExportConfig) next.metricsExportConfig = undefined;
			this.#apply(f, next);
			this.#checkWhole(next);
			this.#store.updateProfile(next);
		});
		return this.describe(name);
	}

	delete(name: string, expectedVersion?: number): void {
		this.#store.transaction(() => {
			const cur = this.#store.getProfile(name);
			if (!cur) return; // spec §7.2: DeleteSecurityProfile has no ResourceNotFoundException
			if (expectedVersion !== undefined && expectedVersion !== cur.version) {
				throw versionConflict(`Security profile ${name} is at version ${cur.version}, not the expected version ${expectedVersion}`);
			}
			this.#store.deleteProfile(name);
			this.#o.tagStore?.clear(cur.arn);
		});
	}

	/** Identifiers ordered by name; filtered by a dimension or custom metric in use. */
	list(filter: { dimensionName?: string | undefined; metricName?: string | undefined }): { name: string; arn: string }[] {
		if (filter.dimensionName !== undefined && filter.metricName !== undefined) throw invalidRequest('dimensionName and metricName cannot both be given');
		let records = this.#store.listProfileRecords();
		if (filter.dimensionName !== undefined) {
			const d = filter.dimensionName;
			if (!this.#store.getDimension(d)) throw notFound(`Dimension ${d} does not exist`);
			records = records.filter((p) => [...p.behaviors, ...(p.additionalMetricsToRetainV2 ?? [])].some((b) => b.metricDimension?.dimensionName === d));
		}
		if (filter.metricName !== undefined) {
			const m = filter.metricName;
			if (!this.#store.getCustomMetric(m)) throw notFound(`Custom metric ${m} does not exist`);
			records = records.filter(
				(p) => p.behaviors.some((b) => usesMetric(b, m)) || (p.additionalMetricsToRetainV2 ?? []).some((b) => usesMetric(b, m)) || (p.additionalMetricsToRetain ?? []).includes(m),
			);
		}
		return records.map((p) => ({ name: p.name, arn: p.arn }));
	}

	validate(body: JsonObject): { valid: boolean; validationErrors: { errorMessage: string }[] } {
		const f = new Fields(body);
		const { errors } = checkBehaviors(f.array('behaviors'), this.lookups);
		return { valid: errors.length === 0, validationErrors: errors.map((e) => ({ errorMessage: e.slice(0, 2048) })) };
	}

	/** Check a target ARN (spec §3.3); returns it unchanged. */
	checkTarget(arn: string, path = 'securityProfileTargetArn'): string {
		const prefix = this.#o.arn('');
		if (!arn.startsWith(prefix)) throw invalidRequest(`${path} must start with ${prefix} (this account and region)`);
		const resource = arn.slice(prefix.length);
		if (resource === 'all/things' || resource === 'all/registered-things' || resource === 'all/unregistered-things') return arn;
		if (resource.startsWith('thinggroup/')) {
			checkString(resource.slice('thinggroup/'.length), `${path} thing group name`, NAME_RULE);
			return arn;
		}
		throw invalidRequest(`${path} must name all/things, all/registered-things, all/unregistered-things or thinggroup/<name>`);
	}

	attach(name: string, targetArn: string): void {
		this.checkTarget(targetArn);
		this.#store.transaction(() => {
			this.#require(name);
			const groupPrefix = this.#o.arn('thinggroup/');
			if (targetArn.startsWith(groupPrefix) && this.#o.thingGroupExists && !this.#o.thingGroupExists(targetArn.slice(groupPrefix.length))) {
				throw notFound(`Thing group ${targetArn.slice(groupPrefix.length)} does not exist`);
			}
			const on = this.#store.profilesOnTarget(targetArn);
			if (on.includes(name)) return;
			if (on.length >= MAX_PROFILES_PER_TARGET) {
				throw limitExceeded(`Target ${targetArn} already has ${on.length} security profiles attached; at most ${MAX_PROFILES_PER_TARGET} are allowed`);
			}
			this.#store.attach(name, targetArn, this.#o.clock.now());
		});
	}

	detach(name: string, targetArn: string): void {
		this.checkTarget(targetArn);
		this.#store.transaction(() => {
			this.#require(name);
			if (!this.#store.detach(name, targetArn)) throw notFound(`Security profile ${name} is not attached to ${targetArn}`);
		});
	}

	targets(name: string): { arn: string }[] {
		this.#require(name);
		return this.#store.targetsOf(name).map((arn) => ({ arn }));
	}

	/** Mappings for a target (and, with `recursive`, for the target group's descendants). */
	forTarget(targetArn: string, recursive: boolean): { securityProfileIdentifier: { name: string; arn: string }; target: { arn: string } }[] {
		this.checkTarget(targetArn);
		const targets = [targetArn];
		const groupPrefix = this.#o.arn('thinggroup/');
		if (recursive && targetArn.startsWith(groupPrefix) && this.#o.thingGroupDescendants) {
			for (const g of this.#o.thingGroupDescendants(targetArn.slice(groupPrefix.length))) targets.push(this.#o.arn(`thinggroup/${g}`));
		}
		const out: { securityProfileIdentifier: { name: string; arn: string }; target: { arn: string } }[] = [];
		for (const t of targets) {
			for (const name of this.#store.profilesOnTarget(t)) {
				out.push({ securityProfileIdentifier: { name, arn: this.#o.arn(`securityprofile/${name}`) }, target: { arn: t } });
			}
		}
		return out;
	}
}

