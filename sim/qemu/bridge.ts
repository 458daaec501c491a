/**
 * The UART bridge: a TCP server on 127.0.0.1 that QEMU's data UART connects to. It speaks the
 * link protocol (link-codec.ts): answers the device's hello with its configuration, opens a
 * fresh broker connection for every device 'O' frame (plain TCP, or TLS terminated here on the
 * device's behalf), relays stream bytes both ways, and turns a broker disconnect into 'c'.
 */
import { createServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { EventEmitter, once } from 'node:events';
import { WardenError } from '../../host/errors.ts';
import { type Clock, systemClock } from '../../host/clock.ts';
import { FRAME, FrameDecoder, encodeFrame, decodeStats, type DeviceStats } from './link-codec.ts';

export interface BridgeOptions {
	/** Broker URL: mqtt://host:port or mqtts://host:port. */
	readonly brokerUrl: string;
	/** Configuration TLV sent in the 'K' frame (host/agent-runtime/config-tlv.ts encodeConfig). */
	readonly agentConfig: Uint8Array;
	/** TLS options for mqtts:// (client certificate, CA); ignored for mqtt://. */
	readonly tls?: ConnectionOptions;
	/** Wall clock handed to the device at hello; default systemClock. */
	readonly clock?: Clock;
	/** Multiplier the device applies to its network counters (simulates misbehaviour); default 1. */
	readonly counterScale?: number;
	/** Largest stream payload per 'D' frame to the device, bytes; default 128. */
	readonly chunk?: number;
}

export interface BridgeEvents {
	hello: [board: string];
	stats: [stats: DeviceStats];
	open: [seq: number];
	close: [seq: number, by: 'device' | 'broker'];
	/** bytes the device sent on its current stream */
	deviceData: [bytes: Buffer];
	guestClosed: [];
}

export class UartBridge extends EventEmitter<BridgeEvents> {
	readonly #opts: Required<Omit<BridgeOptions, 'tls'>> & { tls?: ConnectionOptions };
	readonly #server: Server;
	#guest: Socket | undefined;
	#broker: Socket | undefined;
	#seq = -1;
	#cutAfter: number | undefined;
	#garble = false;
	/** Latest statistics frame from the device. */
	stats: DeviceStats | undefined;
	/** Board name from the device's hello. */
	board: string | undefined;
	/** Broker connections opened for the device. */
	opens = 0;

	constructor(opts: BridgeOptions) {
		super();
		const url = new URL(opts.brokerUrl);
		if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:') {
			throw new WardenError('WARDEN_ERR_CONFIG', `broker URL must be mqtt:// or mqtts:// (got ${opts.brokerUrl})`, { brokerUrl: opts.brokerUrl });
		}
		this.#opts = Object.freeze({
			brokerUrl: opts.brokerUrl,
			agentConfig: opts.agentConfig,
			tls: opts.tls,
			clock: opts.clock ?? systemClock,
			counterScale: opts.counterScale ?? 1,
			chunk: opts.chunk ?? 128,
		});
		this.#server = createServer((s) => this.#onGuest(s));
	}

	/** Listen on 127.0.0.1 (ephemeral port); resolves to the port QEMU must connect to. */
	async listen(): Promise<number> {
		this.#server.listen(0, '127.0.0.1');
		await once(this.#server, 'listening');
		const addr = this.#server.address();
		if (addr === null || typeof addr === 'string') throw new Error('bridge has no TCP address');
		return addr.port;
	}

	/** Ask the device to publish a report now. */
	reportNow(): void {
		this.#send(FRAME.reportNow);
	}

	/** Ask the device to leave cleanly. */
	requestExit(): void {
		this.#send(FRAME.exit);
	}

	/** Drop the current broker connection as if the network failed. */
	dropBroker(): void {
		this.#broker?.destroy();
	}

	/** Cut the broker connection after forwarding `bytes` more device bytes (a link that
	 * drops mid-packet). */
	cutAfter(bytes: number): void {
		this.#cutAfter = bytes;
	}

	/** Lose the middle of the next stream frame to the device, as a UART that drops bytes
	 * mid-packet would: the frame still arrives, its MQTT bytes are corrupt. */
	garbleNextToDevice(): void {
		this.#garble = true;
	}

	async close(): Promise<void> {
		this.#broker?.destroy();
		this.#guest?.destroy();
		await new Promise<void>((r) => this.#server.close(() => r()));
	}

	#send(type: number, payload?: Uint8Array): void {
		if (this.#guest && !this.#guest.destroyed) this.#guest.write(encodeFrame(type, payload));
	}

	#onGuest(s: Socket): void {
		if (this.#guest) {
			s.destroy(); // one device per bridge
			return;
		}
		this.#guest = s;
		s.setNoDelay(true);
		const decoder = new FrameDecoder();
		s.on('data', (chunk: Buffer) => {
			for (const f of decoder.push(chunk)) this.#onFrame(f.type, f.payload);
		});
		s.on('error', () => undefined);
		s.on('close', () => {
			this.#broker?.destroy();
			this.emit('guestClosed');
		});
	}

	#onFrame(type: number, p: Buffer): void {
		switch (type) {
			case FRAME.hello: {
				this.board = p.toString('utf8');
				const head = Buffer.alloc(16);
				head.writeBigUInt64LE(BigInt(Math.floor(this.#opts.clock.now())), 0);
				head.writeUInt32LE(0, 8);
				head.writeUInt32LE(this.#opts.counterScale, 12);
				this.#send(FRAME.config, Buffer.concat([head, this.#opts.agentConfig]));
				this.emit('hello', this.board);
				break;
			}
			case FRAME.open:
				if (p.length >= 1) this.#open(p[0]!);
				break;
			case FRAME.close:
				if (p.length >= 1 && p[0] === this.#seq) {
					this.#broker?.destroy();
					this.#broker = undefined;
					this.emit('close', p[0]!, 'device');
				}
				break;
			case FRAME.data:
				if (p.length >= 1 && p[0] === this.#seq && this.#broker && !this.#broker.destroyed) {
					let bytes = p.subarray(1);
					if (this.#cutAfter !== undefined) {
						const keep = Math.min(bytes.length, this.#cutAfter);
						this.#cutAfter -= keep;
						if (keep < bytes.length || this.#cutAfter === 0) {
							this.#cutAfter = undefined;
							const cut = this.#broker;
							cut.end(bytes.subarray(0, keep), () => cut.destroy());
							break;
						}
					}
					this.emit('deviceData', bytes);
					this.#broker.write(bytes);
				}
				break;
			case FRAME.stats: {
				const st = decodeStats(p);
				if (st) {
					this.stats = st;
					this.emit('stats', st);
				}
				break;
			}
			default:
				break; // unknown frame types are ignored
		}
	}

	#open(seq: number): void {
		this.#broker?.destroy();
		this.#seq = seq;
		this.opens++;
		const url = new URL(this.#opts.brokerUrl);
		const port = Number(url.port || (url.protocol === 'mqtts:' ? 8883 : 1883));
		const host = url.hostname.replace(/^\[|\]$/g, '');
		const sock = url.protocol === 'mqtts:'
			? tlsConnect({ host, port, servername: undefined, ...this.#opts.tls })
			: tcpConnect({ host, port });
		this.#broker = sock;
		sock.setNoDelay(true);
		const seqByte = Uint8Array.of(seq);
		sock.once(url.protocol === 'mqtts:' ? 'secureConnect' : 'connect', () => {
			if (this.#broker !== sock) return;
			const p = Buffer.alloc(5);
			p[0] = seq;
			p.writeUInt16LE(port, 1);
			p.writeUInt16LE(sock.localPort ?? 0, 3);
			this.#send(FRAME.opened, p);
			this.emit('open', seq);
		});
		sock.on('data', (d: Buffer) => {
			if (this.#broker !== sock) return;
			for (let i = 0; i < d.length; i += this.#opts.chunk) {
				let part = d.subarray(i, i + this.#opts.chunk);
				if (this.#garble && part.length >= 3) {
					this.#garble = false;
					part = Buffer.concat([part.subarray(0, 1), part.subarray(Math.ceil(part.length / 2))]);
				}
				this.#send(FRAME.data, Buffer.concat([seqByte, part]));
			}
		});
		sock.on('error', () => undefined);
		sock.on('close', () => {
			if (this.#broker === sock) {
				this.#broker = undefined;
				this.#send(FRAME.closed, seqByte);
				this.emit('close', seq, 'broker');
			}
		});
	}
}
