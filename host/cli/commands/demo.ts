/**
 * `warden demo`: the live demo on the embedded defaults. Starts the service (broker, ingest,
 * Detect, API) on a sped-up clock, creates a security profile through the same service the API
 * uses, starts a simulated fleet of agent.wasm devices with compromised members and one device
 * with broken firmware, and prints what is accepted, rejected and which violations appear.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { ScaledClock } from '../../clock.ts';
import { WardenError } from '../../errors.ts';
import { startWarden } from '../../server.ts';
import { detectConfigStoreFor } from '../../detect/config/sqlite-store.ts';
import { MetricService } from '../../detect/config/metric-service.ts';
import { SecurityProfileService } from '../../detect/config/profile-service.ts';
import { startFleet } from '../../../sim/fleet.ts';
import { CPU_METRIC } from '../../../sim/device-profile.ts';
import { isScenarioName, type ScenarioName } from '../../../sim/scenarios.ts';
import { intOption, stringOption } from '../args.ts';
import type { Program } from '../index.ts';

interface DemoFlags {
	devices?: unknown;
	'time-scale'?: unknown;
	'mqtt-port'?: unknown;
	'http-port'?: unknown;
	'data-dir'?: unknown;
	duration?: unknown;
	scenario?: unknown;
}

const PROFILE = 'demo-baseline';
/** The only ports the fleet's firmware is expected to listen on. */
const KNOWN_TCP_PORTS = [22, 80, 443, 1883, 8080];

/** `name@device` pairs; the default puts a backdoor on sim-2 and a miner on sim-4. */
function scenarios(raw: unknown, devices: number): { name: ScenarioName; device: number }[] {
	const list = raw === undefined ? ['backdoor@2', 'crypto-mining@4'] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
	return list.map((s) => {
		const [name = '', dev = '0'] = s.split('@');
		const device = Number(dev);
		if (!isScenarioName(name) || !Number.isInteger(device) || device < 0 || device >= devices) {
			throw new WardenError('WARDEN_ERR_CLI_USAGE', `--scenario must be NAME@INDEX with a known scenario and 0 <= INDEX < ${devices} (got ${s})`, { option: 'scenario' });
		}
		return { name, device };
	});
}

export function register(prog: Program): void {
	prog
		.command('demo')
		.describe('Live demo: broker + service + a simulated fleet with compromised devices (Ctrl-C stops)')
		.option('--devices', 'Number of simulated devices', 6)
		.option('--time-scale', 'Virtual seconds per wall second (a 300 s report interval takes 300/scale s)', 100)
		.option('--mqtt-port', 'MQTT port (0 = ephemeral)', 1883)
		.option('--http-port', 'HTTP API port (0 = ephemeral)', 8443)
		.option('--data-dir', 'Data directory (default: a new temporary directory)')
		.option('--scenario', 'Attack scenario NAME@DEVICE_INDEX, repeatable (default backdoor@2 and crypto-mining@4)')
		.option('--duration', 'Stop after this many wall seconds (0 = run until Ctrl-C)', 0)
		.action(async (flags: DemoFlags) => {
			const devices = intOption('devices', flags.devices, 1, 200);
			const scale = intOption('time-scale', flags['time-scale'], 1, 10_000);
			const mqttPort = intOption('mqtt-port', flags['mqtt-port'], 0, 65535);
			const httpPort = intOption('http-port', flags['http-port'], 0, 65535);
			const duration = intOption('duration', flags.duration, 0, 86_400);
			const attacks = scenarios(flags.scenario, devices);
			const dataDir = flags['data-dir'] === undefined ? mkdtempSync(join(tmpdir(), 'warden-demo-')) : stringOption('data-dir', flags['data-dir']);
			await runDemo({ devices, scale, mqttPort, httpPort, duration, attacks, dataDir });
		});
}

interface DemoOptions {
	devices: number;
	scale: number;
	mqttPort: number;
	httpPort: number;
	duration: number;
	attacks: { name: ScenarioName; device: number }[];
	dataDir: string;
}

