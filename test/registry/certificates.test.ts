import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as certs from '../../host/registry/certificates.ts';
import { T0, deviceCert, memoryRegistry, testPki, throwsCode } from './fixture.ts';
import type { CredentialRevocation } from '../../host/registry/registry.ts';

const { ca, otherCa } = testPki();

function setup() {
	const { reg, clock } = memoryRegistry();
	const caId = certs.registerCACertificate(reg, { caCertificate: ca.certPem, setAsActive: true }).certificateId;
	const revocations: CredentialRevocation[] = [];
	reg.onRevocation((r) => revocations.push(r));
	return { reg, clock, caId, revocations };
}

const regCa = suite('registerCACertificate');
regCa('id is the SHA-256 of the DER; duplicate refused; non-CA refused', () => {
	const { reg, caId } = setup();
	assert.match(caId, /^[0-9a-f]{64}$/);
	const d = certs.describeCACertificate(reg, caId);
	assert.is(d.status, 'ACTIVE');
	assert.is(d.certificateArn, `arn:aws:iot:us-east-1:123456789012:cacert/${caId}`);
	assert.is(d.creationDate, T0);
	throwsCode(() => certs.registerCACertificate(reg, { caCertificate: ca.certPem }), 'WARDEN_ERR_REGISTRY_EXISTS');
	throwsCode(() => certs.registerCACertificate(reg, { caCertificate: deviceCert('x').certPem }), 'WARDEN_ERR_CERT_INVALID', 'not a CA');
	throwsCode(() => certs.registerCACertificate(reg, { caCertificate: 'garbage' }), 'WARDEN_ERR_CERT_INVALID');
});
regCa('verificationCertificate must be signed by the CA', () => {
	const { reg } = memoryRegistry();
	throwsCode(() => certs.registerCACertificate(reg, { caCertificate: otherCa.certPem, verificationCertificate: deviceCert('v').certPem }), 'WARDEN_ERR_CERT_INVALID', 'verificationCertificate');
	const ok = certs.registerCACertificate(reg, { caCertificate: otherCa.certPem, verificationCertificate: deviceCert('v', otherCa).certPem });
	assert.is(certs.describeCACertificate(reg, ok.certificateId).status, 'INACTIVE');
});
regCa.run();

const regCert = suite('registerCertificate');
regCert('signed by a registered CA (explicit or found), signature checked', () => {
	const { reg, caId } = setup();
	const pemA = deviceCert('a').certPem;
	const a = certs.registerCertificate(reg, { certificatePem: pemA, caCertificatePem: ca.certPem, setAsActive: true });
	const da = certs.describeCertificate(reg, a.certificateId);
	assert.is(da.caCertificateId, caId);
	assert.is(da.status, 'ACTIVE');
	assert.is(da.certificateMode, 'DEFAULT');
	const b = certs.registerCertificate(reg, { certificatePem: deviceCert('b').certPem });
	assert.is(certs.describeCertificate(reg, b.certificateId).status, 'INACTIVE');
	assert.is(certs.describeCertificate(reg, b.certificateId).caCertificateId, caId);
	throwsCode(() => certs.registerCertificate(reg, { certificatePem: deviceCert('c', otherCa).certPem }), 'WARDEN_ERR_CERT_INVALID', 'not signed by any registered CA');
	throwsCode(() => certs.registerCertificate(reg, { certificatePem: deviceCert('c', otherCa).certPem, caCertificatePem: otherCa.certPem }), 'WARDEN_ERR_REGISTRY_NOT_FOUND');
	throwsCode(() => certs.registerCertificate(reg, { certificatePem: pemA }), 'WARDEN_ERR_REGISTRY_EXISTS');
});
regCert.run();

const regNoCa = suite('registerCertificateWithoutCA');
regNoCa('stands alone, SNI_ONLY', () => {
	const { reg } = memoryRegistry();
	const r = certs.registerCertificateWithoutCA(reg, { certificatePem: deviceCert('z', otherCa).certPem, status: 'ACTIVE' });
	const d = certs.describeCertificate(reg, r.certificateId);
	assert.equal([d.caCertificateId, d.status, d.certificateMode], [null, 'ACTIVE', 'SNI_ONLY']);
	throwsCode(() => certs.registerCertificateWithoutCA(reg, { certificatePem: deviceCert('y').certPem, status: 'REVOKED' }), 'WARDEN_ERR_REGISTRY_INVALID');
});
regNoCa.run();

