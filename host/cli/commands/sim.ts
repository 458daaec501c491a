/**
 * `warden sim`: a simulated fleet (sim/fleet.ts) reporting to any broker in scaled time.
 *   warden sim --broker URL --devices N [--scenario NAME[@DEVICE]]... [--time-scale X]
 *              [--duration S] [--seed N] [--format json|cbor] [--keys long|short] [--interval S]
 * DEVICE is an index (0-based) or a thing name. --duration is in simulated seconds (default: until
 * Ctrl-C). Prints the scenario labels as JSON lines at start, a status line every 5 s of wall
 * time, and final per-device stats.
 */
import { ScaledClock } from '../../clock.ts';
import { WardenError } from '../../errors.ts';
import { startFleet, type FleetOptions, type ScenarioRequest } from '../../../sim/fleet.ts';
import { isScenarioName, SCENARIO_NAMES } from '../../../sim/scenarios.ts';
import { parseBrokerUrl } from '../../agent-runtime/tcp-transport.ts';
import { choiceOption, intOption, stringOption } from '../args.ts';
import type { Program } from '../index.ts';

export interface SimArgs {
	fleet: Omit<FleetOptions, 'clock'>;
	timeScale: number;
	/** Simulated seconds, or undefined = until stopped. */
	durationSec: number | undefined;
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
	try {
		parseBrokerUrl(broker);
	} catch (e) {
		usage(`--broker: ${(e as Error).message}`, 'broker');
	}
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
	return { fleet: { broker, devices, scenarios, seed, format, keys, intervalSec }, timeScale: scale, durationSec };
}

export function register(prog: Program): void {
	prog
		.command('sim')
		.describe('Run a simulated fleet of agents (with labelled attack scenarios) against a broker')
		.option('--broker', 'Broker URL mqtt://HOST:PORT (required)')
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
			const fleet = startFleet({
				...args.fleet,
				clock,
				log: (thing, level, text) => { if (level === 'error') process.stderr.write(`${thing}: ${text}\n`); },
			});
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
