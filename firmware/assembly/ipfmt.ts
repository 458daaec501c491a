// IP address text: dotted quad for IPv4, RFC 5952 canonical text for IPv6.
import { T_MAPPED_V4_PREFIX, T_MAPPED_V4_PREFIX_LEN } from "./text";

function putDec(dst: usize, at: i32, v: u32): i32 {
  if (v >= 10000) { store<u8>(dst + <usize>at, <u8>(0x30 + v / 10000)); at++; }
  if (v >= 1000) { store<u8>(dst + <usize>at, <u8>(0x30 + (v / 1000) % 10)); at++; }
  if (v >= 100) { store<u8>(dst + <usize>at, <u8>(0x30 + (v / 100) % 10)); at++; }
  if (v >= 10) { store<u8>(dst + <usize>at, <u8>(0x30 + (v / 10) % 10)); at++; }
  store<u8>(dst + <usize>at, <u8>(0x30 + v % 10));
  return at + 1;
}

function putIpv4(a: usize, dst: usize, at: i32): i32 {
  for (let i: i32 = 0; i < 4; i++) {
    if (i > 0) { store<u8>(dst + <usize>at, 0x2e); at++; }
    at = putDec(dst, at, load<u8>(a + <usize>i));
  }
  return at;
}

/** RFC 5952 §4.1: hex without leading zeros, lower case (§4.3). */
function putHex16(dst: usize, at: i32, v: u32): i32 {
  let started = false;
  for (let s: i32 = 12; s >= 0; s -= 4) {
    const d: u32 = (v >> <u32>s) & 15;
    if (d == 0 && !started && s > 0) continue;
    started = true;
    store<u8>(dst + <usize>at, <u8>(d < 10 ? 0x30 + d : 0x57 + d));
    at++;
  }
  return at;
}

function group(a: usize, i: i32): u32 {
  return (<u32>load<u8>(a + <usize>(2 * i)) << 8) | <u32>load<u8>(a + <usize>(2 * i + 1));
}

function putIpv6(a: usize, dst: usize, at: i32): i32 {
  // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad.
  let mapped = group(a, 5) == 0xffff;
  for (let i: i32 = 0; i < 5 && mapped; i++) if (group(a, i) != 0) mapped = false;
  if (mapped) {
    memory.copy(dst + <usize>at, T_MAPPED_V4_PREFIX, <usize>T_MAPPED_V4_PREFIX_LEN);
    return putIpv4(a + 12, dst, at + T_MAPPED_V4_PREFIX_LEN);
  }
  // §4.2.1-4.2.3: the longest run (first if tied) of two or more zero groups becomes "::".
  let bestStart: i32 = -1;
  let bestLen: i32 = 1;
  let i: i32 = 0;
  while (i < 8) {
    if (group(a, i) != 0) { i++; continue; }
    let j: i32 = i;
    while (j < 8 && group(a, j) == 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  i = 0;
  while (i < 8) {
    if (i == bestStart) {
      store<u8>(dst + <usize>at, 0x3a); at++;
      store<u8>(dst + <usize>at, 0x3a); at++;
      i += bestLen;
      continue;
    }
    if (i > 0 && i != bestStart + bestLen) { store<u8>(dst + <usize>at, 0x3a); at++; }
    at = putHex16(dst, at, group(a, i));
    i++;
  }
  return at;
}

/** Writes the address text (family 4 or 6, bytes in network order) at dst; returns its length (≤ 45), or -1 for a bad family. */
export function formatIp(family: u32, a: usize, dst: usize): i32 {
  if (family == 4) return putIpv4(a, dst, 0);
  if (family == 6) return putIpv6(a, dst, 0);
  return -1;
}

/** `a.b.c.d:port`, or `[v6]:port` for IPv6 (spec §1.2 remote_addr); returns the length (≤ 53) or -1. */
export function formatRemote(family: u32, a: usize, port: u32, dst: usize): i32 {
  let at: i32 = 0;
  if (family == 4) {
    at = putIpv4(a, dst, 0);
  } else if (family == 6) {
    store<u8>(dst, 0x5b);
    at = putIpv6(a, dst, 1);
    store<u8>(dst + <usize>at, 0x5d);
    at++;
  } else {
    return -1;
  }
  store<u8>(dst + <usize>at, 0x3a);
  return putDec(dst, at + 1, port);
}
