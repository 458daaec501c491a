/**
 * The UART link's framing, host side (device side: firmware/native/warden_link.c). SLIP
 * (RFC 1055): each frame is `END type payload END`, END and ESC escaped. docs/firmware.md.
 */

export const SLIP = { END: 0xc0, ESC: 0xdb, ESC_END: 0xdc, ESC_ESC: 0xdd } as const;

/** Frame types. Upper case from the device except 'D', which flows both ways. */
export const FRAME = {
	/** device → bridge: hello, payload = board name */
	hello: 0x48, // 'H'
	/** device → bridge: open the broker stream, payload = seq */
	open: 0x4f, // 'O'
	/** device → bridge: close the stream, payload = seq */
	close: 0x43, // 'C'
	/** both ways: stream bytes, payload = seq, bytes */
	data: 0x44, // 'D'
	/** device → bridge: statistics, payload = u32 count, count × i64 */
	stats: 0x53, // 'S'
	/** bridge → device: u64 epoch ms, u32 sim flags, u32 counter scale, configuration TLV */
	config: 0x4b, // 'K'
	/** bridge → device: stream open, payload = seq, u16 remote port, u16 local port */
	opened: 0x6f, // 'o'
	/** bridge → device: stream closed or failed, payload = seq */
	closed: 0x63, // 'c'
	/** bridge → device: publish a report now */
	reportNow: 0x52, // 'R'
	/** bridge → device: leave cleanly (semihosting exit 0) */
	exit: 0x58, // 'X'
} as const;

export function encodeFrame(type: number, payload: Uint8Array = new Uint8Array(0)): Buffer {
	const out: number[] = [SLIP.END];
	const put = (b: number): void => {
		if (b === SLIP.END) out.push(SLIP.ESC, SLIP.ESC_END);
		else if (b === SLIP.ESC) out.push(SLIP.ESC, SLIP.ESC_ESC);
		else out.push(b);
	};
	put(type);
	for (const b of payload) put(b);
	out.push(SLIP.END);
	return Buffer.from(out);
}

export interface Frame {
	readonly type: number;
	readonly payload: Buffer;
}

/** Streaming decoder: feed bytes, get whole frames. Empty frames are skipped; frames longer
 * than maxFrame are dropped up to the next END (resynchronisation). */
export class FrameDecoder {
	#buf: number[] = [];
	#esc = false;
	#overflow = false;
	/** Bytes thrown away by resynchronisation. */
	dropped = 0;

	constructor(private readonly maxFrame = 4096) {}

	push(chunk: Uint8Array): Frame[] {
		const frames: Frame[] = [];
		for (let b of chunk) {
			if (b === SLIP.END) {
				if (!this.#overflow && this.#buf.length > 0) {
					frames.push({ type: this.#buf[0]!, payload: Buffer.from(this.#buf.slice(1)) });
				}
				this.#buf = [];
				this.#esc = false;
				this.#overflow = false;
				continue;
			}
			if (this.#esc) {
				this.#esc = false;
				b = b === SLIP.ESC_END ? SLIP.END : b === SLIP.ESC_ESC ? SLIP.ESC : b;
			} else if (b === SLIP.ESC) {
				this.#esc = true;
				continue;
			}
			if (this.#buf.length >= this.maxFrame) {
				this.#overflow = true;
				this.dropped++;
				continue;
			}
			this.#buf.push(b);
		}
		return frames;
	}
}

/** Statistics the device reports: agent_stat 0..9 (docs/abi.md) plus driver counters. */
export interface DeviceStats {
	readonly published: number;
	readonly accepted: number;
	readonly rejected: number;
	readonly lastRejectCode: number;
	readonly connections: number;
	readonly retransmissions: number;
	readonly protocolErrors: number;
	readonly connectionState: number;
	readonly lastReportId: number;
	readonly memoryHighWater: number;
	/** traps since boot (firmware driver) */
	readonly traps: number;
	/** successful restarts after a trap */
	readonly restarts: number;
	/** traps after which memory outside the module's pool was found changed (must stay 0) */
	readonly memoryFaults: number;
	/** deepest use of the firmware's stack since boot, bytes */
	readonly stackUsed: number;
}

const STAT_NAMES = [
	'published', 'accepted', 'rejected', 'lastRejectCode', 'connections', 'retransmissions',
	'protocolErrors', 'connectionState', 'lastReportId', 'memoryHighWater', 'traps', 'restarts', 'memoryFaults', 'stackUsed',
] as const;

export function decodeStats(payload: Buffer): DeviceStats | undefined {
	if (payload.length < 4) return undefined;
	const count = payload.readUInt32LE(0);
	if (payload.length < 4 + 8 * count) return undefined;
	const out: Record<string, number> = {};
	STAT_NAMES.forEach((name, i) => {
		out[name] = i < count ? Number(payload.readBigInt64LE(4 + 8 * i)) : -1;
	});
	return out as unknown as DeviceStats;
}