async function runDemo(o: DemoOptions): Promise<void> {
	const out = (line: string) => process.stdout.write(`${line}\n`);
	const clock = new ScaledClock(o.scale);
	const t0 = clock.now();
	const stamp = () => {
		const s = Math.floor((clock.now() - t0) / 1000);
		const hh = String(Math.floor(s / 3600)).padStart(2, '0');
		const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
		const ss = String(s % 60).padStart(2, '0');
		return `[+${hh}:${mm}:${ss}]`;
	};
	const warden = await startWarden({
		mqttPort: o.mqttPort,
		httpPort: o.httpPort,
		dataDir: o.dataDir,
		clock,
		log: { info() {}, warn: (m) => out(`${stamp()} warn  ${m}`), error: (m) => out(`${stamp()} error ${m}`) },
	});
	const broker = `mqtt://127.0.0.1:${warden.mqttPort}`;
	out(`Warden demo — service clock runs ${o.scale}x wall time (a 300 s report interval every ${(300 / o.scale).toFixed(1)} s)`);
	out(`  broker   ${broker}   (plaintext, loopback development listener)`);
	if (warden.httpPort !== null) out(`  API      http://127.0.0.1:${warden.httpPort}   (AWS IoT restJson1, SigV4; credentials in ${o.dataDir}/credentials.json)`);
	out(`  data     ${o.dataDir}/warden.db`);

	// The security profile, created through the same service the HTTP API calls.
	const store = detectConfigStoreFor(warden.db);
	const arn = (r: string) => `arn:aws:iot:${warden.options.region}:${warden.options.accountId}:${r}`;
	new MetricService(store, { clock, arn }).createCustomMetric(CPU_METRIC, { metricType: 'number', displayName: 'CPU usage (%)', clientRequestToken: 'warden-demo-cpu' });
	const profiles = new SecurityProfileService(store, { clock, arn });
	profiles.create(PROFILE, {
		securityProfileDescription: 'Expected behaviour of the demo fleet',
		behaviors: [
			{ name: 'known-listening-ports', metric: 'aws:listening-tcp-ports', criteria: { comparisonOperator: 'in-port-set', value: { ports: KNOWN_TCP_PORTS } } },
			{ name: 'few-connections', metric: 'aws:num-established-tcp-connections', criteria: { comparisonOperator: 'less-than', value: { count: 12 } } },
			{ name: 'bytes-out', metric: 'aws:all-bytes-out', criteria: { comparisonOperator: 'less-than', value: { count: 20_000_000 }, durationSeconds: 300 } },
			{ name: 'cpu', metric: CPU_METRIC, criteria: { comparisonOperator: 'less-than', value: { number: 90 }, consecutiveDatapointsToAlarm: 2, consecutiveDatapointsToClear: 2 } },
		],
	});
	profiles.attach(PROFILE, arn('all/things'));
	out(`  profile  ${PROFILE} on all things: listening TCP ports in {${KNOWN_TCP_PORTS.join(',')}}, < 12 connections, < 20 MB out per 5 min, CPU < 90 %`);

	// Live view: reports from the event bus, violations from the broker's alert topic.
	warden.bus.on('report.accepted', (e) => out(`${stamp()} ${e.thingName.padEnd(10)} report ${e.reportId} ${e.format.toUpperCase()} ACCEPTED`));
	warden.bus.on('report.rejected', (e) => out(`${stamp()} ${e.thingName.padEnd(10)} report ${e.reportId ?? '-'} ${e.format.toUpperCase()} REJECTED ${e.errorCode}: ${e.message}`));
	const watcher = mqtt.connect(broker, { clientId: 'demo-console', reconnectPeriod: 500 });
	watcher.on('connect', () => watcher.subscribe('warden/detect/alerts/#', { qos: 1 }));
	watcher.on('message', (_topic, payload) => {
		try {
			const a = JSON.parse(payload.toString()) as { violationEventType: string; thingName: string; behavior: { name: string }; metricValue?: unknown };
			out(`${stamp()} ${a.thingName.padEnd(10)} VIOLATION ${a.violationEventType} ${PROFILE}/${a.behavior.name} value=${JSON.stringify(a.metricValue ?? null)}`);
		} catch {
			out(`${stamp()} alert (unparsed) ${payload.length} bytes`);
		}
	});

	const fleet = startFleet({
		broker,
		devices: o.devices,
		clock,
		seed: 7,
		scenarios: o.attacks.map((a) => ({ name: a.name, device: a.device })),
	});
	// Two more devices speak CBOR with short keys (spec §1.6), the rest JSON with long keys.
	const cborFleet = startFleet({ broker, devices: 2, clock, seed: 8, thingPrefix: 'cbor', format: 'cbor', keys: 'short' });
	for (const l of fleet.labels) {
		out(`  attack   ${l.scenario} on ${l.thingName} from +${Math.round((l.start - t0) / 60_000)} min to +${Math.round((l.end - t0) / 60_000)} min (virtual)`);
	}
	out(`  fleet    ${o.devices} agent.wasm devices sim-0..sim-${o.devices - 1} (JSON, long keys), cbor-0..cbor-1 (CBOR, short keys);`);
	out(`           device 'broken-fw' sends a malformed report each interval`);
	out('');

	// A device with broken firmware: custom metric not wrapped in an array (spec §1.3) → REJECTED.
	let rid = 1;
	const broken = mqtt.connect(broker, { clientId: 'broken-fw', reconnectPeriod: 500 });
	const sendBroken = () => {
		const report = { header: { report_id: rid++, version: '1.0' }, metrics: {}, custom_metrics: { [CPU_METRIC]: { number: 12 } } };
		broken.publish('$aws/things/broken-fw/defender/metrics/json', JSON.stringify(report), { qos: 1 });
	};
	broken.on('connect', sendBroken);
	const brokenTimer = setInterval(sendBroken, (300_000 / o.scale) | 0);

	let stopping = false;
	const stop = async (why: string) => {
		if (stopping) return;
		stopping = true;
		clearInterval(brokenTimer);
		const a = fleet.stats();
		const b = cborFleet.stats();
		out('');
		out(`${why}: the agents published ${a.published + b.published} reports; their counters say ${a.accepted + b.accepted} accepted, ${a.rejected + b.rejected} rejected`);
		fleet.stop();
		cborFleet.stop();
		broken.end(true);
		watcher.end(true);
		await warden.close();
		process.exit(0);
	};
	process.once('SIGINT', () => void stop('stopped'));
	process.once('SIGTERM', () => void stop('stopped'));
	if (o.duration > 0) setTimeout(() => void stop('done'), o.duration * 1000);
}
