/** Security profiles and targets through the official IoTClient against a running API (real SQLite). */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
	AttachSecurityProfileCommand,
	type Behavior,
	CreateCustomMetricCommand,
	CreateDimensionCommand,
	CreateSecurityProfileCommand,
	DeleteSecurityProfileCommand,
	DescribeSecurityProfileCommand,
	DetachSecurityProfileCommand,
	ListSecurityProfilesCommand,
	ListSecurityProfilesForTargetCommand,
	ListTargetsForSecurityProfileCommand,
	UpdateSecurityProfileCommand,
	ValidateSecurityProfileBehaviorsCommand,
} from '@aws-sdk/client-iot';
import { registerRoutes } from '../../host/detect/config/api-routes.ts';
import { detectConfigStoreFor } from '../../host/detect/config/sqlite-store.ts';
import { rejection, startTestApi, type TestApi } from '../api/helpers.ts';

const ARN = 'arn:aws:iot:us-east-1:123456789012';
const behaviors: Behavior[] = [
	{ name: 'tooManyMessages', metric: 'aws:num-messages-sent', criteria: { comparisonOperator: 'greater-than', value: { count: 100 }, durationSeconds: 300, consecutiveDatapointsToAlarm: 2, consecutiveDatapointsToClear: 3 } },
	{ name: 'ports', metric: 'aws:listening-tcp-ports', criteria: { comparisonOperator: 'not-in-port-set', value: { ports: [22, 443] } }, suppressAlerts: true },
	{ name: 'dest', metric: 'aws:destination-ip-addresses', criteria: { comparisonOperator: 'not-in-cidr-set', value: { cidrs: ['10.0.0.0/8', '2001:db8::/32'] } } },
	{ name: 'p90out', metric: 'aws:all-bytes-out', criteria: { comparisonOperator: 'greater-than', statisticalThreshold: { statistic: 'p90' }, durationSeconds: 900 } },
	{ name: 'mlAuth', metric: 'aws:num-authorization-failures', criteria: { mlDetectionConfig: { confidenceLevel: 'HIGH' } } },
];

let t: TestApi;
const before = async () => {
	t = await startTestApi([registerRoutes]);
};
const after = async () => t.close();

const crud = suite('security profile CRUD');
crud.before(before);
crud.after(after);

crud('create then describe returns every member, version 1 and dates', async () => {
	const c = await t.client.send(
		new CreateSecurityProfileCommand({
			securityProfileName: 'sp1',
			securityProfileDescription: 'baseline rules',
			behaviors,
			alertTargets: { SNS: { alertTargetArn: 'arn:aws:sns:us-east-1:123456789012:alerts', roleArn: 'arn:aws:iam::123456789012:role/alerts' } },
			additionalMetricsToRetainV2: [{ metric: 'aws:num-disconnects' }],
			tags: [{ Key: 'team', Value: 'iot' }],
		}),
	);
	assert.is(c.securityProfileArn, `${ARN}:securityprofile/sp1`);
	const d = await t.client.send(new DescribeSecurityProfileCommand({ securityProfileName: 'sp1' }));
	assert.is(d.version, 1);
	assert.is(d.securityProfileDescription, 'baseline rules');
	assert.equal(d.behaviors, behaviors);
	assert.equal(d.additionalMetricsToRetainV2, [{ metric: 'aws:num-disconnects' }]);
	assert.is(d.alertTargets?.SNS?.roleArn, 'arn:aws:iam::123456789012:role/alerts');
	assert.instance(d.creationDate, Date);
	assert.ok(Math.abs(d.creationDate!.getTime() - Date.now()) < 5000);
});

crud('create twice → ResourceAlreadyExistsException 409', async () => {
	const e = await rejection(() => t.client.send(new CreateSecurityProfileCommand({ securityProfileName: 'sp1' })));
	assert.is(e.name, 'ResourceAlreadyExistsException');
	assert.is(e.$metadata?.httpStatusCode, 409);
});

