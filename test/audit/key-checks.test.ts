/** Key-quality checks: ROCA (CVE-2017-15361), Debian blocklist (CVE-2008-0166), RSA size, EC curves, batch GCD. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkPrimeSync, randomBytes } from 'node:crypto';
import { emptySnapshot, type AuditSnapshot } from '../../host/audit/snapshot.ts';
import type { CheckContext } from '../../host/audit/finding.ts';
import { getCheck } from '../../host/audit/catalogue.ts';
import { batchGcd, batchGcdScaled, gcd, productTree } from '../../host/audit/batch-gcd.ts';
import { debianBlocklistFingerprint, isDebianWeakKey, isRocaVulnerable, rocaPrimes } from '../../host/audit/key-vulnerabilities.ts';
import { caRecord, deviceRecord, ecKey, makeCert, makeIssuer, rsaKey, rsaSpki, spkiOf } from './fixtures.ts';

const NOW = Date.UTC(2026, 5, 1);
const ctx = (extra: Partial<CheckContext> = {}): CheckContext => ({ now: NOW, config: {}, connectionWindow: { from: 0, to: NOW }, ...extra });
const run = (name: string, s: AuditSnapshot, extra: Partial<CheckContext> = {}) => getCheck(name).run(s, ctx(extra));
const root = makeIssuer('Root CA');

const randBig = (bits: number) => BigInt(`0x${randomBytes(bits / 8).toString('hex')}`) | (1n << BigInt(bits - 1));

/** A prime with the ROCA structure p = k·M + (65537^a mod M), M = product of the fingerprint primes. */
function rocaPrime(bits: number): bigint {
	const M = rocaPrimes().reduce((m, r) => m * BigInt(r), 1n);
	const a = BigInt(1 + (randomBytes(2).readUInt16BE() % 500));
	let g = 1n;
	let base = 65537n % M;
	for (let e = a; e > 0n; e >>= 1n) {
		if (e & 1n) g = (g * base) % M;
		base = (base * base) % M;
	}
	for (;;) {
		const p = (randBig(bits) / M) * M + g;
		if (checkPrimeSync(p)) return p;
	}
}

function randomPrime(bits: number): bigint {
	for (;;) {
		const p = randBig(bits) | 1n;
		if (checkPrimeSync(p)) return p;
	}
}

const roca = suite('isRocaVulnerable');
roca('detects a ROCA-structured modulus, passes normal ones', () => {
	const n = rocaPrime(512) * rocaPrime(512);
	assert.ok(isRocaVulnerable(n));
	const normal = rsaKey(1024);
	const fields = deviceRecord(makeCert({ cn: 'n', spki: spkiOf(normal.publicKey), issuer: root }));
	assert.not.ok(isRocaVulnerable(fields.key.rsaModulus!));
	assert.not.ok(isRocaVulnerable(randomPrime(512) * randomPrime(512)));
});
roca.run();

const keyQ = suite('DEVICE_CERTIFICATE_KEY_QUALITY_CHECK');
keyQ('flags the ROCA certificate with CVE-2017-15361 and a blocklisted key with CVE-2008-0166', () => {
	const s = emptySnapshot(NOW);
	const bad = deviceRecord(makeCert({ cn: 'roca', spki: rsaSpki(rocaPrime(512) * rocaPrime(512)), issuer: root }));
	const good = deviceRecord(makeCert({ cn: 'ok', spki: spkiOf(rsaKey(2048).publicKey), issuer: root, serial: '02' }));
	const debian = deviceRecord(makeCert({ cn: 'deb', spki: spkiOf(rsaKey(1024).publicKey), issuer: root, serial: '03' }));
	s.certificates.push(bad, good, debian);
	assert.equal(run('DEVICE_CERTIFICATE_KEY_QUALITY_CHECK', s).map((f) => [f.nonCompliantResource.resourceIdentifier.deviceCertificateId, f.reasonForNonComplianceCode]), [
		[bad.certificateId, 'CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361'],
	]);
	const blocklist = new Set([debianBlocklistFingerprint(debian.key.rsaModulus!)]);
	const f = run('DEVICE_CERTIFICATE_KEY_QUALITY_CHECK', s, { debianWeakKeys: blocklist });
	assert.equal(f.map((x) => x.reasonForNonComplianceCode), ['CERTIFICATE_KEY_VULNERABILITY_CVE-2017-15361', 'CERTIFICATE_KEY_VULNERABILITY_CVE-2008-0166']);
	assert.ok(isDebianWeakKey(debian.key.rsaModulus!, blocklist));
	assert.not.ok(isDebianWeakKey(good.key.rsaModulus!, blocklist));
});
keyQ.run();

const caKeyQ = suite('CA_CERTIFICATE_KEY_QUALITY_CHECK');
caKeyQ('flags a CA with a ROCA key only', () => {
	const s = emptySnapshot(NOW);
	const self = makeIssuer('x');
	const bad = caRecord(makeCert({ cn: 'Bad CA', isCa: true, spki: rsaSpki(rocaPrime(512) * rocaPrime(512)), signer: self.forgeKey }));
	s.caCertificates.push(bad, caRecord(root.pem));
	assert.equal(run('CA_CERTIFICATE_KEY_QUALITY_CHECK', s).map((f) => f.nonCompliantResource.resourceIdentifier.caCertificateId), [bad.certificateId]);
});
caKeyQ.run();

