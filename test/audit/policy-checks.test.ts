/** Policy, role-alias, Cognito, connection and logging checks (spec §5.1 #1–#6, #14, #16, #17). */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { emptySnapshot, type AuditSnapshot, type ConnectionRecord, type PolicyDocument } from '../../host/audit/snapshot.ts';
import type { CheckContext } from '../../host/audit/finding.ts';
import { getCheck } from '../../host/audit/catalogue.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const ctx = (window = { from: NOW - 31 * DAY, to: NOW - 2 * 3_600_000 }): CheckContext => ({ now: NOW, config: {}, connectionWindow: window });
const run = (name: string, s: AuditSnapshot) => getCheck(name).run(s, ctx());
const ARN = 'arn:aws:iot:us-east-1:123456789012:';

function withPolicies(docs: Record<string, PolicyDocument>): AuditSnapshot {
	const s = emptySnapshot(NOW);
	for (const [policyName, document] of Object.entries(docs)) {
		s.policies.push({ policyName, policyArn: `${ARN}policy/${policyName}`, defaultVersionId: '1', document, creationDate: 0, lastModifiedDate: 0 });
	}
	return s;
}

const flagged = (name: string, s: AuditSnapshot) => run(name, s).map((f) => [f.nonCompliantResource.resourceIdentifier.policyVersionIdentifier?.policyName, f.reasonForNonComplianceCode]);

