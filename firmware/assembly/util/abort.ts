// `abort` replacement (asconfig `use abort=...`): logs at level 0 and traps. No env.abort import.
import { log } from "../imports";
import { item, ITEM_CAP } from "../collector";

/**
 * Logs "abort: <message> @ <file>:<line>" and traps with `unreachable`. The line is assembled in
 * the metric item buffer, which nothing needs any more (the module restarts from agent_init).
 * Only broken invariants and debug-build assertions get here.
 */
export function agentAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let n: i32 = put(0, "abort: ");
  if (message !== null) n = put(n, message);
  if (fileName !== null) {
    n = put(n, " @ ");
    n = put(n, fileName);
  }
  n = put(n, ":");
  n = putDecimal(n, line);
  n = put(n, ":");
  n = putDecimal(n, column);
  log(0, item, n);
  unreachable();
}

/** Copies a string as ASCII ('?' for other characters), truncated to the buffer. */
function put(at: i32, s: string): i32 {
  for (let i: i32 = 0; i < s.length && at < ITEM_CAP; i++) {
    const c: i32 = s.charCodeAt(i);
    store<u8>(item + <usize>at, c < 0x80 ? <u8>c : 0x3f);
    at++;
  }
  return at;
}

function putDecimal(at: i32, v: u32): i32 {
  let div: u32 = 1000000000;
  while (div > 1 && v / div == 0) div /= 10;
  while (div > 0 && at < ITEM_CAP) {
    store<u8>(item + <usize>at, <u8>(0x30 + (v / div) % 10));
    at++;
    div /= 10;
  }
  return at;
}
