import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import sade from 'sade';
import { register as registerCerts } from '../../host/cli/commands/certs.ts';
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
import { deviceCert, memoryRegistry, testPki, throwsCode } from './fixture.ts';
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

const cli = suite('register (warden certs)');
cli('ca, server and device files chain to the CA; --register writes the registry; no silent overwrite', () => {
	const dir = tempDir('warden-certs-');
	// in-process through the real sade program definition (a process per command costs seconds under load)
	const run = (...args: string[]) => {
		const prog = sade('warden');
		registerCerts(prog);
		const out = prog.parse(['node', 'warden', 'certs', ...args], { lazy: true }) as unknown as { handler: (...a: unknown[]) => unknown; args: unknown[] } | undefined;
		if (!out) throw new Error(`sade did not match certs ${args.join(' ')}`);
		const write = process.stdout.write;
		process.stdout.write = (() => true) as typeof process.stdout.write;
		try {
			out.handler(...out.args);
		} finally {
			process.stdout.write = write;
		}
	};
	const p = (f: string) => join(dir, f);
	try {
		run('ca', '--out', p('pki'), '--days', '30');
		run('server', '--ca', p('pki'), '--out', p('pki'), '--host', '127.0.0.1,broker.local');
		run('device', '--thing', 'dev-9', '--ca', p('pki'), '--out', p('pki'), '--register', '--data-dir', p('data'));
		const ca = new X509Certificate(readFileSync(p('pki/ca.crt')));
		const server = new X509Certificate(readFileSync(p('pki/server.crt')));
		const device = new X509Certificate(readFileSync(p('pki/dev-9.crt')));
		assert.is(ca.ca, true);
		assert.is(server.verify(ca.publicKey) && device.verify(ca.publicKey), true);
		assert.match(server.subjectAltName ?? '', 'IP Address:127.0.0.1');
		assert.match(server.subjectAltName ?? '', 'DNS:broker.local');
		assert.is(device.subject, 'CN=dev-9');
		assert.is(statSync(p('pki/dev-9.key')).mode & 0o777, 0o600);
		assert.ok(Date.parse(ca.validTo) - Date.now() < 31 * 86_400_000);
		const db = openSqlite(p('data/warden.db'));
		const reg = openRegistry({ db, clock: systemClock });
		assert.equal(listCertificates(reg).map((c) => c.status), ['ACTIVE']);
		db.close();
		throwsCode(() => run('device', '--thing', 'dev-9', '--ca', p('pki'), '--out', p('pki')), 'WARDEN_ERR_CLI_USAGE', 'exists');
		throwsCode(() => run('device', '--thing', 'bad/name', '--ca', p('pki'), '--out', p('pki')), 'WARDEN_ERR_CLI_USAGE', '--thing');
		throwsCode(() => run('server', '--ca', p('nowhere'), '--out', p('pki')), 'WARDEN_ERR_CLI_USAGE', 'ca.crt');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
cli.run();
