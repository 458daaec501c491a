/**
 * `warden sim`: a simulated fleet (sim/fleet.ts) reporting to any broker in scaled time.
 *   warden sim --broker URL --devices N [--scenario NAME[@DEVICE]]... [--time-scale X]
 *              [--duration S] [--seed N] [--format json|cbor] [--keys long|short] [--interval S]
 *   warden sim --broker mqtts://HOST:PORT --pki DIR [--ca FILE] [--issue [--register --data-dir DIR]] ...
 * With mqtts:// every device connects over mutual TLS with DIR/<thing>.crt and DIR/<thing>.key
 * (as `warden certs device` writes them), trusting the broker through DIR/ca.crt (or --ca);
 * --issue creates the missing ones with DIR/ca.crt + DIR/ca.key, --register also registers them
 * ACTIVE in <data-dir>/warden.db with their thing and the per-thing policy (docs/mtls.md).
 * DEVICE is an index (0-based) or a thing name. --duration is in simulated seconds (default: until
 * Ctrl-C). Prints the scenario labels as JSON lines at start, a status line every 5 s of wall
 * time, and final per-device stats.
 */
import { join } from 'node:path';
import { ScaledClock, systemClock } from '../../clock.ts';
import { WardenError } from '../../errors.ts';
import { startFleet, type FleetOptions, type ScenarioRequest } from '../../../sim/fleet.ts';
import { isScenarioName, SCENARIO_NAMES } from '../../../sim/scenarios.ts';
import { parseBrokerUrl } from '../../agent-runtime/tcp-transport.ts';
import { fleetPki, type FleetPkiOptions } from '../../../sim/fleet-pki.ts';
import { provisionDevice } from '../../registry/provision.ts';
import { openRegistry } from '../../registry/registry.ts';
import { openSqlite } from '../../storage/sqlite.ts';
import { choiceOption, intOption, stringOption } from '../args.ts';
import type { Program } from '../index.ts';

export interface SimArgs {
	fleet: Omit<FleetOptions, 'clock'>;
	timeScale: number;
	/** Simulated seconds, or undefined = until stopped. */
	durationSec: number | undefined;
	/** Per-device certificates for an mqtts:// broker; `dataDir` set when issued ones are to be registered. */
	pki: (Omit<FleetPkiOptions, 'register' | 'clock'> & { dataDir?: string; accountId: string; region: string }) | undefined;
}

function usage(message: string, option: string): never {
	throw new WardenError('WARDEN_ERR_CLI_USAGE', message, { option });
}

/** `NAME[@DEVICE]` → a scenario request. */
export function parseScenarioArg(raw: string, devices: number): ScenarioRequest {
	const [name, device, ...rest] = raw.split('@');
	if (rest.length > 0 || !name || !isScenarioName(name)) {
		usage(`--scenario must be NAME[@DEVICE] with NAME one of ${SCENARIO_NAMES.join(', ')} (got ${raw})`, 'scenario');
	}
	if (device === undefined) return { name };
	if (/^\d+$/.test(device)) {
		const i = Number(device);
		if (i >= devices) usage(`--scenario ${raw}: device index ${i} is not below --devices ${devices}`, 'scenario');
		return { name, device: i };
	}
	if (device === '') usage(`--scenario ${raw}: empty device`, 'scenario');
	return { name, device };
}

/** Validate the raw option values of `warden sim` (WARDEN_ERR_CLI_USAGE on any problem). */
export function parseSimArgs(flags: Record<string, unknown>): SimArgs {
	const broker = stringOption('broker', flags.broker);
	let secure = false;
	try {
		secure = parseBrokerUrl(broker).tls === true;
	} catch (e) {
		usage(`--broker: ${(e as Error).message}`, 'broker');
	}
	const pki = pkiArgs(flags, secure);
	const devices = intOption('devices', flags.devices, 1, 1000);
	const rawScenarios = flags.scenario === undefined ? [] : Array.isArray(flags.scenario) ? flags.scenario : [flags.scenario];
	const scenarios = rawScenarios.map((s) => parseScenarioArg(String(s), devices));
	const scale = flags['time-scale'] === undefined ? 60 : Number(flags['time-scale']);
	if (!Number.isFinite(scale) || scale < 1 || scale > 100_000) usage(`--time-scale must be a number from 1 to 100000 (got ${String(flags['time-scale'])})`, 'time-scale');
	const durationSec = flags.duration === undefined ? undefined : intOption('duration', flags.duration, 1, 365 * 86_400);
	const seed = flags.seed === undefined ? 1 : intOption('seed', flags.seed, 0, 0xffff_ffff);
	const format = flags.format === undefined ? 'json' : choiceOption('format', flags.format, ['json', 'cbor'] as const);
	const keys = flags.keys === undefined ? 'long' : choiceOption('keys', flags.keys, ['long', 'short'] as const);
	const intervalSec = flags.interval === undefined ? 300 : intOption('interval', flags.interval, 1, 86_400);
	return { fleet: { broker, devices, scenarios, seed, format, keys, intervalSec }, timeScale: scale, durationSec, pki };
}

const PKI_FLAGS = ['pki', 'ca', 'issue', 'register'] as const;

