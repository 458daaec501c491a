/**
 * Integration: the bare-metal agent survives a broker restart, a broker link cut in the middle
 * of a PUBLISH, and a UART that loses bytes mid-packet. Real QEMU, real startWarden.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startWarden, type Warden } from '../../host/server.ts';
import { bootBoard } from '../../sim/qemu/run.ts';
import { tempDir } from '../helpers/mqtt.ts';

const links = suite('bootBoard: broken links');
let dataDir: string;
let warden: Warden;
let port: number;

links.before(async () => {
	dataDir = tempDir('warden-qemu-links-');
	warden = await startWarden({ mqttPort: 0, httpPort: null, dataDir, minReportIntervalSec: 0 });
	port = warden.mqttPort;
});

links.after(async () => {
	await warden.close();
});

function acceptedFor(w: Warden, thing: string): number[] {
	const ids: number[] = [];
	w.bus.on('report.accepted', (e) => {
		if (e.thingName === thing) ids.push(e.reportId);
	});
	return ids;
}

links('a broker link cut in the middle of a PUBLISH: the agent reconnects and the report gets through once', async () => {
	const ids = acceptedFor(warden, 'qemu-cut');
	const b = await bootBoard({
		board: 'qemu-netduinoplus2',
		brokerUrl: `mqtt://127.0.0.1:${port}`,
		agent: { thingName: 'qemu-cut', intervalSec: 300 },
		// CONNECT (< 40 bytes) passes; the first PUBLISH is cut after 40 more bytes
		onBridge: (br) => br.cutAfter(80),
	});
	try {
		const s = await b.waitForStats((x) => x.accepted >= 1, 30_000);
		assert.ok(s.connections >= 2, `reconnected (connections ${s.connections})`);
		assert.ok(b.bridge.opens >= 2);
		assert.is(ids.length, 1, 'exactly one report stored');
		assert.is(s.traps, 0);
	} finally {
		assert.is(await b.stop(), 0);
	}
});

links('a broker restart: the agent reconnects to the new broker and keeps reporting', async () => {
	const b = await bootBoard({
		board: 'qemu-mps2-an385',
		brokerUrl: `mqtt://127.0.0.1:${port}`,
		agent: { thingName: 'qemu-restart', intervalSec: 300 },
	});
	try {
		await b.waitForStats((x) => x.accepted >= 1 && x.connectionState === 2, 20_000);
		await warden.close();
		await b.waitForStats((x) => x.connectionState !== 2, 10_000);
		warden = await startWarden({ mqttPort: port, httpPort: null, dataDir, minReportIntervalSec: 0 });
		const ids = acceptedFor(warden, 'qemu-restart');
		const up = await b.waitForStats((x) => x.connections >= 2 && x.connectionState === 2, 30_000);
		b.bridge.reportNow();
		const s = await b.waitForStats((x) => x.accepted >= 2, 20_000);
		assert.is(ids.length, 1, 'the new broker stored the report');
		assert.ok(ids[0]! > 0 && ids[0] === s.lastReportId);
		assert.ok(up.connections >= 2);
		assert.is(s.traps, 0);
	} finally {
		assert.is(await b.stop(), 0);
	}
});

links('a UART that loses bytes mid-packet: the agent recovers and reports again', async () => {
	const b = await bootBoard({
		board: 'qemu-netduinoplus2',
		brokerUrl: `mqtt://127.0.0.1:${port}`,
		agent: { thingName: 'qemu-garble', intervalSec: 300, keepaliveSec: 5 },
	});
	try {
		await b.waitForStats((x) => x.accepted >= 1 && x.connectionState === 2, 20_000);
		b.bridge.garbleNextToDevice();
		b.bridge.reportNow(); // its reply (PUBACK + accepted message) arrives corrupted
		const s = await b.waitForStats((x) => x.connections >= 2 && x.connectionState === 2, 30_000);
		b.bridge.reportNow();
		const t = await b.waitForStats((x) => x.accepted >= s.accepted + 1, 20_000);
		assert.ok(t.accepted >= 2);
		assert.is(t.traps, 0);
	} finally {
		assert.is(await b.stop(), 0);
	}
});

links.run();
