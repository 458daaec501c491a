import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { checkKeyStrength, isSignedBy, parseCertificatePem } from '../../host/registry/x509.ts';
import { issueDeviceCertificate } from '../../host/registry/dev-pki.ts';
import { T0, deviceCert, testPki, throwsCode } from './fixture.ts';

const parse = suite('parseCertificatePem');
parse('id is the SHA-256 of the DER; names mapped to policy-variable long names; validity in ms', () => {
	const pem = issueDeviceCertificate(testPki().ca, { commonName: 'dev-1', organization: 'Acme', keyPem: testPki().key, notBefore: T0, notAfter: T0 + 86_400_000 }).certPem;
	const c = parseCertificatePem(pem);
	assert.is(c.id, createHash('sha256').update(new X509Certificate(pem).raw).digest('hex'));
	assert.equal(c.subject, { CommonName: 'dev-1', Organization: 'Acme' });
	assert.equal(c.issuer, { CommonName: 'Warden Test CA' });
	assert.equal([c.notBefore, c.notAfter, c.isCa, c.keyType, c.keyBits], [T0, T0 + 86_400_000, false, 'rsa', 2048]);
	assert.match(c.serialNumber, /^[0-9A-F]+$/);
});
parse('refuses garbage and bundles', () => {
	throwsCode(() => parseCertificatePem('hello'), 'WARDEN_ERR_CERT_INVALID', 'must be a PEM certificate');
	throwsCode(() => parseCertificatePem(42), 'WARDEN_ERR_CERT_INVALID');
	const pem = deviceCert('a').certPem;
	throwsCode(() => parseCertificatePem(pem + pem), 'WARDEN_ERR_CERT_INVALID', 'exactly one');
	throwsCode(() => parseCertificatePem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'), 'WARDEN_ERR_CERT_INVALID', 'not a valid X.509');
});
parse.run();

const signed = suite('isSignedBy');
signed('true only for the issuing CA', () => {
	const dev = parseCertificatePem(deviceCert('a').certPem);
	assert.is(isSignedBy(dev, parseCertificatePem(testPki().ca.certPem)), true);
	assert.is(isSignedBy(dev, parseCertificatePem(testPki().otherCa.certPem)), false);
	assert.is(isSignedBy(parseCertificatePem(testPki().ca.certPem), dev), false);
});
signed.run();

const strength = suite('checkKeyStrength');
strength('RSA below 2048 bits is refused at registration', () => {
	const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
	const c = parseCertificatePem(issueDeviceCertificate(testPki().ca, { commonName: 'weak', keyPem: weak }).certPem);
	throwsCode(() => checkKeyStrength(c, 'certificatePem'), 'WARDEN_ERR_CERT_INVALID', 'rsa/1024');
	checkKeyStrength(parseCertificatePem(deviceCert('ok').certPem), 'certificatePem');
});
strength.run();
