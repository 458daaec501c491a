/** Socket-free: the registry hooks on plain ClientContext values, on a virtual clock. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { X509Certificate } from 'node:crypto';
import type { ClientContext } from '../../host/broker/hooks.ts';
import { MTLS_LISTENER, checkClientCertificate, registryHooks } from '../../host/registry/broker-auth.ts';
import { registerCACertificate, registerCertificate } from '../../host/registry/certificates.ts';
import { attachPolicy, createPolicy, createPolicyVersion } from '../../host/registry/policies.ts';
import { T0, deviceCert, memoryRegistry, testPki } from './fixture.ts';

const A = 'arn:aws:iot:us-east-1:123456789012';

function setup() {
	const { reg, clock } = memoryRegistry();
	registerCACertificate(reg, { caCertificate: testPki().ca.certPem, setAsActive: true });
	const pem = deviceCert('d', testPki().ca, { notBefore: T0, notAfter: T0 + 10_000 }).certPem;
	const cert = registerCertificate(reg, { certificatePem: pem, setAsActive: true });
	const raw = new X509Certificate(pem).raw;
	return { reg, clock, cert, raw };
}

const check = suite('checkClientCertificate');
check('validity bounds are inclusive; outside them the certificate is refused', () => {
	const { reg, clock, raw } = setup();
	assert.is(checkClientCertificate(reg, raw).ok, true);
	clock.advanceTo(T0 + 10_000);
	assert.is(checkClientCertificate(reg, raw).ok, true);
	clock.advance(1);
	const r = checkClientCertificate(reg, raw);
	assert.is(r.ok, false);
	if (!r.ok) assert.match(r.reason, 'expired');
	assert.equal(checkClientCertificate(reg, null), { ok: false, certificateId: null, reason: 'no client certificate presented' });
});
check.run();

const hooks = suite('registryHooks');
hooks('a live session sees policy changes made through the registry on its next request', async () => {
	const { reg, cert, raw } = setup();
	createPolicy(reg, { policyName: 'p', policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'iot:Connect', Resource: '*' }] }) });
	attachPolicy(reg, 'p', cert.certificateArn);
	const h = registryHooks(reg);
	const ctx: ClientContext = { clientId: 'c1', sourceIp: '127.0.0.1', listener: MTLS_LISTENER, peerCertificate: { raw } as never, identity: { thingName: null, certificateId: null } };
	const auth = await h.authenticate(ctx, { username: undefined, password: undefined });
	assert.is(auth.ok, true);
	if (!auth.ok) return;
	ctx.identity = { thingName: auth.thingName ?? null, certificateId: auth.certificateId ?? null, attributes: auth.attributes };
	assert.is(ctx.identity.certificateId, cert.certificateId);
	const before = await h.authorizePublish(ctx, 'a/b', Buffer.alloc(0));
	assert.equal(before, { allow: false, reason: `no policy allows publish on ${A}:topic/a/b` });
	createPolicyVersion(reg, 'p', { setAsDefault: true, policyDocument: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['iot:Connect', 'iot:Publish'], Resource: '*' }] }) });
	assert.equal(await h.authorizePublish(ctx, 'a/b', Buffer.alloc(0)), { allow: true });
	assert.equal(h.authorizeReceive(ctx, 'a/b'), { allow: false, reason: `no policy allows receive on ${A}:topic/a/b` });
});
hooks('other listeners (plaintext development) are not policed', async () => {
	const { reg } = setup();
	const h = registryHooks(reg);
	const ctx: ClientContext = { clientId: 'x', sourceIp: '', listener: 'mqtt', peerCertificate: null, identity: { thingName: null, certificateId: null } };
	assert.equal(await h.authenticate(ctx, { username: undefined, password: undefined }), { ok: true });
	assert.equal(await h.authorizeSubscribe(ctx, '#'), { allow: true });
});
hooks.run();
