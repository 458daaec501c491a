// `abort` replacement (asconfig `use abort=...`): logs at level 0 and traps. No env.abort import.
import { log } from "../imports";

const ABORT_CAP: i32 = 96;
const abortLine: usize = memory.data(ABORT_CAP);

/** Writes the message and location into the log, then traps with `unreachable`. */
export function agentAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let n: i32 = 0;
  n = copyAscii(n, "abort: ");
  if (message !== null) n = copyAscii(n, message);
  n = copyAscii(n, " @ ");
  if (fileName !== null) n = copyAscii(n, fileName);
  n = copyAscii(n, ":");
  n = copyDecimal(n, line);
  n = copyAscii(n, ":");
  n = copyDecimal(n, column);
  log(0, abortLine, n);
  unreachable();
}

function copyAscii(at: i32, s: string): i32 {
  const len: i32 = s.length;
  for (let i: i32 = 0; i < len && at < ABORT_CAP; i++) {
    const c: i32 = s.charCodeAt(i);
    store<u8>(abortLine + <usize>at, c < 0x80 ? <u8>c : 0x3f);
    at++;
  }
  return at;
}

function copyDecimal(at: i32, v: u32): i32 {
  let div: u32 = 1000000000;
  let started = false;
  while (div > 0) {
    const d: u32 = (v / div) % 10;
    if (d != 0 || started || div == 1) {
      started = true;
      if (at < ABORT_CAP) {
        store<u8>(abortLine + <usize>at, <u8>(0x30 + d));
        at++;
      }
    }
    div /= 10;
  }
  return at;
}
