// Timing rules: report schedule, reconnect backoff with jitter, QoS 1 retry and connect timeouts.
import { entropy } from "./imports";

/** Wait for a PUBACK before re-sending the PUBLISH with DUP set. */
export const ACK_TIMEOUT_MS: i64 = 10000;
/** Wait for the transport, the CONNACK and the SUBACK. */
export const HANDSHAKE_TIMEOUT_MS: i64 = 10000;
/** First reconnect delay, doubled per failed attempt up to BACKOFF_MAX_MS. */
export const BACKOFF_BASE_MS: i64 = 1000;
export const BACKOFF_MAX_MS: i64 = 64000;
/** Poll interval while the transport is connecting. */
export const POLL_MS: i64 = 50;

/**
 * Reconnect delay for the `attempt`-th failure in a row (0-based): exponential with "equal jitter":
 * half the capped exponential delay plus a random share of the other half.
 */
export function backoffDelay(attempt: i32): i64 {
  const shift: i32 = attempt > 6 ? 6 : attempt;
  let d: i64 = BACKOFF_BASE_MS << <i64>shift;
  if (d > BACKOFF_MAX_MS) d = BACKOFF_MAX_MS;
  const half: i64 = d >> 1;
  return half + <i64>(<u32>entropy() % <u32>(half + 1));
}

/** Time until `at` from `now`, clamped to [0, cap]. */
export function until(at: i64, now: i64, cap: i64): i64 {
  const d = at - now;
  if (d < 0) return 0;
  return d > cap ? cap : d;
}