const perm = suite('IOT_POLICY_OVERLY_PERMISSIVE_CHECK');
perm('flags the broad grants the docs list and passes the scoped ones', () => {
	const s = withPolicies({
		star: { Statement: [{ Effect: 'Allow', Action: 'iot:*', Resource: '*' }] },
		connectAny: { Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}client/*` }] },
		connectClientId: { Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}client/\${iot:ClientId}` }] },
		connectAttached: {
			Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: `${ARN}client/\${iot:Connection.Thing.ThingName}`, Condition: { Bool: { 'iot:Connection.Thing.IsAttached': 'true' } } }],
		},
		shadowAll: { Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}topic/$aws/things/*/shadow/update` }] },
		shadowOwn: {
			Statement: [
				{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}topic/$aws/things/\${iot:Connection.Thing.ThingName}/shadow/*` },
				{ Effect: 'Allow', Action: 'iot:Receive', Resource: `${ARN}topic/$aws/things/*` },
			],
		},
		subPlus: { Statement: [{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}topicfilter/$aws/things/+/shadow/update` }] },
		thingPrefix: { Statement: [{ Effect: 'Allow', Action: 'iot:GetThingShadow', Resource: `${ARN}thing/MyThing*` }] },
		thingAll: { Statement: [{ Effect: 'Allow', Action: 'iot:UpdateThingShadow', Resource: `${ARN}thing/*` }] },
		denyOnly: { Statement: [{ Effect: 'Deny', Action: 'iot:*', Resource: '*' }] },
	});
	const names = flagged('IOT_POLICY_OVERLY_PERMISSIVE_CHECK', s).map((x) => x[0]);
	assert.equal(names, ['star', 'connectAny', 'connectClientId', 'shadowAll', 'subPlus', 'thingAll']);
	const f = run('IOT_POLICY_OVERLY_PERMISSIVE_CHECK', s)[0]!;
	assert.is(f.reasonForNonComplianceCode, 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS');
	assert.equal(f.nonCompliantResource.resourceIdentifier.policyVersionIdentifier, { policyName: 'star', policyVersionId: '1' });
	assert.is(f.severity, 'CRITICAL');
});
perm.run();

const mis = suite('IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK');
mis('flags MQTT wildcards in Deny and a bypassable subtree Deny, under both spellings', () => {
	const s = withPolicies({
		wildDeny: { Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}topic/a/*` }, { Effect: 'Deny', Action: 'iot:Publish', Resource: `${ARN}topic/a/+/secret` }] },
		bypass: {
			Statement: [
				{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}topicfilter/building/*` },
				{ Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${ARN}topicfilter/building/control_room/*` },
			],
		},
		fine: {
			Statement: [
				{ Effect: 'Allow', Action: 'iot:Subscribe', Resource: `${ARN}topicfilter/building/lobby/*` },
				{ Effect: 'Deny', Action: 'iot:Subscribe', Resource: `${ARN}topicfilter/building/control_room/*` },
			],
		},
	});
	assert.equal(flagged('IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK', s), [
		['wildDeny', 'POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT'],
		['bypass', 'TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS'],
	]);
	assert.is(getCheck('IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK').name, 'IOT_POLICY_POTENTIAL_MIS_CONFIGURATION_CHECK');
});
mis.run();

function roleAliasSnapshot(policies: PolicyDocument[], used: string[]): AuditSnapshot {
	const s = emptySnapshot(NOW);
	s.roleAliases.push({
		roleAlias: 'cam',
		roleAliasArn: `${ARN}rolealias/cam`,
		roleArn: 'arn:aws:iam::123456789012:role/cam',
		rolePolicies: policies,
		servicesUsed: used.map((service) => ({ service, lastUsedAt: NOW - 10 * DAY })),
	});
	return s;
}

const ra = suite('IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK');
ra('flags admin wildcards on used services and security-auditing access; passes a scoped role', () => {
	const bad = roleAliasSnapshot([{ Statement: [{ Effect: 'Allow', Action: ['s3:*', 'iam:PassRole'], Resource: '*' }] }], ['s3']);
	assert.equal(run('IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK', bad).map((f) => f.reasonForNonComplianceCode), ['ALLOWS_BROAD_ACCESS_TO_USED_SERVICES', 'ALLOWS_ACCESS_TO_SECURITY_AUDITING_SERVICES']);
	const iotAdmin = roleAliasSnapshot([{ Statement: [{ Effect: 'Allow', Action: ['iot:CreateThing', 'iot:AttachPolicy'], Resource: '*' }] }], ['iot']);
	assert.equal(run('IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK', iotAdmin).map((f) => f.reasonForNonComplianceCode), ['ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS', 'ALLOWS_ACCESS_TO_IOT_NON_THING_ADMIN_ACTIONS']);
	const good = roleAliasSnapshot([{ Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::bucket/cam/*' }] }], ['s3']);
	assert.is(run('IOT_ROLE_ALIAS_OVERLY_PERMISSIVE_CHECK', good).length, 0);
});
ra.run();

const unused = suite('IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK');
unused('lists the services granted but not used in the last year', () => {
	const s = roleAliasSnapshot([{ Statement: [{ Effect: 'Allow', Action: ['s3:PutObject', 'dynamodb:PutItem', 'kinesis:PutRecord'], Resource: '*' }] }], ['s3']);
	s.roleAliases[0]!.servicesUsed.push({ service: 'kinesis', lastUsedAt: NOW - 400 * DAY });
	const f = run('IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK', s);
	assert.is(f.length, 1);
	assert.is(f[0]!.nonCompliantResource.additionalInfo?.UNUSED_SERVICES, 'dynamodb,kinesis');
	s.roleAliases[0]!.rolePolicies = [{ Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: '*' }] }];
	assert.is(run('IOT_ROLE_ALIAS_ALLOWS_ACCESS_TO_UNUSED_SERVICES_CHECK', s).length, 0);
});
unused.run();

function poolSnapshot(auth: PolicyDocument[], unauth: PolicyDocument[], lastConnectedAt = NOW - DAY): AuditSnapshot {
	const s = emptySnapshot(NOW);
	s.identityPools.push({ identityPoolId: 'us-east-1:pool', authenticatedRolePolicies: auth, unauthenticatedRolePolicies: unauth, lastConnectedAt });
	return s;
}

const cog = suite('AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK');
cog('flags thing admin writes and broad reads; allows reads on named things; ignores pools unused for 31 days', () => {
	const bad = poolSnapshot([{ Statement: [{ Effect: 'Allow', Action: ['iot:DescribeThing', 'iot:UpdateThing'], Resource: '*' }] }], []);
	assert.equal(run('AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK', bad).map((f) => f.reasonForNonComplianceCode), ['ALLOWS_ACCESS_TO_IOT_THING_ADMIN_WRITE_ACTIONS', 'ALLOWS_BROAD_ACCESS_TO_IOT_THING_ADMIN_READ_ACTIONS']);
	assert.is(getCheck('AUTHENTICATE_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK').run(bad, ctx())[0]!.checkName, 'AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK');
	const named = poolSnapshot([{ Statement: [{ Effect: 'Allow', Action: 'iot:DescribeThing', Resource: `${ARN}thing/cam-1` }] }], []);
	assert.is(run('AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK', named).length, 0);
	const stale = poolSnapshot([{ Statement: [{ Effect: 'Allow', Action: 'iot:UpdateThing', Resource: '*' }] }], [], NOW - 40 * DAY);
	assert.is(run('AUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK', stale).length, 0);
});
cog.run();

const uncog = suite('UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK');
uncog('flags any admin action (even a named-thing read) and broad data plane', () => {
	const s = poolSnapshot([], [{ Statement: [{ Effect: 'Allow', Action: 'iot:DescribeThing', Resource: `${ARN}thing/cam-1` }, { Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] }]);
	assert.equal(run('UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK', s).map((f) => f.reasonForNonComplianceCode), ['ALLOWS_ACCESS_TO_IOT_ADMIN_ACTIONS', 'ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS']);
	const ok = poolSnapshot([], [{ Statement: [{ Effect: 'Allow', Action: 'iot:Publish', Resource: `${ARN}topic/public/telemetry` }] }]);
	assert.is(run('UNAUTHENTICATED_COGNITO_ROLE_OVERLY_PERMISSIVE_CHECK', ok).length, 0);
});
uncog.run();

const conn = (clientId: string, certificateId: string | null, connectedAt: number, disconnectedAt: number | null, disconnectReason: string | null = null): ConnectionRecord => ({
	clientId, certificateId, thingName: null, sourceIp: '127.0.0.1', connectedAt, disconnectedAt, disconnectReason,
});

const sharedC = suite('DEVICE_CERTIFICATE_SHARED_CHECK');
sharedC('flags a certificate used by two client ids at once, within the window only', () => {
	const t = NOW - 5 * DAY;
	const s = emptySnapshot(NOW);
	s.connections.push(
		conn('a', 'cert1', t, t + 3_600_000),
		conn('b', 'cert1', t + 60_000, t + 120_000),
		conn('c', 'cert2', t, t + 1000),
		conn('d', 'cert2', t + 2000, t + 3000), // sequential: fine
		conn('e', 'cert3', NOW - 3_600_000, null), // inside the excluded last 2 hours
		conn('f', 'cert3', NOW - 3_500_000, null),
	);
	const f = run('DEVICE_CERTIFICATE_SHARED_CHECK', s);
	assert.equal(f.map((x) => x.nonCompliantResource.resourceIdentifier.deviceCertificateId), ['cert1']);
	assert.equal(f[0]!.relatedResources.map((r) => r.resourceIdentifier.clientId), ['b', 'a']);
	assert.is(f[0]!.relatedResources[0]!.additionalInfo?.DISCONNECTION_TIME, String(t + 120_000));
});
sharedC.run();

const conflict = suite('CONFLICTING_CLIENT_IDS_CHECK');
conflict('flags a client id whose session was taken over', () => {
	const t = NOW - 3 * DAY;
	const s = emptySnapshot(NOW);
	s.connections.push(
		conn('dup', 'c1', t, t + 5000, 'duplicate client id'),
		conn('dup', 'c2', t + 5000, t + 9000),
		conn('seq', 'c3', t, t + 1000, 'client disconnect'),
		conn('seq', 'c3', t + 2000, t + 3000),
	);
	const f = run('CONFLICTING_CLIENT_IDS_CHECK', s);
	assert.equal(f.map((x) => [x.nonCompliantResource.resourceIdentifier.clientId, x.reasonForNonComplianceCode, x.severity]), [['dup', 'DUPLICATE_CLIENT_ID_ACROSS_CONNECTIONS', 'HIGH']]);
	assert.equal(f[0]!.relatedResources.map((r) => r.resourceIdentifier.deviceCertificateId), ['c2', 'c1']);
});
conflict.run();

const logging = suite('LOGGING_DISABLED_CHECK');
logging('flags the account unless v1 or v2 logging is on', () => {
	const s = emptySnapshot(NOW);
	const f = run('LOGGING_DISABLED_CHECK', s);
	assert.equal(f.map((x) => [x.nonCompliantResource.resourceType, x.nonCompliantResource.resourceIdentifier.account]), [['ACCOUNT_SETTINGS', '123456789012']]);
	s.logging.v2 = { enabled: true, defaultLogLevel: 'INFO' };
	assert.is(run('LOGGING_DISABLED_CHECK', s).length, 0);
	s.logging = { v1: { enabled: true }, v2: { enabled: false } };
	assert.is(run('LOGGING_DISABLED_CHECK', s).length, 0);
});
logging.run();
