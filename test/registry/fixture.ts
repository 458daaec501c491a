/** Shared test fixtures: an in-memory registry on a virtual clock and a small development PKI. */
import { VirtualClock } from '../../host/clock.ts';
import { openSqlite } from '../../host/storage/sqlite.ts';
import { openRegistry, type Registry } from '../../host/registry/registry.ts';
import { type KeyAndCert, createDevCa, generateRsaKeyPem, issueDeviceCertificate } from '../../host/registry/dev-pki.ts';
import { isWardenError, type ErrorCode } from '../../host/errors.ts';
import * as assert from 'uvu/assert';

export const T0 = Date.UTC(2026, 0, 1);

export function memoryRegistry(clock = new VirtualClock(T0)): { reg: Registry; clock: VirtualClock } {
	return { reg: openRegistry({ db: openSqlite(':memory:'), clock }), clock };
}

let pki: { ca: KeyAndCert; otherCa: KeyAndCert; key: string } | null = null;

/** One CA, one unrelated CA and one shared device key, generated once per test process. */
export function testPki() {
	if (!pki) {
		const key = generateRsaKeyPem();
		pki = {
			key,
			ca: createDevCa({ commonName: 'Warden Test CA', notBefore: T0 - 86_400_000, keyPem: generateRsaKeyPem() }),
			otherCa: createDevCa({ commonName: 'Other CA', notBefore: T0 - 86_400_000, keyPem: generateRsaKeyPem() }),
		};
	}
	return pki;
}

export function deviceCert(commonName: string, ca = testPki().ca, validity: { notBefore?: number; notAfter?: number } = {}): KeyAndCert {
	return issueDeviceCertificate(ca, { commonName, keyPem: testPki().key, notBefore: validity.notBefore ?? T0 - 86_400_000, notAfter: validity.notAfter ?? T0 + 365 * 86_400_000 });
}

export function throwsCode(fn: () => unknown, code: ErrorCode, fragment?: string): void {
	try {
		fn();
	} catch (e) {
		assert.ok(isWardenError(e), `expected WardenError, got ${String(e)}`);
		assert.is(e.code, code, e.message);
		if (fragment) assert.match(e.message, fragment);
		return;
	}
	assert.unreachable(`expected ${code}`);
}
