// Host imports: the whole `warden` namespace of docs/abi.md. Nothing else is imported.

/** Monotonic milliseconds since the runtime started; never decreases. */
@external("warden", "clock_ms")
export declare function clock_ms(): i64;
/** Wall-clock Unix time in ms, or 0 when the device has no trusted clock. */
@external("warden", "epoch_ms")
export declare function epoch_ms(): i64;
/** 32 random bits. */
@external("warden", "entropy")
export declare function entropy(): i32;
/** Start connecting the byte stream; 0 taken, <0 failed. */
@external("warden", "net_open")
export declare function net_open(): i32;
/** 0 closed, 1 connecting, 2 connected. */
@external("warden", "net_state")
export declare function net_state(): i32;
/** Queue bytes; returns bytes taken (0..len), <0 link down. */
@external("warden", "net_send")
export declare function net_send(ptr: usize, len: i32): i32;
/** Copy up to cap received bytes; >0 count, 0 nothing now, <0 link down. */
@external("warden", "net_recv")
export declare function net_recv(ptr: usize, cap: i32): i32;
/** Drop the byte stream. */
@external("warden", "net_close")
export declare function net_close(): void;
/** Write 4 cumulative u64 counters at ptr; 0 ok, 1 not available. */
@external("warden", "metrics_counters")
export declare function metrics_counters(ptr: usize): i32;
/** Number of items of a metric kind. */
@external("warden", "metrics_count")
export declare function metrics_count(kind: i32): i32;
/** Write item `index` of `kind` as a record; bytes written, -1 out of range, -2 cap too small. */
@external("warden", "metrics_item")
export declare function metrics_item(kind: i32, index: i32, ptr: usize, cap: i32): i32;
/** Persisted value of a slot, -1 when never written. */
@external("warden", "store_load")
export declare function store_load(slot: i32): i64;
/** Persist a slot; 0 ok, <0 failed. */
@external("warden", "store_save")
export declare function store_save(slot: i32, value: i64): i32;
/** One UTF-8 log line; level 0 error, 1 warn, 2 info, 3 debug. */
@external("warden", "log")
export declare function log(level: i32, ptr: usize, len: i32): void;
