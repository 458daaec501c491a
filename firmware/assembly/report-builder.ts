// One Device Defender metrics report (spec §1.2-1.4) into a caller's buffer: length or a status.
import { OK, BUFFER_TOO_SMALL, UNAVAILABLE } from "./status";
import * as K from "./keys";
import * as T from "./text";
import { outReset, outLen, outOverflow } from "./out";
import { wBegin, wMap, wMapEnd, wArr, wArrEnd, wKey, wKeyBytes, wUint, wNum, wStr } from "./report-writer";
import { KIND_TCP_PORTS, KIND_UDP_PORTS, KIND_CONNECTIONS, KIND_CUSTOM, item, itemCount, fetchItem, sampleStart, sampleNext, snapshotCounters, counterDelta, commitCounters } from "./collector";
import { formatIp, formatRemote } from "./ipfmt";
import { reportIdNext, reportIdCommit } from "./report-id";

/** Longest formatted address: "[" + 45 + "]:" + 5 digits. */
const addrText: usize = memory.data(64);

const TYPE_NUMBER: u32 = 1;
const TYPE_NUMBER_LIST: u32 = 2;
const TYPE_STRING_LIST: u32 = 3;
const TYPE_IP_LIST: u32 = 4;
const MAX_IF: u32 = 15;

let failed: i32 = OK;

function u16At(p: usize): u32 {
  return <u32>load<u8>(p) | (<u32>load<u8>(p + 1) << 8);
}

/**
 * Encodes one report: `cbor` selects CBOR (else JSON), `short` the short key names, lists longer
 * than `maxList` are sampled uniformly with the true count in `total` (spec §1.4). On success the
 * report_id and the traffic baseline advance; on BufferTooSmall or Unavailable nothing advances.
 */
export function encodeReport(cbor: bool, short: bool, ptr: usize, cap: i32, maxList: i32): i32 {
  outReset(ptr, cap);
  wBegin(cbor, short);
  failed = OK;
  const rid = reportIdNext();
  const withStats = snapshotCounters();
  const customs = countCustom();

  wMap(customs > 0 ? 3 : 2);
  wKey(K.K_HEADER);
  wMap(2);
  wKey(K.K_REPORT_ID);
  wUint(<u64>rid);
  wKey(K.K_VERSION);
  wStr(T.T_VERSION_1_0, T.T_VERSION_1_0_LEN); // spec §1.4
  wMapEnd();

  wKey(K.K_METRICS);
  wMap(withStats ? 4 : 3);
  writePorts(K.K_LISTENING_TCP, KIND_TCP_PORTS, maxList);
  writePorts(K.K_LISTENING_UDP, KIND_UDP_PORTS, maxList);
  if (withStats) writeNetworkStats();
  writeConnections(maxList);
  wMapEnd();

  if (customs > 0) writeCustom(customs);
  wMapEnd();

  if (failed != OK) return failed;
  if (outOverflow) return BUFFER_TOO_SMALL;
  reportIdCommit(rid);
  commitCounters();
  return outLen;
}

function writePorts(key: i32, kind: i32, maxList: i32): void {
  const n = itemCount(kind);
  const k = n < maxList ? n : maxList;
  wKey(key);
  wMap(2);
  wKey(K.K_PORTS);
  wArr(k);
  sampleStart(n, k);
  for (let i: i32 = 0; i < n && failed == OK; i++) {
    if (!sampleNext()) continue;
    const len = fetchItem(kind, i);
    // record: u16 port, u8 ifLen, interface name
    if (len < 3) { failed = UNAVAILABLE; break; }
    const port = u16At(item);
    const ifLen = <u32>load<u8>(item + 2);
    if (port == 0 || ifLen > MAX_IF || 3 + <i32>ifLen > len) { failed = UNAVAILABLE; break; }
    wMap(ifLen > 0 ? 2 : 1);
    if (ifLen > 0) {
      wKey(K.K_INTERFACE);
      wStr(item + 3, <i32>ifLen);
    }
    wKey(K.K_PORT);
    wUint(<u64>port);
    wMapEnd();
  }
  wArrEnd();
  wKey(K.K_TOTAL);
  wUint(<u64>n);
  wMapEnd();
}

function writeNetworkStats(): void {
  wKey(K.K_NETWORK_STATS);
  wMap(4);
  wKey(K.K_BYTES_IN);
  wUint(counterDelta(0));
  wKey(K.K_BYTES_OUT);
  wUint(counterDelta(1));
  wKey(K.K_PACKETS_IN);
  wUint(counterDelta(2));
  wKey(K.K_PACKETS_OUT);
  wUint(counterDelta(3));
  wMapEnd();
}

