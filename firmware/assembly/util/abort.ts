// `abort` replacement (asconfig `use abort=...`): logs at level 0 and traps. No env.abort import.
import { log } from "../imports";
import { T_LOG_ABORT, T_LOG_ABORT_LEN } from "../text";

/**
 * Logs "abort" and traps with `unreachable`. The message, file and position are not copied: they are
 * only produced by assertions, which the release build does not contain (noAssert).
 */
export function agentAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  log(0, T_LOG_ABORT, T_LOG_ABORT_LEN);
  unreachable();
}
