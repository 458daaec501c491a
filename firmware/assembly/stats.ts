// Counters read through agent_stat (docs/abi.md "Statistics").

export const STAT_PUBLISHED: i32 = 0;
export const STAT_ACCEPTED: i32 = 1;
export const STAT_REJECTED: i32 = 2;
export const STAT_LAST_ERROR: i32 = 3;
export const STAT_CONNECTIONS: i32 = 4;
export const STAT_RETRANSMISSIONS: i32 = 5;
export const STAT_PROTOCOL_ERRORS: i32 = 6;
export const STAT_CONN_STATE: i32 = 7;
export const STAT_LAST_REPORT_ID: i32 = 8;
export const STAT_MEMORY_HIGH_WATER: i32 = 9;
const STAT_COUNT: i32 = 10;

/** Rejection error-code table (decisions: 1 InvalidPayload, 2 Throttled, 3 anything else). */
export const ERR_NONE: i64 = 0;
export const ERR_INVALID_PAYLOAD: i64 = 1;
export const ERR_THROTTLED: i64 = 2;
export const ERR_OTHER: i64 = 3;

const values: usize = memory.data(STAT_COUNT * 8, 8);

export function statGet(id: i32): i64 {
  if (id < 0 || id >= STAT_COUNT) return -1;
  return load<i64>(values + (<usize>id << 3));
}

export function statSet(id: i32, v: i64): void {
  store<i64>(values + (<usize>id << 3), v);
}

export function statAdd(id: i32): void {
  const p = values + (<usize>id << 3);
  store<i64>(p, load<i64>(p) + 1);
}

export function statsReset(): void {
  memory.fill(values, 0, STAT_COUNT * 8);
}