crud('update bumps the version; expectedVersion mismatch → VersionConflictException 409', async () => {
	const u = await t.client.send(new UpdateSecurityProfileCommand({ securityProfileName: 'sp1', securityProfileDescription: 'v2', expectedVersion: 1 }));
	assert.is(u.version, 2);
	assert.is(u.securityProfileDescription, 'v2');
	assert.equal(u.behaviors, behaviors);
	const e = await rejection(() => t.client.send(new UpdateSecurityProfileCommand({ securityProfileName: 'sp1', securityProfileDescription: 'v3', expectedVersion: 1 })));
	assert.is(e.name, 'VersionConflictException');
	assert.is(e.$metadata?.httpStatusCode, 409);
	const d = await t.client.send(new DescribeSecurityProfileCommand({ securityProfileName: 'sp1' }));
	assert.is(d.securityProfileDescription, 'v2');
});

crud('update with delete flags clears members; clash with the same member is refused', async () => {
	const u = await t.client.send(new UpdateSecurityProfileCommand({ securityProfileName: 'sp1', deleteBehaviors: true, deleteAlertTargets: true }));
	assert.equal(u.behaviors, []);
	assert.is(u.alertTargets, undefined);
	assert.is(u.version, 3);
	const e = await rejection(() => t.client.send(new UpdateSecurityProfileCommand({ securityProfileName: 'sp1', deleteBehaviors: true, behaviors })));
	assert.is(e.name, 'InvalidRequestException');
	assert.is(e.message, 'deleteBehaviors cannot be true when behaviors is also given');
});

crud('unknown profile → ResourceNotFoundException on describe and update', async () => {
	for (const send of [
		() => t.client.send(new DescribeSecurityProfileCommand({ securityProfileName: 'ghost' })),
		() => t.client.send(new UpdateSecurityProfileCommand({ securityProfileName: 'ghost', securityProfileDescription: 'x' })),
	]) {
		const e = await rejection(send);
		assert.is(e.name, 'ResourceNotFoundException');
		assert.is(e.$metadata?.httpStatusCode, 404);
	}
});

crud('invalid behaviors on create → InvalidRequestException naming the path', async () => {
	const e = await rejection(() =>
		t.client.send(
			new CreateSecurityProfileCommand({
				securityProfileName: 'bad',
				behaviors: [{ name: 'x', metric: 'aws:num-messages-sent', criteria: { comparisonOperator: 'greater-than', value: { count: 1 }, durationSeconds: 301 } }],
			}),
		),
	);
	assert.is(e.name, 'InvalidRequestException');
	assert.is(e.message, 'behaviors[0].criteria.durationSeconds must be one of 300, 600, 900, 1800, 3600');
	const nf = await rejection(() => t.client.send(new DescribeSecurityProfileCommand({ securityProfileName: 'bad' })));
	assert.is(nf.name, 'ResourceNotFoundException');
});

crud('list with dimensionName and metricName filters', async () => {
	await t.client.send(new CreateDimensionCommand({ name: 'tf', type: 'TOPIC_FILTER', stringValues: ['a/#'] }));
	await t.client.send(new CreateCustomMetricCommand({ metricName: 'temp', metricType: 'number' }));
	await t.client.send(
		new CreateSecurityProfileCommand({
			securityProfileName: 'withDim',
			behaviors: [{ name: 'm', metric: 'aws:num-messages-received', metricDimension: { dimensionName: 'tf', operator: 'NOT_IN' }, criteria: { comparisonOperator: 'greater-than', value: { count: 5 }, durationSeconds: 600 } }],
		}),
	);
	await t.client.send(new CreateSecurityProfileCommand({ securityProfileName: 'withCustom', behaviors: [{ name: 'hot', metric: 'temp', criteria: { comparisonOperator: 'greater-than', value: { number: 80.5 } } }] }));
	const all = await t.client.send(new ListSecurityProfilesCommand({}));
	assert.equal(all.securityProfileIdentifiers?.map((i) => i.name), ['sp1', 'withCustom', 'withDim']);
	assert.is(all.securityProfileIdentifiers?.[0]?.arn, `${ARN}:securityprofile/sp1`);
	const byDim = await t.client.send(new ListSecurityProfilesCommand({ dimensionName: 'tf' }));
	assert.equal(byDim.securityProfileIdentifiers?.map((i) => i.name), ['withDim']);
	const byMetric = await t.client.send(new ListSecurityProfilesCommand({ metricName: 'temp' }));
	assert.equal(byMetric.securityProfileIdentifiers?.map((i) => i.name), ['withCustom']);
	const both = await rejection(() => t.client.send(new ListSecurityProfilesCommand({ metricName: 'temp', dimensionName: 'tf' })));
	assert.is(both.name, 'InvalidRequestException');
	const nf = await rejection(() => t.client.send(new ListSecurityProfilesCommand({ dimensionName: 'nope' })));
	assert.is(nf.name, 'ResourceNotFoundException');
	const page = await t.client.send(new ListSecurityProfilesCommand({ maxResults: 2 }));
	assert.is(page.securityProfileIdentifiers?.length, 2);
	const rest = await t.client.send(new ListSecurityProfilesCommand({ maxResults: 2, nextToken: page.nextToken }));
	assert.equal(rest.securityProfileIdentifiers?.map((i) => i.name), ['withDim']);
	assert.is(rest.nextToken, undefined);
});

