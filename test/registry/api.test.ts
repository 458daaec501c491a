/** The registry over the AWS-compatible HTTP API, driven by the official IoTClient (SigV4, restJson1). */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as iot from '@aws-sdk/client-iot';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { registerRoutes as certRoutes } from '../../host/registry/api-routes-certificates.ts';
import { registerRoutes as thingRoutes } from '../../host/registry/api-routes-things.ts';
import { registryFor } from '../../host/registry/registry.ts';
import { type TestApi, rejection, startTestApi } from '../api/helpers.ts';
import { deviceCert, testPki } from './fixture.ts';

let t: TestApi;
const send = <O>(cmd: { input: unknown }) => t.client.send(cmd as never) as Promise<O>;

const certs = suite('registerRoutes: certificates and policies');
certs.before(async () => {
	t = await startTestApi([certRoutes, thingRoutes]);
});
certs.after(() => t.close());

certs('CA and device certificate lifecycle; status change reaches the shared registry handle', async () => {
	const ca = await send<iot.RegisterCACertificateResponse>(new iot.RegisterCACertificateCommand({ caCertificate: testPki().ca.certPem, setAsActive: true }));
	assert.match(ca.certificateId!, /^[0-9a-f]{64}$/);
	const caDesc = await send<iot.DescribeCACertificateResponse>(new iot.DescribeCACertificateCommand({ certificateId: ca.certificateId! }));
	assert.is(caDesc.certificateDescription!.status, 'ACTIVE');
	assert.instance(caDesc.certificateDescription!.creationDate, Date);
	const pem = deviceCert('api-dev').certPem;
	const reg = await send<iot.RegisterCertificateResponse>(new iot.RegisterCertificateCommand({ certificatePem: pem, caCertificatePem: testPki().ca.certPem, setAsActive: true }));
	const d = await send<iot.DescribeCertificateResponse>(new iot.DescribeCertificateCommand({ certificateId: reg.certificateId! }));
	assert.is(d.certificateDescription!.status, 'ACTIVE');
	assert.is(d.certificateDescription!.caCertificateId, ca.certificateId);
	assert.is(d.certificateDescription!.certificatePem, pem.replace(/\r\n/g, '\n'));
	const seen: string[] = [];
	registryFor({ db: t.db, clock: t.ctx.clock }).onRevocation((r) => seen.push(...r.certificateIds));
	await send(new iot.UpdateCertificateCommand({ certificateId: reg.certificateId!, newStatus: 'REVOKED' }));
	assert.equal(seen, [reg.certificateId]);
	const bad = await rejection(() => send(new iot.UpdateCertificateCommand({ certificateId: reg.certificateId!, newStatus: 'ACTIVE' })));
	assert.is(bad.name, 'CertificateStateException');
	const list = await send<iot.ListCertificatesResponse>(new iot.ListCertificatesCommand({}));
	assert.equal(list.certificates!.map((c) => c.status), ['REVOKED']);
	const byCa = await send<iot.ListCertificatesByCAResponse>(new iot.ListCertificatesByCACommand({ caCertificateId: ca.certificateId! }));
	assert.is(byCa.certificates!.length, 1);
	const dup = await rejection(() => send(new iot.RegisterCertificateCommand({ certificatePem: pem })));
	assert.is(dup.name, 'ResourceAlreadyExistsException');
	const invalid = await rejection(() => send(new iot.RegisterCertificateWithoutCACommand({ certificatePem: 'nope' })));
	assert.is(invalid.name, 'CertificateValidationException');
	const missing = await rejection(() => send(new iot.DescribeCertificateCommand({ certificateId: 'a'.repeat(64) })));
	assert.is(missing.name, 'ResourceNotFoundException');
	assert.is(missing.$metadata?.httpStatusCode, 404);
	await send(new iot.DeleteCertificateCommand({ certificateId: reg.certificateId! }));
	await send(new iot.UpdateCACertificateCommand({ certificateId: ca.certificateId!, newStatus: 'INACTIVE' }));
	await send(new iot.DeleteCACertificateCommand({ certificateId: ca.certificateId! }));
	const cas = await send<iot.ListCACertificatesResponse>(new iot.ListCACertificatesCommand({}));
	assert.equal(cas.certificates, []);
});

