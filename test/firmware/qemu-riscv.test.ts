/**
 * Integration: the same agent.wasm, compiled with wasm2c for rv32imac, boots on QEMU's RISC-V
 * `virt` machine (qemu-riscv32-virt) and its JSON and CBOR reports are ACCEPTED by a real
 * `startWarden` on 127.0.0.1 (port 0, SQLite in a temp dir) through the UART bridge.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startWarden, type Warden } from '../../host/server.ts';
import type { WardenEvents } from '../../host/events.ts';
import { bootBoard } from '../../sim/qemu/run.ts';
import { tempDir } from '../helpers/mqtt.ts';

const BOARD = 'qemu-riscv32-virt';
const boot = suite('bootBoard (qemu-riscv32-virt)');
let warden: Warden;
const accepted: WardenEvents['report.accepted'][] = [];
const rejected: WardenEvents['report.rejected'][] = [];

boot.before(async () => {
	warden = await startWarden({ mqttPort: 0, httpPort: null, dataDir: tempDir('warden-qemu-rv-') });
	warden.bus.on('report.accepted', (e) => accepted.push(e));
	warden.bus.on('report.rejected', (e) => rejected.push(e));
});

boot.after(async () => {
	await warden.close();
});

boot('a JSON report is ACCEPTED, a too-early one is rejected as Throttled and counted by the agent', async () => {
	const lines: string[] = [];
	const b = await bootBoard({
		board: BOARD,
		brokerUrl: `mqtt://127.0.0.1:${warden.mqttPort}`,
		agent: { thingName: 'qemu-rv-json', format: 'json', keys: 'long', intervalSec: 300 },
		onLog: (l) => lines.push(l),
	});
	try {
		const first = await b.waitForStats((s) => s.accepted >= 1, 20_000);
		assert.is(first.published, 1);
		assert.is(first.rejected, 0);
		const ev = accepted.find((e) => e.thingName === 'qemu-rv-json');
		assert.ok(ev, 'the server accepted a report from the board');
		assert.is(ev.format, 'json');
		assert.is(ev.reportId, first.lastReportId);
		assert.equal(ev.report.metrics?.listening_tcp_ports?.ports.map((p) => p.port), [80, 8883]);
		assert.equal(ev.report.metrics?.listening_udp_ports?.ports.map((p) => p.port), [5353]);
		assert.equal(ev.report.metrics?.listening_tcp_ports?.ports.map((p) => p.interface), ['wlan0', 'wlan0']);

		b.bridge.reportNow();
		const after = await b.waitForStats((s) => s.rejected >= 1, 20_000);
		assert.is(after.accepted, 1);
		assert.is(after.lastRejectCode, 2);
		assert.is(rejected.find((e) => e.thingName === 'qemu-rv-json')?.errorCode, 'Throttled');
		assert.is(after.traps, 0);
		assert.ok(after.memoryHighWater > 0 && after.memoryHighWater <= b.image.linearMemory, 'module stays inside its pool');
		assert.ok(after.stackUsed > 0 && after.stackUsed < 2048, `stack use ${after.stackUsed} fits the 2 KiB stack`);
	} finally {
		assert.is(await b.stop(), 0, 'QEMU exits cleanly (semihosting) on request');
	}
	// log lines arrive through semihosting on the console
	assert.ok(lines.some((l) => l.includes(`warden: boot ${BOARD}`)), lines.join('\n'));
});

boot('a CBOR report with short keys is ACCEPTED; its connection is the board\'s broker link', async () => {
	const b = await bootBoard({
		board: BOARD,
		brokerUrl: `mqtt://127.0.0.1:${warden.mqttPort}`,
		agent: { thingName: 'qemu-rv-cbor', format: 'cbor', keys: 'short', intervalSec: 300 },
	});
	try {
		const s = await b.waitForStats((x) => x.accepted >= 1, 20_000);
		assert.is(s.rejected, 0);
		assert.is(s.connections, 1);
		const ev = accepted.find((e) => e.thingName === 'qemu-rv-cbor');
		assert.ok(ev, 'the server accepted the CBOR report');
		assert.is(ev.format, 'cbor');
		assert.is(ev.reportId, s.lastReportId);
		assert.equal(ev.report.metrics?.listening_tcp_ports?.ports.map((p) => p.port), [80, 8883]);
		const conns = ev.report.metrics?.tcp_connections?.established_connections?.connections ?? [];
		assert.is(conns.length, 1);
		assert.is(conns[0]?.remote_addr, `127.0.0.1:${warden.mqttPort}`);
	} finally {
		assert.is(await b.stop(), 0);
	}
});

boot.run();
