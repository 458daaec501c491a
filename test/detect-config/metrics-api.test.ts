/** Custom metrics and dimensions through the official IoTClient against a running API (real SQLite). */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
	CreateCustomMetricCommand,
	CreateDimensionCommand,
	CreateSecurityProfileCommand,
	DeleteCustomMetricCommand,
	DeleteDimensionCommand,
	DescribeCustomMetricCommand,
	DescribeDimensionCommand,
	ListCustomMetricsCommand,
	ListDimensionsCommand,
	type ListDimensionsCommandOutput,
	UpdateCustomMetricCommand,
	UpdateDimensionCommand,
} from '@aws-sdk/client-iot';
import { VirtualClock } from '../../host/clock.ts';
import { registerRoutes } from '../../host/detect/config/api-routes.ts';
import { rejection, startTestApi, type TestApi } from '../api/helpers.ts';

let t: TestApi;
const clock = new VirtualClock(Date.now());
const before = async () => {
	t = await startTestApi([registerRoutes], { clock });
};
const after = async () => t.close();

const custom = suite('custom metrics');
custom.before(before);
custom.after(after);

custom('create, describe, update, list, delete', async () => {
	const created = await t.client.send(new CreateCustomMetricCommand({ metricName: 'batteryPct', metricType: 'number', displayName: 'Battery %' }));
	assert.is(created.metricName, 'batteryPct');
	assert.is(created.metricArn, 'arn:aws:iot:us-east-1:123456789012:custommetric/batteryPct');
	const d = await t.client.send(new DescribeCustomMetricCommand({ metricName: 'batteryPct' }));
	assert.is(d.metricType, 'number');
	assert.is(d.displayName, 'Battery %');
	assert.is(d.creationDate?.getTime(), clock.now());
	clock.advance(5000);
	const u = await t.client.send(new UpdateCustomMetricCommand({ metricName: 'batteryPct', displayName: 'Battery level' }));
	assert.is(u.displayName, 'Battery level');
	assert.is(u.lastModifiedDate!.getTime() - u.creationDate!.getTime(), 5000);
	await t.client.send(new CreateCustomMetricCommand({ metricName: 'apps', metricType: 'string-list' }));
	const l = await t.client.send(new ListCustomMetricsCommand({}));
	assert.equal(l.metricNames, ['apps', 'batteryPct']);
	const del = await t.client.send(new DeleteCustomMetricCommand({ metricName: 'apps' }));
	assert.is(del.$metadata.httpStatusCode, 200);
	assert.equal((await t.client.send(new ListCustomMetricsCommand({}))).metricNames, ['batteryPct']);
});

custom('a retried create with the same token succeeds; a different create is ResourceAlreadyExistsException 409', async () => {
	const input = { metricName: 'retry', metricType: 'number' as const, clientRequestToken: 'tok-1' };
	await t.client.send(new CreateCustomMetricCommand(input));
	const again = await t.client.send(new CreateCustomMetricCommand(input));
	assert.is(again.metricName, 'retry');
	const e = await rejection(() => t.client.send(new CreateCustomMetricCommand({ metricName: 'retry', metricType: 'number-list' })));
	assert.is(e.name, 'ResourceAlreadyExistsException');
	assert.is(e.$metadata?.httpStatusCode, 409);
	assert.is((e as unknown as { resourceId: string }).resourceId, 'retry');
});

custom('unknown metric → ResourceNotFoundException 404; bad type and aws: prefix → InvalidRequestException 400', async () => {
	const nf = await rejection(() => t.client.send(new DescribeCustomMetricCommand({ metricName: 'nope' })));
	assert.is(nf.name, 'ResourceNotFoundException');
	assert.is(nf.$metadata?.httpStatusCode, 404);
	const bad = await rejection(() => t.client.send(new CreateCustomMetricCommand({ metricName: 'x', metricType: 'float' as 'number' })));
	assert.is(bad.name, 'InvalidRequestException');
	assert.is(bad.$metadata?.httpStatusCode, 400);
	assert.match(bad.message, /metricType must be one of/);
	const aws = await rejection(() => t.client.send(new CreateCustomMetricCommand({ metricName: 'aws:mine', metricType: 'number' })));
	assert.match(aws.message, /aws:/);
	const name = await rejection(() => t.client.send(new CreateCustomMetricCommand({ metricName: 'bad name!', metricType: 'number' })));
	assert.is(name.name, 'InvalidRequestException');
	assert.match(name.message, /metricName must match/);
});

