/** TagResource, UntagResource, ListTagsForResource through the official IoTClient (Detect resources). */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
	CreateCustomMetricCommand,
	CreateDimensionCommand,
	CreateSecurityProfileCommand,
	DeleteDimensionCommand,
	DeleteSecurityProfileCommand,
	ListTagsForResourceCommand,
	TagResourceCommand,
	UntagResourceCommand,
} from '@aws-sdk/client-iot';
import { registerRoutes } from '../../host/detect/config/api-routes.ts';
import { rejection, startTestApi, type TestApi } from './helpers.ts';

const ARN = 'arn:aws:iot:us-east-1:123456789012';
let t: TestApi;
const tags = suite('resource tags');
tags.before(async () => {
	t = await startTestApi([registerRoutes]);
});
tags.after(async () => t.close());

const list = async (resourceArn: string) => (await t.client.send(new ListTagsForResourceCommand({ resourceArn }))).tags;

tags('tags given at creation are listed; TagResource adds and overwrites; UntagResource removes', async () => {
	await t.client.send(new CreateSecurityProfileCommand({ securityProfileName: 'sp', tags: [{ Key: 'team', Value: 'iot' }, { Key: 'env', Value: 'dev' }] }));
	const arn = `${ARN}:securityprofile/sp`;
	assert.equal(await list(arn), [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'iot' }]);
	await t.client.send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: 'env', Value: 'prod' }, { Key: 'owner', Value: '' }] }));
	assert.equal(await list(arn), [{ Key: 'env', Value: 'prod' }, { Key: 'owner', Value: '' }, { Key: 'team', Value: 'iot' }]);
	await t.client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['team', 'absent'] }));
	assert.equal(await list(arn), [{ Key: 'env', Value: 'prod' }, { Key: 'owner', Value: '' }]);
});

tags('custom metrics and dimensions are taggable too; deleting a resource drops its tags', async () => {
	await t.client.send(new CreateCustomMetricCommand({ metricName: 'm', metricType: 'number', tags: [{ Key: 'k', Value: 'v' }] }));
	assert.equal(await list(`${ARN}:custommetric/m`), [{ Key: 'k', Value: 'v' }]);
	await t.client.send(new CreateDimensionCommand({ name: 'd', type: 'TOPIC_FILTER', stringValues: ['a'], tags: [{ Key: 'k', Value: 'd' }] }));
	await t.client.send(new DeleteDimensionCommand({ name: 'd' }));
	await t.client.send(new CreateDimensionCommand({ name: 'd', type: 'TOPIC_FILTER', stringValues: ['a'] }));
	assert.equal(await list(`${ARN}:dimension/d`), []);
	await t.client.send(new DeleteSecurityProfileCommand({ securityProfileName: 'sp' }));
	await t.client.send(new CreateSecurityProfileCommand({ securityProfileName: 'sp' }));
	assert.equal(await list(`${ARN}:securityprofile/sp`), []);
});

tags('errors: unknown resource 404, foreign account or untaggable type 400, more than 50 tags 410', async () => {
	const nf = await rejection(() => list(`${ARN}:securityprofile/ghost`));
	assert.is(nf.name, 'ResourceNotFoundException');
	assert.is(nf.$metadata?.httpStatusCode, 404);
	const foreign = await rejection(() => list('arn:aws:iot:eu-west-1:123456789012:securityprofile/sp'));
	assert.is(foreign.name, 'InvalidRequestException');
	const type = await rejection(() => t.client.send(new TagResourceCommand({ resourceArn: `${ARN}:thing/x`, tags: [{ Key: 'a', Value: 'b' }] })));
	assert.is(type.name, 'InvalidRequestException');
	assert.match(type.message, /cannot be tagged \(taggable: custommetric, dimension, securityprofile\)/);
	const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
	const limit = await rejection(() => t.client.send(new TagResourceCommand({ resourceArn: `${ARN}:securityprofile/sp`, tags: many })));
	assert.is(limit.name, 'InvalidRequestException', 'a single request is capped at 50 tags by the tag list rule');
	const half = many.slice(0, 30);
	await t.client.send(new TagResourceCommand({ resourceArn: `${ARN}:securityprofile/sp`, tags: half }));
	const over = await rejection(() => t.client.send(new TagResourceCommand({ resourceArn: `${ARN}:securityprofile/sp`, tags: many.slice(30, 51) })));
	assert.is(over.name, 'LimitExceededException');
	assert.is(over.$metadata?.httpStatusCode, 410);
	assert.is((await list(`${ARN}:securityprofile/sp`))?.length, 30);
});

tags.run();
