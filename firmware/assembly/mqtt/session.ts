// MQTT session: connect, subscribe, report schedule, keepalive, reconnect (MQTT 3.1.1).
import { clock_ms } from "../imports";
import { BAD_PARAM, NOT_CONNECTED } from "../status";
import * as C from "../config";
import * as S from "../stats";
import { logText, LOG_ERROR, LOG_WARN, LOG_INFO } from "../log";
import { transportOpen, transportState, transportClose, NET_CONNECTED, NET_CLOSED } from "../transport";
import { HANDSHAKE_TIMEOUT_MS, POLL_MS, backoffDelay, until } from "../schedule";
import * as P from "./packet";
import * as T from "../text";
import { outboxReset, ctrl, CTRL_CAP, ctrlFree, ctrlQueue, pubMidSend, pubPending, flush, flushStatus, sentSomething, owePuback, takePuback, pubackCount, PUBACK_SLOTS } from "./outbox";
import { inboxReset, inboxBegin, inboxBusy, inboxKeep, nextPacket } from "./inbox";
import { topic, topicLen, buildTopic, replyTopicKind } from "./topics";
import { publisherReset, publisherLinkDown, publisherClobbered, publisherSettle, publishReport, retransmitIfDue, publisherAck, publisherWake } from "./publisher";
import { accountReply } from "./reply";

/** Longest wait agent_step asks for (the runtime calls earlier when bytes arrive). */
const MAX_WAIT_MS: i64 = 3600000;

const ST_IDLE: i32 = 0;
const ST_OPENING: i32 = 1;
const ST_WAIT_CONNACK: i32 = 2;
const ST_WAIT_SUBACK: i32 = 3;
const ST_UP: i32 = 4;

export let state: i32 = ST_IDLE;
let attempt: i32 = 0;
let reconnectAt: i64 = 0;
let deadline: i64 = 0;
let lastSendAt: i64 = 0;
let pingOutstanding: bool = false;
let pingSentAt: i64 = 0;
let nextPacketId: u32 = 1;

let wantConnect: bool = false;
let wantSubscribe: bool = false;
let subscribeId: u32 = 0;
let wantPing: bool = false;
/** A QoS 1 delivery waits in the inbox until a PUBACK slot frees up. */
let backlog: bool = false;

let reportDue: bool = false;
let nextReportAt: i64 = 0;

export function sessionInit(): void {
  state = ST_IDLE;
  attempt = 0;
  reconnectAt = 0;
  nextPacketId = 1;
  reportDue = false;
  nextReportAt = 0;
  publisherReset();
  resetLink();
  inboxReset();
  if (C.configValid) buildTopic(C.thingPtr, C.thingLen, (C.flags & C.FLAG_CBOR) != 0);
  if (C.configValid && (C.flags & C.FLAG_ALLOW_SHORT_INTERVAL) != 0 && C.intervalS < C.MIN_INTERVAL_S) {
    logText(LOG_INFO, T.T_LOG_INTERVAL_ALLOWED, T.T_LOG_INTERVAL_ALLOWED_LEN);
  }
}

function resetLink(): void {
  wantConnect = false;
  wantSubscribe = false;
  wantPing = false;
  pingOutstanding = false;
  backlog = false;
  outboxReset();
  inboxReset();
}

/** Makes the next step publish a report (once the session is up). */
export function sessionReportNow(): void {
  reportDue = true;
}

/** agent_encode wrote into the publish buffer: the in-flight PUBLISH is gone. */
export function sessionIoClobbered(): void {
  publisherClobbered();
}

function newPacketId(): u32 {
  const id = nextPacketId;
  nextPacketId = nextPacketId >= 0xffff ? 1 : nextPacketId + 1;
  return id;
}

