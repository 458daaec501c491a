// Metric snapshots through the host imports: traffic deltas, list items, uniform sampling.
import { metrics_counters, metrics_count, metrics_item, entropy } from "./imports";

export const KIND_TCP_PORTS: i32 = 0;
export const KIND_UDP_PORTS: i32 = 1;
export const KIND_CONNECTIONS: i32 = 2;
export const KIND_CUSTOM: i32 = 3;

/** One item record (docs/abi.md "Metric kinds and records"); custom metrics above this size are skipped. */
export const ITEM_CAP: i32 = 512;
export const item: usize = memory.data(ITEM_CAP);

/** Cumulative counters: baseline (last report) and the current snapshot, 4 × u64 each. */
const baseline: usize = memory.data(32, 8);
const current: usize = memory.data(32, 8);
let haveBaseline: bool = false;
let haveCurrent: bool = false;

export function collectorReset(): void {
  haveBaseline = false;
  haveCurrent = false;
}

/**
 * Reads the cumulative counters. Returns true when network_stats can be reported: a baseline
 * exists (spec §1.4: the first report has none) and no counter went backwards (reboot or wrap:
 * that report omits network_stats and the new values become the baseline, never a huge delta).
 */
export function snapshotCounters(): bool {
  haveCurrent = metrics_counters(current) == 0;
  if (!haveCurrent || !haveBaseline) return false;
  for (let i: usize = 0; i < 4; i++) {
    if (load<u64>(current + (i << 3)) < load<u64>(baseline + (i << 3))) return false;
  }
  return true;
}

/** Delta of counter i (0 bytes_in, 1 bytes_out, 2 packets_in, 3 packets_out) since the baseline. */
export function counterDelta(i: i32): u64 {
  const off: usize = <usize>i << 3;
  return load<u64>(current + off) - load<u64>(baseline + off);
}

/** Called once a report is committed: the snapshot becomes the baseline. */
export function commitCounters(): void {
  if (!haveCurrent) return;
  memory.copy(baseline, current, 32);
  haveBaseline = true;
}

/** Item count of a kind; a negative answer counts as 0. */
export function itemCount(kind: i32): i32 {
  const n = metrics_count(kind);
  return n < 0 ? 0 : n;
}

/** Fetches item `index` of `kind` into `item`; returns the record length or a negative import status. */
export function fetchItem(kind: i32, index: i32): i32 {
  const n = metrics_item(kind, index, item, ITEM_CAP);
  return n > ITEM_CAP ? -2 : n;
}

// Selection sampling (Knuth, TAOCP vol. 2 §3.4.2, Algorithm S): k of n, uniformly, in order, no storage.
let sampleLeft: i32 = 0;
let sampleSeen: i32 = 0;
let sampleTotal: i32 = 0;

/** Starts choosing `k` of `n` items (k ≥ n keeps them all). */
export function sampleStart(n: i32, k: i32): void {
  sampleTotal = n;
  sampleLeft = k < n ? k : n;
  sampleSeen = 0;
}

/** Whether the next item (in index order) is in the sample. */
export function sampleNext(): bool {
  const remaining: i32 = sampleTotal - sampleSeen;
  sampleSeen++;
  if (sampleLeft <= 0) return false;
  if (sampleLeft >= remaining) {
    sampleLeft--;
    return true;
  }
  const r: u32 = <u32>entropy() % <u32>remaining;
  if (r < <u32>sampleLeft) {
    sampleLeft--;
    return true;
  }
  return false;
}
