/** Behavior validation rules (spec §3.2), one case per rule; no sockets. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isApiError } from '../../host/api/aws-errors.ts';
import type { CustomMetricType } from '../../host/detect/engine/config-port.ts';
import { checkBehaviors, isCidr, validateBehavior, type ValidationLookups } from '../../host/detect/config/behavior-validation.ts';

const CUSTOM: Record<string, CustomMetricType> = { temp: 'number', apps: 'string-list', codes: 'number-list', peers: 'ip-address-list' };
const lookups: ValidationLookups = {
	customMetricType: (n) => CUSTOM[n],
	dimensionExists: (n) => n === 'tf',
};

function error(b: unknown): string {
	try {
		validateBehavior(b, 'behaviors[0]', lookups);
	} catch (e) {
		if (isApiError(e)) {
			assert.is(e.type, 'InvalidRequestException');
			return e.message;
		}
		throw e;
	}
	throw new Error('expected a validation error');
}

const crit = (c: Record<string, unknown>, metric = 'aws:num-messages-sent', extra: Record<string, unknown> = {}) => ({ name: 'b', metric, criteria: c, ...extra });

const rules = suite('validateBehavior');

rules('accepts every value kind with its own operator family', () => {
	const ok = [
		crit({ comparisonOperator: 'less-than-equals', value: { count: 0 }, durationSeconds: 3600 }),
		crit({ comparisonOperator: 'in-cidr-set', value: { cidrs: ['192.168.0.0/16', '::1'] } }, 'aws:source-ip-address'),
		crit({ comparisonOperator: 'in-port-set', value: { ports: [0, 65535] } }, 'aws:listening-udp-ports'),
		crit({ comparisonOperator: 'greater-than-equals', value: { number: -1.5 } }, 'temp'),
		crit({ comparisonOperator: 'not-in-set', value: { numbers: [1, 2.5] } }, 'codes'),
		crit({ comparisonOperator: 'in-set', value: { strings: ['sshd'] } }, 'apps'),
		crit({ comparisonOperator: 'not-in-cidr-set', value: { cidrs: ['10.0.0.1'] } }, 'peers'),
		crit({ comparisonOperator: 'greater-than', value: { count: 5 } }, 'aws:num-listening-tcp-ports'),
	];
	for (const b of ok) assert.ok(validateBehavior(b, 'behaviors[0]', lookups).criteria);
});

rules('name is required and must match [a-zA-Z0-9:_-]+', () => {
	assert.is(error({ metric: 'aws:num-disconnects' }), 'behaviors[0].name is required');
	assert.is(error({ name: 'a b', metric: 'aws:num-disconnects' }), 'behaviors[0].name must match [a-zA-Z0-9:_-]+');
	assert.is(error({ name: 'x'.repeat(129), metric: 'aws:num-disconnects' }), 'behaviors[0].name must be at most 128 characters long');
});

rules('metric must be a built-in or an existing custom metric', () => {
	assert.is(error(crit({}, 'aws:cpu')), 'behaviors[0].metric aws:cpu is not a supported metric');
	assert.match(error(crit({}, 'ghost')), /^behaviors\[0\]\.metric ghost is neither a built-in metric/);
});

rules('criteria needs exactly one of value, statisticalThreshold, mlDetectionConfig', () => {
	assert.is(error(crit({ comparisonOperator: 'greater-than' })), 'behaviors[0].criteria must set exactly one of value, statisticalThreshold, mlDetectionConfig');
	assert.is(
		error(crit({ comparisonOperator: 'greater-than', value: { count: 1 }, statisticalThreshold: { statistic: 'p50' }, durationSeconds: 300 })),
		'behaviors[0].criteria must set exactly one of value, statisticalThreshold, mlDetectionConfig (got value, statisticalThreshold)',
	);
});

rules('the operator must fit the metric type', () => {
	assert.is(
		error(crit({ comparisonOperator: 'in-set', value: { count: 1 }, durationSeconds: 300 })),
		'behaviors[0].criteria.comparisonOperator must be one of less-than, less-than-equals, greater-than, greater-than-equals for metric aws:num-messages-sent (got in-set)',
	);
	assert.match(error(crit({ comparisonOperator: 'in-port-set', value: { cidrs: ['1.2.3.4'] } }, 'aws:destination-ip-addresses')), /must be one of in-cidr-set, not-in-cidr-set/);
	assert.match(error(crit({ comparisonOperator: 'in-cidr-set', value: { strings: ['x'] } }, 'apps')), /must be one of in-set, not-in-set/);
});

rules('the value member must match the metric (count vs number vs lists)', () => {
	assert.is(error(crit({ comparisonOperator: 'greater-than', value: { number: 1 }, durationSeconds: 300 })), 'behaviors[0].criteria.value must set exactly one member, count, for metric aws:num-messages-sent (got number)');
	assert.is(error(crit({ comparisonOperator: 'greater-than', value: { count: 1 } }, 'temp')), 'behaviors[0].criteria.value must set exactly one member, number, for metric temp (got count)');
	assert.is(error(crit({ comparisonOperator: 'greater-than', value: { count: -1 }, durationSeconds: 300 })), 'behaviors[0].criteria.value.count must be >= 0');
	assert.is(error(crit({ comparisonOperator: 'greater-than', value: { count: 1.5 }, durationSeconds: 300 })), 'behaviors[0].criteria.value.count must be an integer');
	assert.is(error(crit({ comparisonOperator: 'in-port-set', value: { ports: [22, 70000] } }, 'aws:listening-tcp-ports')), 'behaviors[0].criteria.value.ports[1] must be <= 65535');
	assert.is(error(crit({ comparisonOperator: 'in-port-set', value: { ports: [] } }, 'aws:listening-tcp-ports')), 'behaviors[0].criteria.value.ports must have at least 1 member(s)');
	assert.is(
		error(crit({ comparisonOperator: 'in-cidr-set', value: { cidrs: ['10.0.0.0/33'] } }, 'aws:source-ip-address')),
		'behaviors[0].criteria.value.cidrs[0] must be an IPv4 or IPv6 address or CIDR block (got "10.0.0.0/33")',
	);
	assert.is(error(crit({ comparisonOperator: 'in-set', value: { strings: [''] } }, 'apps')), 'behaviors[0].criteria.value.strings[0] must be at least 1 characters long');
	assert.is(error(crit({ comparisonOperator: 'in-set', value: { numbers: ['1'] } }, 'codes')), 'behaviors[0].criteria.value.numbers[0] must be a number (got string)');
});

rules('durationSeconds: allowed set, required for counters and statistics, forbidden for lists', () => {
	assert.is(error(crit({ comparisonOperator: 'greater-than', value: { count: 1 }, durationSeconds: 60 })), 'behaviors[0].criteria.durationSeconds must be one of 300, 600, 900, 1800, 3600');
	assert.is(error(crit({ comparisonOperator: 'greater-than', value: { count: 1 } })), 'behaviors[0].criteria.durationSeconds is required for metric aws:num-messages-sent (one of 300, 600, 900, 1800, 3600)');
	assert.is(
		error(crit({ comparisonOperator: 'greater-than', statisticalThreshold: { statistic: 'p90' } }, 'aws:message-byte-size')),
		'behaviors[0].criteria.durationSeconds is required for a statisticalThreshold (one of 300, 600, 900, 1800, 3600)',
	);
	assert.is(
		error(crit({ comparisonOperator: 'in-port-set', value: { ports: [1] }, durationSeconds: 300 }, 'aws:listening-tcp-ports')),
		'behaviors[0].criteria.durationSeconds cannot be used with list metric aws:listening-tcp-ports',
	);
	assert.ok(validateBehavior(crit({ comparisonOperator: 'greater-than', value: { count: 1 } }, 'aws:message-byte-size'), 'b', lookups));
});

rules('consecutiveDatapointsToAlarm/Clear are integers 1..10', () => {
	assert.is(error(crit({ comparisonOperator: 'greater-than', value: { count: 1 }, durationSeconds: 300, consecutiveDatapointsToAlarm: 11 })), 'behaviors[0].criteria.consecutiveDatapointsToAlarm must be <= 10');
	assert.is(error(crit({ comparisonOperator: 'greater-than', value: { count: 1 }, durationSeconds: 300, consecutiveDatapointsToClear: 0 })), 'behaviors[0].criteria.consecutiveDatapointsToClear must be >= 1');
});

rules('statisticalThreshold: a known percentile, numeric metrics only', () => {
	assert.is(
		error(crit({ comparisonOperator: 'greater-than', statisticalThreshold: { statistic: 'p95' }, durationSeconds: 300 })),
		'behaviors[0].criteria.statisticalThreshold.statistic must be one of p0, p0.1, p0.01, p1, p10, p50, p90, p99, p99.9, p99.99, p100',
	);
	assert.is(
		error(crit({ comparisonOperator: 'in-set', statisticalThreshold: { statistic: 'p90' } }, 'apps')),
		'behaviors[0].criteria.statisticalThreshold cannot be used with list metric apps',
	);
});

rules('mlDetectionConfig: confidence level, ML-capable metric, no operator or duration', () => {
	assert.is(error(crit({ mlDetectionConfig: { confidenceLevel: 'EXTREME' } })), 'behaviors[0].criteria.mlDetectionConfig.confidenceLevel must be one of LOW, MEDIUM, HIGH');
	assert.is(error(crit({ mlDetectionConfig: { confidenceLevel: 'LOW' } }, 'apps')), 'behaviors[0].criteria.mlDetectionConfig cannot be used with metric apps');
	assert.is(error(crit({ mlDetectionConfig: { confidenceLevel: 'LOW' }, durationSeconds: 300 })), 'behaviors[0].criteria.durationSeconds cannot be used with mlDetectionConfig');
	assert.is(validateBehavior(crit({ mlDetectionConfig: { confidenceLevel: 'LOW' } }, 'temp'), 'b', lookups).criteria?.mlDetectionConfig?.confidenceLevel, 'LOW');
});

rules('metricDimension: existing dimension, compatible metric, never with custom metrics; operator defaults to IN', () => {
	const dim = (d: unknown, metric = 'aws:num-messages-sent') => crit({ comparisonOperator: 'greater-than', value: { count: 1 }, durationSeconds: 300 }, metric, { metricDimension: d });
	assert.equal(validateBehavior(dim({ dimensionName: 'tf' }), 'b', lookups).metricDimension, { dimensionName: 'tf', operator: 'IN' });
	assert.is(error(dim({ dimensionName: 'nope' })), 'behaviors[0].metricDimension.dimensionName nope does not exist');
	assert.is(error(dim({ dimensionName: 'tf', operator: 'MAYBE' })), 'behaviors[0].metricDimension.operator must be one of IN, NOT_IN');
	assert.is(error(dim({ dimensionName: 'tf' }, 'aws:num-disconnects')), 'behaviors[0].metricDimension cannot be used with metric aws:num-disconnects');
	assert.is(
		error(crit({ comparisonOperator: 'greater-than', value: { number: 1 } }, 'temp', { metricDimension: { dimensionName: 'tf' } })),
		'behaviors[0].metricDimension cannot be used with custom metric temp',
	);
});

rules('suppressAlerts and exportMetric must be booleans', () => {
	assert.is(error(crit({ comparisonOperator: 'greater-than', value: { count: 1 }, durationSeconds: 300 }, undefined, { suppressAlerts: 'yes' })), 'behaviors[0].suppressAlerts must be a boolean (got string)');
});

rules.run();

const whole = suite('checkBehaviors');

whole('collects one error per behavior plus duplicate names', () => {
	const good = crit({ comparisonOperator: 'greater-than', value: { count: 1 }, durationSeconds: 300 });
	const r = checkBehaviors([good, { ...good, name: 'c', metric: 'aws:x' }, good], lookups);
	assert.equal(r.errors, [
		'behaviors[1].metric aws:x is not a supported metric',
		'behaviors[2].name b is already used by behaviors[0]; behavior names must be unique within a security profile',
	]);
});

whole('at most 100 behaviors and 1,000 value elements per profile', () => {
	const many = Array.from({ length: 101 }, (_, i) => ({ ...crit({ comparisonOperator: 'greater-than', value: { count: 1 }, durationSeconds: 300 }), name: `b${i}` }));
	try {
		checkBehaviors(many, lookups);
		assert.unreachable();
	} catch (e) {
		assert.is((e as Error).message, 'behaviors must have at most 100 member(s)');
	}
	const ports = Array.from({ length: 600 }, (_, i) => i);
	const big = [0, 1].map((i) => ({ name: `p${i}`, metric: 'aws:listening-tcp-ports', criteria: { comparisonOperator: 'in-port-set', value: { ports } } }));
	assert.equal(checkBehaviors(big, lookups).errors, ['behaviors hold 1200 metric value elements; a security profile allows at most 1000']);
	assert.equal(checkBehaviors(big.slice(0, 1), lookups).errors, []);
});

whole.run();

const cidr = suite('isCidr');
cidr('IPv4, IPv6, prefixes', () => {
	for (const ok of ['1.2.3.4', '0.0.0.0/0', '10.0.0.0/8', '::1', '2001:db8::/32', 'fe80::1:2:3:4', '1:2:3:4:5:6:7:8/128']) assert.ok(isCidr(ok), ok);
	for (const bad of ['1', '256.1.1.1', '1.2.3.4/33', '1.2.3', '::1::2', '1:2:3:4:5:6:7', '2001:db8::/129', '1.2.3.4/8/8', 'abc']) assert.not.ok(isCidr(bad), bad);
});
cidr.run();