/** Closes the link and schedules a reconnect with backoff. */
function drop(now: i64): void {
  transportClose();
  resetLink();
  state = ST_IDLE;
  // A QoS 1 PUBLISH is delivered once its PUBACK arrived [MQTT-4.3.2]; a report lost with the
  // link is replaced by a new one right after the next SUBACK.
  if (publisherLinkDown()) nextReportAt = 0;
  S.statSet(S.STAT_CONN_STATE, 0);
  reconnectAt = now + backoffDelay(attempt);
  if (attempt < 30) attempt++;
}

/** Handles a CONNACK, SUBACK, PUBACK or PINGRESP; false on a protocol violation. */
function onControl(type: u32, now: i64): bool {
  if (type == P.CONNACK) {
    if (state != ST_WAIT_CONNACK) return false;
    if (P.connackCode != 0) {
      logText(LOG_ERROR, T.T_LOG_CONNACK_REFUSED, T.T_LOG_CONNACK_REFUSED_LEN);
      return false;
    }
    S.statAdd(S.STAT_CONNECTIONS);
    S.statSet(S.STAT_CONN_STATE, 2);
    attempt = 0;
    state = ST_WAIT_SUBACK;
    wantSubscribe = true;
    deadline = now + HANDSHAKE_TIMEOUT_MS;
    return true;
  }
  if (type == P.SUBACK) {
    if (state != ST_WAIT_SUBACK || P.packetId != subscribeId) return false;
    if (P.subackFailures > 0) logText(LOG_WARN, T.T_LOG_SUBACK_REFUSED, T.T_LOG_SUBACK_REFUSED_LEN);
    // The first session after agent_init reports at once (nextReportAt is 0 from sessionInit:
    // "first report right after connecting"). A later session resumes the schedule: it reports
    // when the interval since the last delivered report is over, at once if that is already the
    // case or if the last report never got its PUBACK (see drop), so a reconnect does not earn a
    // Throttled rejection (spec §1.4 minimum delay).
    state = ST_UP;
    return true;
  }
  if (type == P.PUBACK) {
    if (state == ST_WAIT_CONNACK) return false;
    publisherAck(P.packetId);
    return true;
  }
  if (type == P.PINGRESP) {
    pingOutstanding = false;
    return true;
  }
  return false;
}

function fillCtrl(now: i64): bool {
  let n: i32 = 0;
  if (wantConnect) {
    wantConnect = false;
    n = P.encodeConnect(ctrl, CTRL_CAP, C.clientPtr, C.clientLen, C.userPtr, C.userLen, C.passPtr, C.passLen, C.keepaliveS);
  } else if (wantSubscribe) {
    wantSubscribe = false;
    subscribeId = newPacketId();
    n = P.encodeSubscribe(ctrl, CTRL_CAP, subscribeId, topic, topicLen, 1);
  } else if (pubackCount > 0) {
    n = P.encodePuback(ctrl, CTRL_CAP, takePuback());
  } else if (wantPing) {
    wantPing = false;
    pingOutstanding = true;
    pingSentAt = now;
    n = P.encodeBare(ctrl, CTRL_CAP, P.PINGREQ);
  } else {
    return false;
  }
  if (n > 0) ctrlQueue(n);
  return n > 0;
}

/** Sends what can be sent; false when the link went down. */
function pump(now: i64): bool {
  for (let i: i32 = 0; i < 8; i++) {
    flush();
    if (sentSomething) lastSendAt = now;
    if (flushStatus < 0) return false;
    if (!ctrlFree()) return true;
    if (!fillCtrl(now)) {
      flush();
      if (sentSomething) lastSendAt = now;
      return flushStatus >= 0;
    }
  }
  return true;
}

/** Timers of an established session: report schedule, QoS 1 retry, keepalive. */
function timers(now: i64): bool {
  if (state == ST_WAIT_CONNACK || state == ST_WAIT_SUBACK) return now < deadline;
  if (!publisherSettle()) return false;
  if ((reportDue || now >= nextReportAt) && !pubMidSend()) {
    reportDue = false;
    nextReportAt = now + <i64>C.intervalS * 1000;
    publishReport(now, newPacketId());
  } else {
    retransmitIfDue(now);
  }
  const ka: i64 = <i64>C.keepaliveS * 1000;
  if (ka > 0) {
    if (pingOutstanding && now - pingSentAt >= ka) return false; // no PINGRESP in time
    if (!pingOutstanding && now - lastSendAt >= ka) wantPing = true; // [MQTT-3.1.2-23]
  }
  return true;
}

