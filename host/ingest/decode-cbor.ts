/**
 * A strict decoder for the CBOR subset a report needs (RFC 8949): integers, finite or non-finite
 * floats (the validator judges values), UTF-8 text strings, arrays and maps with text keys, true,
 * false, null. Rejected: byte strings, tags, `undefined` and other simple values, non-text or
 * duplicate map keys, indefinite-length strings, reserved additional-info values, trailing bytes.
 * Definite and indefinite arrays/maps are accepted. Sizes and depth are capped before anything is
 * allocated (REPORT_LIMITS). Maps decode to plain objects; a `__proto__` key is stored as data.
 *
 * Why not cbor-x here: it decodes tags into objects, turns non-string keys into strings, has no
 * depth cap and sets its size caps process-wide. cbor-x encodes the replies and the test vectors.
 */
import { REPORT_LIMITS, invalid } from './limits.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const BREAK = Symbol('break');

class Reader {
	pos = 0;
	readonly view: DataView;
	constructor(readonly buf: Uint8Array) {
		this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
	}

	need(n: number): void {
		if (this.pos + n > this.buf.length) invalid(`CBOR ends early at byte ${this.pos}`);
	}

	/** The argument of a head: a length or value (may exceed 2^53 → imprecise, judged later). */
	arg(info: number): number {
		if (info < 24) return info;
		const at = this.pos;
		switch (info) {
			case 24: this.need(1); this.pos += 1; return this.view.getUint8(at);
			case 25: this.need(2); this.pos += 2; return this.view.getUint16(at);
			case 26: this.need(4); this.pos += 4; return this.view.getUint32(at);
			case 27: this.need(8); this.pos += 8; return Number(this.view.getBigUint64(at));
			default: return invalid(`CBOR uses reserved additional information ${info} at byte ${at - 1}`);
		}
	}

	item(depth: number): unknown {
		this.need(1);
		const start = this.pos;
		const head = this.view.getUint8(this.pos++);
		const major = head >> 5;
		const info = head & 0x1f;
		switch (major) {
			case 0:
				return this.arg(info);
			case 1:
				return -1 - this.arg(info);
			case 2:
				return invalid(`CBOR byte strings are not allowed (byte ${start})`);
			case 3: {
				if (info === 31) invalid(`CBOR indefinite-length strings are not allowed (byte ${start})`);
				const len = this.arg(info);
				this.need(len);
				this.pos += len;
				return decodeText(this.buf, this.pos - len, this.pos, start);
			}
			case 4:
				return this.array(info, depth, start);
			case 5:
				return this.map(info, depth, start);
			case 6:
				return invalid(`CBOR tags are not allowed (byte ${start})`);
			default:
				return this.simple(info, start);
		}
	}

	array(info: number, depth: number, start: number): unknown[] {
		tooDeep(depth);
		const out: unknown[] = [];
		const indefinite = info === 31;
		const len = indefinite ? Infinity : this.arg(info);
		if (!indefinite && len > REPORT_LIMITS.maxListLength) invalid(`CBOR array at byte ${start} has more than ${REPORT_LIMITS.maxListLength} elements`);
		for (let i = 0; i < len; i++) {
			const v = this.item(depth + 1);
			if (v === BREAK) {
				if (indefinite) return out;
				invalid(`CBOR break inside a definite-length array (byte ${start})`);
			}
			if (out.length >= REPORT_LIMITS.maxListLength) invalid(`CBOR array at byte ${start} has more than ${REPORT_LIMITS.maxListLength} elements`);
			out.push(v);
		}
		return out;
	}

	map(info: number, depth: number, start: number): Record<string, unknown> {
		tooDeep(depth);
		const out: Record<string, unknown> = {};
		const indefinite = info === 31;
		const len = indefinite ? Infinity : this.arg(info);
		if (!indefinite && len > REPORT_LIMITS.maxMapEntries) tooManyEntries(start);
		for (let i = 0; i < len; i++) {
			const keyAt = this.pos;
			const key = this.item(depth + 1);
			if (key === BREAK) {
				if (indefinite) return out;
				invalid(`CBOR break inside a definite-length map (byte ${start})`);
			}
			if (typeof key !== 'string') invalid(`CBOR map key at byte ${keyAt} is not a text string`);
			if (Object.hasOwn(out, key)) invalid(`CBOR map at byte ${start} repeats the key "${key}"`);
			if (i >= REPORT_LIMITS.maxMapEntries) tooManyEntries(start);
			const value = this.item(depth + 1);
			if (value === BREAK) invalid(`CBOR break where a map value was expected (byte ${start})`);
			if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
			else out[key] = value;
		}
		return out;
	}

	simple(info: number, start: number): unknown {
		switch (info) {
			case 20: return false;
			case 21: return true;
			case 22: return null;
			case 25: { this.need(2); const h = this.view.getUint16(this.pos); this.pos += 2; return halfToNumber(h); }
			case 26: { this.need(4); const f = this.view.getFloat32(this.pos); this.pos += 4; return f; }
			case 27: { this.need(8); const d = this.view.getFloat64(this.pos); this.pos += 8; return d; }
			case 31: return BREAK;
			case 23: return invalid(`CBOR undefined is not allowed (byte ${start})`);
			default: return invalid(`CBOR simple value ${info} is not allowed (byte ${start})`);
		}
	}
}

function tooManyEntries(start: number): never {
	return invalid(`CBOR map at byte ${start} has more than ${REPORT_LIMITS.maxMapEntries} entries`);
}

/** Short ASCII strings (nearly every key and value) skip TextDecoder's per-call overhead. */
function decodeText(buf: Uint8Array, from: number, to: number, start: number): string {
	if (to - from <= 64) {
		let s = '';
		let i = from;
		for (; i < to; i++) {
			const b = buf[i]!;
			if (b >= 0x80) break;
			s += String.fromCharCode(b);
		}
		if (i === to) return s;
	}
	try {
		return utf8.decode(buf.subarray(from, to));
	} catch {
		return invalid(`CBOR text string at byte ${start} is not valid UTF-8`);
	}
}

function tooDeep(depth: number): void {
	if (depth > REPORT_LIMITS.maxDepth) invalid(`payload nests deeper than ${REPORT_LIMITS.maxDepth} levels`);
}

/** RFC 8949 Appendix D: IEEE 754 half precision. */
function halfToNumber(h: number): number {
	const exp = (h >> 10) & 0x1f;
	const mant = h & 0x3ff;
	const sign = h & 0x8000 ? -1 : 1;
	if (exp === 0) return sign * mant * 2 ** -24;
	if (exp === 31) return mant === 0 ? sign * Infinity : NaN;
	return sign * (mant + 1024) * 2 ** (exp - 25);
}

/** Decode a CBOR payload into a plain value, or raise WARDEN_ERR_REPORT_INVALID. */
export function decodeCbor(payload: Uint8Array): unknown {
	if (payload.length > REPORT_LIMITS.maxPayloadBytes) {
		invalid(`payload is ${payload.length} bytes, more than the limit of ${REPORT_LIMITS.maxPayloadBytes}`);
	}
	if (payload.length === 0) invalid('payload is empty');
	const r = new Reader(payload);
	const value = r.item(1);
	if (value === BREAK) invalid('CBOR break at top level');
	if (r.pos !== payload.length) invalid(`CBOR has ${payload.length - r.pos} trailing bytes after the report`);
	return value;
}
