/**
 * What mutual TLS costs a reporting fleet: the same seeded fleet (real agent.wasm per device)
 * replays the same virtual hours once to the plaintext listener (the baseline) and once to the
 * mTLS listener of one in-process broker (ingest on SQLite, registry checks, IoT policies).
 * Reports CPU ms of this process (broker + agents) per accepted report and the mTLS/plain ratio;
 * the mTLS figure includes one full handshake per device, amortised over its reports.
 *
 *   node --import tsx bench/fleet-mtls.ts [devices=50] [hours=2]
 */
import { VirtualClock } from '../host/clock.ts';
import type { TlsCredentials } from '../host/agent-runtime/tls-transport.ts';
import { loadAgentModule } from '../host/agent-runtime/agent-runtime.ts';
import { provisionDevice } from '../host/registry/provision.ts';
import { runVirtual, startFleet, type FleetOptions } from '../sim/fleet.ts';
import { startMtlsBed } from '../test/mtls/fixture.ts';

const DEVICES = Number(process.argv[2] ?? 50);
const HOURS = Number(process.argv[3] ?? 2);

const bed = await startMtlsBed();
const module = loadAgentModule();
const creds = new Map<string, TlsCredentials>();
// two sets of registered devices, one per mTLS run (a second run under the same names would repeat report ids)
for (let i = 0; i < 2 * DEVICES; i++) {
	const thing = `tls${i < DEVICES ? 1 : 2}-${i % DEVICES}`;
	const kc = bed.device(thing);
	provisionDevice(bed.svc.registry, thing, kc.certPem, bed.ca.certPem);
	creds.set(thing, { certPem: kc.certPem, keyPem: kc.keyPem, caPem: bed.ca.certPem });
}

async function run(label: string, opts: Pick<FleetOptions, 'broker' | 'thingPrefix' | 'tls'>): Promise<number> {
	const clock = new VirtualClock();
	const fleet = startFleet({ ...opts, devices: DEVICES, clock, seed: 11, module });
	const cpu0 = process.cpuUsage();
	const t0 = performance.now();
	await runVirtual(fleet, clock, HOURS * 3_600_000, 30_000, 60_000);
	const wall = performance.now() - t0;
	const cpu = process.cpuUsage(cpu0);
	const s = fleet.stats();
	fleet.stop();
	const perReport = (cpu.user + cpu.system) / 1000 / s.accepted;
	console.log(`${label.padEnd(6)} ${DEVICES} devices, ${HOURS} h: ${s.accepted} reports accepted (${s.rejected} rejected) in ${wall.toFixed(0)} ms wall; ${perReport.toFixed(2)} ms CPU per report`);
	if (s.accepted === 0 || s.rejected > 0 || s.connected !== DEVICES) throw new Error(`${label}: fleet did not report cleanly ${JSON.stringify({ ...s, perDevice: undefined })}`);
	return perReport;
}

try {
	// alternate plain and mTLS twice (JIT warm-up, machine noise) and keep the better run of each;
	// fresh thing names each time: the agents' report ids start again from their memory slots
	const plainRun = (n: number) => run('plain', { broker: `mqtt://127.0.0.1:${bed.plainPort}`, thingPrefix: `plain${n}` });
	const tlsRun = (n: number) => run('mtls', { broker: `mqtts://127.0.0.1:${bed.svc.mtlsPort}`, thingPrefix: `tls${n}`, tls: (t) => creds.get(t)! });
	const p1 = await plainRun(1);
	const t1 = await tlsRun(1);
	const p2 = await plainRun(2);
	const t2 = await tlsRun(2);
	const plain = Math.min(p1, p2);
	const tls = Math.min(t1, t2);
	console.log(`mTLS / plaintext CPU per report: ${(tls / plain).toFixed(2)}`);
} finally {
	await bed.close();
}