crud('delete honours expectedVersion and is idempotent', async () => {
	const e = await rejection(() => t.client.send(new DeleteSecurityProfileCommand({ securityProfileName: 'withCustom', expectedVersion: 7 })));
	assert.is(e.name, 'VersionConflictException');
	await t.client.send(new DeleteSecurityProfileCommand({ securityProfileName: 'withCustom', expectedVersion: 1 }));
	const again = await t.client.send(new DeleteSecurityProfileCommand({ securityProfileName: 'withCustom' }));
	assert.is(again.$metadata.httpStatusCode, 200);
	const nf = await rejection(() => t.client.send(new DescribeSecurityProfileCommand({ securityProfileName: 'withCustom' })));
	assert.is(nf.name, 'ResourceNotFoundException');
});

crud.run();

const targets = suite('attach, detach and target listings');
targets.before(before);
targets.after(after);

targets('attach to every kind of target and list both ways; the engine port sees the attachment', async () => {
	await t.client.send(new CreateSecurityProfileCommand({ securityProfileName: 'p0', behaviors: behaviors.slice(0, 1) }));
	for (const target of ['all/things', 'all/registered-things', 'all/unregistered-things', 'thinggroup/floor-1']) {
		const r = await t.client.send(new AttachSecurityProfileCommand({ securityProfileName: 'p0', securityProfileTargetArn: `${ARN}:${target}` }));
		assert.is(r.$metadata.httpStatusCode, 200);
	}
	const l = await t.client.send(new ListTargetsForSecurityProfileCommand({ securityProfileName: 'p0' }));
	assert.equal(l.securityProfileTargets?.map((x) => x.arn), [`${ARN}:all/registered-things`, `${ARN}:all/things`, `${ARN}:all/unregistered-things`, `${ARN}:thinggroup/floor-1`]);
	const f = await t.client.send(new ListSecurityProfilesForTargetCommand({ securityProfileTargetArn: `${ARN}:thinggroup/floor-1` }));
	assert.equal(f.securityProfileTargetMappings, [{ securityProfileIdentifier: { name: 'p0', arn: `${ARN}:securityprofile/p0` }, target: { arn: `${ARN}:thinggroup/floor-1` } }]);
	const port = detectConfigStoreFor(t.db);
	assert.equal(port.profilesForThing('dev1', { registered: false, groups: [] }).map((p) => p.name), ['p0']);
	assert.is(port.profilesForThing('dev1', { registered: false, groups: [] })[0]?.behaviors[0]?.name, 'tooManyMessages');
});

targets('detach removes the attachment; detaching again → ResourceNotFoundException', async () => {
	await t.client.send(new DetachSecurityProfileCommand({ securityProfileName: 'p0', securityProfileTargetArn: `${ARN}:all/things` }));
	await t.client.send(new DetachSecurityProfileCommand({ securityProfileName: 'p0', securityProfileTargetArn: `${ARN}:all/unregistered-things` }));
	const port = detectConfigStoreFor(t.db);
	assert.equal(port.profilesForThing('dev1', { registered: false, groups: [] }), []);
	assert.equal(port.profilesForThing('dev1', { registered: true, groups: [] }).map((p) => p.name), ['p0']);
	const e = await rejection(() => t.client.send(new DetachSecurityProfileCommand({ securityProfileName: 'p0', securityProfileTargetArn: `${ARN}:all/things` })));
	assert.is(e.name, 'ResourceNotFoundException');
});

