/**
 * The byte stream behind the `net_*` imports (docs/abi.md): one connection to the broker with a
 * receive queue. Never blocks; `onActivity` fires when bytes arrive or the link changes state,
 * so the runtime can call `agent_step` at once. SocketTransport holds the queue logic for any
 * stream socket; TcpTransport dials plain TCP, TlsTransport (tls-transport.ts) mutual TLS.
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
	/** True for `mqtts://`: the link is TLS with a client certificate (absent for plain TCP). */
	tls?: true;
}

/**
 * Parse `mqtt://host:port` (port default 1883) or `mqtts://host:port` (default 8883, `tls: true`);
 * raises WARDEN_ERR_CONFIG otherwise.
 */
export function parseBrokerUrl(url: string): BrokerAddress {
	let u: URL;
	try {
		u = new URL(url);
	} catch {
		throw new WardenError('WARDEN_ERR_CONFIG', `broker URL is not a URL: ${url}`);
	}
	const secure = u.protocol === 'mqtts:' || u.protocol === 'ssl:';
	if (u.protocol !== 'mqtt:' && u.protocol !== 'tcp:' && !secure) {
		throw new WardenError('WARDEN_ERR_CONFIG', `broker URL must start with mqtt:// or mqtts:// (got ${u.protocol}//)`);
	}
	if (!u.hostname) throw new WardenError('WARDEN_ERR_CONFIG', `broker URL has no host: ${url}`);
	const port = u.port ? Number(u.port) : secure ? 8883 : 1883;
	const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
	return secure ? { host, port, tls: true } : { host, port };
}

/** Bytes queued in the socket beyond which `send` takes nothing (the agent retries later). */
const SEND_HIGH_WATER = 64 * 1024;

/** Opens one connection; `ready` names the socket event after which bytes may flow. */
export type Dial = () => { socket: Socket; ready: 'connect' | 'secureConnect' };

/** A ByteTransport over any stream socket that `dial` opens. */
export class SocketTransport implements ByteTransport {
	readonly #dial: Dial;
	readonly #onError: ((e: Error) => void) | undefined;
	#socket: Socket | undefined;
	#state: NetState = NET_STATE.closed;
	#queue: Buffer[] = [];
	#awaiting = false;
	onActivity: (() => void) | undefined;

	/** `onError` hears why a connection failed or dropped (the link-down itself goes to the module). */
	constructor(dial: Dial, onError?: (e: Error) => void) {
		this.#dial = dial;
		this.#onError = onError;
	}

	open(): number {
		if (this.#socket) this.close();
		let s: Socket;
		let ready: 'connect' | 'secureConnect';
		try {
			({ socket: s, ready } = this.#dial());
		} catch (e) {
			this.#onError?.(e as Error);
			return -1;
		}
		this.#socket = s;
		this.#state = NET_STATE.connecting;
		this.#queue = [];
		this.#awaiting = false;
		s.setNoDelay(true);
		s.on(ready, () => {
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
		s.on('error', (e: Error) => { // 'close' follows and reports the drop
			if (this.#socket === s) this.#onError?.(e);
		});
		s.on('close', () => {
			if (this.#socket !== s) return;
			this.#socket = undefined;
			this.#state = NET_STATE.closed;
			this.#awaiting = false;
			this.onActivity?.();
		});
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

/** Plain TCP to the broker (`mqtt://`). */
export class TcpTransport extends SocketTransport {
	constructor(addr: BrokerAddress, onError?: (e: Error) => void) {
		const { host, port } = addr;
		super(() => {
			const socket = new Socket();
			socket.connect(port, host);
			return { socket, ready: 'connect' };
		}, onError);
	}
}
