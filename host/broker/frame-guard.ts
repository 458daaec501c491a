/**
 * A pass-through Duplex in front of a client connection that reads only MQTT fixed headers
 * ([MQTT-2.2.3] remaining length, a 1–4 byte varint) and destroys the connection as soon as a
 * packet announces more than `maxPacketBytes`, before the broker starts buffering it. Without it
 * a client could make the broker hold up to 256 MB per connection. Back-pressure is preserved.
 */
import { Duplex } from 'node:stream';

export class FrameTooLargeError extends Error {
	constructor(readonly announced: number, readonly limit: number) {
		super(`MQTT packet of ${announced} bytes exceeds the limit of ${limit}`);
	}
}

const STATE = { header: 0, length: 1, body: 2 } as const;

export class FrameGuard extends Duplex {
	readonly #inner: Duplex;
	readonly #max: number;
	#state: number = STATE.header;
	#length = 0;
	#shift = 0;
	#remaining = 0;

	constructor(inner: Duplex, maxPacketBytes: number) {
		super({ allowHalfOpen: false });
		this.#inner = inner;
		this.#max = maxPacketBytes;
		inner.on('data', (chunk: Buffer) => {
			const err = this.#scan(chunk);
			if (err) {
				this.destroy(err);
				return;
			}
			if (!this.push(chunk)) inner.pause();
		});
		inner.once('end', () => this.push(null));
		inner.once('error', (e) => this.destroy(e));
		inner.once('close', () => this.destroy());
	}

	/** Walk the fixed headers in `chunk`; an error when a packet is too large or malformed. */
	#scan(chunk: Buffer): Error | null {
		let i = 0;
		while (i < chunk.length) {
			if (this.#state === STATE.header) {
				i++;
				this.#state = STATE.length;
				this.#length = 0;
				this.#shift = 0;
			} else if (this.#state === STATE.length) {
				const b = chunk[i++]!;
				this.#length += (b & 0x7f) * 2 ** this.#shift;
				this.#shift += 7;
				if (this.#length > this.#max) return new FrameTooLargeError(this.#length, this.#max);
				if (b & 0x80) {
					if (this.#shift >= 28) return new Error('malformed MQTT remaining length'); // [MQTT-2.2.3]: at most 4 bytes
				} else {
					this.#remaining = this.#length;
					this.#state = this.#remaining > 0 ? STATE.body : STATE.header;
				}
			} else {
				const take = Math.min(this.#remaining, chunk.length - i);
				i += take;
				this.#remaining -= take;
				if (this.#remaining === 0) this.#state = STATE.header;
			}
		}
		return null;
	}

	override _read(): void {
		this.#inner.resume();
	}

	override _write(chunk: Buffer, encoding: BufferEncoding, cb: (e?: Error | null) => void): void {
		if (this.#inner.destroyed) return cb();
		this.#inner.write(chunk, encoding, cb);
	}

	override _final(cb: (e?: Error | null) => void): void {
		this.#inner.end(() => cb());
	}

	override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
		this.#inner.destroy();
		cb(err);
	}
}
