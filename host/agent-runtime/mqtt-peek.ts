/**
 * Reads only the fixed headers (MQTT 3.1.1 §2.2) of the bytes the agent sends, to know whether the
 * broker owes it an answer: CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ and QoS > 0 PUBLISH do;
 * PUBACK, DISCONNECT and QoS 0 PUBLISH do not. A virtual-time driver must not advance the clock
 * while an answer is owed, or the agent's own deadline for it would pass before it can arrive.
 */
const EXPECTS_ANSWER = new Set([1, 8, 10, 12]);

/** True when `chunk` holds a packet that asks for an answer (or cannot be read as whole packets). */
export function expectsAnswer(chunk: Uint8Array): boolean {
	let at = 0;
	while (at < chunk.length) {
		const type = chunk[at]! >> 4;
		const qos = (chunk[at]! >> 1) & 3;
		let len = 0;
		let mul = 1;
		let i = at + 1;
		for (;;) {
			if (i >= chunk.length || mul > 128 ** 3) return true; // partial header
			const b = chunk[i++]!;
			len += (b & 0x7f) * mul;
			mul *= 128;
			if ((b & 0x80) === 0) break;
		}
		if (EXPECTS_ANSWER.has(type) || (type === 3 && qos > 0)) return true;
		at = i + len;
	}
	return false;
}
