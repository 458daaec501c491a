/**
 * A TLS listener attached with `broker.handle`: hooks see the client's certificate (real TLS on
 * 127.0.0.1, certificates made with the openssl CLI in a temporary directory).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:tls';
import { startWarden } from '../../host/server.ts';
import type { ClientContext } from '../../host/broker/hooks.ts';
import { connect, end, nextMessage, subscribe, tempDir } from '../helpers/mqtt.ts';

function makeCerts(dir: string) {
	const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
	const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
	ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=warden-test-ca');
	writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
	ssl('req', ...ec, '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=127.0.0.1');
	ssl('x509', '-req', '-in', 'srv.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'srv.crt', '-days', '1', '-extfile', 'san.ext');
	ssl('req', ...ec, '-keyout', 'dev.key', '-out', 'dev.csr', '-subj', '/CN=device-1');
	ssl('x509', '-req', '-in', 'dev.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'dev.crt', '-days', '1');
	const f = (n: string) => readFileSync(join(dir, n));
	return { ca: f('ca.crt'), srvKey: f('srv.key'), srvCert: f('srv.crt'), devKey: f('dev.key'), devCert: f('dev.crt') };
}

const tls = suite('WardenBroker.handle (TLS)');

tls('hooks receive the peer certificate of an mTLS client', async () => {
	const dir = tempDir();
	const certs = makeCerts(dir);
	const w = await startWarden({ mqttPort: 0, httpPort: null, dataDir: join(dir, 'data'), minReportIntervalSec: 0 });
	const seen: ClientContext[] = [];
	w.broker.setHooks({
		authorizePublish: () => ({ allow: true }),
		authorizeSubscribe: () => ({ allow: true }),
		authorizeReceive: () => ({ allow: true }),
		authenticate: (ctx) => {
			seen.push(ctx);
			const cn = ctx.peerCertificate?.subject?.CN;
			return cn === 'device-1' ? { ok: true, thingName: cn, certificateId: ctx.peerCertificate!.fingerprint256 } : { ok: false, reason: 'no certificate' };
		},
	});
	const server = createServer({ key: certs.srvKey, cert: certs.srvCert, ca: certs.ca, requestCert: true, rejectUnauthorized: true });
	server.on('secureConnection', (s) => w.broker.handle(s, { listener: 'test-tls' }));
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
	const port = (server.address() as { port: number }).port;

	const c = await connect(port, 'device-1', { protocol: 'mqtts', key: certs.devKey, cert: certs.devCert, ca: certs.ca, rejectUnauthorized: true });
	assert.is(seen[0]!.listener, 'test-tls');
	assert.is(seen[0]!.sourceIp, '127.0.0.1');
	assert.is(seen[0]!.peerCertificate!.issuer.CN, 'warden-test-ca');
	assert.match(seen[0]!.peerCertificate!.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
	assert.is(w.broker.clients()[0]!.identity.thingName, 'device-1');
	await subscribe(c, '$aws/things/device-1/defender/metrics/json/accepted');
	const got = nextMessage(c, '$aws/things/device-1/defender/metrics/json/accepted');
	await c.publishAsync('$aws/things/device-1/defender/metrics/json', '{"hed":{"rid":5,"v":"1.0"},"met":{}}');
	assert.is(JSON.parse((await got).toString()).reportId, 5);
	await end(c);
	await new Promise<void>((r) => server.close(() => r()));
	await w.close();
	rmSync(dir, { recursive: true, force: true });
});

tls.run();