targets('a sixth profile on one target → LimitExceededException 410', async () => {
	const target = `${ARN}:thinggroup/crowded`;
	for (let i = 1; i <= 5; i++) {
		await t.client.send(new CreateSecurityProfileCommand({ securityProfileName: `p${i}` }));
		await t.client.send(new AttachSecurityProfileCommand({ securityProfileName: `p${i}`, securityProfileTargetArn: target }));
	}
	await t.client.send(new AttachSecurityProfileCommand({ securityProfileName: 'p5', securityProfileTargetArn: target }));
	await t.client.send(new CreateSecurityProfileCommand({ securityProfileName: 'p6' }));
	const e = await rejection(() => t.client.send(new AttachSecurityProfileCommand({ securityProfileName: 'p6', securityProfileTargetArn: target })));
	assert.is(e.name, 'LimitExceededException');
	assert.is(e.$metadata?.httpStatusCode, 410);
	const f = await t.client.send(new ListSecurityProfilesForTargetCommand({ securityProfileTargetArn: target }));
	assert.is(f.securityProfileTargetMappings?.length, 5);
});

targets('bad target ARNs and unknown profiles are refused', async () => {
	const wrongAccount = await rejection(() => t.client.send(new AttachSecurityProfileCommand({ securityProfileName: 'p1', securityProfileTargetArn: 'arn:aws:iot:us-east-1:999999999999:all/things' })));
	assert.is(wrongAccount.name, 'InvalidRequestException');
	const wrongKind = await rejection(() => t.client.send(new AttachSecurityProfileCommand({ securityProfileName: 'p1', securityProfileTargetArn: `${ARN}:thing/x` })));
	assert.is(wrongKind.name, 'InvalidRequestException');
	const nf = await rejection(() => t.client.send(new AttachSecurityProfileCommand({ securityProfileName: 'ghost', securityProfileTargetArn: `${ARN}:all/things` })));
	assert.is(nf.name, 'ResourceNotFoundException');
	const lt = await rejection(() => t.client.send(new ListTargetsForSecurityProfileCommand({ securityProfileName: 'ghost' })));
	assert.is(lt.name, 'ResourceNotFoundException');
});

targets('deleting a profile removes its attachments', async () => {
	await t.client.send(new DeleteSecurityProfileCommand({ securityProfileName: 'p1' }));
	const f = await t.client.send(new ListSecurityProfilesForTargetCommand({ securityProfileTargetArn: `${ARN}:thinggroup/crowded` }));
	assert.equal(f.securityProfileTargetMappings?.map((m) => m.securityProfileIdentifier?.name), ['p2', 'p3', 'p4', 'p5']);
});

targets.run();

const validate = suite('ValidateSecurityProfileBehaviors');
validate.before(before);
validate.after(after);

validate('valid behaviors → valid true, no errors', async () => {
	const r = await t.client.send(new ValidateSecurityProfileBehaviorsCommand({ behaviors }));
	assert.is(r.valid, true);
	assert.equal(r.validationErrors, []);
});

validate('one message per invalid behavior, with paths', async () => {
	const r = await t.client.send(
		new ValidateSecurityProfileBehaviorsCommand({
			behaviors: [
				behaviors[0]!,
				{ name: 'ports', metric: 'aws:listening-tcp-ports', criteria: { comparisonOperator: 'greater-than', value: { ports: [1] } } },
				{ name: 'unknown', metric: 'aws:nope', criteria: { comparisonOperator: 'greater-than', value: { count: 1 } } },
				{ name: 'tooManyMessages', metric: 'aws:num-disconnects', criteria: { comparisonOperator: 'greater-than', value: { count: 1 }, durationSeconds: 300 } },
			],
		}),
	);
	assert.is(r.valid, false);
	assert.equal(r.validationErrors?.map((e) => e.errorMessage), [
		'behaviors[1].criteria.comparisonOperator must be one of in-port-set, not-in-port-set for metric aws:listening-tcp-ports (got greater-than)',
		'behaviors[2].metric aws:nope is not a supported metric',
		'behaviors[3].name tooManyMessages is already used by behaviors[0]; behavior names must be unique within a security profile',
	]);
});

validate.run();
