/** Certificate checks (spec §5.1 #7–#15) on real X.509 fixtures: compliant and non-compliant cases. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { emptySnapshot, type AuditSnapshot } from '../../host/audit/snapshot.ts';
import type { CheckContext } from '../../host/audit/finding.ts';
import { getCheck } from '../../host/audit/catalogue.ts';
import { caRecord, deviceRecord, makeCert, makeIssuer, rsaKey, spkiOf } from './fixtures.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const ctx = (config: Record<string, string> = {}): CheckContext => ({ now: NOW, config, connectionWindow: { from: 0, to: NOW } });
const run = (name: string, s: AuditSnapshot, config: Record<string, string> = {}) => getCheck(name).run(s, ctx(config));

const root = makeIssuer('Root CA');
const devKey = spkiOf(rsaKey(2048).publicKey);
const dev = (cn: string, o: { notAfter?: number; serial?: string; issuer?: typeof root } = {}) =>
	makeCert({ cn, spki: devKey, issuer: o.issuer ?? root, ...(o.serial ? { serial: o.serial } : {}), ...(o.notAfter !== undefined ? { notAfter: o.notAfter } : {}) });

const expiring = suite('DEVICE_CERTIFICATE_EXPIRING_CHECK');
expiring('flags past and approaching expiry, leaves valid and inactive certificates alone', () => {
	const s = emptySnapshot(NOW);
	const past = deviceRecord(dev('past', { notAfter: NOW - DAY }));
	const soon = deviceRecord(dev('soon', { notAfter: NOW + 10 * DAY }));
	const fine = deviceRecord(dev('fine', { notAfter: NOW + 90 * DAY }));
	const inactive = deviceRecord(dev('inactive', { notAfter: NOW - DAY }), { status: 'INACTIVE' });
	s.certificates.push(past, soon, fine, inactive);
	const f = run('DEVICE_CERTIFICATE_EXPIRING_CHECK', s);
	assert.equal(f.map((x) => [x.nonCompliantResource.resourceIdentifier.deviceCertificateId, x.reasonForNonComplianceCode]), [
		[past.certificateId, 'CERTIFICATE_PAST_EXPIRATION'],
		[soon.certificateId, 'CERTIFICATE_APPROACHING_EXPIRATION'],
	]);
	assert.is(f[0]!.nonCompliantResource.additionalInfo?.EXPIRATION_TIME, String(past.notAfter));
	assert.is(f[0]!.severity, 'MEDIUM');
	assert.is(getCheck('DEVICE_CERTIFICATE_EXPIRING_CHECK').resourcesEvaluated(s, ctx()), 3);
});
expiring('honours CERT_EXPIRATION_THRESHOLD_IN_DAYS and the legacy name', () => {
	const s = emptySnapshot(NOW);
	s.certificates.push(deviceRecord(dev('d', { notAfter: NOW + 60 * DAY })));
	assert.is(run('DEVICE_CERTIFICATE_EXPIRING_CHECK', s).length, 0);
	assert.is(run('DEVICE_CERT_APPROACHING_EXPIRATION_CHECK', s, { CERT_EXPIRATION_THRESHOLD_IN_DAYS: '90' }).length, 1);
});
expiring.run();

const caExp = suite('CA_CERTIFICATE_EXPIRING_CHECK');
caExp('flags an expiring active CA only', () => {
	const s = emptySnapshot(NOW);
	const old = caRecord(makeIssuer('Old CA', { bits: 1024, notAfter: NOW + 5 * DAY }).pem);
	s.caCertificates.push(old, caRecord(root.pem));
	const f = run('CA_CERTIFICATE_EXPIRING_CHECK', s);
	assert.equal(f.map((x) => x.nonCompliantResource.resourceIdentifier.caCertificateId), [old.certificateId]);
	assert.is(f[0]!.reasonForNonComplianceCode, 'CERTIFICATE_APPROACHING_EXPIRATION');
	old.status = 'INACTIVE';
	assert.is(run('CA_CERTIFICATE_EXPIRING_CHECK', s).length, 0);
});
caExp.run();

const age = suite('DEVICE_CERTIFICATE_AGE_CHECK');
age('flags certificates older than the threshold', () => {
	const s = emptySnapshot(NOW);
	const oldC = deviceRecord(dev('old'), { creationDate: NOW - 400 * DAY });
	const young = deviceRecord(dev('young'), { creationDate: NOW - 100 * DAY });
	s.certificates.push(oldC, young);
	assert.equal(run('DEVICE_CERTIFICATE_AGE_CHECK', s).map((x) => x.nonCompliantResource.resourceIdentifier.deviceCertificateId), [oldC.certificateId]);
	assert.is(run('DEVICE_CERTIFICATE_AGE_CHECK', s, { CERT_AGE_THRESHOLD_IN_DAYS: '90' }).length, 2);
	assert.is(getCheck('DEVICE_CERTIFICATE_AGE_CHECK').enabledByDefault, false);
});
age.run();

const revoked = suite('REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK');
revoked('flags an active certificate on its CA CRL', () => {
	const s = emptySnapshot(NOW);
	const ca = caRecord(root.pem);
	const a = deviceRecord(dev('a', { serial: '1001' }), { caCertificateId: ca.certificateId });
	const b = deviceRecord(dev('b', { serial: '1002' }), { caCertificateId: ca.certificateId });
	const c = deviceRecord(dev('c', { serial: '1003' }), { caCertificateId: ca.certificateId, status: 'REVOKED' });
	s.caCertificates.push(ca);
	s.certificates.push(a, b, c);
	s.revocations.push({ issuerId: ca.certificateId, serialNumber: '1001', revokedAt: NOW - DAY }, { issuerId: ca.certificateId, serialNumber: '10:03', revokedAt: NOW - DAY });
	const f = run('REVOKED_DEVICE_CERTIFICATE_STILL_ACTIVE_CHECK', s);
	assert.equal(f.map((x) => x.nonCompliantResource.resourceIdentifier.deviceCertificateId), [a.certificateId]);
	assert.is(f[0]!.reasonForNonComplianceCode, 'CERTIFICATE_REVOKED_BY_ISSUER');
});
revoked.run();

const revokedCa = suite('REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK');
revokedCa('flags an active CA its issuer revoked', () => {
	const s = emptySnapshot(NOW);
	const inter = makeIssuer('Intermediate', { bits: 1024, parent: root, serial: '2A' });
	const rootRec = caRecord(root.pem);
	const interRec = caRecord(inter.pem, { issuerId: rootRec.certificateId });
	s.caCertificates.push(rootRec, interRec);
	assert.is(run('REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK', s).length, 0);
	s.revocations.push({ issuerId: rootRec.certificateId, serialNumber: '2A', revokedAt: NOW });
	const f = run('REVOKED_CA_CERT_CHECK', s);
	assert.equal(f.map((x) => [x.checkName, x.nonCompliantResource.resourceIdentifier.caCertificateId]), [['REVOKED_CA_CERTIFICATE_STILL_ACTIVE_CHECK', interRec.certificateId]]);
});
revokedCa.run();

const inter = suite('INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK');
inter('one finding per revoked intermediate, active devices as related resources', () => {
	const s = emptySnapshot(NOW);
	const mid = makeIssuer('Intermediate 2', { bits: 1024, parent: root, serial: '3B' });
	const rootRec = caRecord(root.pem);
	const midFields = caRecord(mid.pem);
	s.caCertificates.push(rootRec);
	s.issuerCertificates.push({ certificateId: midFields.certificateId, subject: midFields.subject, serialNumber: midFields.serialNumber, issuerId: rootRec.certificateId });
	const chain = [midFields.certificateId, rootRec.certificateId];
	const d1 = deviceRecord(dev('d1', { issuer: mid }), { chain });
	const d2 = deviceRecord(dev('d2', { issuer: mid, serial: '02' }), { chain });
	const d3 = deviceRecord(dev('d3', { issuer: mid, serial: '03' }), { chain, status: 'INACTIVE' });
	s.certificates.push(d1, d2, d3);
	assert.is(run('INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK', s).length, 0);
	s.revocations.push({ issuerId: rootRec.certificateId, serialNumber: '3B', revokedAt: NOW });
	const f = run('INTERMEDIATE_CA_REVOKED_FOR_ACTIVE_DEVICE_CERTIFICATES_CHECK', s);
	assert.is(f.length, 1);
	assert.is(f[0]!.nonCompliantResource.resourceType, 'ISSUER_CERTIFICATE');
	assert.is(f[0]!.nonCompliantResource.resourceIdentifier.issuerCertificateIdentifier?.issuerCertificateSerialNumber, '3B');
	assert.equal(f[0]!.relatedResources.map((r) => r.resourceIdentifier.deviceCertificateId).sort(), [d1.certificateId, d2.certificateId].sort());
});
inter.run();
