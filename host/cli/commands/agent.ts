/**
 * `warden agent`: this Linux machine as a reporting device. The real agent.wasm runs under the
 * Node runtime with metrics from /proc (LinuxHostSource) and prints each report's result.
 *   warden agent --thing NAME --broker mqtt://HOST:PORT [--format json|cbor] [--keys long|short]
 *                [--interval SECONDS] [--allow-short-interval] [--client-id ID]
 *                [--username U --password P] [--state-dir DIR] [--debug-wasm]
 *   warden agent --thing NAME --broker mqtts://HOST:PORT --cert FILE --key FILE --ca FILE ...
 * With mqtts:// the agent connects over mutual TLS (docs/mtls.md) with the device certificate
 * and key, trusting the broker through the CA bundle; the three files are required there and
 * refused with mqtt://.
 */
import { systemClock } from '../../clock.ts';
import { WardenError } from '../../errors.ts';
import { AgentRuntime, agentWasmPath, loadAgentModule } from '../../agent-runtime/agent-runtime.ts';
import { encodeConfig, type AgentConfig } from '../../agent-runtime/config-tlv.ts';
import { LinuxHostSource } from '../../agent-runtime/linux-host-source.ts';
import { FileSlotStore, MemorySlotStore } from '../../agent-runtime/slot-store.ts';
import { parseBrokerUrl, type BrokerAddress } from '../../agent-runtime/tcp-transport.ts';
import { brokerUrl, createBrokerTransport } from '../../agent-runtime/broker-transport.ts';
import { loadTlsCredentials, type TlsCredentials } from '../../agent-runtime/tls-transport.ts';
import { choiceOption, intOption, stringOption } from '../args.ts';
import type { Program } from '../index.ts';

export interface AgentArgs {
	config: AgentConfig;
	broker: BrokerAddress;
	/** Device certificate, key and CA bundle for an mqtts:// broker (read and checked). */
	tls: TlsCredentials | undefined;
	stateDir: string | undefined;
	debugWasm: boolean;
}

function usage(message: string, option: string): never {
	throw new WardenError('WARDEN_ERR_CLI_USAGE', message, { option });
}

/** Validate the raw option values of `warden agent` (WARDEN_ERR_CLI_USAGE on any problem). */
export function parseAgentArgs(flags: Record<string, unknown>): AgentArgs {
	const thingName = stringOption('thing', flags.thing);
	const bytes = Buffer.byteLength(thingName);
	if (bytes > 128) usage(`--thing must be at most 128 UTF-8 bytes (got ${bytes})`, 'thing');
	if (/[\u0000-\u001f\u007f]/.test(thingName)) usage('--thing must not contain control characters', 'thing');
	let broker: BrokerAddress;
	try {
		broker = parseBrokerUrl(stringOption('broker', flags.broker));
	} catch (e) {
		if (e instanceof WardenError && e.code === 'WARDEN_ERR_CONFIG') usage(`--broker: ${e.message}`, 'broker');
		throw e;
	}
	const format = flags.format === undefined ? 'json' : choiceOption('format', flags.format, ['json', 'cbor'] as const);
	const keys = flags.keys === undefined ? 'long' : choiceOption('keys', flags.keys, ['long', 'short'] as const);
	const allowShortInterval = flags['allow-short-interval'] === true;
	if (flags['allow-short-interval'] !== undefined && typeof flags['allow-short-interval'] !== 'boolean') {
		usage('--allow-short-interval takes no value', 'allow-short-interval');
	}
	const intervalSec = flags.interval === undefined ? 300 : intOption('interval', flags.interval, 1, 86_400);
	// spec §1.4: 300 s is the minimum delay between reports; shorter only on purpose
	if (intervalSec < 300 && !allowShortInterval) usage(`--interval ${intervalSec} is below 300 s; add --allow-short-interval`, 'interval');
	const config: AgentConfig = { thingName, format, keys, intervalSec, allowShortInterval };
	if (flags['client-id'] !== undefined) config.clientId = stringOption('client-id', flags['client-id']);
	if ((flags.username === undefined) !== (flags.password === undefined)) usage('--username and --password go together', 'username');
	if (flags.username !== undefined) {
		config.username = stringOption('username', flags.username);
		config.password = stringOption('password', flags.password);
	}
	try {
		encodeConfig(config); // everything the agent itself would refuse, as a usage error
	} catch (e) {
		if (e instanceof WardenError && e.code === 'WARDEN_ERR_AGENT_CONFIG') usage(e.message, 'thing');
		throw e;
	}
	const stateDir = flags['state-dir'] === undefined ? undefined : stringOption('state-dir', flags['state-dir']);
	return { config, broker, tls: tlsArgs(flags, broker), stateDir, debugWasm: flags['debug-wasm'] === true };
}

