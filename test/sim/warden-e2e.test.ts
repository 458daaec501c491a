/**
 * End to end: simulated devices (real agent.wasm) → the real Warden service (startWarden: broker,
 * ingest, SQLite) over TCP on 127.0.0.1, all on one VirtualClock.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../host/clock.ts';
import { startWarden, type Warden } from '../../host/server.ts';
import { runVirtual, startFleet, type FleetHandle } from '../../sim/fleet.ts';

const MIN = 60_000;
const W = suite('fleet against startWarden');
let dir: string;
let warden: Warden | undefined;
let fleet: FleetHandle | undefined;
W.before.each(() => { dir = mkdtempSync(join(tmpdir(), 'warden-sim-e2e-')); });
W.after.each(async () => {
	fleet?.stop();
	fleet = undefined;
	await warden?.close();
	warden = undefined;
	rmSync(dir, { recursive: true, force: true });
});

W('every report is accepted and stored; Detect sees them on the bus', async () => {
	const clock = new VirtualClock();
	warden = await startWarden({ mqttPort: 0, httpPort: null, dataDir: dir, clock });
	const accepted: { thingName: string; reportId: number; at: number }[] = [];
	warden.bus.on('report.accepted', (e) => accepted.push({ thingName: e.thingName, reportId: e.reportId, at: e.at }));
	fleet = startFleet({ broker: `mqtt://127.0.0.1:${warden.mqttPort}`, devices: 3, clock, seed: 3, format: 'cbor', keys: 'short' });
	await runVirtual(fleet, clock, 31 * MIN, 30_000);
	const s = fleet.stats();
	assert.is(s.rejected, 0, JSON.stringify(s.perDevice));
	assert.ok(s.accepted >= 3 * 6, String(s.accepted));
	assert.is(s.accepted, s.published);
	assert.is(accepted.length, s.accepted);
	for (const d of fleet.devices) {
		const mine = accepted.filter((a) => a.thingName === d.thingName);
		assert.is(mine.length, d.runtime.stats().accepted);
		assert.is(mine.at(-1)!.reportId, d.runtime.stats().lastReportId);
	}
});

W('reports faster than the minimum delay are answered Throttled and counted by the agent', async () => {
	const clock = new VirtualClock();
	warden = await startWarden({ mqttPort: 0, httpPort: null, dataDir: dir, clock, minReportIntervalSec: 300 });
	fleet = startFleet({ broker: `mqtt://127.0.0.1:${warden.mqttPort}`, devices: 1, clock, intervalSec: 60 });
	await runVirtual(fleet, clock, 10 * MIN, 10_000);
	const s = fleet.stats().perDevice['sim-0']!;
	assert.ok(s.accepted >= 2 && s.accepted <= 3, JSON.stringify(s));
	assert.ok(s.rejected >= 6, JSON.stringify(s));
	assert.is(s.lastErrorCode, 2, 'Throttled');
	assert.is(s.accepted + s.rejected, s.published);
});
W.run();