const update = suite('updateCertificate');
update('status transitions; REVOKED is final; leaving ACTIVE notifies', () => {
	const { reg, clock, revocations } = setup();
	const id = certs.registerCertificate(reg, { certificatePem: deviceCert('a').certPem, setAsActive: true }).certificateId;
	clock.advance(1000);
	certs.updateCertificate(reg, id, 'INACTIVE');
	assert.is(certs.describeCertificate(reg, id).lastModifiedDate, T0 + 1000);
	certs.updateCertificate(reg, id, 'ACTIVE');
	certs.updateCertificate(reg, id, 'REVOKED');
	assert.equal(revocations.map((r) => r.status), ['INACTIVE', 'REVOKED']);
	assert.equal(revocations[1]!.certificateIds, [id]);
	throwsCode(() => certs.updateCertificate(reg, id, 'ACTIVE'), 'WARDEN_ERR_REGISTRY_INVALID', 'REVOKED');
	throwsCode(() => certs.updateCertificate(reg, id, 'PENDING_TRANSFER'), 'WARDEN_ERR_REGISTRY_INVALID');
	throwsCode(() => certs.updateCertificate(reg, id, 'BOGUS'), 'WARDEN_ERR_REGISTRY_INVALID');
	throwsCode(() => certs.updateCertificate(reg, 'f'.repeat(64), 'ACTIVE'), 'WARDEN_ERR_REGISTRY_NOT_FOUND');
	throwsCode(() => certs.updateCertificate(reg, 'nothex', 'ACTIVE'), 'WARDEN_ERR_REGISTRY_INVALID');
});
update.run();

const updateCa = suite('updateCACertificate');
updateCa('deactivating a CA notifies with every certificate it signed', () => {
	const { reg, caId, revocations } = setup();
	const a = certs.registerCertificate(reg, { certificatePem: deviceCert('a').certPem, setAsActive: true }).certificateId;
	const b = certs.registerCertificate(reg, { certificatePem: deviceCert('b').certPem, setAsActive: true }).certificateId;
	certs.updateCACertificate(reg, caId, { newStatus: 'INACTIVE', newAutoRegistrationStatus: 'ENABLE' });
	const d = certs.describeCACertificate(reg, caId);
	assert.equal([d.status, d.autoRegistrationStatus], ['INACTIVE', 'ENABLE']);
	assert.is(revocations.length, 1);
	assert.equal([...revocations[0]!.certificateIds].sort(), [a, b].sort());
	assert.is(revocations[0]!.caCertificateId, caId);
	throwsCode(() => certs.updateCACertificate(reg, caId, { newStatus: 'REVOKED' }), 'WARDEN_ERR_REGISTRY_INVALID');
});
updateCa.run();

const del = suite('deleteCertificate');
del('not while ACTIVE; forceDelete detaches policies', () => {
	const { reg } = setup();
	const id = certs.registerCertificate(reg, { certificatePem: deviceCert('a').certPem, setAsActive: true }).certificateId;
	throwsCode(() => certs.deleteCertificate(reg, id), 'WARDEN_ERR_REGISTRY_INVALID', 'ACTIVE');
	certs.updateCertificate(reg, id, 'INACTIVE');
	reg.db.prepare("INSERT INTO registry_policies (name, default_version, next_version, created_at, last_modified) VALUES ('p',1,2,0,0)").run();
	reg.db.prepare('INSERT INTO registry_policy_targets (policy_name, target) VALUES (?, ?)').run('p', reg.arn(`cert/${id}`));
	throwsCode(() => certs.deleteCertificate(reg, id), 'WARDEN_ERR_REGISTRY_CONFLICT');
	certs.deleteCertificate(reg, id, { forceDelete: true });
	throwsCode(() => certs.describeCertificate(reg, id), 'WARDEN_ERR_REGISTRY_NOT_FOUND');
});
del.run();

const delCa = suite('deleteCACertificate');
delCa('must be INACTIVE and unused', () => {
	const { reg, caId } = setup();
	throwsCode(() => certs.deleteCACertificate(reg, caId), 'WARDEN_ERR_REGISTRY_INVALID');
	certs.updateCACertificate(reg, caId, { newStatus: 'INACTIVE' });
	const id = certs.registerCertificate(reg, { certificatePem: deviceCert('a').certPem }).certificateId;
	throwsCode(() => certs.deleteCACertificate(reg, caId), 'WARDEN_ERR_REGISTRY_CONFLICT');
	certs.deleteCertificate(reg, id);
	certs.deleteCACertificate(reg, caId);
	assert.is(certs.listCACertificates(reg).length, 0);
});
delCa.run();

const list = suite('listCertificates');
list('order and CA filter', () => {
	const { reg, clock, caId } = setup();
	const a = certs.registerCertificate(reg, { certificatePem: deviceCert('a').certPem }).certificateId;
	clock.advance(10);
	const b = certs.registerCertificate(reg, { certificatePem: deviceCert('b').certPem }).certificateId;
	const c = certs.registerCertificateWithoutCA(reg, { certificatePem: deviceCert('c', otherCa).certPem }).certificateId;
	assert.equal(certs.listCertificates(reg, { ascendingOrder: true }).map((x) => x.certificateId).slice(0, 1), [a]);
	assert.is(certs.listCertificates(reg).length, 3);
	assert.equal(certs.listCertificates(reg, { caCertificateId: caId }).map((x) => x.certificateId).sort(), [a, b].sort());
	assert.ok(!certs.listCertificates(reg, { caCertificateId: caId }).some((x) => x.certificateId === c));
	assert.is(certs.listCACertificates(reg).length, 1);
});
list.run();
