/**
 * Parsing of the security-profile members other than behaviors (spec §3.1): alert targets,
 * metrics to retain, metrics export, description, tags. Errors name the member path.
 */
import type { AlertTarget, MetricsExportConfig, MetricToRetain } from '@aws-sdk/client-iot';
import { invalidRequest } from '../../api/aws-errors.ts';
import { checkArray, checkString, Fields, NAME_RULE, type StringRule } from '../../api/fields.ts';
import { resolveMetric, type ValidationLookups } from './behavior-validation.ts';

export const DESCRIPTION_RULE: StringRule = Object.freeze({ max: 1000, pattern: /^(?:[^\p{C}\p{Z}]|\x20)*$/u, patternText: '[\\p{Graph}\\x20]*' });
const ROLE_ARN_RULE: StringRule = Object.freeze({ min: 20, max: 2048 });
const ARN_RULE: StringRule = Object.freeze({ min: 1, max: 2048, pattern: /^arn:[^:\s]+:[^:\s]*:/, patternText: 'an ARN (arn:partition:service:...)' });

export function parseAlertTargets(v: unknown, path = 'alertTargets'): Record<string, AlertTarget> {
	const f = new Fields(v, path);
	const out: Record<string, AlertTarget> = {};
	for (const key of Object.keys(f.obj)) {
		if (key !== 'SNS') throw invalidRequest(`${path} key ${key.slice(0, 40)} is not supported (only SNS)`);
		const t = f.object(key);
		out[key] = { alertTargetArn: t.string('alertTargetArn', ARN_RULE), roleArn: t.string('roleArn', ROLE_ARN_RULE) };
	}
	return out;
}

export function parseMetricsToRetain(v: unknown, lookups: ValidationLookups, path = 'additionalMetricsToRetain'): string[] {
	return checkArray(v, path, { max: 100 }).map((m, i) => {
		const name = checkString(m, `${path}[${i}]`, { min: 1, max: 128 });
		resolveMetric(name, `${path}[${i}]`, lookups);
		return name;
	});
}

export function parseMetricsToRetainV2(v: unknown, lookups: ValidationLookups, path = 'additionalMetricsToRetainV2'): MetricToRetain[] {
	return checkArray(v, path, { max: 100 }).map((m, i) => {
		const f = new Fields(m, `${path}[${i}]`);
		const metric = f.string('metric', { min: 1, max: 128 });
		const info = resolveMetric(metric, f.at('metric'), lookups);
		const out: MetricToRetain = { metric };
		const dim = f.optObject('metricDimension');
		if (dim) {
			const dimensionName = dim.string('dimensionName', NAME_RULE);
			const operator = (dim.optString('operator', { oneOf: ['IN', 'NOT_IN'] }) ?? 'IN') as 'IN' | 'NOT_IN';
			if (!info.dimensionable || info.source === 'custom') throw invalidRequest(`${f.at('metricDimension')} cannot be used with metric ${metric}`);
			if (!lookups.dimensionExists(dimensionName)) throw invalidRequest(`${dim.at('dimensionName')} ${dimensionName} does not exist`);
			out.metricDimension = { dimensionName, operator };
		}
		const exportMetric = f.optBoolean('exportMetric');
		if (exportMetric !== undefined) out.exportMetric = exportMetric;
		return out;
	});
}

export function parseMetricsExportConfig(v: unknown, path = 'metricsExportConfig'): MetricsExportConfig {
	const f = new Fields(v, path);
	return { mqttTopic: f.string('mqttTopic', { min: 1, max: 512 }), roleArn: f.string('roleArn', ROLE_ARN_RULE) };
}
