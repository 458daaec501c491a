// Outgoing bytes: one control packet at a time plus the report PUBLISH, never interleaved mid-packet.
import { transportSend } from "../transport";

/** Control packets (CONNECT, SUBSCRIBE, PUBACK, PINGREQ): CONNECT with three 128-byte strings is the largest (~403 bytes). */
export const CTRL_CAP: i32 = 448;
export const ctrl: usize = memory.data(CTRL_CAP);
let ctrlLen: i32 = 0;
let ctrlOff: i32 = 0;

/** The PUBLISH being sent (inside the publish buffer). */
let pubAt: usize = 0;
let pubLen: i32 = 0;
let pubOff: i32 = 0;
let pubQueued: bool = false;

/** Set when at least one byte went out during the last flush (for keepalive). */
export let sentSomething: bool = false;

/** PUBACKs owed to the server for QoS 1 deliveries, oldest first. */
export const PUBACK_SLOTS: i32 = 4;
const pubacks: usize = memory.data(PUBACK_SLOTS * 2, 2);
export let pubackCount: i32 = 0;

/** Queues a PUBACK for packet `id`; false when every slot is taken (read no further until they drain). */
export function owePuback(id: u32): bool {
  if (pubackCount >= PUBACK_SLOTS) return false;
  store<u16>(pubacks + (<usize>pubackCount << 1), <u16>id);
  pubackCount++;
  return true;
}

/** Takes the oldest owed PUBACK id (call only when pubackCount > 0). */
export function takePuback(): u32 {
  const id = <u32>load<u16>(pubacks);
  pubackCount--;
  memory.copy(pubacks, pubacks + 2, <usize>pubackCount << 1);
  return id;
}

export function outboxReset(): void {
  pubackCount = 0;
  ctrlLen = 0;
  ctrlOff = 0;
  pubLen = 0;
  pubOff = 0;
  pubQueued = false;
}

/** Whether a control packet can be written into `ctrl` now. */
export function ctrlFree(): bool {
  return ctrlLen == 0;
}

/** Queues the `len` bytes just encoded into `ctrl`. */
export function ctrlQueue(len: i32): void {
  ctrlLen = len;
  ctrlOff = 0;
}

/** Queues (or re-queues) the PUBLISH at [at, at + len). */
export function pubQueue(at: usize, len: i32): void {
  pubAt = at;
  pubLen = len;
  pubOff = 0;
  pubQueued = true;
}

/** A PUBLISH is partly written to the stream: its bytes must not change until it completes. */
export function pubMidSend(): bool {
  return pubQueued && pubOff > 0;
}

/** Forgets a queued PUBLISH that has not started. */
export function pubCancel(): void {
  if (pubOff == 0) pubQueued = false;
}

/** Negative transport status seen by the last flush, else 0. */
export let flushStatus: i32 = 0;

/**
 * Sends as much as the transport takes: a started PUBLISH first, then the control packet, then a
 * queued PUBLISH. Returns after a control packet completes so the session can queue the next one.
 */

export function flush(): void {
  sentSomething = false;
  flushStatus = 0;
  while (true) {
    if (pubQueued && pubOff > 0) {
      if (!sendPub()) return;
      continue;
    }
    if (ctrlLen > 0) {
      while (ctrlOff < ctrlLen) {
        const n = transportSend(ctrl + <usize>ctrlOff, ctrlLen - ctrlOff);
        if (n < 0) { flushStatus = n; return; }
        if (n == 0) return;
        sentSomething = true;
        ctrlOff += n;
      }
      ctrlLen = 0;
      ctrlOff = 0;
      return; // the session may queue the next control packet
    }
    if (pubQueued) {
      if (!sendPub()) return;
      continue;
    }
    return;
  }
}

function sendPub(): bool {
  while (pubOff < pubLen) {
    const n = transportSend(pubAt + <usize>pubOff, pubLen - pubOff);
    if (n < 0) { flushStatus = n; return false; }
    if (n == 0) return false;
    sentSomething = true;
    pubOff += n;
  }
  pubQueued = false;
  pubOff = 0;
  return true;
}

/** Bytes wait in the control buffer or a PUBLISH is queued. */
export function pubPending(): bool {
  return pubQueued || ctrlLen > 0;
}
