// Decimal text for JSON numbers, written straight into the output buffer (no allocation).
import { putByte } from "./out";

const digits: usize = memory.data(24);

/** Unsigned 64-bit decimal. */
export function putU64(v: u64): void {
  let n: i32 = 0;
  do {
    store<u8>(digits + <usize>n, <u8>(0x30 + <u32>(v % 10)));
    v /= 10;
    n++;
  } while (v != 0);
  while (n > 0) {
    n--;
    putByte(load<u8>(digits + <usize>n));
  }
}

/** Signed 64-bit decimal. */
export function putI64(v: i64): void {
  if (v < 0) {
    putByte(0x2d);
    putU64(<u64>(-v));
  } else {
    putU64(<u64>v);
  }
}

/** 2^53: integers up to this magnitude are exact in an f64. */
const EXACT_INT: f64 = 9007199254740992.0;

/** True when `v` is an integer an f64 holds exactly. */
export function isExactInt(v: f64): bool {
  return v == Math.floor(v) && Math.abs(v) <= EXACT_INT;
}

/** v × 10^p without overflowing 10^p for the smallest (subnormal) inputs. */
function scale(v: f64, p: i32): f64 {
  if (p > 300) return v * 1e300 * Math.pow(10, <f64>(p - 300));
  return v * Math.pow(10, <f64>p);
}

/**
 * A finite f64 as a JSON number: integers exactly, other values with 15 significant digits
 * (spec §1.3: custom numbers carry up to 15 significant digits), positional for exponents -6..20.
 */
export function putF64(v: f64): void {
  if (isExactInt(v)) {
    putI64(<i64>v);
    return;
  }
  if (v < 0) {
    putByte(0x2d);
    v = -v;
  }
  let e: i32 = <i32>Math.floor(Math.log10(v));
  let m: u64 = <u64>Math.round(scale(v, 14 - e));
  if (m >= 1000000000000000) {
    m = <u64>Math.round(<f64>m / 10.0);
    e++;
  } else if (m < 100000000000000) {
    m = <u64>Math.round(scale(v, 15 - e));
    e--;
  }
  // 15 digits d0..d14 in `digits`, most significant first; drop trailing zeros.
  for (let i: i32 = 14; i >= 0; i--) {
    store<u8>(digits + <usize>i, <u8>(0x30 + <u32>(m % 10)));
    m /= 10;
  }
  let nd: i32 = 15;
  while (nd > 1 && load<u8>(digits + <usize>(nd - 1)) == 0x30) nd--;
  if (e >= -6 && e <= 20) {
    if (e < 0) {
      putByte(0x30);
      putByte(0x2e);
      for (let i: i32 = -1; i > e; i--) putByte(0x30);
      for (let i: i32 = 0; i < nd; i++) putByte(load<u8>(digits + <usize>i));
    } else {
      for (let i: i32 = 0; i <= e || i < nd; i++) {
        if (i == e + 1) putByte(0x2e);
        putByte(i < nd ? load<u8>(digits + <usize>i) : 0x30);
      }
    }
    return;
  }
  putByte(load<u8>(digits));
  if (nd > 1) {
    putByte(0x2e);
    for (let i: i32 = 1; i < nd; i++) putByte(load<u8>(digits + <usize>i));
  }
  putByte(0x65);
  if (e < 0) {
    putByte(0x2d);
    e = -e;
  }
  putU64(<u64>e);
}
