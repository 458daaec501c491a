/**
 * Integration: the simulated fleet over mutual TLS to the broker's mTLS listener on 127.0.0.1,
 * credentials from a `warden certs`-style directory (one device pre-provisioned, one issued and
 * registered on the fly), and the credential-stuffing scenario producing real authorization
 * failures that the Detect cloud-side metric `aws:num-authorization-failures` counts for the thing.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtualClock } from '../../host/clock.ts';
import { isWardenError } from '../../host/errors.ts';
import { CloudMetricAggregator, BUCKET_MS } from '../../host/detect/engine/cloud-metrics.ts';
import type { Sample } from '../../host/detect/engine/sample.ts';
import { provisionDevice } from '../../host/registry/provision.ts';
import { runVirtual, startFleet, type FleetHandle } from '../../sim/fleet.ts';
import { fleetPki } from '../../sim/fleet-pki.ts';
import { type MtlsBed, startMtlsBed } from './fixture.ts';

const MIN = 60_000;

const F = suite('startFleet over mqtts://');
let bed: MtlsBed;
let fleet: FleetHandle | undefined;
let pki = '';
F.before(async () => {
	bed = await startMtlsBed();
	pki = join(bed.dir, 'pki');
	mkdirSync(pki);
	writeFileSync(join(pki, 'ca.crt'), bed.ca.certPem);
	writeFileSync(join(pki, 'ca.key'), bed.ca.keyPem);
	const kc = bed.device('mt-0');
	writeFileSync(join(pki, 'mt-0.crt'), kc.certPem);
	writeFileSync(join(pki, 'mt-0.key'), kc.keyPem);
	provisionDevice(bed.svc.registry, 'mt-0', kc.certPem, bed.ca.certPem);
});
F.after.each(() => { fleet?.stop(); fleet = undefined; });
F.after(() => bed.close());

F('devices report over mTLS; credential stuffing is refused at CONNECT and raises aws:num-authorization-failures', async () => {
	const clock = new VirtualClock();
	const samples: Sample[] = [];
	// Detect's cloud-side aggregation, on its own virtual clock, fed by the broker's events
	const aggClock = new VirtualClock(Math.ceil(Date.now() / BUCKET_MS) * BUCKET_MS);
	const agg = new CloudMetricAggregator({ clock: aggClock, emit: (s) => samples.push(...s), wantedDimensions: () => [] });
	agg.start();
	const offs = [
		bed.bus.on('broker.connect', (e) => agg.onConnect(e)),
		bed.bus.on('broker.disconnect', (e) => agg.onDisconnect(e)),
		bed.bus.on('broker.connect-attempt', (e) => agg.onConnectAttempt(e)),
		bed.bus.on('broker.publish', (e) => agg.onPublish(e)),
		bed.bus.on('broker.auth-failure', (e) => agg.onAuthFailure(e)),
	];
	const registered: string[] = [];
	try {
		fleet = startFleet({
			broker: `mqtts://127.0.0.1:${bed.svc.mtlsPort}`, devices: 2, clock, seed: 7, thingPrefix: 'mt',
			tls: fleetPki({ dir: pki, issue: true, register: (thing, certPem, caPem) => { registered.push(thing); provisionDevice(bed.svc.registry, thing, certPem, caPem); } }),
			scenarios: [
				{ name: 'credential-stuffing', device: 0, startMs: 5 * MIN, durationMs: 2 * MIN },
				{ name: 'cloud-abuse', device: 1, startMs: 5 * MIN, durationMs: 2 * MIN },
			],
		});
		assert.equal(registered, ['mt-1']); // mt-0 came from the directory, mt-1 was issued
		assert.ok(existsSync(join(pki, 'mt-1.crt')) && existsSync(join(pki, 'mt-1.key')));
		await runVirtual(fleet, clock, 10 * MIN, 15_000);
		const s = fleet.stats();
		assert.is(s.connected, 2);
		assert.is(s.rejected, 0);
		assert.ok(s.accepted >= 2 * 2, JSON.stringify(s));
		assert.is(s.accepted, s.published);
		// the real device was never pushed off its session by the attacker's attempts
		assert.is(s.perDevice['mt-0']!.connections, 1);
		const stuffing = (bed.events['broker.auth-failure'] ?? []).filter((e) => e.clientId === 'mt-0');
		assert.is(stuffing.length, 8); // every 15 s for 2 minutes
		for (const e of stuffing) {
			assert.is(e.action, 'connect');
			assert.match(e.reason, /not registered/);
		}
		assert.is((bed.events['broker.auth-failure'] ?? []).filter((e) => e.clientId === 'mt-1').length, 0);
		// cloud abuse with the device's certificate under another client id: refused by the per-thing policy
		const abuse = (bed.events['broker.auth-failure'] ?? []).filter((e) => e.clientId === 'mt-1-abuse');
		assert.is(abuse.length, 1);
		assert.is(abuse[0]!.action, 'connect');
		assert.match(abuse[0]!.reason, /iot:Connect/);
		aggClock.advance(BUCKET_MS);
		const failures = (thing: string) => samples.find((x) => x.thing === thing && x.metric === 'aws:num-authorization-failures')?.value.count;
		assert.is(failures('mt-0'), 8);
		assert.is(failures('mt-1'), 0);
		assert.is(failures('mt-1-abuse'), 1);
	} finally {
		for (const off of offs) off();
		agg.stop();
	}
});

F('fleetPki: a missing device certificate without --issue names the file and the command that creates it', () => {
	const tls = fleetPki({ dir: pki });
	assert.throws(() => tls('mt-9'), (e: unknown) => isWardenError(e) && e.code === 'WARDEN_ERR_TLS_CREDENTIALS' && /mt-9\.crt.*warden certs device --thing mt-9/.test(e.message));
	assert.throws(() => fleetPki({ dir: join(pki, 'nope') }), (e: unknown) => isWardenError(e) && e.code === 'WARDEN_ERR_TLS_CREDENTIALS' && /ENOENT/.test(e.message));
	assert.throws(() => startFleet({ broker: `mqtts://127.0.0.1:${bed.svc.mtlsPort}`, devices: 1, clock: new VirtualClock() }), (e: unknown) => isWardenError(e) && e.code === 'WARDEN_ERR_CONFIG');
	assert.throws(() => startFleet({ broker: 'mqtt://127.0.0.1:1', devices: 1, clock: new VirtualClock(), tls }), (e: unknown) => isWardenError(e) && e.code === 'WARDEN_ERR_CONFIG');
});
F.run();
