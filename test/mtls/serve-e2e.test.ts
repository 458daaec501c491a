/**
 * The whole service (startWarden): provision a device through the AWS-compatible API with the
 * official IoTClient, connect it over mTLS with MQTT.js, then revoke it through the API and see
 * the live session closed and the reconnect refused.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as iot from '@aws-sdk/client-iot';
import mqtt from 'mqtt';
import { rmSync } from 'node:fs';
import { type Warden, startWarden } from '../../host/server.ts';
import { createDevCa, generateRsaKeyPem, issueDeviceCertificate, issueServerCertificate } from '../../host/registry/dev-pki.ts';
import { thingPolicyDocument } from '../../host/registry/provision.ts';
import { closedByServer, end, nextMessage, subscribe, tempDir } from '../helpers/mqtt.ts';

const serve = suite('startWarden: mTLS listener with the registry API');
let w: Warden;
let dir = '';
let client: iot.IoTClient;
const key = generateRsaKeyPem();
const ca = createDevCa({ commonName: 'Serve Test CA', keyPem: generateRsaKeyPem() });
const server = issueServerCertificate(ca, { commonName: '127.0.0.1', hosts: ['127.0.0.1'], keyPem: key });

serve.before(async () => {
	dir = tempDir('warden-serve-mtls-');
	w = await startWarden({ mqttPort: 0, httpPort: 0, mtlsPort: 0, tlsCertPem: server.certPem, tlsKeyPem: server.keyPem, dataDir: dir, minReportIntervalSec: 0 });
	const cred = w.apiCredentials!;
	client = new iot.IoTClient({ endpoint: `http://127.0.0.1:${w.httpPort}`, region: 'us-east-1', credentials: { accessKeyId: cred.accessKeyId, secretAccessKey: cred.secretAccessKey }, maxAttempts: 1 });
});
serve.after(async () => {
	client.destroy();
	await w.close();
	rmSync(dir, { recursive: true, force: true });
});

serve('provision over the API, report over mTLS, revoke over the API', async () => {
	assert.type(w.mtlsPort, 'number');
	const dev = issueDeviceCertificate(ca, { commonName: 'sensor-1', keyPem: key });
	await client.send(new iot.RegisterCACertificateCommand({ caCertificate: ca.certPem, setAsActive: true }));
	const cert = await client.send(new iot.RegisterCertificateCommand({ certificatePem: dev.certPem, setAsActive: true }));
	await client.send(new iot.CreateThingCommand({ thingName: 'sensor-1' }));
	await client.send(new iot.AttachThingPrincipalCommand({ thingName: 'sensor-1', principal: cert.certificateArn! }));
	await client.send(new iot.CreatePolicyCommand({ policyName: 'thing', policyDocument: thingPolicyDocument(w.registry.registry) }));
	await client.send(new iot.AttachPolicyCommand({ policyName: 'thing', target: cert.certificateArn! }));

	const c = mqtt.connect({ protocol: 'mqtts', host: '127.0.0.1', port: w.mtlsPort!, clientId: 'sensor-1', ca: ca.certPem, cert: dev.certPem, key: dev.keyPem, reconnectPeriod: 0, connectTimeout: 5000 });
	await new Promise<void>((resolve, reject) => {
		c.once('connect', () => resolve());
		c.once('error', reject);
	});
	assert.is(await subscribe(c, '$aws/things/sensor-1/defender/metrics/json/accepted'), 1);
	const reply = nextMessage(c, '$aws/things/sensor-1/defender/metrics/json/accepted');
	await c.publishAsync('$aws/things/sensor-1/defender/metrics/json', JSON.stringify({ header: { report_id: 1, version: '1.0' }, metrics: {} }), { qos: 1 });
	assert.is(JSON.parse((await reply).toString()).status, 'ACCEPTED');

	const closed = closedByServer(c);
	await client.send(new iot.UpdateCertificateCommand({ certificateId: cert.certificateId!, newStatus: 'REVOKED' }));
	await closed;
	const again = mqtt.connect({ protocol: 'mqtts', host: '127.0.0.1', port: w.mtlsPort!, clientId: 'sensor-1', ca: ca.certPem, cert: dev.certPem, key: dev.keyPem, reconnectPeriod: 0, connectTimeout: 5000 });
	const refused = await new Promise<number | undefined>((resolve) => {
		again.once('connect', () => resolve(0));
		again.once('error', (e) => resolve((e as { code?: number }).code));
	});
	assert.is(refused, 5);
	await end(again);
	await end(c);
	const sessions = w.registry.connections.list(0);
	assert.ok(sessions.some((s) => s.clientId === 'sensor-1' && s.certificateId === cert.certificateId && s.disconnectedAt !== null));
});
serve.run();