function writeConnections(maxList: i32): void {
  const n = itemCount(KIND_CONNECTIONS);
  const k = n < maxList ? n : maxList;
  wKey(K.K_TCP_CONNECTIONS);
  wMap(1);
  wKey(K.K_ESTABLISHED);
  wMap(2);
  wKey(K.K_CONNECTIONS);
  wArr(k);
  sampleStart(n, k);
  for (let i: i32 = 0; i < n && failed == OK; i++) {
    if (!sampleNext()) continue;
    const len = fetchItem(KIND_CONNECTIONS, i);
    // record: u8 family, 16 address bytes, u16 remotePort, u16 localPort, u8 ifLen, interface
    if (len < 22) { failed = UNAVAILABLE; break; }
    const family = <u32>load<u8>(item);
    const ifLen = <u32>load<u8>(item + 21);
    if (ifLen > MAX_IF || 22 + <i32>ifLen > len) { failed = UNAVAILABLE; break; }
    const textLen = formatRemote(family, item + 1, u16At(item + 17), addrText);
    if (textLen < 0) { failed = UNAVAILABLE; break; }
    wMap(ifLen > 0 ? 3 : 2);
    if (ifLen > 0) {
      wKey(K.K_LOCAL_INTERFACE);
      wStr(item + 22, <i32>ifLen);
    }
    wKey(K.K_LOCAL_PORT);
    wUint(<u64>u16At(item + 19));
    wKey(K.K_REMOTE_ADDR);
    wStr(addrText, textLen);
    wMapEnd();
  }
  wArrEnd();
  wKey(K.K_TOTAL);
  wUint(<u64>n);
  wMapEnd();
  wMapEnd();
}

/**
 * Checks a custom-metric record (docs/abi.md kind 3): type, name, count, values all inside `len`.
 * Invalid records (and NaN or infinite numbers) are left out of the report.
 */
function validCustom(len: i32): bool {
  if (len < 4) return false;
  const type = <u32>load<u8>(item);
  const nameLen = <i32>load<u8>(item + 1);
  if (type < TYPE_NUMBER || type > TYPE_IP_LIST || nameLen < 1) return false;
  if (2 + nameLen + 2 > len) return false;
  const count = <i32>u16At(item + 2 + <usize>nameLen);
  if (type == TYPE_NUMBER && count != 1) return false;
  let at: i32 = 4 + nameLen;
  for (let i: i32 = 0; i < count; i++) {
    if (type <= TYPE_NUMBER_LIST) {
      if (at + 8 > len) return false;
      const v = load<f64>(item + <usize>at);
      if (!isFinite<f64>(v)) return false;
      at += 8;
    } else if (type == TYPE_STRING_LIST) {
      if (at + 1 > len) return false;
      at += 1 + <i32>load<u8>(item + <usize>at);
    } else {
      if (at + 1 > len) return false;
      const family = <u32>load<u8>(item + <usize>at);
      if (family != 4 && family != 6) return false;
      at += family == 4 ? 5 : 17;
    }
    if (at > len) return false;
  }
  return true;
}

function countCustom(): i32 {
  const n = itemCount(KIND_CUSTOM);
  let valid: i32 = 0;
  for (let i: i32 = 0; i < n; i++) {
    if (validCustom(fetchItem(KIND_CUSTOM, i))) valid++;
  }
  return valid;
}

/** spec §1.3: each custom metric is an array holding one object with one typed key. */
function writeCustom(expected: i32): void {
  const n = itemCount(KIND_CUSTOM);
  let written: i32 = 0;
  wKey(K.K_CUSTOM_METRICS);
  wMap(expected);
  for (let i: i32 = 0; i < n && written < expected; i++) {
    if (!validCustom(fetchItem(KIND_CUSTOM, i))) continue;
    written++;
    const type = <u32>load<u8>(item);
    const nameLen = <i32>load<u8>(item + 1);
    const count = <i32>u16At(item + 2 + <usize>nameLen);
    let at: usize = item + 4 + <usize>nameLen;
    wKeyBytes(item + 2, nameLen);
    wArr(1);
    wMap(1);
    if (type == TYPE_NUMBER) {
      wKey(K.K_NUMBER);
      wNum(load<f64>(at));
    } else {
      wKey(type == TYPE_NUMBER_LIST ? K.K_NUMBER_LIST : type == TYPE_STRING_LIST ? K.K_STRING_LIST : K.K_IP_LIST);
      wArr(count);
      for (let j: i32 = 0; j < count; j++) {
        if (type == TYPE_NUMBER_LIST) {
          wNum(load<f64>(at));
          at += 8;
        } else if (type == TYPE_STRING_LIST) {
          const sLen = <i32>load<u8>(at);
          wStr(at + 1, sLen);
          at += 1 + <usize>sLen;
        } else {
          const family = <u32>load<u8>(at);
          wStr(addrText, formatIp(family, at + 1, addrText));
          at += family == 4 ? 5 : 17;
        }
      }
      wArrEnd();
    }
    wMapEnd();
    wArrEnd();
  }
  wMapEnd();
  if (written != expected && failed == OK) failed = UNAVAILABLE;
}
