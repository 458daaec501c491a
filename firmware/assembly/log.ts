// Log lines through the `log` import. Messages are ASCII literals copied into a static line buffer.
import { log } from "./imports";

export const LOG_ERROR: i32 = 0;
export const LOG_WARN: i32 = 1;
export const LOG_INFO: i32 = 2;
export const LOG_DEBUG: i32 = 3;

const LINE_CAP: i32 = 128;
const line: usize = memory.data(LINE_CAP);

/** Logs an ASCII string literal (characters above 0x7f become '?'), truncated to 128 bytes. */
export function logText(level: i32, text: string): void {
  let n: i32 = text.length;
  if (n > LINE_CAP) n = LINE_CAP;
  for (let i: i32 = 0; i < n; i++) {
    const c: i32 = text.charCodeAt(i);
    store<u8>(line + <usize>i, c < 0x80 ? <u8>c : 0x3f);
  }
  log(level, line, n);
}
