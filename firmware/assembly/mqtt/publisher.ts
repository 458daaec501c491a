// The report PUBLISH: built in the publish buffer (also agent_io), one QoS 1 message in flight,
// re-sent with DUP after the ack timeout.
import { BUFFER_TOO_SMALL } from "../status";
import * as C from "../config";
import * as S from "../stats";
import * as T from "../text";
import { logText, LOG_ERROR } from "../log";
import { ACK_TIMEOUT_MS, until } from "../schedule";
import { encodeReport } from "../report-builder";
import { lastReportId } from "../report-id";
import { encodePublishHeader, setDup } from "./packet";
import { pubQueue, pubMidSend, pubCancel } from "./outbox";
import { topic, topicLen } from "./topics";
import { replyExpect, replyReset } from "./reply";

/** Publish buffer; also the agent_io region (docs/abi.md). Long-key JSON for 64 ports + 64 IPv6 connections fits. */
export const IO_CAP: i32 = 10240;
export const IO_PTR: usize = memory.data(IO_CAP);
/** Room in front of the payload for the PUBLISH header: 1 + 4 + 2 + topic (≤ 162) + 2, rounded up. */
const HEADER_ROOM: i32 = 176;

let inflightId: u32 = 0;
let inflightStart: usize = 0;
let inflightLen: i32 = 0;
let inflightAt: i64 = 0;
let clobbered: bool = false;

export function publisherReset(): void {
  inflightId = 0;
  clobbered = false;
  replyReset();
}

/**
 * The link went down: with a clean session the unacknowledged PUBLISH is forgotten. Returns
 * true when a report was waiting for its PUBACK (its delivery is unknown).
 */
export function publisherLinkDown(): bool {
  const unacked = inflightId != 0;
  inflightId = 0;
  return unacked;
}

/** agent_encode wrote into the publish buffer. */
export function publisherClobbered(): void {
  clobbered = true;
}

/**
 * Applies a pending agent_encode clobber: the in-flight report is abandoned. Returns false when
 * its PUBLISH was half-written, so the stream is corrupt and the link must drop.
 */
export function publisherSettle(): bool {
  if (!clobbered) return true;
  clobbered = false;
  inflightId = 0;
  if (pubMidSend()) return false;
  pubCancel();
  return true;
}

/** Builds a report into the publish buffer and queues it as packet `id`; halves the list cap until it fits. */
export function publishReport(now: i64, id: u32): void {
  const cbor = (C.flags & C.FLAG_CBOR) != 0;
  const short = (C.flags & C.FLAG_SHORT_KEYS) != 0;
  const payloadAt = IO_PTR + <usize>HEADER_ROOM;
  pubCancel();
  inflightId = 0;
  let cap: i32 = C.maxItems;
  let n: i32 = encodeReport(cbor, short, payloadAt, IO_CAP - HEADER_ROOM, cap);
  while (n == BUFFER_TOO_SMALL && cap > 1) {
    cap >>= 1;
    n = encodeReport(cbor, short, payloadAt, IO_CAP - HEADER_ROOM, cap);
  }
  if (n == BUFFER_TOO_SMALL) {
    logText(LOG_ERROR, T.T_LOG_REPORT_TOO_LARGE, T.T_LOG_REPORT_TOO_LARGE_LEN);
    return;
  }
  if (n < 0) {
    logText(LOG_ERROR, T.T_LOG_UNUSABLE_RECORD, T.T_LOG_UNUSABLE_RECORD_LEN);
    return;
  }
  const start = encodePublishHeader(IO_PTR, payloadAt, n, topic, topicLen, id, false);
  if (start == 0) return;
  inflightId = id;
  inflightStart = start;
  inflightLen = <i32>(payloadAt - start) + n;
  inflightAt = now;
  pubQueue(start, inflightLen);
  S.statAdd(S.STAT_PUBLISHED);
  S.statSet(S.STAT_LAST_REPORT_ID, lastReportId());
  replyExpect(lastReportId());
}

/** Re-sends the in-flight PUBLISH with DUP set once the ack timeout passed [MQTT-3.3.1-1]. */
export function retransmitIfDue(now: i64): void {
  if (inflightId == 0 || now - inflightAt < ACK_TIMEOUT_MS || pubMidSend()) return;
  setDup(inflightStart, true);
  pubQueue(inflightStart, inflightLen);
  inflightAt = now;
  S.statAdd(S.STAT_RETRANSMISSIONS);
}

/** A PUBACK arrived. */
export function publisherAck(id: u32): void {
  if (id == inflightId) inflightId = 0;
}

/** `wait` shortened to the next retransmission, if one is pending. */
export function publisherWake(now: i64, wait: i64): i64 {
  return inflightId != 0 ? until(inflightAt + ACK_TIMEOUT_MS, now, wait) : wait;
}
