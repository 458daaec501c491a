/**
 * Custom metrics and dimensions (spec §2.3, §2.5, §7.2, §8.1) with AWS semantics: idempotent
 * creates keyed by clientRequestToken, quotas, and deletes refused while a security profile
 * still uses the resource (spec §2.3: "it must first be removed from every security profile").
 */
import { alreadyExists, invalidRequest, limitExceeded, notFound } from '../../api/aws-errors.ts';
import { checkArray, checkString, checkTags, Fields, type JsonObject, type StringRule } from '../../api/fields.ts';
import { epochSeconds } from '../../api/request.ts';
import type { Clock } from '../../clock.ts';
import type { CustomMetricType } from '../engine/config-port.ts';
import type { CustomMetricRecord, DetectConfigStore, DimensionRecord } from './store.ts';
import type { TagStore } from '../../api/tag-store.ts';

/** Custom metrics per account (spec §8.1, adjustable: an option of the service). */
export const DEFAULT_MAX_CUSTOM_METRICS = 100;
/** Dimensions per account (spec §8.1, not adjustable). */
export const MAX_DIMENSIONS = 10;

export const CUSTOM_METRIC_TYPES: readonly CustomMetricType[] = ['string-list', 'ip-address-list', 'number-list', 'number'];
const TOKEN_RULE: StringRule = Object.freeze({ min: 1, max: 64, pattern: /^[a-zA-Z0-9_-]+$/, patternText: '[a-zA-Z0-9-_]+' });
const DISPLAY_NAME_RULE: StringRule = Object.freeze({ max: 128, pattern: /^(?:[^\p{C}\p{Z}]|\x20)*$/u, patternText: '[\\p{Graph}\\x20]*' });

/** An MQTT topic filter as used by TOPIC_FILTER dimensions ([MQTT-4.7.1-2], [MQTT-4.7.1-3]). */
export function checkTopicFilter(v: unknown, path: string): string {
	const s = checkString(v, path, { min: 1, max: 256 });
	if (s.includes('\u0000')) throw invalidRequest(`${path} must not contain the null character`);
	const levels = s.split('/');
	levels.forEach((level, i) => {
		if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) throw invalidRequest(`${path} may use # only as the whole last topic level`);
		if (level.includes('+') && level !== '+') throw invalidRequest(`${path} may use + only as a whole topic level`);
	});
	return s;
}

export interface MetricServiceOptions {
	clock: Clock;
	arn: (resource: string) => string;
	/** Custom-metric quota (default 100). */
	maxCustomMetrics?: number;
	/** Where `tags` of the Create operations go (TagResource & co. read them). */
	tagStore?: TagStore | undefined;
}

export class MetricService {
	readonly #store: DetectConfigStore;
	readonly #o: MetricServiceOptions;

	constructor(store: DetectConfigStore, opts: MetricServiceOptions) {
		this.#store = store;
		this.#o = opts;
	}

