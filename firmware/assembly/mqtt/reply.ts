// Parses accepted/rejected replies (spec §1.5; decisions: CBOR on cbor topics, JSON on json topics).
import * as T from "../text";
import * as S from "../stats";

/** Status read from the reply: 0 absent, 1 ACCEPTED, 2 REJECTED, 3 something else. */
export let replyStatus: i32 = 0;
/** statusDetails.ErrorCode as the stats table code: 0 absent, 1 InvalidPayload, 2 Throttled, 3 other. */
export let replyError: i32 = 0;
/** `reportId` read from the reply: a positive integer, or 0 when absent or not a usable integer. */
export let replyReportId: i64 = 0;

/** report_id of the published report still waiting for its reply; 0 when none. */
let awaitingId: i64 = 0;

/** A report with `id` was published: its reply is the one to count (earlier reports' replies no longer are). */
export function replyExpect(id: i64): void {
  awaitingId = id;
}

/** Forgets the awaited reply (agent_init). */
export function replyReset(): void {
  awaitingId = 0;
}

const MAX_DEPTH: i32 = 8;

let p: usize = 0;
let end: usize = 0;
let bad: bool = false;

function eq(s: usize, n: i32, lit: usize, litLen: i32): bool {
  return n == litLen && memory.compare(s, lit, <usize>n) == 0;
}

function statusOf(s: usize, n: i32): i32 {
  if (eq(s, n, T.T_ACCEPTED, T.T_ACCEPTED_LEN)) return 1;
  if (eq(s, n, T.T_REJECTED, T.T_REJECTED_LEN)) return 2;
  return 3;
}

function errorOf(s: usize, n: i32): i32 {
  if (eq(s, n, T.T_INVALID_PAYLOAD, T.T_INVALID_PAYLOAD_LEN)) return 1;
  if (eq(s, n, T.T_THROTTLED, T.T_THROTTLED_LEN)) return 2;
  return 3;
}

// ---- JSON (RFC 8259), only as much as a reply needs ----

function ws(): void {
  while (p < end) {
    const c: u32 = load<u8>(p);
    if (c != 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) return;
    p++;
  }
}

let strAt: usize = 0;
let strLen: i32 = 0;

/** Largest integer a float64 `reportId` may carry exactly (2^53). */
const MAX_EXACT: f64 = 9007199254740992.0;

/** A JSON number in [at, to) that is a plain decimal integer 1..2^53; else 0. */
function jsonId(at: usize, to: usize): i64 {
  if (to <= at || to - at > 16) return 0;
  let v: i64 = 0;
  for (let q = at; q < to; q++) {
    const d: u32 = <u32>load<u8>(q) - 0x30;
    if (d > 9) return 0;
    v = v * 10 + <i64>d;
  }
  return <f64>v <= MAX_EXACT ? v : 0;
}

/** A float that is an integer 1..2^53 (cbor-x writes integers above 2^32 as float64); else 0. */
function floatId(f: f64): i64 {
  return f >= 1 && f <= MAX_EXACT && f == Math.floor(f) ? <i64>f : 0;
}

/** A string at p; escapes are skipped over (the fields we compare never contain them). */
function jsonString(): bool {
  if (p >= end || load<u8>(p) != 0x22) return false;
  p++;
  strAt = p;
  while (p < end) {
    const c: u32 = load<u8>(p);
    if (c == 0x22) {
      strLen = <i32>(p - strAt);
      p++;
      return true;
    }
    if (c < 0x20) return false;
    p += c == 0x5c ? 2 : 1;
  }
  return false;
}

function jsonValue(depth: i32, inDetails: bool): bool {
  ws();
  if (p >= end || depth > MAX_DEPTH) return false;
  const c: u32 = load<u8>(p);
  if (c == 0x22) return jsonString();
  if (c == 0x7b) return jsonObject(depth + 1, inDetails);
  if (c == 0x5b) {
    p++;
    ws();
    if (p < end && load<u8>(p) == 0x5d) { p++; return true; }
    while (true) {
      if (!jsonValue(depth + 1, false)) return false;
      ws();
      if (p >= end) return false;
      const d: u32 = load<u8>(p++);
      if (d == 0x5d) return true;
      if (d != 0x2c) return false;
    }
  }
  // number, true, false, null: a run of their characters
  const start = p;
  while (p < end) {
    const d: u32 = load<u8>(p);
    if (!((d >= 0x30 && d <= 0x39) || d == 0x2d || d == 0x2b || d == 0x2e || (d >= 0x61 && d <= 0x7a) || d == 0x45)) break;
    p++;
  }
  return p > start;
}

function jsonObject(depth: i32, inDetails: bool): bool {
  p++; // '{'
  ws();
  if (p < end && load<u8>(p) == 0x7d) { p++; return true; }
  while (true) {
    ws();
    if (!jsonString()) return false;
    const kAt = strAt;
    const kLen = strLen;
    ws();
    if (p >= end || load<u8>(p) != 0x3a) return false;
    p++;
    ws();
    const top = depth == 1;
    const vAt = p;
    if (!jsonValue(depth, top && eq(kAt, kLen, T.T_STATUS_DETAILS, T.T_STATUS_DETAILS_LEN))) return false;
    const wasString = load<u8>(p - 1) == 0x22;
    if (top && eq(kAt, kLen, T.T_REPORT_ID, T.T_REPORT_ID_LEN)) replyReportId = jsonId(vAt, p);
    if (wasString && top && eq(kAt, kLen, T.T_STATUS, T.T_STATUS_LEN)) replyStatus = statusOf(strAt, strLen);
    if (wasString && inDetails && eq(kAt, kLen, T.T_ERROR_CODE, T.T_ERROR_CODE_LEN)) replyError = errorOf(strAt, strLen);
    ws();
    if (p >= end) return false;
    const d: u32 = load<u8>(p++);
    if (d == 0x7d) return true;
    if (d != 0x2c) return false;
  }
}

