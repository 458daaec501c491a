// Configuration: TLV entries the runtime writes at agent_config_ptr (docs/abi.md "Configuration").
import { OK, BAD_PARAM } from "./status";
import { logText, LOG_WARN } from "./log";
import { T_LOG_INTERVAL_CLAMPED, T_LOG_INTERVAL_CLAMPED_LEN } from "./text";

/** Size of the configuration region: 4 strings of at most 128 bytes + TLV headers + numbers. */
export const CONFIG_CAP: i32 = 640;
export const configRegion: usize = memory.data(CONFIG_CAP);

/** Default and minimum report interval: 300 s (spec §1.4, DEFENDER_REPORT_MIN_PERIOD_SECONDS). */
export const MIN_INTERVAL_S: u32 = 300;
/** Longest thing name, client id, username or password in bytes (spec §1.1: 128-byte thing name). */
export const MAX_NAME: i32 = 128;

export const FLAG_CBOR: u32 = 1;
export const FLAG_SHORT_KEYS: u32 = 2;
export const FLAG_ALLOW_SHORT_INTERVAL: u32 = 4;

// Parsed values. Strings are (offset, length) into configRegion; length 0 = absent.
export let thingPtr: usize = 0;
export let thingLen: i32 = 0;
export let clientPtr: usize = 0;
export let clientLen: i32 = 0;
export let userPtr: usize = 0;
export let userLen: i32 = -1;
export let passPtr: usize = 0;
export let passLen: i32 = -1;
/** MQTT keepalive in seconds (default 60, 0 disables). */
export let keepaliveS: u32 = 60;
/** Report interval in seconds (default 300). */
export let intervalS: u32 = 300;
/** Encoding flags: bit 0 CBOR, bit 1 short keys, bit 2 allow interval < 300 s. */
export let flags: u32 = 0;
/** Maximum items per list before sampling (default 50, 1..256). */
export let maxItems: i32 = 50;
/** Whether the last agent_init succeeded. */
export let configValid: bool = false;

function readU16(p: usize): u32 {
  return <u32>load<u8>(p) | (<u32>load<u8>(p + 1) << 8);
}

function readU32(p: usize): u32 {
  return readU16(p) | (readU16(p + 2) << 16);
}

/** Parses `len` bytes of TLV configuration; resets every option first. Returns OK or BAD_PARAM. */
export function parseConfig(len: i32): i32 {
  thingPtr = 0; thingLen = 0; clientPtr = 0; clientLen = 0;
  userPtr = 0; userLen = -1; passPtr = 0; passLen = -1;
  keepaliveS = 60; intervalS = MIN_INTERVAL_S; flags = 0; maxItems = 50;
  configValid = false;
  if (len < 0 || len > CONFIG_CAP) return BAD_PARAM;
  let at: i32 = 0;
  while (at < len) {
    if (at + 3 > len) return BAD_PARAM;
    const tag: u32 = load<u8>(configRegion + <usize>at);
    const vlen: i32 = <i32>readU16(configRegion + <usize>at + 1);
    const v: usize = configRegion + <usize>at + 3;
    if (at + 3 + vlen > len) return BAD_PARAM;
    if (tag == 1) {
      if (vlen < 1 || vlen > MAX_NAME || !validName(v, vlen)) return BAD_PARAM;
      thingPtr = v; thingLen = vlen;
    } else if (tag == 2) {
      if (vlen < 1 || vlen > MAX_NAME) return BAD_PARAM;
      clientPtr = v; clientLen = vlen;
    } else if (tag == 3) {
      if (vlen > MAX_NAME) return BAD_PARAM;
      userPtr = v; userLen = vlen;
    } else if (tag == 4) {
      if (vlen > MAX_NAME) return BAD_PARAM;
      passPtr = v; passLen = vlen;
    } else if (tag == 5) {
      if (vlen != 2) return BAD_PARAM;
      keepaliveS = readU16(v);
    } else if (tag == 6) {
      if (vlen != 4) return BAD_PARAM;
      intervalS = readU32(v);
    } else if (tag == 7) {
      if (vlen != 4) return BAD_PARAM;
      flags = readU32(v);
    } else if (tag == 8) {
      if (vlen != 2) return BAD_PARAM;
      const m: i32 = <i32>readU16(v);
      if (m < 1 || m > 256) return BAD_PARAM;
      maxItems = m;
    }
    // Unknown tags are skipped so newer runtimes can add options.
    at += 3 + vlen;
  }
  if (thingLen == 0) return BAD_PARAM;
  if (clientLen == 0) { clientPtr = thingPtr; clientLen = thingLen; }
  // [MQTT-3.1.2-22] a password needs a username.
  if (passLen >= 0 && userLen < 0) return BAD_PARAM;
  if (intervalS == 0) return BAD_PARAM;
  if (intervalS < MIN_INTERVAL_S && (flags & FLAG_ALLOW_SHORT_INTERVAL) == 0) {
    logText(LOG_WARN, T_LOG_INTERVAL_CLAMPED, T_LOG_INTERVAL_CLAMPED_LEN);
    intervalS = MIN_INTERVAL_S;
  }
  configValid = true;
  return OK;
}

/** spec §1.1: no control characters; also no MQTT wildcards or level separators (the name is a topic level). */
function validName(p: usize, n: i32): bool {
  for (let i: i32 = 0; i < n; i++) {
    const c: u32 = load<u8>(p + <usize>i);
    if (c < 0x20 || c == 0x7f || c == 0x2b /* + */ || c == 0x23 /* # */ || c == 0x2f /* / */) return false;
  }
  return true;
}
