/** FrameGuard: packets over the limit end the connection before they are buffered; others pass untouched. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Duplex } from 'node:stream';
import { connect as netConnect } from 'node:net';
import { rmSync } from 'node:fs';
import { FrameGuard, FrameTooLargeError } from '../../host/broker/frame-guard.ts';
import { startWarden } from '../../host/server.ts';
import { connect, end, nextMessage, subscribe, tempDir } from '../helpers/mqtt.ts';

function fakeSocket(): Duplex & { written: Buffer[] } {
	const written: Buffer[] = [];
	const d = new Duplex({
		read() {},
		write(chunk: Buffer, _e, cb) {
			written.push(chunk);
			cb();
		},
	});
	return Object.assign(d, { written });
}

/** A PUBLISH with `n` payload bytes on topic `t`. */
function publishPacket(n: number): Buffer {
	const topic = Buffer.from('t');
	const len = 2 + topic.length + n;
	const varint: number[] = [];
	let x = len;
	do {
		let b = x % 128;
		x = Math.floor(x / 128);
		if (x > 0) b |= 0x80;
		varint.push(b);
	} while (x > 0);
	return Buffer.concat([Buffer.from([0x30, ...varint, 0, topic.length]), topic, Buffer.alloc(n, 0x61)]);
}

const guard = suite('FrameGuard');

guard('passes packets split at every byte boundary unchanged', async () => {
	const inner = fakeSocket();
	const g = new FrameGuard(inner, 1000);
	const out: Buffer[] = [];
	g.on('data', (c: Buffer) => out.push(c));
	const stream = Buffer.concat([publishPacket(10), publishPacket(0), publishPacket(500), Buffer.from([0xc0, 0x00])]);
	for (const b of stream) inner.push(Buffer.from([b]));
	await new Promise((r) => setImmediate(r));
	assert.equal(Buffer.concat(out), stream);
	assert.is(g.destroyed, false);
	g.write(Buffer.from([0xd0, 0x00]));
	assert.equal(inner.written, [Buffer.from([0xd0, 0x00])]);
});

guard('a packet announcing more than the limit destroys the connection at its header', async () => {
	const inner = fakeSocket();
	const g = new FrameGuard(inner, 1000);
	const err = new Promise<Error>((r) => g.once('error', r));
	inner.push(publishPacket(10));
	inner.push(Buffer.from([0x30, 0xe9, 0x07])); // remaining length 1001, no body sent yet
	const e = await err;
	assert.ok(e instanceof FrameTooLargeError);
	assert.is(e.message, 'MQTT packet of 1001 bytes exceeds the limit of 1000');
	assert.is(inner.destroyed, true);
});

guard('a remaining length longer than 4 bytes is malformed', async () => {
	const inner = fakeSocket();
	const g = new FrameGuard(inner, 2 ** 30);
	const err = new Promise<Error>((r) => g.once('error', r));
	inner.push(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]));
	assert.is((await err).message, 'malformed MQTT remaining length');
});

guard.run();

// ---
const live = suite('createBroker: maxPacketBytes');

live('a client announcing a 256 MB publish is disconnected at once; others are served', async () => {
	const dir = tempDir();
	const w = await startWarden({ mqttPort: 0, httpPort: null, dataDir: dir, minReportIntervalSec: 0 });
	const good = await connect(w.mqttPort, 'good');
	const raw = netConnect(w.mqttPort, '127.0.0.1');
	await new Promise<void>((r) => raw.once('connect', () => r()));
	const closed = new Promise<void>((resolve, reject) => {
		const t = setTimeout(() => reject(new Error('not closed')), 5000);
		raw.once('close', () => (clearTimeout(t), resolve()));
	});
	raw.on('error', () => {});
	// CONNECT (MQTT 3.1.1, client id "big") then a PUBLISH header announcing 268,435,455 bytes
	raw.write(Buffer.from([0x10, 0x0f, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c, 0x00, 0x03, 0x62, 0x69, 0x67]));
	raw.write(Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x01, 0x74]));
	await closed;
	await subscribe(good, 'ping');
	const got = nextMessage(good, 'ping');
	await good.publishAsync('ping', 'pong');
	assert.is((await got).toString(), 'pong');
	await end(good);
	await w.close();
	rmSync(dir, { recursive: true, force: true });
});

live.run();