const rsaShort = suite('WARDEN_RSA_KEY_TOO_SHORT_CHECK');
rsaShort('flags RSA below 2048 bits on devices and CAs', () => {
	const s = emptySnapshot(NOW);
	const weak = deviceRecord(makeCert({ cn: 'w', spki: spkiOf(rsaKey(1024).publicKey), issuer: root }));
	const strong = deviceRecord(makeCert({ cn: 's', spki: spkiOf(rsaKey(2048).publicKey), issuer: root, serial: '05' }));
	const ec = deviceRecord(makeCert({ cn: 'e', spki: spkiOf(ecKey('prime256v1').publicKey), issuer: root, serial: '06' }));
	const weakCa = caRecord(makeIssuer('Weak CA', { bits: 1024 }).pem);
	s.certificates.push(weak, strong, ec);
	s.caCertificates.push(weakCa, caRecord(root.pem));
	const f = run('WARDEN_RSA_KEY_TOO_SHORT_CHECK', s);
	assert.equal(f.map((x) => [x.nonCompliantResource.resourceType, x.nonCompliantResource.additionalInfo?.KEY_BITS]), [
		['DEVICE_CERTIFICATE', '1024'],
		['CA_CERTIFICATE', '1024'],
	]);
	assert.is(getCheck('WARDEN_RSA_KEY_TOO_SHORT_CHECK').resourcesEvaluated(s, ctx()), 4);
});
rsaShort.run();

const ecWeak = suite('WARDEN_WEAK_EC_CURVE_CHECK');
ecWeak('flags P-192, accepts P-256, P-384 and secp256k1', () => {
	const s = emptySnapshot(NOW);
	const certs = ['prime192v1', 'prime256v1', 'secp384r1', 'secp256k1'].map((curve, i) =>
		deviceRecord(makeCert({ cn: curve, spki: spkiOf(ecKey(curve).publicKey), issuer: root, serial: `1${i}` })),
	);
	s.certificates.push(...certs);
	const f = run('WARDEN_WEAK_EC_CURVE_CHECK', s);
	assert.equal(f.map((x) => [x.nonCompliantResource.resourceIdentifier.deviceCertificateId, x.nonCompliantResource.additionalInfo?.EC_CURVE, x.reasonForNonComplianceCode]), [
		[certs[0]!.certificateId, 'prime192v1', 'WEAK_EC_CURVE'],
	]);
});
ecWeak.run();

const bg = suite('batchGcd');
bg('finds moduli sharing a prime and nothing else', () => {
	const shared = randomPrime(256);
	const moduli = [shared * randomPrime(256), randomPrime(256) * randomPrime(256), shared * randomPrime(256), randomPrime(256) * randomPrime(256), randomPrime(256) * randomPrime(256)];
	const g = batchGcd(moduli);
	assert.equal(g.map((x) => x === 1n), [false, true, false, true, true]);
	assert.is(g[0], shared);
	assert.is(g[2], shared);
});
bg('agrees with pairwise gcd on small numbers', () => {
	const moduli = [15n, 77n, 221n, 35n, 143n, 323n];
	const expect = moduli.map((_n, i) => moduli.reduce((acc, m, j) => (j === i ? acc : acc * m), 1n)).map((p, i) => gcd(p, moduli[i]!));
	assert.equal(batchGcd(moduli), expect);
	assert.is(productTree(moduli).at(-1)![0], moduli.reduce((a, b) => a * b, 1n));
});
bg('the scaled remainder tree gives the same gcds (odd counts, shared primes, random inputs)', () => {
	const shared = randomPrime(256);
	for (const count of [2, 3, 7, 33]) {
		const moduli = Array.from({ length: count }, (_, i) => (i % 5 === 1 ? shared * randomPrime(256) : randBig(512) | 1n));
		assert.equal(batchGcdScaled(moduli), batchGcd(moduli), `count ${count}`);
	}
	assert.equal(batchGcdScaled([15n, 77n, 221n, 35n, 143n]), batchGcd([15n, 77n, 221n, 35n, 143n]));
});
bg.run();

const shared = suite('WARDEN_RSA_SHARED_PRIME_CHECK');
shared('flags the two certificates whose keys share a prime, and duplicated keys', () => {
	const p = randomPrime(512);
	const s = emptySnapshot(NOW);
	const a = deviceRecord(makeCert({ cn: 'a', spki: rsaSpki(p * randomPrime(512)), issuer: root, serial: '21' }));
	const b = deviceRecord(makeCert({ cn: 'b', spki: rsaSpki(p * randomPrime(512)), issuer: root, serial: '22' }));
	const c = deviceRecord(makeCert({ cn: 'c', spki: spkiOf(rsaKey(1024).publicKey), issuer: root, serial: '23' }));
	const dupKey = spkiOf(rsaKey(1024).publicKey);
	const d1 = deviceRecord(makeCert({ cn: 'd1', spki: dupKey, issuer: root, serial: '24' }));
	const d2 = deviceRecord(makeCert({ cn: 'd2', spki: dupKey, issuer: root, serial: '25' }));
	s.certificates.push(a, b, c);
	let f = run('WARDEN_RSA_SHARED_PRIME_CHECK', s);
	assert.equal(f.map((x) => x.nonCompliantResource.resourceIdentifier.deviceCertificateId).sort(), [a.certificateId, b.certificateId].sort());
	assert.is(f[0]!.nonCompliantResource.additionalInfo?.SHARED_FACTOR_BITS, '512');
	assert.equal(f.find((x) => x.nonCompliantResource.resourceIdentifier.deviceCertificateId === a.certificateId)!.relatedResources.map((r) => r.resourceIdentifier.deviceCertificateId), [b.certificateId]);
	s.certificates.push(d1, d2);
	f = run('WARDEN_RSA_SHARED_PRIME_CHECK', s);
	assert.equal(f.filter((x) => x.reasonForNonComplianceCode === 'RSA_MODULUS_DUPLICATED').length, 2);
	assert.equal(f.filter((x) => x.reasonForNonComplianceCode === 'RSA_MODULUS_SHARES_PRIME_FACTOR').length, 2);
});
shared.run();
