/**
 * Integration: a QEMU board reaching `warden serve`'s mutual-TLS listener. The device budget
 * excludes TLS, so the UART bridge terminates TLS on the board's behalf with the board's device
 * certificate, provisioned through the AWS API (CA, certificate, thing, policy).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as iot from '@aws-sdk/client-iot';
import { type Warden, startWarden } from '../../host/server.ts';
import { createDevCa, generateRsaKeyPem, issueDeviceCertificate, issueServerCertificate } from '../../host/registry/dev-pki.ts';
import { thingPolicyDocument } from '../../host/registry/provision.ts';
import { bootBoard } from '../../sim/qemu/run.ts';
import { tempDir } from '../helpers/mqtt.ts';

const mtls = suite('bootBoard: mqtts:// through the bridge');
const key = generateRsaKeyPem();
const ca = createDevCa({ commonName: 'QEMU Test CA', keyPem: generateRsaKeyPem() });
const server = issueServerCertificate(ca, { commonName: '127.0.0.1', hosts: ['127.0.0.1'], keyPem: key });
let w: Warden;
let client: iot.IoTClient;

mtls.before(async () => {
	w = await startWarden({ mqttPort: 0, httpPort: 0, mtlsPort: 0, tlsCertPem: server.certPem, tlsKeyPem: server.keyPem, dataDir: tempDir('warden-qemu-mtls-'), minReportIntervalSec: 0 });
	client = new iot.IoTClient({ endpoint: `http://127.0.0.1:${w.httpPort}`, region: 'us-east-1', credentials: { ...w.apiCredentials! }, maxAttempts: 1 });
});

mtls.after(async () => {
	client?.destroy();
	await w?.close();
});

mtls('a provisioned board reports over mTLS; the same board without a certificate is refused', async () => {
	const dev = issueDeviceCertificate(ca, { commonName: 'qemu-tls', keyPem: key });
	await client.send(new iot.RegisterCACertificateCommand({ caCertificate: ca.certPem, setAsActive: true }));
	const cert = await client.send(new iot.RegisterCertificateCommand({ certificatePem: dev.certPem, setAsActive: true }));
	await client.send(new iot.CreateThingCommand({ thingName: 'qemu-tls' }));
	await client.send(new iot.AttachThingPrincipalCommand({ thingName: 'qemu-tls', principal: cert.certificateArn! }));
	await client.send(new iot.CreatePolicyCommand({ policyName: 'thing', policyDocument: thingPolicyDocument(w.registry.registry) }));
	await client.send(new iot.AttachPolicyCommand({ policyName: 'thing', target: cert.certificateArn! }));
	const accepted: number[] = [];
	w.bus.on('report.accepted', (e) => {
		if (e.thingName === 'qemu-tls') accepted.push(e.reportId);
	});

	const b = await bootBoard({
		board: 'qemu-mps2-an385',
		brokerUrl: `mqtts://127.0.0.1:${w.mtlsPort}`,
		tls: { ca: ca.certPem, cert: dev.certPem, key: dev.keyPem },
		agent: { thingName: 'qemu-tls', format: 'cbor', keys: 'short' },
	});
	try {
		const s = await b.waitForStats((x) => x.accepted >= 1, 20_000);
		assert.equal(accepted, [s.lastReportId]);
	} finally {
		assert.is(await b.stop(), 0);
	}

	const anon = await bootBoard({
		board: 'qemu-mps2-an385',
		brokerUrl: `mqtts://127.0.0.1:${w.mtlsPort}`,
		tls: { ca: ca.certPem },
		agent: { thingName: 'qemu-tls' },
	});
	try {
		// the TLS handshake fails at the bridge: the device sees its opens closed, never a session
		await new Promise<void>((resolve, reject) => {
			const t = setTimeout(() => reject(new Error('no refused open within 15 s')), 15_000);
			anon.bridge.on('close', (_seq, by) => {
				if (by === 'broker') {
					clearTimeout(t);
					resolve();
				}
			});
		});
		assert.is(anon.bridge.stats?.connections ?? 0, 0);
		assert.is(anon.bridge.stats?.published ?? 0, 0);
	} finally {
		assert.is(await anon.stop(), 0);
	}
});

mtls.run();
