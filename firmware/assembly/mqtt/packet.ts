// MQTT 3.1.1 packets as pure bytes: encoders into a bounded buffer, decoders over a complete frame.
import { outReset, outLen, outOverflow, putByte, putBytes } from "../out";
import * as T from "../text";
import { OK, BUFFER_TOO_SMALL, PROTOCOL } from "../status";

export const CONNECT: u32 = 1;
export const CONNACK: u32 = 2;
export const PUBLISH: u32 = 3;
export const PUBACK: u32 = 4;
export const SUBSCRIBE: u32 = 8;
export const SUBACK: u32 = 9;
export const PINGREQ: u32 = 12;
export const PINGRESP: u32 = 13;
export const DISCONNECT: u32 = 14;

/** Largest remaining length (4 bytes of varint) [MQTT-2.2.3]. */
const MAX_REMAINING: i32 = 268435455;

function finish(): i32 {
  return outOverflow ? BUFFER_TOO_SMALL : outLen;
}

/** Remaining-length varint (MQTT 2.2.3). */
export function putRemaining(v: i32): void {
  do {
    let b: u32 = <u32>v & 0x7f;
    v >>= 7;
    if (v > 0) b |= 0x80;
    putByte(b);
  } while (v > 0);
}

/** Bytes the varint for `v` takes. */
export function remainingSize(v: i32): i32 {
  return v < 128 ? 1 : v < 16384 ? 2 : v < 2097152 ? 3 : 4;
}

function putU16(v: u32): void {
  putByte((v >> 8) & 0xff);
  putByte(v & 0xff);
}

/** UTF-8 string with its 2-byte length prefix (MQTT 1.5.3). */
function putStr(p: usize, n: i32): void {
  putU16(<u32>n);
  putBytes(p, n);
}

/**
 * CONNECT, protocol level 4, clean session [MQTT-3.1.2-6]; username/password only when their
 * length is >= 0. Returns the length or BufferTooSmall.
 */
export function encodeConnect(dst: usize, cap: i32, clientPtr: usize, clientLen: i32, userPtr: usize, userLen: i32, passPtr: usize, passLen: i32, keepalive: u32): i32 {
  let rem: i32 = 10 + 2 + clientLen;
  let connectFlags: u32 = 0x02; // clean session
  if (userLen >= 0) { rem += 2 + userLen; connectFlags |= 0x80; }
  if (passLen >= 0) { rem += 2 + passLen; connectFlags |= 0x40; }
  outReset(dst, cap);
  putByte(CONNECT << 4);
  putRemaining(rem);
  putU16(4);
  putBytes(T.T_MQTT, T.T_MQTT_LEN); // [MQTT-3.1.2-1]
  putByte(4); // protocol level 3.1.1 [MQTT-3.1.2-2]
  putByte(connectFlags);
  putU16(keepalive);
  putStr(clientPtr, clientLen);
  if (userLen >= 0) putStr(userPtr, userLen);
  if (passLen >= 0) putStr(passPtr, passLen);
  return finish();
}

/** SUBSCRIBE (flags 0b0010 [MQTT-3.8.1-1]) to `base`/accepted and `base`/rejected at QoS `qos`. */
export function encodeSubscribe(dst: usize, cap: i32, packetId: u32, base: usize, baseLen: i32, qos: u32): i32 {
  const rem: i32 = 2 + (2 + baseLen + 9 + 1) + (2 + baseLen + 9 + 1);
  outReset(dst, cap);
  putByte((SUBSCRIBE << 4) | 2);
  putRemaining(rem);
  putU16(packetId);
  putU16(<u32>(baseLen + 9));
  putBytes(base, baseLen);
  putBytes(T.T_ACCEPTED_SUFFIX, T.T_ACCEPTED_SUFFIX_LEN);
  putByte(qos);
  putU16(<u32>(baseLen + 9));
  putBytes(base, baseLen);
  putBytes(T.T_REJECTED_SUFFIX, T.T_REJECTED_SUFFIX_LEN);
  putByte(qos);
  return finish();
}

/** Bytes before the payload of a QoS 1 PUBLISH to a topic of `topicLen` with `payloadLen` bytes. */
export function publishHeaderSize(topicLen: i32, payloadLen: i32): i32 {
  const rem = 2 + topicLen + 2 + payloadLen;
  return 1 + remainingSize(rem) + 2 + topicLen + 2;
}

/**
 * Writes the header of a QoS 1 PUBLISH so that it ends exactly at `payloadAt` (the payload is
 * already in place). Returns the packet start, or 0 if it does not fit after `lowest`.
 */
export function encodePublishHeader(lowest: usize, payloadAt: usize, payloadLen: i32, topic: usize, topicLen: i32, packetId: u32, dup: bool): usize {
  const size = publishHeaderSize(topicLen, payloadLen);
  if (payloadAt < lowest + <usize>size) return 0;
  const start = payloadAt - <usize>size;
  outReset(start, size);
  putByte((PUBLISH << 4) | (dup ? 0x08 : 0) | 0x02); // QoS 1
  putRemaining(2 + topicLen + 2 + payloadLen);
  putStr(topic, topicLen);
  putU16(packetId);
  return outOverflow ? 0 : start;
}