const TLS_FLAGS = ['cert', 'key', 'ca'] as const;

/** --cert/--key/--ca: all three with mqtts://, none with mqtt://; the files are read and checked (WARDEN_ERR_TLS_CREDENTIALS). */
export function tlsArgs(flags: Record<string, unknown>, broker: BrokerAddress): TlsCredentials | undefined {
	const given = TLS_FLAGS.filter((f) => flags[f] !== undefined);
	if (!broker.tls) {
		if (given.length > 0) usage(`--${given[0]} is only for an mqtts:// broker (got mqtt://)`, given[0]!);
		return undefined;
	}
	const missing = TLS_FLAGS.filter((f) => flags[f] === undefined);
	if (missing.length > 0) usage(`an mqtts:// broker needs --cert, --key and --ca (missing ${missing.map((f) => `--${f}`).join(', ')})`, missing[0]!);
	return loadTlsCredentials({ cert: stringOption('cert', flags.cert), key: stringOption('key', flags.key), ca: stringOption('ca', flags.ca) });
}

export function register(prog: Program): void {
	prog
		.command('agent')
		.describe('Run the Device Defender agent (agent.wasm) on this Linux machine and report to a broker')
		.option('--thing', 'Thing name (required)')
		.option('--broker', 'Broker URL mqtt://HOST:PORT or mqtts://HOST:PORT (required)')
		.option('--cert', 'Device certificate (PEM) for mqtts://, e.g. from `warden certs device`')
		.option('--key', 'Device private key (PEM) for mqtts://')
		.option('--ca', 'CA bundle (PEM) the broker certificate must chain to, for mqtts://')
		.option('--format', 'Report encoding: json or cbor', 'json')
		.option('--keys', 'Report key names: long or short', 'long')
		.option('--interval', 'Seconds between reports (minimum 300 unless --allow-short-interval)', 300)
		.option('--allow-short-interval', 'Allow an interval below 300 s')
		.option('--client-id', 'MQTT client id (default: the thing name)')
		.option('--username', 'MQTT username')
		.option('--password', 'MQTT password')
		.option('--state-dir', 'Directory for the agent state (report ids survive restarts)')
		.option('--debug-wasm', 'Run build/agent.debug.wasm (assertions on)')
		.action((flags: Record<string, unknown>) => {
			const args = parseAgentArgs(flags);
			const say = (line: string) => process.stdout.write(`${line}\n`);
			const rt = new AgentRuntime({
				module: loadAgentModule(agentWasmPath(args.debugWasm ? 'debug' : 'release')),
				config: args.config,
				source: new LinuxHostSource(),
				transport: createBrokerTransport(args.broker, args.tls, (e) => {
					process.stderr.write(`agent warn: link: ${(e as { code?: string }).code ?? 'error'}: ${e.message}\n`);
				}),
				clock: systemClock,
				slots: args.stateDir ? new FileSlotStore(args.stateDir, args.config.thingName) : new MemorySlotStore(),
				log: (level, text) => {
					if (level !== 'debug') process.stderr.write(`agent ${level}: ${text}\n`);
				},
			});
			rt.on('connection', (e) => say(`connection ${['down', 'transport up', 'MQTT session up'][e.state] ?? e.state}`));
			rt.on('published', (e) => say(`report ${e.reportId} published`));
			rt.on('report', (e) => say(`report ${e.reportId} ${e.status}${e.errorCode ? ` (${e.errorCode})` : ''} accepted=${e.stats.accepted} rejected=${e.stats.rejected}`));
			// the runtime's clock timers do not hold the process open; this does, until a signal
			const hold = setInterval(() => {}, 1 << 30);
			const shutdown = () => {
				rt.stop();
				clearInterval(hold);
				say('agent stopped');
			};
			process.once('SIGINT', shutdown);
			process.once('SIGTERM', shutdown);
			rt.start();
			say(`agent ${args.config.thingName} reporting to ${brokerUrl(args.broker)}${args.tls ? ' (mutual TLS)' : ''} every ${args.config.intervalSec} s (${args.config.format}, ${args.config.keys} keys)`);
		});
}