certs('policies: versions, default, limit, attach to a certificate ARN (path-encoded target)', async () => {
	const doc = (a: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: a, Resource: '*' }] });
	const p = await send<iot.CreatePolicyResponse>(new iot.CreatePolicyCommand({ policyName: 'dev', policyDocument: doc('iot:Connect') }));
	assert.is(p.policyVersionId, '1');
	const malformed = await rejection(() => send(new iot.CreatePolicyCommand({ policyName: 'bad', policyDocument: '{"Statement":[]}' })));
	assert.is(malformed.name, 'MalformedPolicyException');
	for (let i = 0; i < 4; i++) await send(new iot.CreatePolicyVersionCommand({ policyName: 'dev', policyDocument: doc('iot:Publish'), setAsDefault: i === 0 }));
	const limit = await rejection(() => send(new iot.CreatePolicyVersionCommand({ policyName: 'dev', policyDocument: doc('iot:Publish') })));
	assert.is(limit.name, 'LimitExceededException');
	const got = await send<iot.GetPolicyResponse>(new iot.GetPolicyCommand({ policyName: 'dev' }));
	assert.is(got.defaultVersionId, '2');
	await send(new iot.SetDefaultPolicyVersionCommand({ policyName: 'dev', policyVersionId: '1' }));
	const versions = await send<iot.ListPolicyVersionsResponse>(new iot.ListPolicyVersionsCommand({ policyName: 'dev' }));
	assert.equal(versions.policyVersions!.map((v) => [v.versionId, v.isDefaultVersion]), [['5', false], ['4', false], ['3', false], ['2', false], ['1', true]]);
	const v1 = await send<iot.GetPolicyVersionResponse>(new iot.GetPolicyVersionCommand({ policyName: 'dev', policyVersionId: '1' }));
	assert.is(v1.policyDocument, doc('iot:Connect'));
	const delDefault = await rejection(() => send(new iot.DeletePolicyVersionCommand({ policyName: 'dev', policyVersionId: '1' })));
	assert.is(delDefault.name, 'DeleteConflictException');
	await send(new iot.DeletePolicyVersionCommand({ policyName: 'dev', policyVersionId: '5' }));
	await send(new iot.RegisterCACertificateCommand({ caCertificate: testPki().otherCa.certPem, setAsActive: true }));
	const cert = await send<iot.RegisterCertificateResponse>(new iot.RegisterCertificateCommand({ certificatePem: deviceCert('x', testPki().otherCa).certPem, setAsActive: true }));
	await send(new iot.AttachPolicyCommand({ policyName: 'dev', target: cert.certificateArn! }));
	const attached = await send<iot.ListAttachedPoliciesResponse>(new iot.ListAttachedPoliciesCommand({ target: cert.certificateArn! }));
	assert.equal(attached.policies!.map((x) => x.policyName), ['dev']);
	const targets = await send<iot.ListTargetsForPolicyResponse>(new iot.ListTargetsForPolicyCommand({ policyName: 'dev' }));
	assert.equal(targets.targets, [cert.certificateArn]);
	const inUse = await rejection(() => send(new iot.DeletePolicyCommand({ policyName: 'dev' })));
	assert.is(inUse.name, 'DeleteConflictException');
	await send(new iot.DetachPolicyCommand({ policyName: 'dev', target: cert.certificateArn! }));
	const listed = await send<iot.ListPoliciesResponse>(new iot.ListPoliciesCommand({ pageSize: 1 }));
	assert.equal(listed.policies!.map((x) => x.policyName), ['dev']);
});
certs('CreateKeysAndCertificate: a key pair and a certificate from the service issuing CA', async () => {
	const r = await send<iot.CreateKeysAndCertificateResponse>(new iot.CreateKeysAndCertificateCommand({ setAsActive: true }));
	assert.match(r.certificateId!, /^[0-9a-f]{64}$/);
	assert.match(r.keyPair!.PrivateKey!, 'PRIVATE KEY');
	const cert = new X509Certificate(r.certificatePem!);
	assert.is(cert.checkPrivateKey(createPrivateKey(r.keyPair!.PrivateKey!)), true);
	const d = await send<iot.DescribeCertificateResponse>(new iot.DescribeCertificateCommand({ certificateId: r.certificateId! }));
	assert.equal([d.certificateDescription!.status, d.certificateDescription!.caCertificateId], ['ACTIVE', undefined]);
	const r2 = await send<iot.CreateKeysAndCertificateResponse>(new iot.CreateKeysAndCertificateCommand({}));
	assert.is(new X509Certificate(r2.certificatePem!).issuer, cert.issuer);
	const d2 = await send<iot.DescribeCertificateResponse>(new iot.DescribeCertificateCommand({ certificateId: r2.certificateId! }));
	assert.is(d2.certificateDescription!.status, 'INACTIVE');
});
certs.run();

