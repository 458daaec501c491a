// Incoming bytes → complete MQTT frames: partial and coalesced reads, oversized PUBLISH skipped.
import { transportRecv } from "../transport";
import { NOT_CONNECTED, PROTOCOL } from "../status";
import { frameSize, frameHeader, frameRemaining, decode, PUBLISH } from "./packet";

/** Receive buffer: a reply PUBLISH (topic ≤ 175 bytes + JSON reply) fits with room to spare. */
export const RX_CAP: i32 = 1024;
const rx: usize = memory.data(RX_CAP);
let rxLen: i32 = 0;
let consumed: i32 = 0;
let skipLeft: i32 = 0;
/** Reads per call: bounds the work of one agent_step. */
const MAX_READS: i32 = 16;
let reads: i32 = 0;

export function inboxReset(): void {
  rxLen = 0;
  consumed = 0;
  skipLeft = 0;
}

/** Starts a new agent_step's worth of reading. */
export function inboxBegin(): void {
  reads = 0;
}

/** PUBLISH frames larger than RX_CAP that were dropped unread. */
export let skippedPublishes: i32 = 0;

/**
 * The next complete frame: its packet type (1..15) with the fields decoded by packet.decode
 * (valid until the next call), 0 when no complete frame is available, PROTOCOL for a malformed
 * frame, NOT_CONNECTED when the link is down.
 */
export function nextPacket(): i32 {
  if (consumed > 0) {
    rxLen -= consumed;
    memory.copy(rx, rx + <usize>consumed, <usize>rxLen);
    consumed = 0;
  }
  while (true) {
    if (skipLeft > 0 && rxLen > 0) {
      const d = skipLeft < rxLen ? skipLeft : rxLen;
      rxLen -= d;
      skipLeft -= d;
      memory.copy(rx, rx + <usize>d, <usize>rxLen);
    }
    if (rxLen > 0) {
      const first = <u32>load<u8>(rx);
      const size = frameSize(rx, rxLen);
      if (size < 0) return PROTOCOL;
      if (size > RX_CAP) {
        if ((first >> 4) != PUBLISH) return PROTOCOL;
        skippedPublishes++;
        skipLeft = size;
        continue;
      }
      if (size > 0 && size <= rxLen) {
        if (decode(first, rx + <usize>frameHeader, frameRemaining) < 0) return PROTOCOL;
        consumed = size;
        return <i32>(first >> 4);
      }
    }
    if (reads >= MAX_READS) return 0;
    reads++;
    const n = transportRecv(rx + <usize>rxLen, RX_CAP - rxLen);
    if (n < 0) return NOT_CONNECTED;
    if (n == 0) return 0;
    rxLen += n;
  }
}

/** Keeps the frame returned last for the next call (it could not be handled yet). */
export function inboxKeep(): void {
  consumed = 0;
}

/** The read budget of this step ran out: more bytes may be waiting. */
export function inboxBusy(): bool {
  return reads >= MAX_READS;
}
