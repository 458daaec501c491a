/**
 * End-to-end reports/s of a simulated fleet replayed on a VirtualClock against the real service
 * (startWarden: broker, ingest, SQLite, Detect) on 127.0.0.1: every device is an agent.wasm
 * instance under AgentRuntime over its own TCP connection. Baseline, measured in the same run
 * against a fresh service: the same number of devices as plain mqtt.js clients publishing a
 * pre-encoded report per round and waiting for the reply (no agent, no metric source). Both sides
 * advance virtual time by one report interval per round and wait for every reply.
 * Run: node --import tsx bench/fleet-replay.ts [devices] [rounds]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { VirtualClock } from '../host/clock.ts';
import { startWarden } from '../host/server.ts';
import { startFleet, runVirtual } from '../sim/fleet.ts';

const devices = Number(process.argv[2] ?? 50);
const rounds = Number(process.argv[3] ?? 12);
const INTERVAL = 300_000;

async function withWarden<T>(fn: (port: number, clock: VirtualClock) => Promise<T>): Promise<T> {
	const dir = mkdtempSync(join(tmpdir(), 'warden-bench-'));
	const clock = new VirtualClock();
	const w = await startWarden({ mqttPort: 0, httpPort: null, dataDir: dir, clock });
	try {
		return await fn(w.mqttPort, clock);
	} finally {
		await w.close();
		rmSync(dir, { recursive: true, force: true });
	}
}

async function agents(): Promise<{ reports: number; ms: number }> {
	return withWarden(async (port, clock) => {
		const fleet = startFleet({ broker: `mqtt://127.0.0.1:${port}`, devices, clock, seed: 1 });
		await fleet.settle(60_000);
		const before = fleet.stats().accepted;
		const t = performance.now();
		await runVirtual(fleet, clock, rounds * INTERVAL, INTERVAL, 60_000);
		const ms = performance.now() - t;
		const s = fleet.stats();
		fleet.stop();
		if (s.rejected) throw new Error(`agents: ${s.rejected} reports rejected`);
		return { reports: s.accepted - before, ms };
	});
}

async function plain(): Promise<{ reports: number; ms: number }> {
	return withWarden(async (port, clock) => {
		const clients = await Promise.all(Array.from({ length: devices }, async (_, i) => {
			const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: `plain-${i}`, protocolVersion: 4, keepalive: 0, reconnectPeriod: 0 });
			await c.subscribeAsync(`$aws/things/plain-${i}/defender/metrics/json/+`, { qos: 1 });
			return c;
		}));
		const body = (rid: number) => JSON.stringify({
			header: { report_id: rid, version: '1.0' },
			metrics: {
				listening_tcp_ports: { ports: [{ port: 22, interface: 'eth0' }, { port: 1883, interface: 'eth0' }], total: 2 },
				listening_udp_ports: { ports: [{ port: 123, interface: 'eth0' }], total: 1 },
				network_stats: { bytes_in: 120000, bytes_out: 90000, packets_in: 400, packets_out: 360 },
				tcp_connections: { established_connections: { connections: [{ remote_addr: '10.0.0.1:8883', local_port: 40001, local_interface: 'eth0' }], total: 1 } },
			},
			custom_metrics: { cpu_usage: [{ number: 17.5 }] },
		});
		const round = (rid: number) => Promise.all(clients.map((c, i) => new Promise<void>((resolve, reject) => {
			const onMsg = (topic: string) => {
				if (!topic.startsWith(`$aws/things/plain-${i}/`)) return;
				c.off('message', onMsg);
				if (topic.endsWith('/accepted')) resolve(); else reject(new Error(`plain: rejected on ${topic}`));
			};
			c.on('message', onMsg);
			c.publish(`$aws/things/plain-${i}/defender/metrics/json`, body(rid), { qos: 1 });
		})));
		await round(1);
		const t = performance.now();
		for (let r = 2; r <= rounds + 1; r++) {
			clock.advance(INTERVAL);
			await round(r);
		}
		const ms = performance.now() - t;
		await Promise.all(clients.map((c) => c.endAsync()));
		return { reports: devices * rounds, ms };
	});
}

const base = await plain();
const subj = await agents();
const rate = (x: { reports: number; ms: number }) => (x.reports / x.ms) * 1000;
console.log(`${devices} devices × ${rounds} rounds of a 300 s interval on a VirtualClock, startWarden on 127.0.0.1`);
console.log(`agent fleet (agent.wasm + runtime + model): ${subj.reports} reports in ${Math.round(subj.ms)} ms = ${Math.round(rate(subj))} reports/s`);
console.log(`baseline mqtt.js clients, pre-encoded JSON:  ${base.reports} reports in ${Math.round(base.ms)} ms = ${Math.round(rate(base))} reports/s`);
console.log(`ratio ${(rate(subj) / rate(base)).toFixed(2)}; virtual time per wall second: ${Math.round((rounds * INTERVAL) / subj.ms)} s`);
