// agent.wasm exports: the whole surface of docs/abi.md.
import "./util/abort";
import { BAD_PARAM } from "./status";
import { CONFIG_CAP, configRegion, parseConfig, maxItems, FLAG_CBOR, FLAG_SHORT_KEYS } from "./config";
import { statGet, statSet, statsReset, STAT_LAST_REPORT_ID, STAT_MEMORY_HIGH_WATER } from "./stats";
import { collectorReset } from "./collector";
import { reportIdInit, lastReportId } from "./report-id";
import { encodeReport } from "./report-builder";
import { sessionInit, sessionStep, sessionReportNow, sessionIoClobbered } from "./mqtt/session";
import { IO_PTR, IO_CAP } from "./mqtt/publisher";

/** Start of the configuration region. */
export function agent_config_ptr(): usize {
  return configRegion;
}

/** Size of the configuration region in bytes. */
export function agent_config_cap(): i32 {
  return CONFIG_CAP;
}

/** Parses `len` bytes of configuration and resets all state. */
export function agent_init(len: i32): i32 {
  statsReset();
  collectorReset();
  reportIdInit();
  statSet(STAT_LAST_REPORT_ID, lastReportId());
  // No allocation ever happens: everything the module touches ends at __heap_base.
  statSet(STAT_MEMORY_HIGH_WATER, <i64>__heap_base);
  const st = parseConfig(len);
  sessionInit();
  return st;
}

/** Does all pending work; returns the ms the runtime may wait, or a status < 0. */
export function agent_step(): i32 {
  return sessionStep();
}

/** Makes the next agent_step publish a report. */
export function agent_report_now(): void {
  sessionReportNow();
}

/** A counter from the statistics table. */
export function agent_stat(id: i32): i64 {
  return statGet(id);
}

/** Scratch region for agent_encode (shared with the publish buffer, see docs/abi.md). */
export function agent_io_ptr(): usize {
  return IO_PTR;
}

export function agent_io_cap(): i32 {
  return IO_CAP;
}

/**
 * Takes a metrics snapshot and encodes one report into [ptr, ptr + cap). `flags` bit 0 CBOR,
 * bit 1 short keys (as configuration tag 7). Returns the length or a status.
 */
export function agent_encode(fl: i32, ptr: usize, cap: i32): i32 {
  if (cap < 0 || <u64>ptr + <u64>cap > (<u64>memory.size() << 16)) return BAD_PARAM;
  if (ptr < IO_PTR + <usize>IO_CAP && ptr + <usize>cap > IO_PTR) sessionIoClobbered();
  const n = encodeReport((fl & <i32>FLAG_CBOR) != 0, (fl & <i32>FLAG_SHORT_KEYS) != 0, ptr, cap, maxItems);
  if (n >= 0) statSet(STAT_LAST_REPORT_ID, lastReportId());
  return n;
}