custom('a custom metric in use by a profile cannot be deleted', async () => {
	await t.client.send(new CreateCustomMetricCommand({ metricName: 'inUse', metricType: 'number' }));
	await t.client.send(
		new CreateSecurityProfileCommand({
			securityProfileName: 'usesCustom',
			behaviors: [{ name: 'b', metric: 'inUse', criteria: { comparisonOperator: 'greater-than', value: { number: 5 } } }],
		}),
	);
	const e = await rejection(() => t.client.send(new DeleteCustomMetricCommand({ metricName: 'inUse' })));
	assert.is(e.name, 'InvalidRequestException');
	assert.match(e.message, /usesCustom/);
});

custom.run();

const dims = suite('dimensions');
dims.before(before);
dims.after(after);

dims('create, describe, update, list, delete', async () => {
	const c = await t.client.send(new CreateDimensionCommand({ name: 'authTopics', type: 'TOPIC_FILTER', stringValues: ['device/+/auth', 'admin/#'] }));
	assert.is(c.arn, 'arn:aws:iot:us-east-1:123456789012:dimension/authTopics');
	const d = await t.client.send(new DescribeDimensionCommand({ name: 'authTopics' }));
	assert.equal(d.stringValues, ['device/+/auth', 'admin/#']);
	assert.is(d.type, 'TOPIC_FILTER');
	const u = await t.client.send(new UpdateDimensionCommand({ name: 'authTopics', stringValues: ['device/${iot:ClientId}/auth'] }));
	assert.equal(u.stringValues, ['device/${iot:ClientId}/auth']);
	assert.equal((await t.client.send(new ListDimensionsCommand({}))).dimensionNames, ['authTopics']);
	await t.client.send(new DeleteDimensionCommand({ name: 'authTopics' }));
	assert.equal((await t.client.send(new ListDimensionsCommand({}))).dimensionNames, []);
	const nf = await rejection(() => t.client.send(new DescribeDimensionCommand({ name: 'authTopics' })));
	assert.is(nf.name, 'ResourceNotFoundException');
});

dims('malformed topic filters and wrong type are InvalidRequestException with the index', async () => {
	const e = await rejection(() => t.client.send(new CreateDimensionCommand({ name: 'bad', type: 'TOPIC_FILTER', stringValues: ['ok/+', 'a/#/b'] })));
	assert.is(e.name, 'InvalidRequestException');
	assert.is(e.message, 'stringValues[1] may use # only as the whole last topic level');
	const plus = await rejection(() => t.client.send(new UpdateDimensionCommand({ name: 'x', stringValues: ['a+/b'] })));
	assert.is(plus.message, 'stringValues[0] may use + only as a whole topic level');
	const empty = await rejection(() => t.client.send(new CreateDimensionCommand({ name: 'bad', type: 'TOPIC_FILTER', stringValues: [] })));
	assert.match(empty.message, /stringValues must have at least 1/);
});

dims('the 11th dimension is LimitExceededException 410', async () => {
	const existing = (await t.client.send(new ListDimensionsCommand({}))).dimensionNames!.length;
	for (let i = existing; i < 10; i++) await t.client.send(new CreateDimensionCommand({ name: `d${i}`, type: 'TOPIC_FILTER', stringValues: [`t/${i}`] }));
	const e = await rejection(() => t.client.send(new CreateDimensionCommand({ name: 'eleventh', type: 'TOPIC_FILTER', stringValues: ['t'] })));
	assert.is(e.name, 'LimitExceededException');
	assert.is(e.$metadata?.httpStatusCode, 410);
});

dims('pagination over dimensions with maxResults and nextToken', async () => {
	const first = await t.client.send(new ListDimensionsCommand({ maxResults: 4 }));
	assert.is(first.dimensionNames!.length, 4);
	assert.ok(first.nextToken);
	const all = [...first.dimensionNames!];
	let token: string | undefined = first.nextToken;
	while (token) {
		const next: ListDimensionsCommandOutput = await t.client.send(new ListDimensionsCommand({ maxResults: 4, nextToken: token }));
		all.push(...next.dimensionNames!);
		token = next.nextToken;
	}
	assert.is(all.length, 10);
	assert.equal(all, [...all].sort());
	const bad = await rejection(() => t.client.send(new ListDimensionsCommand({ nextToken: 'garbage' })));
	assert.is(bad.name, 'InvalidRequestException');
	const foreign = await rejection(() => t.client.send(new ListCustomMetricsCommand({ nextToken: first.nextToken })));
	assert.is(foreign.message, 'nextToken is invalid');
});

dims.run();
