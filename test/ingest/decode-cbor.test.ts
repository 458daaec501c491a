/** decodeCbor: the accepted subset (RFC 8949) and the "every prefix is incomplete" property. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { encode as cborEncode } from 'cbor-x';
import { decodeCbor } from '../../host/ingest/decode-cbor.ts';
import { isWardenError } from '../../host/errors.ts';
import { EXAMPLE_LONG } from './fixtures.ts';

const decode = suite('decodeCbor');

decode('integers of every width, negative integers, floats of every width', () => {
	assert.is(decodeCbor(Buffer.from([0x17])), 23);
	assert.is(decodeCbor(Buffer.from([0x18, 0xff])), 255);
	assert.is(decodeCbor(Buffer.from([0x19, 0x01, 0x00])), 256);
	assert.is(decodeCbor(Buffer.from([0x1a, 0x00, 0x01, 0x00, 0x00])), 65536);
	assert.is(decodeCbor(Buffer.from([0x1b, 0, 0, 0, 0x01, 0, 0, 0, 0])), 4294967296);
	assert.is(decodeCbor(Buffer.from([0x38, 0x63])), -100);
	assert.is(decodeCbor(Buffer.from([0xf9, 0x3c, 0x00])), 1); // half 1.0
	assert.is(decodeCbor(Buffer.from([0xf9, 0xc4, 0x00])), -4); // half -4.0
	assert.is(decodeCbor(Buffer.from([0xf9, 0x00, 0x01])), 5.960464477539063e-8); // smallest subnormal
	assert.is(decodeCbor(Buffer.from([0xfa, 0x47, 0xc3, 0x50, 0x00])), 100000);
	assert.is(decodeCbor(Buffer.from([0xfb, 0x3f, 0xf1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a])), 1.1);
	assert.equal(decodeCbor(Buffer.from([0x83, 0xf4, 0xf5, 0xf6])), [false, true, null]);
});

decode('indefinite-length arrays and maps', () => {
	assert.equal(decodeCbor(Buffer.from([0xbf, 0x61, 0x61, 0x9f, 0x01, 0x02, 0xff, 0xff])), { a: [1, 2] });
});

decode('indefinite-length containers have the same caps as definite ones', () => {
	assert.throws(() => decodeCbor(Buffer.concat([Buffer.from([0x9f]), Buffer.alloc(1001, 1), Buffer.from([0xff])])), /^CBOR array at byte 0 has more than 1000 elements$/);
	const big = [Buffer.from([0xbf])];
	for (let i = 0; i < 101; i++) big.push(Buffer.from(cborEncode(`k${i}`)), Buffer.from([0x01]));
	big.push(Buffer.from([0xff]));
	assert.throws(() => decodeCbor(Buffer.concat(big)), /^CBOR map at byte 0 has more than 100 entries$/);
});

decode('a __proto__ key is plain data, never the prototype', () => {
	const v = decodeCbor(Buffer.from(cborEncode(JSON.parse('{"__proto__":{"x":1}}')))) as Record<string, unknown>;
	assert.is(Object.getPrototypeOf(v), Object.prototype);
	assert.equal(Object.keys(v), ['__proto__']);
	assert.is((v as { x?: number }).x, undefined);
});

decode('every strict prefix of a valid report is rejected as incomplete', () => {
	const full = Buffer.from(cborEncode(JSON.parse(EXAMPLE_LONG)));
	for (let n = 1; n < full.length; n++) {
		try {
			decodeCbor(full.subarray(0, n));
			assert.unreachable(`prefix of ${n} bytes decoded`);
		} catch (e) {
			assert.ok(isWardenError(e) && e.code === 'WARDEN_ERR_REPORT_INVALID', `prefix ${n}: ${String(e)}`);
			assert.match((e as Error).message, /^CBOR ends early at byte \d+$/);
		}
	}
});

decode.run();
