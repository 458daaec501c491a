/**
 * The byte stream behind the `net_*` imports (docs/abi.md): one TCP connection to the broker with
 * a receive queue. Never blocks; `onActivity` fires when bytes arrive or the link changes state,
 * so the runtime can call `agent_step` at once.
 */
import { Socket } from 'node:net';
import { WardenError } from '../errors.ts';
import { expectsAnswer } from './mqtt-peek.ts';

export const NET_STATE = { closed: 0, connecting: 1, connected: 2 } as const;
export type NetState = (typeof NET_STATE)[keyof typeof NET_STATE];

export interface ByteTransport {
	open(): number;
	state(): NetState;
	/** Bytes taken (0..len), or -1 when the link is down. */
	send(bytes: Uint8Array): number;
	/** Up to `cap` received bytes; empty = nothing now; null = link down and nothing left. */
	recv(cap: number): Uint8Array | null;
	close(): void;
	/** True from a send that asks the broker for an answer until bytes next arrive (see mqtt-peek.ts). */
	readonly awaitingAnswer: boolean;
	/** Called on data, connect and close. */
	onActivity: (() => void) | undefined;
}

export interface BrokerAddress {
	host: string;
	port: number;
}

/** Parse `mqtt://host:port` (port default 1883); raises WARDEN_ERR_CONFIG otherwise. */
export function parseBrokerUrl(url: string): BrokerAddress {
	let u: URL;
	try {
		u = new URL(url);
	} catch {
		throw new WardenError('WARDEN_ERR_CONFIG', `broker URL is not a URL: ${url}`);
	}
	if (u.protocol !== 'mqtt:' && u.protocol !== 'tcp:') {
		throw new WardenError('WARDEN_ERR_CONFIG', `broker URL must start with mqtt:// (got ${u.protocol}//)`);
	}
	if (!u.hostname) throw new WardenError('WARDEN_ERR_CONFIG', `broker URL has no host: ${url}`);
	const port = u.port ? Number(u.port) : 1883;
	return { host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}

/** Bytes queued in the socket beyond which `send` takes nothing (the agent retries later). */
const SEND_HIGH_WATER = 64 * 1024;

export class TcpTransport implements ByteTransport {
	readonly #addr: BrokerAddress;
	#socket: Socket | undefined;
	#state: NetState = NET_STATE.closed;
	#queue: Buffer[] = [];
	#awaiting = false;
	onActivity: (() => void) | undefined;

	constructor(addr: BrokerAddress) {
		this.#addr = Object.freeze({ ...addr });
	}

	open(): number {
		if (this.#socket) this.close();
		const s = new Socket();
		this.#socket = s;
		this.#state = NET_STATE.connecting;
		this.#queue = [];
		this.#awaiting = false;
		s.setNoDelay(true);
		s.on('connect', () => {
			if (this.#socket !== s) return;
			this.#state = NET_STATE.connected;
			this.onActivity?.();
		});
		s.on('data', (d: Buffer) => {
			if (this.#socket !== s) return;
			this.#queue.push(d);
			this.#awaiting = false;
			this.onActivity?.();
		});
		s.on('error', () => {}); // 'close' follows and reports the drop
		s.on('close', () => {
			if (this.#socket !== s) return;
			this.#socket = undefined;
			this.#state = NET_STATE.closed;
			this.#awaiting = false;
			this.onActivity?.();
		});
		s.connect(this.#addr.port, this.#addr.host);
		return 0;
	}

	get awaitingAnswer(): boolean {
		return this.#awaiting;
	}

	state(): NetState {
		return this.#state;
	}

	send(bytes: Uint8Array): number {
		const s = this.#socket;
		if (!s || this.#state !== NET_STATE.connected) return -1;
		if (s.writableLength >= SEND_HIGH_WATER) return 0;
		s.write(Buffer.from(bytes)); // copy: the module reuses its buffer
		if (expectsAnswer(bytes)) this.#awaiting = true;
		return bytes.length;
	}

	recv(cap: number): Uint8Array | null {
		if (this.#queue.length === 0) return this.#state === NET_STATE.closed ? null : new Uint8Array(0);
		const head = this.#queue[0]!;
		if (head.length <= cap) {
			this.#queue.shift();
			return head;
		}
		this.#queue[0] = head.subarray(cap);
		return head.subarray(0, cap);
	}

	close(): void {
		const s = this.#socket;
		this.#socket = undefined;
		this.#state = NET_STATE.closed;
		this.#queue = [];
		this.#awaiting = false;
		s?.destroy();
	}
}
