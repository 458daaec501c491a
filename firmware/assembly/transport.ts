// Transport layer: the host byte stream (docs/abi.md net_* imports), nothing else touches them.
import { net_open, net_state, net_send, net_recv, net_close } from "./imports";

export const NET_CLOSED: i32 = 0;
export const NET_CONNECTING: i32 = 1;
export const NET_CONNECTED: i32 = 2;

/** Asks the host to connect; 0 taken, < 0 failed at once. */
export function transportOpen(): i32 {
  return net_open();
}

/** 0 closed, 1 connecting, 2 connected (anything else counts as closed). */
export function transportState(): i32 {
  const s = net_state();
  return s == NET_CONNECTING || s == NET_CONNECTED ? s : NET_CLOSED;
}

/** Sends what the host takes of [p, p + n); returns bytes taken (clamped to n) or < 0 when the link is down. */
export function transportSend(p: usize, n: i32): i32 {
  if (n <= 0) return 0;
  const r = net_send(p, n);
  return r > n ? n : r;
}

/** Receives up to `cap` bytes into p; > 0 count (clamped to cap), 0 nothing, < 0 link down. */
export function transportRecv(p: usize, cap: i32): i32 {
  if (cap <= 0) return 0;
  const r = net_recv(p, cap);
  return r > cap ? cap : r;
}

export function transportClose(): void {
  net_close();
}