function pkiArgs(flags: Record<string, unknown>, secure: boolean): SimArgs['pki'] {
	if (!secure) {
		const given = PKI_FLAGS.find((f) => flags[f] !== undefined && flags[f] !== false);
		if (given) usage(`--${given} is only for an mqtts:// broker (got mqtt://)`, given);
		return undefined;
	}
	if (flags.pki === undefined) usage('an mqtts:// broker needs --pki DIR holding <thing>.crt/.key per device and ca.crt', 'pki');
	for (const f of ['issue', 'register'] as const) {
		if (flags[f] !== undefined && typeof flags[f] !== 'boolean') usage(`--${f} takes no value`, f);
	}
	if (flags.register === true && flags.issue !== true) usage('--register needs --issue (it registers the certificates issued by this run)', 'register');
	return {
		dir: stringOption('pki', flags.pki),
		...(flags.ca !== undefined ? { caFile: stringOption('ca', flags.ca) } : {}),
		issue: flags.issue === true,
		...(flags.register === true ? { dataDir: stringOption('data-dir', flags['data-dir']) } : {}),
		accountId: String(flags['account-id'] ?? '123456789012'),
		region: String(flags.region ?? 'us-east-1'),
	};
}

export function register(prog: Program): void {
	prog
		.command('sim')
		.describe('Run a simulated fleet of agents (with labelled attack scenarios) against a broker')
		.option('--broker', 'Broker URL mqtt://HOST:PORT or mqtts://HOST:PORT (required)')
		.option('--pki', 'With mqtts://: directory of <thing>.crt/.key per device and ca.crt (from `warden certs`)')
		.option('--ca', 'With mqtts://: CA bundle the broker certificate must chain to (default <pki>/ca.crt)')
		.option('--issue', 'With --pki: issue missing device certificates with <pki>/ca.crt and <pki>/ca.key')
		.option('--register', 'With --issue: register issued certificates ACTIVE in warden.db, with their thing and policy')
		.option('--data-dir', 'Directory of warden.db (with --register)', './.warden')
		.option('--account-id', 'AWS account id for ARNs (with --register)', '123456789012')
		.option('--region', 'AWS region for ARNs (with --register)', 'us-east-1')
		.option('--devices', 'Number of devices (1..1000)', 10)
		.option('--scenario', `Attack scenario NAME[@DEVICE], repeatable; NAME: ${SCENARIO_NAMES.join(', ')}`)
		.option('--time-scale', 'Simulated seconds per wall second', 60)
		.option('--duration', 'Simulated seconds to run (default: until Ctrl-C)')
		.option('--seed', 'Random seed', 1)
		.option('--format', 'Report encoding: json or cbor', 'json')
		.option('--keys', 'Report key names: long or short', 'long')
		.option('--interval', 'Report interval in simulated seconds', 300)
		.action((flags: Record<string, unknown>) => {
			const args = parseSimArgs(flags);
			const clock = new ScaledClock(args.timeScale);
			const say = (line: string) => process.stdout.write(`${line}\n`);
			const p = args.pki;
			const db = p?.dataDir ? openSqlite(join(p.dataDir, 'warden.db')) : undefined;
			const reg = db ? openRegistry({ db, clock: systemClock, accountId: p!.accountId, region: p!.region }) : undefined;
			let fleet: ReturnType<typeof startFleet>;
			try {
				fleet = startFleet({
					...args.fleet,
					clock,
					...(p ? {
						tls: fleetPki({
							dir: p.dir, issue: p.issue, ...(p.caFile ? { caFile: p.caFile } : {}),
							register: (thing, certPem, caPem) => {
								if (!reg) return;
								provisionDevice(reg, thing, certPem, caPem);
								say(`sim: issued and registered a certificate for ${thing}`);
							},
						}),
					} : {}),
					log: (thing, level, text) => { if (level === 'error' || text.startsWith('link: WARDEN_ERR_TLS')) process.stderr.write(`${thing}: ${text}\n`); },
				});
			} finally {
				db?.close();
			}
			for (const l of fleet.labels) {
				say(JSON.stringify({ label: l.scenario, thingName: l.thingName, start: new Date(l.start).toISOString(), end: new Date(l.end).toISOString() }));
			}
			const status = () => {
				const s = fleet.stats();
				say(`${new Date(clock.now()).toISOString()} connected ${s.connected}/${s.devices} published ${s.published} accepted ${s.accepted} rejected ${s.rejected} traps ${s.traps}`);
			};
			const ticker = setInterval(status, 5000);
			let stopped = false;
			const finish = () => {
				if (stopped) return;
				stopped = true;
				clearInterval(ticker);
				clearTimeout(endTimer);
				fleet.stop();
				status();
				say(JSON.stringify({ labels: fleet.labels, devices: fleet.stats().perDevice }));
			};
			const endTimer = args.durationSec === undefined ? undefined : setTimeout(finish, (args.durationSec * 1000) / args.timeScale);
			process.once('SIGINT', finish);
			process.once('SIGTERM', finish);
			say(`sim: ${args.fleet.devices} devices → ${args.fleet.broker}, time x${args.timeScale}, seed ${args.fleet.seed}`);
		});
}