const things = suite('registerRoutes: things, groups, principals, role aliases, logging');
things.before(async () => {
	t = await startTestApi([certRoutes, thingRoutes]);
});
things.after(() => t.close());

things('things and nested groups', async () => {
	await send(new iot.CreateThingCommand({ thingName: 'dev-1', attributePayload: { attributes: { site: 'berlin' } } }));
	await send(new iot.CreateThingCommand({ thingName: 'dev-2' }));
	const d = await send<iot.DescribeThingResponse>(new iot.DescribeThingCommand({ thingName: 'dev-1' }));
	assert.equal([d.thingName, d.defaultClientId, d.attributes, d.version], ['dev-1', 'dev-1', { site: 'berlin' }, 1]);
	await send(new iot.UpdateThingCommand({ thingName: 'dev-1', attributePayload: { attributes: { floor: '2' }, merge: true }, expectedVersion: 1 }));
	const stale = await rejection(() => send(new iot.UpdateThingCommand({ thingName: 'dev-1', attributePayload: { attributes: {} }, expectedVersion: 1 })));
	assert.is(stale.name, 'VersionConflictException');
	const page1 = await send<iot.ListThingsResponse>(new iot.ListThingsCommand({ maxResults: 1 }));
	assert.equal(page1.things!.map((x) => x.thingName), ['dev-1']);
	const page2 = await send<iot.ListThingsResponse>(new iot.ListThingsCommand({ maxResults: 1, nextToken: page1.nextToken! }));
	assert.equal(page2.things!.map((x) => x.thingName), ['dev-2']);
	await send(new iot.CreateThingGroupCommand({ thingGroupName: 'site', thingGroupProperties: { thingGroupDescription: 'Berlin' } }));
	await send(new iot.CreateThingGroupCommand({ thingGroupName: 'floor2', parentGroupName: 'site' }));
	await send(new iot.AddThingToThingGroupCommand({ thingName: 'dev-1', thingGroupName: 'floor2' }));
	const g = await send<iot.DescribeThingGroupResponse>(new iot.DescribeThingGroupCommand({ thingGroupName: 'floor2' }));
	assert.is(g.thingGroupMetadata!.parentGroupName, 'site');
	assert.equal(g.thingGroupMetadata!.rootToParentThingGroups!.map((x) => x.groupName), ['site']);
	const inSite = await send<iot.ListThingsInThingGroupResponse>(new iot.ListThingsInThingGroupCommand({ thingGroupName: 'site', recursive: true }));
	assert.equal(inSite.things, ['dev-1']);
	const forThing = await send<iot.ListThingGroupsForThingResponse>(new iot.ListThingGroupsForThingCommand({ thingName: 'dev-1' }));
	assert.equal(forThing.thingGroups!.map((x) => x.groupName), ['floor2']);
	const children = await send<iot.ListThingGroupsResponse>(new iot.ListThingGroupsCommand({ parentGroup: 'site' }));
	assert.equal(children.thingGroups!.map((x) => x.groupName), ['floor2']);
	await send(new iot.RemoveThingFromThingGroupCommand({ thingName: 'dev-1', thingGroupName: 'floor2' }));
	await send(new iot.DeleteThingGroupCommand({ thingGroupName: 'floor2' }));
	const missing = await rejection(() => send(new iot.DescribeThingGroupCommand({ thingGroupName: 'floor2' })));
	assert.is(missing.name, 'ResourceNotFoundException');
});