/** agent_step: all pending work; returns the ms the runtime may wait, or BAD_PARAM. */
export function sessionStep(): i32 {
  if (!C.configValid) return BAD_PARAM;
  const now = clock_ms();
  if (state == ST_IDLE) {
    if (now < reconnectAt) return <i32>until(reconnectAt, now, MAX_WAIT_MS);
    if (transportOpen() < 0) {
      drop(now);
      return <i32>until(reconnectAt, now, MAX_WAIT_MS);
    }
    state = ST_OPENING;
    deadline = now + HANDSHAKE_TIMEOUT_MS;
  }
  if (state == ST_OPENING) {
    const ns = transportState();
    if (ns == NET_CLOSED || now >= deadline) {
      drop(now);
      return <i32>until(reconnectAt, now, MAX_WAIT_MS);
    }
    if (ns != NET_CONNECTED) return <i32>POLL_MS;
    S.statSet(S.STAT_CONN_STATE, 1);
    resetLink();
    state = ST_WAIT_CONNACK;
    deadline = now + HANDSHAKE_TIMEOUT_MS;
    wantConnect = true;
    lastSendAt = now;
  }
  if (transportState() != NET_CONNECTED) {
    drop(now);
    return <i32>until(reconnectAt, now, MAX_WAIT_MS);
  }
  if (!receive(now) || !timers(now) || !pump(now)) {
    drop(now);
    return <i32>until(reconnectAt, now, MAX_WAIT_MS);
  }
  return <i32>nextWake(now);
}

function nextWake(now: i64): i64 {
  let wait: i64 = MAX_WAIT_MS;
  if (state == ST_WAIT_CONNACK || state == ST_WAIT_SUBACK) return until(deadline, now, wait);
  if (inboxBusy() || (backlog && ctrlFree() && pubackCount == 0)) return 0;
  if (!ctrlFree() || pubPending() || backlog || reportDue) wait = POLL_MS;
  wait = until(nextReportAt, now, wait);
  wait = publisherWake(now, wait);
  const ka: i64 = <i64>C.keepaliveS * 1000;
  if (ka > 0) wait = until(pingOutstanding ? pingSentAt + ka : lastSendAt + ka, now, wait);
  return wait;
}

/** Reads and handles every complete frame; false when the link must be dropped. */
function receive(now: i64): bool {
  inboxBegin();
  backlog = false;
  while (true) {
    const t = nextPacket();
    if (t == 0) return true;
    if (t == <i32>P.PUBLISH && P.pubQos == 1 && pubackCount >= PUBACK_SLOTS) {
      inboxKeep(); // handled once the owed PUBACKs went out
      backlog = true;
      return true;
    }
    if (t < 0 || (t == <i32>P.PUBLISH ? !onPublish() : !onControl(<u32>t, now))) {
      // Malformed input from the broker: count it, drop the link, reconnect.
      if (t != NOT_CONNECTED) S.statAdd(S.STAT_PROTOCOL_ERRORS);
      return false;
    }
  }
}

/** A PUBLISH from the broker: acknowledge QoS 1, then account a reply on our reply topics. */
function onPublish(): bool {
  if (state != ST_UP && state != ST_WAIT_SUBACK) return false;
  if (P.pubQos == 1) owePuback(P.packetId); // room was checked by receive
  const kind = replyTopicKind(P.pubTopic, P.pubTopicLen);
  if (kind != 0) accountReply(kind, (C.flags & C.FLAG_CBOR) != 0, P.pubPayload, P.pubPayloadLen);
  return true; // other topics are ignored
}
