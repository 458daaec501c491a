import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectsAnswer } from '../../host/agent-runtime/mqtt-peek.ts';

const E = suite('expectsAnswer');
E('packets that ask for an answer', () => {
	assert.ok(expectsAnswer(Uint8Array.of(0x10, 0x02, 0, 0))); // CONNECT
	assert.ok(expectsAnswer(Uint8Array.of(0x82, 0x01, 0))); // SUBSCRIBE
	assert.ok(expectsAnswer(Uint8Array.of(0xc0, 0x00))); // PINGREQ
	assert.ok(expectsAnswer(Uint8Array.of(0x32, 0x01, 0))); // PUBLISH QoS 1
	assert.ok(expectsAnswer(Uint8Array.of(0x40, 0x02, 0, 1, 0xc0, 0x00))); // PUBACK then PINGREQ
});
E('packets that do not', () => {
	assert.not.ok(expectsAnswer(Uint8Array.of(0x40, 0x02, 0, 1))); // PUBACK
	assert.not.ok(expectsAnswer(Uint8Array.of(0x40, 0x02, 0, 1, 0x40, 0x02, 0, 2))); // two PUBACKs
	assert.not.ok(expectsAnswer(Uint8Array.of(0xe0, 0x00))); // DISCONNECT
	assert.not.ok(expectsAnswer(Uint8Array.of(0x30, 0x01, 0))); // PUBLISH QoS 0
	assert.not.ok(expectsAnswer(new Uint8Array(0)));
});
E('multi-byte remaining length is skipped correctly', () => {
	const big = new Uint8Array(3 + 200 + 2);
	big.set([0x30, 0xc8, 0x01]); // PUBLISH QoS 0, remaining length 200
	big.set([0xe0, 0x00], 203);
	assert.not.ok(expectsAnswer(big));
	big.set([0xc0, 0x00], 203);
	assert.ok(expectsAnswer(big));
});
E('a truncated header is treated as asking (conservative)', () => {
	assert.ok(expectsAnswer(Uint8Array.of(0x40)));
	assert.ok(expectsAnswer(Uint8Array.of(0x30, 0x80)));
});
E.run();
