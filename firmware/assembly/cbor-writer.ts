// CBOR writer (RFC 8949) over the bounded output buffer: definite lengths, shortest heads.
import { putByte, putBytes } from "./out";
import { isExactInt } from "./numfmt";

const MAJOR_UINT: u32 = 0;
const MAJOR_NEG: u32 = 1;
const MAJOR_TEXT: u32 = 3;
const MAJOR_ARRAY: u32 = 4;
const MAJOR_MAP: u32 = 5;

/** Item head: major type and argument in the shortest form (RFC 8949 §3, preferred serialization). */
export function cborHead(major: u32, v: u64): void {
  const m: u32 = major << 5;
  if (v < 24) {
    putByte(m | <u32>v);
  } else if (v < 0x100) {
    putByte(m | 24);
    putByte(<u32>v);
  } else if (v < 0x10000) {
    putByte(m | 25);
    putByte(<u32>(v >> 8) & 0xff);
    putByte(<u32>v & 0xff);
  } else if (v < 0x100000000) {
    putByte(m | 26);
    for (let s: i32 = 24; s >= 0; s -= 8) putByte(<u32>(v >> <u64>s) & 0xff);
  } else {
    putByte(m | 27);
    for (let s: i32 = 56; s >= 0; s -= 8) putByte(<u32>(v >> <u64>s) & 0xff);
  }
}

export function cborMapStart(n: i32): void { cborHead(MAJOR_MAP, <u64>n); }
export function cborArrStart(n: i32): void { cborHead(MAJOR_ARRAY, <u64>n); }
export function cborUint(v: u64): void { cborHead(MAJOR_UINT, v); }

/** Text string from UTF-8 bytes. */
export function cborStr(p: usize, n: i32): void {
  cborHead(MAJOR_TEXT, <u64>n);
  putBytes(p, n);
}

/** A number: integers as major 0/1, everything else as a float64 (RFC 8949 §3.3). */
export function cborNum(v: f64): void {
  if (isExactInt(v)) {
    if (v >= 0) cborHead(MAJOR_UINT, <u64>v);
    else cborHead(MAJOR_NEG, <u64>(-v - 1));
    return;
  }
  putByte(0xfb);
  const bits: u64 = reinterpret<u64>(v);
  for (let s: i32 = 56; s >= 0; s -= 8) putByte(<u32>(bits >> <u64>s) & 0xff);
}
