/** SecurityProfileService and MetricService rules not covered through the SDK; no sockets. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { isApiError } from '../../host/api/aws-errors.ts';
import { VirtualClock } from '../../host/clock.ts';
import { MetricService, checkTopicFilter } from '../../host/detect/config/metric-service.ts';
import { SecurityProfileService } from '../../host/detect/config/profile-service.ts';
import { SqliteDetectConfigStore } from '../../host/detect/config/sqlite-store.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';

const ARN = 'arn:aws:iot:us-east-1:123456789012';
const arn = (r: string) => `${ARN}:${r}`;

function setup(descendants?: (g: string) => string[]) {
	const clock = new VirtualClock();
	const store = new SqliteDetectConfigStore(openSqlite(':memory:'));
	return {
		clock,
		profiles: new SecurityProfileService(store, { clock, arn, thingGroupDescendants: descendants }),
		metrics: new MetricService(store, { clock, arn, maxCustomMetrics: 2 }),
	};
}

function apiError(fn: () => unknown): { type: string; message: string } {
	try {
		fn();
	} catch (e) {
		if (isApiError(e)) return { type: e.type, message: e.message };
		throw e;
	}
	throw new Error('expected an ApiError');
}

const profiles = suite('SecurityProfileService');

profiles('exportMetric needs metricsExportConfig; v1 and v2 retained metrics are exclusive', () => {
	const { profiles: s } = setup();
	const exported = { behaviors: [{ name: 'b', metric: 'aws:num-disconnects', exportMetric: true, criteria: { comparisonOperator: 'greater-than', value: { count: 1 }, durationSeconds: 300 } }] };
	assert.is(apiError(() => s.create('p', exported)).message, 'exportMetric is true on a behavior or retained metric but the profile has no metricsExportConfig');
	s.create('p', { ...exported, metricsExportConfig: { mqttTopic: 'exp', roleArn: 'arn:aws:iam::123456789012:role/x' } });
	assert.is(apiError(() => s.update('p', { deleteMetricsExportConfig: true })).type, 'InvalidRequestException');
	assert.match(apiError(() => s.create('q', { additionalMetricsToRetain: ['aws:num-disconnects'], additionalMetricsToRetainV2: [{ metric: 'aws:num-disconnects' }] })).message, /cannot both be set/);
});

profiles('update stamps lastModifiedDate from the clock and keeps creationDate', () => {
	const { profiles: s, clock } = setup();
	s.create('p', {});
	const t0 = clock.now();
	clock.advance(60_000);
	const d = s.update('p', { securityProfileDescription: 'x' });
	assert.is(d.creationDate, t0 / 1000);
	assert.is(d.lastModifiedDate, (t0 + 60_000) / 1000);
	assert.is(d.version, 2);
});

profiles('description rule: at most 1000 printable characters', () => {
	const { profiles: s } = setup();
	assert.is(apiError(() => s.create('p', { securityProfileDescription: 'a\nb' })).message, 'securityProfileDescription must match [\\p{Graph}\\x20]*');
	assert.is(apiError(() => s.create('p', { securityProfileDescription: 'a'.repeat(1001) })).message, 'securityProfileDescription must be at most 1000 characters long');
	s.create('p', { securityProfileDescription: 'Ünïcode ok' });
});

profiles('ListSecurityProfilesForTarget?recursive includes descendant groups', () => {
	const { profiles: s } = setup((g) => (g === 'building' ? ['floor-1', 'room-101'] : []));
	for (const [p, g] of [['a', 'building'], ['b', 'floor-1'], ['c', 'room-101'], ['d', 'elsewhere']] as const) {
		s.create(p, {});
		s.attach(p, arn(`thinggroup/${g}`));
	}
	assert.equal(s.forTarget(arn('thinggroup/building'), false).map((m) => m.securityProfileIdentifier.name), ['a']);
	assert.equal(s.forTarget(arn('thinggroup/building'), true).map((m) => [m.securityProfileIdentifier.name, m.target.arn]), [
		['a', arn('thinggroup/building')],
		['b', arn('thinggroup/floor-1')],
		['c', arn('thinggroup/room-101')],
	]);
});

profiles('validate: behaviors must be a list; errors never longer than 2048 characters', () => {
	const { profiles: s } = setup();
	assert.is(apiError(() => s.validate({ behaviors: {} })).message, 'behaviors must be a list (got object)');
	const r = s.validate({ behaviors: [{ name: 'b', metric: `aws:${'x'.repeat(3000)}` }] });
	assert.is(r.valid, false);
	assert.ok(r.validationErrors[0]!.errorMessage.length <= 2048);
});

profiles.run();

const metrics = suite('MetricService');

metrics('custom metric quota (configurable) → LimitExceededException', () => {
	const { metrics: m } = setup();
	m.createCustomMetric('a', { metricType: 'number', clientRequestToken: 't1' });
	m.createCustomMetric('b', { metricType: 'number', clientRequestToken: 't2' });
	assert.is(apiError(() => m.createCustomMetric('c', { metricType: 'number', clientRequestToken: 't3' })).type, 'LimitExceededException');
	m.deleteCustomMetric('a');
	m.createCustomMetric('c', { metricType: 'number', clientRequestToken: 't3' });
	assert.equal(m.listCustomMetrics(), ['b', 'c']);
});

metrics('clientRequestToken is required and idempotent for dimensions too', () => {
	const { metrics: m } = setup();
	assert.is(apiError(() => m.createDimension('d', { type: 'TOPIC_FILTER', stringValues: ['a'] })).message, 'clientRequestToken is required');
	m.createDimension('d', { type: 'TOPIC_FILTER', stringValues: ['a'], clientRequestToken: 'x' });
	assert.equal(m.createDimension('d', { type: 'TOPIC_FILTER', stringValues: ['a'], clientRequestToken: 'x' }), { name: 'd', arn: arn('dimension/d') });
	const e = apiError(() => m.createDimension('d', { type: 'TOPIC_FILTER', stringValues: ['b'], clientRequestToken: 'x' }));
	assert.is(e.type, 'ResourceAlreadyExistsException');
});

metrics('a dimension used by a profile cannot be deleted until the behavior is gone', () => {
	const { metrics: m, profiles: s } = setup();
	m.createDimension('tf', { type: 'TOPIC_FILTER', stringValues: ['a/#'], clientRequestToken: 'x' });
	s.create('p', { additionalMetricsToRetainV2: [{ metric: 'aws:num-messages-sent', metricDimension: { dimensionName: 'tf' } }] });
	assert.is(apiError(() => m.deleteDimension('tf')).message, 'Dimension tf is used by security profile(s) p; remove it from their behaviors first');
	s.update('p', { deleteAdditionalMetricsToRetain: true });
	m.deleteDimension('tf');
	assert.equal(m.listDimensions(), []);
});

metrics.run();

const topics = suite('checkTopicFilter');
topics('MQTT wildcard rules', () => {
	for (const ok of ['a', 'a/b', '+', '#', 'a/+/c', 'a/#', '/', '${iot:ClientId}/x']) assert.is(checkTopicFilter(ok, 'v'), ok);
	for (const bad of ['a#', 'a/#/b', 'a+', '+a/b', '#/a', '', 'x'.repeat(257)]) assert.throws(() => checkTopicFilter(bad, 'v'));
});
topics.run();

const groups = suite('SecurityProfileService with a registry');
groups('attaching to an unknown thing group is ResourceNotFoundException when the registry is known', () => {
	const clock = new VirtualClock();
	const store = new SqliteDetectConfigStore(openSqlite(':memory:'));
	const s = new SecurityProfileService(store, { clock, arn, thingGroupExists: (g) => g === 'known' });
	s.create('p', {});
	s.attach('p', arn('thinggroup/known'));
	const e = apiError(() => s.attach('p', arn('thinggroup/unknown')));
	assert.is(e.type, 'ResourceNotFoundException');
	assert.is(e.message, 'Thing group unknown does not exist');
	s.attach('p', arn('all/things'));
	assert.equal(s.targets('p'), [{ arn: arn('all/things') }, { arn: arn('thinggroup/known') }]);
});
groups.run();
