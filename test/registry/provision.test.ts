import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEV_THING_POLICY, provisionCa, provisionDevice, thingPolicyDocument } from '../../host/registry/provision.ts';
import { policiesInEffect } from '../../host/registry/policies.ts';
import { listPrincipalThings } from '../../host/registry/principals.ts';
import { authorizeMqtt } from '../../host/policy/authorize.ts';
import { openRegistry } from '../../host/registry/registry.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import { systemClock } from '../../host/clock.ts';
import { listCertificates } from '../../host/registry/certificates.ts';
import { deviceCert, memoryRegistry, testPki } from './fixture.ts';
import { tempDir } from '../helpers/mqtt.ts';

const dev = suite('provisionDevice');
dev('certificate ACTIVE, thing attached, per-thing policy in effect and scoped to the thing', () => {
	const { reg } = memoryRegistry();
	const caId = provisionCa(reg, testPki().ca.certPem);
	assert.is(provisionCa(reg, testPki().ca.certPem), caId);
	const a = provisionDevice(reg, 'dev-1', deviceCert('dev-1').certPem, testPki().ca.certPem);
	provisionDevice(reg, 'dev-2', deviceCert('dev-2').certPem, testPki().ca.certPem);
	assert.equal(listPrincipalThings(reg, a.certificateArn), ['dev-1']);
	const policies = policiesInEffect(reg, a.certificateId, 'dev-1');
	assert.equal(policies.map((p) => p.name), [DEV_THING_POLICY]);
	const facts = { clientId: 'dev-1', thingName: 'dev-1', isAttached: true };
	assert.is(authorizeMqtt(policies, reg.scope, 'connect', 'dev-1', facts).decision, 'ALLOW');
	assert.is(authorizeMqtt(policies, reg.scope, 'publish', '$aws/things/dev-1/defender/metrics/json', facts).decision, 'ALLOW');
	assert.is(authorizeMqtt(policies, reg.scope, 'publish', '$aws/things/dev-2/defender/metrics/json', facts).decision, 'IMPLICIT_DENY');
	assert.is(authorizeMqtt(policies, reg.scope, 'connect', 'dev-1', { clientId: 'dev-1', isAttached: false }).decision, 'IMPLICIT_DENY');
	assert.match(thingPolicyDocument(reg), 'arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}');
});
dev.run();

const cli = suite('warden certs');
cli('ca, server and device files chain to the CA; --register writes the registry', () => {
	const dir = tempDir('warden-certs-');
	const bin = new URL('../../bin/warden.js', import.meta.url).pathname;
	const run = (...args: string[]) => execFileSync(process.execPath, [bin, 'certs', ...args], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	try {
		run('ca', '--out', 'pki', '--days', '30');
		run('server', '--ca', 'pki', '--out', 'pki', '--host', '127.0.0.1,broker.local');
		run('device', '--thing', 'dev-9', '--ca', 'pki', '--out', 'pki', '--register', '--data-dir', 'data');
		const ca = new X509Certificate(readFileSync(join(dir, 'pki/ca.crt')));
		const server = new X509Certificate(readFileSync(join(dir, 'pki/server.crt')));
		const device = new X509Certificate(readFileSync(join(dir, 'pki/dev-9.crt')));
		assert.is(ca.ca, true);
		assert.is(server.verify(ca.publicKey) && device.verify(ca.publicKey), true);
		assert.match(server.subjectAltName ?? '', 'IP Address:127.0.0.1');
		assert.match(server.subjectAltName ?? '', 'DNS:broker.local');
		assert.is(device.subject, 'CN=dev-9');
		assert.is(statSync(join(dir, 'pki/dev-9.key')).mode & 0o777, 0o600);
		assert.ok(Date.parse(ca.validTo) - Date.now() < 31 * 86_400_000);
		const db = openSqlite(join(dir, 'data/warden.db'));
		const reg = openRegistry({ db, clock: systemClock });
		assert.equal(listCertificates(reg).map((c) => c.status), ['ACTIVE']);
		db.close();
		let code = 0;
		try {
			run('device', '--thing', 'dev-9', '--ca', 'pki', '--out', 'pki');
		} catch (e) {
			code = (e as { status: number }).status;
		}
		assert.is(code, 2);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
cli.run();
