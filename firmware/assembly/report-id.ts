// report_id: strictly increasing, also across reboots (spec §1.4).
import { epoch_ms, store_load, store_save } from "./imports";

/** Persistent slot holding the last report_id (docs/abi.md "Persistent slots"). */
export const SLOT_REPORT_ID: i32 = 0;

let lastId: i64 = 0;
let pendingFromClock: bool = false;

/** Loads the last persisted id; called by agent_init. */
export function reportIdInit(): void {
  const stored = store_load(SLOT_REPORT_ID);
  lastId = stored > 0 ? stored : 0;
}

export function lastReportId(): i64 {
  return lastId;
}

/** The id the next report gets: max(epoch_ms, last + 1) with a clock, last + 1 without. */
export function reportIdNext(): i64 {
  const now = epoch_ms();
  pendingFromClock = now > 0;
  if (pendingFromClock && now > lastId) return now;
  return lastId + 1;
}

/** Makes `id` the last used one; persists it when it did not come from the clock. */
export function reportIdCommit(id: i64): void {
  lastId = id;
  if (!pendingFromClock) store_save(SLOT_REPORT_ID, id);
}
