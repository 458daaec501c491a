/** The UART link's framing on the host side (device side: firmware/native/warden_link.c). */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { FRAME, FrameDecoder, SLIP, decodeStats, encodeFrame } from '../../sim/qemu/link-codec.ts';

const encode = suite('encodeFrame');

encode('wraps type and payload in END bytes and escapes END and ESC', () => {
	const f = encodeFrame(FRAME.data, Uint8Array.of(1, SLIP.END, 2, SLIP.ESC, 3));
	assert.equal([...f], [SLIP.END, FRAME.data, 1, SLIP.ESC, SLIP.ESC_END, 2, SLIP.ESC, SLIP.ESC_ESC, 3, SLIP.END]);
});

encode('an empty payload is just the type', () => {
	assert.equal([...encodeFrame(FRAME.exit)], [SLIP.END, FRAME.exit, SLIP.END]);
});

encode.run();

const decode = suite('FrameDecoder');

decode('round-trips every byte value, fed one byte at a time', () => {
	const payload = Uint8Array.from({ length: 256 }, (_, i) => i);
	const wire = encodeFrame(FRAME.data, payload);
	const d = new FrameDecoder();
	const got = [];
	for (const b of wire) got.push(...d.push(Uint8Array.of(b)));
	assert.is(got.length, 1);
	assert.is(got[0]!.type, FRAME.data);
	assert.equal([...got[0]!.payload], [...payload]);
});

decode('every strict prefix of a frame yields nothing yet', () => {
	const wire = encodeFrame(FRAME.opened, Uint8Array.of(7, 0xc0, 0xdb, 9));
	for (let n = 0; n < wire.length; n++) {
		assert.is(new FrameDecoder().push(wire.subarray(0, n)).length, 0, `prefix ${n}`);
	}
});

decode('resynchronises on END after a frame that is too long', () => {
	const d = new FrameDecoder(8);
	const frames = d.push(Buffer.concat([encodeFrame(FRAME.data, new Uint8Array(20)), encodeFrame(FRAME.reportNow)]));
	assert.equal(frames.map((f) => f.type), [FRAME.reportNow]);
	assert.ok(d.dropped > 0);
});

decode('several frames in one chunk come out in order', () => {
	const frames = new FrameDecoder().push(Buffer.concat([encodeFrame(FRAME.hello, Buffer.from('b1')), encodeFrame(FRAME.open, Uint8Array.of(3))]));
	assert.equal(frames.map((f) => [f.type, [...f.payload]]), [[FRAME.hello, [0x62, 0x31]], [FRAME.open, [3]]]);
});

decode.run();

const stats = suite('decodeStats');

stats('reads count then little-endian i64 values in stat order', () => {
	const p = Buffer.alloc(4 + 8 * 14);
	p.writeUInt32LE(14, 0);
	for (let i = 0; i < 14; i++) p.writeBigInt64LE(BigInt(i * 10 - 1), 4 + 8 * i);
	const s = decodeStats(p)!;
	assert.is(s.published, -1);
	assert.is(s.accepted, 9);
	assert.is(s.lastReportId, 79);
	assert.is(s.traps, 99);
	assert.is(s.memoryFaults, 119);
	assert.is(s.stackUsed, 129);
});

stats('a short payload is refused', () => {
	const p = Buffer.alloc(12);
	p.writeUInt32LE(13, 0);
	assert.is(decodeStats(p), undefined);
});

stats.run();
