// JSON writer over the bounded output buffer: commas and escaping handled here.
import { putByte, putBytes } from "./out";
import { putU64, putF64 } from "./numfmt";

let depth: i32 = 0;
/** Bit d set = no element written yet at depth d. */
let firstBits: u32 = 0;
let afterKey: bool = false;

export function jsonReset(): void {
  depth = 0;
  firstBits = 0;
  afterKey = false;
}

function beforeValue(): void {
  if (afterKey) {
    afterKey = false;
    return;
  }
  if (depth == 0) return;
  const bit: u32 = 1 << <u32>depth;
  if ((firstBits & bit) == 0) putByte(0x2c);
  firstBits &= ~bit;
}

function open(c: u32): void {
  beforeValue();
  putByte(c);
  depth++;
  firstBits |= 1 << <u32>depth;
}

export function jsonMapStart(): void { open(0x7b); }
export function jsonArrStart(): void { open(0x5b); }

export function jsonMapEnd(): void {
  depth--;
  putByte(0x7d);
}

export function jsonArrEnd(): void {
  depth--;
  putByte(0x5d);
}

/** A key from UTF-8 bytes (key table entries and custom metric names). */
export function jsonKey(p: usize, n: i32): void {
  jsonStr(p, n);
  putByte(0x3a);
  afterKey = true;
}

export function jsonUint(v: u64): void {
  beforeValue();
  putU64(v);
}

export function jsonNum(v: f64): void {
  beforeValue();
  putF64(v);
}

/** A string value from UTF-8 bytes: `"` and `\` escaped, control characters as \u00XX (RFC 8259 §7). */
export function jsonStr(p: usize, n: i32): void {
  beforeValue();
  putByte(0x22);
  let run: i32 = 0;
  for (let i: i32 = 0; i < n; i++) {
    const c: u32 = load<u8>(p + <usize>i);
    if (c >= 0x20 && c != 0x22 && c != 0x5c) continue;
    putBytes(p + <usize>run, i - run);
    run = i + 1;
    putByte(0x5c);
    if (c == 0x22 || c == 0x5c) {
      putByte(c);
    } else {
      putByte(0x75);
      putByte(0x30);
      putByte(0x30);
      putByte(hex(c >> 4));
      putByte(hex(c & 15));
    }
  }
  putBytes(p + <usize>run, n - run);
  putByte(0x22);
}

function hex(d: u32): u32 {
  return d < 10 ? 0x30 + d : 0x57 + d;
}
