// Log lines through the `log` import; messages are fixed ASCII strings from text.ts.
import { log } from "./imports";

export const LOG_ERROR: i32 = 0;
export const LOG_WARN: i32 = 1;
export const LOG_INFO: i32 = 2;
export const LOG_DEBUG: i32 = 3;

/** Logs `len` bytes of static text at `p`. */
export function logText(level: i32, p: usize, len: i32): void {
  log(level, p, len);
}