	#usersOf(pred: (metric: string | undefined, dimension: string | undefined) => boolean): string[] {
		return this.#store
			.listProfileRecords()
			.filter((p) =>
				[...p.behaviors, ...(p.additionalMetricsToRetainV2 ?? [])].some((b) => pred(b.metric, b.metricDimension?.dimensionName)) ||
				(p.additionalMetricsToRetain ?? []).some((m) => pred(m, undefined)),
			)
			.map((p) => p.name);
	}

	// --- custom metrics (spec §2.3) ---

	createCustomMetric(name: string, body: JsonObject): { metricName: string; metricArn: string } {
		if (name.startsWith('aws:')) throw invalidRequest('metricName must not start with aws: (reserved for built-in metrics)');
		const f = new Fields(body);
		const metricType = f.string('metricType', { oneOf: CUSTOM_METRIC_TYPES }) as CustomMetricType;
		const displayName = f.optString('displayName', DISPLAY_NAME_RULE);
		const token = f.string('clientRequestToken', TOKEN_RULE);
		const tags = f.has('tags') ? checkTags(f.obj.tags) : undefined;
		const arn = this.#o.arn(`custommetric/${name}`);
		this.#store.transaction(() => {
			const cur = this.#store.getCustomMetric(name);
			if (cur) {
				// A retried request (same token, same input) gets the same answer.
				if (cur.clientRequestToken === token && cur.metricType === metricType && cur.displayName === displayName) return;
				throw alreadyExists(`Custom metric ${name} already exists`, name, arn);
			}
			const max = this.#o.maxCustomMetrics ?? DEFAULT_MAX_CUSTOM_METRICS;
			if (this.#store.listCustomMetrics().length >= max) throw limitExceeded(`The account already has ${max} custom metrics, the maximum`);
			const now = this.#o.clock.now();
			this.#store.putCustomMetric({ name, arn, metricType, displayName, tags, clientRequestToken: token, createdAt: now, modifiedAt: now });
			if (tags?.length) this.#o.tagStore?.put(arn, tags);
		});
		return { metricName: name, metricArn: arn };
	}

	#metric(name: string): CustomMetricRecord {
		const m = this.#store.getCustomMetric(name);
		if (!m) throw notFound(`Custom metric ${name} does not exist`);
		return m;
	}

	describeCustomMetric(name: string) {
		const m = this.#metric(name);
		return {
			metricName: m.name,
			metricArn: m.arn,
			metricType: m.metricType,
			...(m.displayName !== undefined ? { displayName: m.displayName } : {}),
			creationDate: epochSeconds(m.createdAt),
			lastModifiedDate: epochSeconds(m.modifiedAt),
		};
	}

	updateCustomMetric(name: string, body: JsonObject) {
		const displayName = new Fields(body).string('displayName', DISPLAY_NAME_RULE);
		this.#store.transaction(() => {
			const m = this.#metric(name);
			this.#store.putCustomMetric({ ...m, displayName, modifiedAt: this.#o.clock.now() });
		});
		return this.describeCustomMetric(name);
	}

	deleteCustomMetric(name: string): void {
		this.#store.transaction(() => {
			const users = this.#usersOf((metric) => metric === name);
			if (users.length) throw invalidRequest(`Custom metric ${name} is used by security profile(s) ${users.join(', ')}; remove it from them first`);
			if (this.#store.deleteCustomMetric(name)) this.#o.tagStore?.clear(this.#o.arn(`custommetric/${name}`));
		});
	}

	listCustomMetrics(): string[] {
		return this.#store.listCustomMetrics().map((m) => m.name);
	}

	// --- dimensions (spec §2.5) ---

	#values(f: Fields): string[] {
		return checkArray(f.obj.stringValues, f.at('stringValues'), { min: 1, max: 100 }).map((v, i) => checkTopicFilter(v, `stringValues[${i}]`));
	}

	createDimension(name: string, body: JsonObject): { name: string; arn: string } {
		const f = new Fields(body);
		f.string('type', { oneOf: ['TOPIC_FILTER'] });
		f.array('stringValues');
		const stringValues = this.#values(f);
		const token = f.string('clientRequestToken', TOKEN_RULE);
		const tags = f.has('tags') ? checkTags(f.obj.tags) : undefined;
		const arn = this.#o.arn(`dimension/${name}`);
		this.#store.transaction(() => {
			const cur = this.#store.getDimension(name);
			if (cur) {
				if (cur.clientRequestToken === token && JSON.stringify(cur.stringValues) === JSON.stringify(stringValues)) return;
				throw alreadyExists(`Dimension ${name} already exists`, name, arn);
			}
			if (this.#store.listDimensions().length >= MAX_DIMENSIONS) throw limitExceeded(`The account already has ${MAX_DIMENSIONS} dimensions, the maximum`);
			const now = this.#o.clock.now();
			this.#store.putDimension({ name, arn, type: 'TOPIC_FILTER', stringValues, tags, clientRequestToken: token, createdAt: now, modifiedAt: now });
			if (tags?.length) this.#o.tagStore?.put(arn, tags);
		});
		return { name, arn };
	}

	#dimension(name: string): DimensionRecord {
		const d = this.#store.getDimension(name);
		if (!d) throw notFound(`Dimension ${name} does not exist`);
		return d;
	}

	describeDimension(name: string) {
		const d = this.#dimension(name);
		return { name: d.name, arn: d.arn, type: d.type, stringValues: d.stringValues, creationDate: epochSeconds(d.createdAt), lastModifiedDate: epochSeconds(d.modifiedAt) };
	}

	updateDimension(name: string, body: JsonObject) {
		const f = new Fields(body);
		f.array('stringValues');
		const stringValues = this.#values(f);
		this.#store.transaction(() => {
			const d = this.#dimension(name);
			this.#store.putDimension({ ...d, stringValues, modifiedAt: this.#o.clock.now() });
		});
		return this.describeDimension(name);
	}

	deleteDimension(name: string): void {
		this.#store.transaction(() => {
			const users = this.#usersOf((_m, dim) => dim === name);
			if (users.length) throw invalidRequest(`Dimension ${name} is used by security profile(s) ${users.join(', ')}; remove it from their behaviors first`);
			if (this.#store.deleteDimension(name)) this.#o.tagStore?.clear(this.#o.arn(`dimension/${name}`));
		});
	}

	listDimensions(): string[] {
		return this.#store.listDimensions().map((d) => d.name);
	}
}

