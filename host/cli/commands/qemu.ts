/**
 * `warden qemu`: build a QEMU board image around build/agent.wasm, boot it, and bridge its
 * UART link to any broker (plain or TLS terminated by the bridge). Prints the device's log
 * lines and its statistics whenever they change. Thin over sim/qemu/run.ts.
 */
import { readFileSync } from 'node:fs';
import { WardenError } from '../../errors.ts';
import { choiceOption, intOption, stringOption } from '../args.ts';
import type { Program } from '../index.ts';
import { bootBoard } from '../../../sim/qemu/run.ts';
import { qemuBoardNames } from '../../../sim/qemu/boards.ts';

interface QemuFlags {
	board?: unknown;
	broker?: unknown;
	thing?: unknown;
	format?: unknown;
	keys?: unknown;
	interval?: unknown;
	duration?: unknown;
	'counter-scale'?: unknown;
	wasm?: unknown;
	ca?: unknown;
	cert?: unknown;
	key?: unknown;
	icount?: unknown;
}

function readPem(name: string, raw: unknown): Buffer | undefined {
	if (raw === undefined) return undefined;
	const path = stringOption(name, raw);
	try {
		return readFileSync(path);
	} catch {
		throw new WardenError('WARDEN_ERR_CLI_USAGE', `--${name}: cannot read ${path}`, { option: name });
	}
}

export function register(prog: Program): void {
	prog
		.command('qemu')
		.describe('Boot the agent on an emulated microcontroller board and bridge it to a broker')
		.option('--board', `Board: ${qemuBoardNames().join(', ')}`, 'qemu-netduinoplus2')
		.option('--broker', 'Broker URL, mqtt://host:port or mqtts://host:port', 'mqtt://127.0.0.1:1883')
		.option('--thing', 'Thing name the agent reports as', 'qemu-device')
		.option('--format', 'Report encoding: json or cbor', 'json')
		.option('--keys', 'Report key names: long or short', 'long')
		.option('--interval', 'Report interval in seconds (below 300 is allowed explicitly)', 300)
		.option('--duration', 'Stop after this many seconds (0 = run until Ctrl-C)', 0)
		.option('--counter-scale', 'Multiply the network counters the board reports (simulates a misbehaving device)', 1)
		.option('--wasm', 'Agent module to embed', 'build/agent.wasm')
		.option('--ca', 'CA certificate (PEM) for mqtts://')
		.option('--cert', 'Client certificate (PEM) for mqtts://')
		.option('--key', 'Client private key (PEM) for mqtts://')
		.option('--icount', 'Run QEMU with -icount (deterministic instruction clock)', true)
		.action(async (flags: QemuFlags) => {
			const board = choiceOption('board', flags.board, qemuBoardNames());
			const broker = stringOption('broker', flags.broker);
			if (!/^mqtts?:\/\/[^/]+:\d+\/?$/.test(broker)) {
				throw new WardenError('WARDEN_ERR_CLI_USAGE', `--broker must look like mqtt://host:port or mqtts://host:port (got ${broker})`, { option: 'broker' });
			}
			const thingName = stringOption('thing', flags.thing);
			const format = choiceOption('format', flags.format, ['json', 'cbor'] as const);
			const keys = choiceOption('keys', flags.keys, ['long', 'short'] as const);
			const intervalSec = intOption('interval', flags.interval, 5, 86_400);
			const duration = intOption('duration', flags.duration, 0, 86_400);
			const counterScale = intOption('counter-scale', flags['counter-scale'], 1, 1_000_000);
			const wasm = stringOption('wasm', flags.wasm);
			const tls = { ca: readPem('ca', flags.ca), cert: readPem('cert', flags.cert), key: readPem('key', flags.key) };
			const out = (line: string) => process.stdout.write(`${line}\n`);

			const b = await bootBoard({
				board,
				wasm,
				brokerUrl: broker,
				agent: { thingName, format, keys, intervalSec, allowShortInterval: intervalSec < 300 },
				tls,
				counterScale,
				icount: flags.icount !== false,
				onLog: (l) => out(`[${board}] ${l}`),
			});
			out(`warden: ${board} booted (flash ${b.image.flash} B, RAM ${b.image.ram} B), bridged to ${broker}`);
			b.bridge.on('stats', (s) =>
				out(`[${board}] stats published=${s.published} accepted=${s.accepted} rejected=${s.rejected} lastError=${s.lastRejectCode} connections=${s.connections} state=${s.connectionState} traps=${s.traps}`),
			);
			let stopping = false;
			const stop = async (why: string) => {
				if (stopping) return;
				stopping = true;
				out(`warden: ${why}, stopping ${board}`);
				process.exitCode = (await b.stop()) === 0 ? 0 : 1;
			};
			process.once('SIGINT', () => void stop('SIGINT'));
			process.once('SIGTERM', () => void stop('SIGTERM'));
			if (duration > 0) setTimeout(() => void stop(`${duration} s elapsed`), duration * 1000).unref();
			const code = await b.exited;
			if (!stopping) {
				out(`warden: ${board} exited with status ${code}`);
				process.exitCode = code === 0 ? 0 : 1;
			}
		});
}
