/**
 * Boots a QEMU board against a broker: builds the image, starts the UART bridge, spawns QEMU
 * (execa) with serial0 wired to the bridge and serial1 (log lines) on stdout, and exposes the
 * device's statistics as they arrive. Waits are bounded and event-driven.
 */
import { execa, type ResultPromise } from 'execa';
import { once } from 'node:events';
import type { ConnectionOptions } from 'node:tls';
import { WardenError } from '../../host/errors.ts';
import type { Clock } from '../../host/clock.ts';
import { buildImage, type BuiltImage, type ImageMain } from './build.ts';
import { UartBridge } from './bridge.ts';
import { encodeConfig, type AgentConfig } from '../../host/agent-runtime/config-tlv.ts';
import type { DeviceStats } from './link-codec.ts';

export interface BootOptions {
	readonly board: string;
	readonly brokerUrl: string;
	readonly agent: AgentConfig;
	/** Module to embed; default build/agent.wasm. */
	readonly wasm?: string;
	readonly main?: ImageMain;
	readonly linearMemory?: number;
	readonly tls?: ConnectionOptions;
	readonly clock?: Clock;
	readonly counterScale?: number;
	/** Run with -icount shift=0 (one instruction per virtual ns); default true. */
	readonly icount?: boolean;
	/** Called with each console (serial1) line. */
	readonly onLog?: (line: string) => void;
	/** Called with the bridge before QEMU starts (arm fault injection here). */
	readonly onBridge?: (bridge: UartBridge) => void;
}

export interface RunningBoard {
	readonly image: BuiltImage;
	readonly bridge: UartBridge;
	readonly qemu: ResultPromise;
	/** Console lines so far. */
	readonly log: string[];
	/** Resolves with the first statistics frame that satisfies pred. */
	waitForStats(pred: (s: DeviceStats) => boolean, timeoutMs: number): Promise<DeviceStats>;
	/** Resolves with QEMU's exit code. */
	readonly exited: Promise<number>;
	/** Ask the guest to exit cleanly and wait for it; kill it after timeoutMs. */
	stop(timeoutMs?: number): Promise<number>;
}

export async function qemuArgs(image: BuiltImage, port: number, icount: boolean): Promise<string[]> {
	const q = image.board.qemu;
	// log lines on stdout: from the second UART, or from semihosting on single-UART machines
	const console = q.console === 'semihosting'
		? ['-chardev', 'stdio,id=con', '-semihosting-config', 'enable=on,target=native,chardev=con']
		: ['-serial', 'stdio', '-semihosting-config', 'enable=on,target=native'];
	return [
		'-M', q.machine, ...(q.args ?? []), '-display', 'none', '-monitor', 'none',
		'-chardev', `socket,id=link,host=127.0.0.1,port=${port}`, '-serial', 'chardev:link', ...console,
		...(icount ? ['-icount', 'shift=0,align=off,sleep=on'] : []),
		'-kernel', image.elf,
	];
}

export async function bootBoard(opts: BootOptions): Promise<RunningBoard> {
	const image = await buildImage({ board: opts.board, wasm: opts.wasm, main: opts.main, linearMemory: opts.linearMemory });
	try {
		await execa(image.board.qemu.binary, ['--version']);
	} catch {
		throw new WardenError('WARDEN_ERR_TOOL_MISSING', `${image.board.qemu.binary} is not installed (Debian package ${image.board.toolchain.qemuPackage}; scripts/ensure-debian-deps.sh installs it)`, { tool: image.board.qemu.binary });
	}
	const bridge = new UartBridge({
		brokerUrl: opts.brokerUrl,
		agentConfig: encodeConfig(opts.agent),
		tls: opts.tls,
		clock: opts.clock,
		counterScale: opts.counterScale,
	});
	const port = await bridge.listen();
	opts.onBridge?.(bridge);
	const qemu: ResultPromise = execa(image.board.qemu.binary, await qemuArgs(image, port, opts.icount ?? true), { reject: false, stdin: 'ignore', buffer: false });
	const log: string[] = [];
	let partial = '';
	qemu.stdout?.on('data', (d: Buffer) => {
		partial += d.toString('utf8');
		const lines = partial.split('\n');
		partial = lines.pop() ?? '';
		for (const l of lines) {
			log.push(l);
			opts.onLog?.(l);
		}
	});
	qemu.stderr?.on('data', (d: Buffer) => {
		for (const l of d.toString('utf8').split('\n').filter(Boolean)) {
			log.push(`qemu: ${l}`);
			opts.onLog?.(`qemu: ${l}`);
		}
	});
	const exited = qemu.then((r) => {
		if (r.failed && r.exitCode === undefined) {
			log.push(`qemu: ${r.shortMessage ?? 'failed to start'}`);
		}
		return r.exitCode ?? -1;
	});
	exited.finally(() => void bridge.close());

	function waitForStats(pred: (s: DeviceStats) => boolean, timeoutMs: number): Promise<DeviceStats> {
		if (bridge.stats && pred(bridge.stats)) return Promise.resolve(bridge.stats);
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				cleanup();
				reject(new Error(`timed out after ${timeoutMs} ms waiting for device stats; last ${JSON.stringify(bridge.stats)}\n${log.slice(-20).join('\n')}`));
			}, timeoutMs);
			const onStats = (s: DeviceStats): void => {
				if (pred(s)) {
					cleanup();
					resolve(s);
				}
			};
			const onExit = (): void => {
				cleanup();
				reject(new Error(`QEMU exited while waiting for device stats; last ${JSON.stringify(bridge.stats)}\n${log.slice(-20).join('\n')}`));
			};
			const cleanup = (): void => {
				clearTimeout(timer);
				bridge.off('stats', onStats);
			};
			bridge.on('stats', onStats);
			void exited.then(onExit);
		});
	}

	async function stop(timeoutMs = 5000): Promise<number> {
		bridge.requestExit();
		const timer = setTimeout(() => qemu.kill('SIGKILL'), timeoutMs);
		const code = await exited;
		clearTimeout(timer);
		return code;
	}

	return { image, bridge, qemu, log, waitForStats, exited, stop };
}

export { once };