/** Sets or clears the DUP flag of a PUBLISH already encoded at `p` [MQTT-3.3.1-1]. */
export function setDup(p: usize, dup: bool): void {
  const b: u32 = load<u8>(p);
  store<u8>(p, <u8>(dup ? b | 0x08 : b & ~0x08));
}

/** PUBACK for `packetId`. */
export function encodePuback(dst: usize, cap: i32, packetId: u32): i32 {
  outReset(dst, cap);
  putByte(PUBACK << 4);
  putByte(2);
  putU16(packetId);
  return finish();
}

/** PINGREQ (or DISCONNECT with type 14): a bare fixed header. */
export function encodeBare(dst: usize, cap: i32, type: u32): i32 {
  outReset(dst, cap);
  putByte(type << 4);
  putByte(0);
  return finish();
}

// ---- decoding ----

/** Set by frameSize: bytes of fixed header and the remaining length of the frame at hand. */
export let frameHeader: i32 = 0;
export let frameRemaining: i32 = 0;

/**
 * Looks at the bytes at `p` (`n` available): the total frame size once the fixed header is
 * complete, 0 when more bytes are needed, PROTOCOL for a varint longer than 4 bytes [MQTT-2.2.3].
 */
export function frameSize(p: usize, n: i32): i32 {
  let value: i32 = 0;
  let shift: i32 = 0;
  for (let i: i32 = 1; i <= 4; i++) {
    if (i >= n) return 0;
    const b: i32 = load<u8>(p + <usize>i);
    value |= (b & 0x7f) << shift;
    shift += 7;
    if ((b & 0x80) == 0) {
      frameHeader = 1 + i;
      frameRemaining = value;
      return value > MAX_REMAINING - 5 ? PROTOCOL : 1 + i + value;
    }
  }
  return PROTOCOL;
}

// Fields of the last decoded packet.
export let packetId: u32 = 0;
export let connackCode: u32 = 0;
export let pubQos: u32 = 0;
export let pubTopic: usize = 0;
export let pubTopicLen: i32 = 0;
export let pubPayload: usize = 0;
export let pubPayloadLen: i32 = 0;
export let subackFailures: i32 = 0;

function u16At(p: usize): u32 {
  return (<u32>load<u8>(p) << 8) | <u32>load<u8>(p + 1);
}

/**
 * Validates a complete frame from the server (fixed header byte `first`, body at `b` of `len`)
 * and fills the fields above. Returns OK or PROTOCOL. Types a client must never receive are errors.
 */
export function decode(first: u32, b: usize, len: i32): i32 {
  const type = first >> 4;
  const fl = first & 15;
  if (type == PUBLISH) {
    pubQos = (fl >> 1) & 3;
    // [MQTT-3.3.1-4] QoS 3 is malformed; we subscribe at QoS 1, so QoS 2 never comes [MQTT-3.8.4-6].
    if (pubQos > 1) return PROTOCOL;
    if (pubQos == 0 && (fl & 8) != 0) return PROTOCOL; // [MQTT-3.3.1-2]
    if (len < 2) return PROTOCOL;
    pubTopicLen = <i32>u16At(b);
    let at: i32 = 2 + pubTopicLen;
    if (pubTopicLen == 0 || at > len) return PROTOCOL; // [MQTT-4.7.3-1]
    pubTopic = b + 2;
    packetId = 0;
    if (pubQos > 0) {
      if (at + 2 > len) return PROTOCOL;
      packetId = u16At(b + <usize>at);
      if (packetId == 0) return PROTOCOL; // [MQTT-2.3.1-1]
      at += 2;
    }
    pubPayload = b + <usize>at;
    pubPayloadLen = len - at;
    return OK;
  }
  if (fl != 0) return PROTOCOL; // [MQTT-2.2.2-2] reserved flags
  if (type == CONNACK) {
    if (len != 2) return PROTOCOL;
    const ack = <u32>load<u8>(b);
    connackCode = load<u8>(b + 1);
    // [MQTT-3.2.2-1] clean session: session present must be 0; reserved bits 0.
    if (ack != 0 || connackCode > 5) return PROTOCOL;
    return OK;
  }
  if (type == PUBACK) {
    if (len != 2) return PROTOCOL;
    packetId = u16At(b);
    return packetId == 0 ? PROTOCOL : OK;
  }
  if (type == SUBACK) {
    if (len < 3) return PROTOCOL;
    packetId = u16At(b);
    subackFailures = 0;
    for (let i: i32 = 2; i < len; i++) {
      const rc: u32 = load<u8>(b + <usize>i);
      if (rc == 0x80) subackFailures++;
      else if (rc > 2) return PROTOCOL; // [MQTT-3.9.3-2]
    }
    return packetId == 0 ? PROTOCOL : OK;
  }
  if (type == PINGRESP) return len == 0 ? OK : PROTOCOL;
  return PROTOCOL;
}