things('principals through the x-amzn-principal header', async () => {
	await send(new iot.RegisterCACertificateCommand({ caCertificate: testPki().ca.certPem, setAsActive: true }));
	const cert = await send<iot.RegisterCertificateResponse>(new iot.RegisterCertificateCommand({ certificatePem: deviceCert('dev-1').certPem, setAsActive: true }));
	await send(new iot.AttachThingPrincipalCommand({ thingName: 'dev-1', principal: cert.certificateArn! }));
	const p = await send<iot.ListThingPrincipalsResponse>(new iot.ListThingPrincipalsCommand({ thingName: 'dev-1' }));
	assert.equal(p.principals, [cert.certificateArn]);
	const th = await send<iot.ListPrincipalThingsResponse>(new iot.ListPrincipalThingsCommand({ principal: cert.certificateArn! }));
	assert.equal(th.things, ['dev-1']);
	const blocked = await rejection(() => send(new iot.DeleteThingCommand({ thingName: 'dev-1' })));
	assert.is(blocked.name, 'DeleteConflictException');
	await send(new iot.DetachThingPrincipalCommand({ thingName: 'dev-1', principal: cert.certificateArn! }));
	await send(new iot.DeleteThingCommand({ thingName: 'dev-1' }));
});

things('role aliases and logging options', async () => {
	const role = 'arn:aws:iam::123456789012:role/cam';
	await send(new iot.CreateRoleAliasCommand({ roleAlias: 'cam', roleArn: role, credentialDurationSeconds: 900 }));
	const d = await send<iot.DescribeRoleAliasResponse>(new iot.DescribeRoleAliasCommand({ roleAlias: 'cam' }));
	assert.equal([d.roleAliasDescription!.roleArn, d.roleAliasDescription!.credentialDurationSeconds], [role, 900]);
	const l = await send<iot.ListRoleAliasesResponse>(new iot.ListRoleAliasesCommand({}));
	assert.equal(l.roleAliases, ['cam']);
	await send(new iot.DeleteRoleAliasCommand({ roleAlias: 'cam' }));
	await send(new iot.SetV2LoggingOptionsCommand({ roleArn: role, defaultLogLevel: 'INFO', disableAllLogs: false }));
	const v2 = await send<iot.GetV2LoggingOptionsResponse>(new iot.GetV2LoggingOptionsCommand({}));
	assert.equal([v2.roleArn, v2.defaultLogLevel, v2.disableAllLogs], [role, 'INFO', false]);
	await send(new iot.SetLoggingOptionsCommand({ loggingOptionsPayload: { roleArn: role, logLevel: 'WARN' } }));
	const v1 = await send<iot.GetLoggingOptionsResponse>(new iot.GetLoggingOptionsCommand({}));
	assert.equal([v1.roleArn, v1.logLevel], [role, 'WARN']);
	const bad = await rejection(() => send(new iot.SetV2LoggingOptionsCommand({ defaultLogLevel: 'LOUD' as never })));
	assert.is(bad.name, 'InvalidRequestException');
});
things.run();