/** Parses a JSON reply; false when malformed or not an object. */
export function parseJsonReply(at: usize, len: i32): bool {
  p = at;
  end = at + <usize>len;
  replyStatus = 0;
  replyError = 0;
  replyReportId = 0;
  ws();
  if (p >= end || load<u8>(p) != 0x7b) return false;
  if (!jsonObject(1, false)) return false;
  ws();
  return p == end;
}

// ---- CBOR (RFC 8949), only as much as a reply needs ----

let arg: u64 = 0;

/** Reads an item head; returns the major type or -1 (indefinite lengths and reserved values are refused). */
function head(): i32 {
  if (p >= end) return -1;
  const b: u32 = load<u8>(p++);
  const major = <i32>(b >> 5);
  const info = b & 31;
  if (info < 24) { arg = <u64>info; return major; }
  if (info > 27) return -1;
  const n: i32 = 1 << <i32>(info - 24);
  if (p + <usize>n > end) return -1;
  arg = 0;
  for (let i: i32 = 0; i < n; i++) arg = (arg << 8) | <u64>load<u8>(p++);
  return major;
}

function cborItem(depth: i32, inDetails: bool): bool {
  if (depth > MAX_DEPTH) return false;
  const major = head();
  if (major < 0) return false;
  if (major == 2 || major == 3) {
    if (arg > <u64>(end - p)) return false;
    strAt = p;
    strLen = <i32>arg;
    p += <usize>arg;
    return true;
  }
  if (major == 4) {
    const n = arg;
    for (let i: u64 = 0; i < n; i++) if (!cborItem(depth + 1, false)) return false;
    return true;
  }
  if (major == 5) return cborMap(depth + 1, arg, inDetails);
  if (major == 6) return cborItem(depth + 1, false);
  return true; // ints, simple values and floats carry their argument in the head
}

function cborMap(depth: i32, n: u64, inDetails: bool): bool {
  for (let i: u64 = 0; i < n; i++) {
    // Replies use text keys only (spec §1.5); anything else is unreadable.
    if (head() != 3 || arg > <u64>(end - p)) return false;
    const kAt = p;
    const kLen = <i32>arg;
    p += <usize>arg;
    const top = depth == 1;
    const first: u32 = p < end ? <u32>load<u8>(p) : 0;
    const valueMajor: u32 = first >> 5;
    if (!cborItem(depth, top && eq(kAt, kLen, T.T_STATUS_DETAILS, T.T_STATUS_DETAILS_LEN))) return false;
    if (top && eq(kAt, kLen, T.T_REPORT_ID, T.T_REPORT_ID_LEN)) {
      // `arg` still holds the value's argument: an unsigned integer or the bits of a float.
      if (valueMajor == 0) replyReportId = arg > 0 && arg <= <u64>MAX_EXACT ? <i64>arg : 0;
      else if (first == 0xfb) replyReportId = floatId(reinterpret<f64>(arg));
      else if (first == 0xfa) replyReportId = floatId(<f64>reinterpret<f32>(<u32>arg));
      else replyReportId = 0;
    }
    if (valueMajor == 3 && top && eq(kAt, kLen, T.T_STATUS, T.T_STATUS_LEN)) replyStatus = statusOf(strAt, strLen);
    if (valueMajor == 3 && inDetails && eq(kAt, kLen, T.T_ERROR_CODE, T.T_ERROR_CODE_LEN)) replyError = errorOf(strAt, strLen);
  }
  return true;
}

/**
 * Accounts a reply that arrived on the accepted (kind 1) or rejected (kind 2) topic: stats 1, 2
 * and 3. A reply that cannot be read, or whose `status` disagrees with its topic, counts a
 * protocol error only (the connection is kept). Only the first reply for the awaited report
 * counts: a QoS 1 retransmission can reach the service twice and be answered twice, and a reply
 * without `reportId` or for another report is ignored.
 */
export function accountReply(kind: i32, cbor: bool, at: usize, len: i32): void {
  const ok = cbor ? parseCborReply(at, len) : parseJsonReply(at, len);
  if (!ok || replyStatus != kind) {
    S.statAdd(S.STAT_PROTOCOL_ERRORS);
    return;
  }
  if (awaitingId == 0 || replyReportId != awaitingId) return;
  awaitingId = 0;
  if (kind == 1) {
    S.statAdd(S.STAT_ACCEPTED);
  } else {
    S.statAdd(S.STAT_REJECTED);
    S.statSet(S.STAT_LAST_ERROR, replyError == 0 ? S.ERR_OTHER : <i64>replyError);
  }
}

/** Parses a CBOR reply (a map with text keys); false when malformed. */
export function parseCborReply(at: usize, len: i32): bool {
  p = at;
  end = at + <usize>len;
  replyStatus = 0;
  replyError = 0;
  replyReportId = 0;
  if (head() != 5) return false;
  if (!cborMap(1, arg, false)) return false;
  return p == end;
}
