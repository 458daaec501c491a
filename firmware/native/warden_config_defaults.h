/*
 * Warden native host layer: build-time defaults. Every value can be overridden with -D or a
 * board's config header; a board changes numbers here, never adds #ifdefs to the sources.
 */
#ifndef WARDEN_CONFIG_DEFAULTS_H
#define WARDEN_CONFIG_DEFAULTS_H

/* Bytes of physical linear memory given to the module (a static pool; the module declares one
 * 64 KiB page but touches only its low part, see docs/firmware.md). Accesses beyond trap. */
#ifndef WARDEN_LINEAR_MEMORY_BYTES
    #define WARDEN_LINEAR_MEMORY_BYTES    ( 12288U )
#endif

/* Function types the wasm2c module may register (its type section, deduplicated). */
#ifndef WARDEN_RT_MAX_FUNC_TYPES
    #define WARDEN_RT_MAX_FUNC_TYPES      ( 32U )
#endif

/* Parameters plus results of one function type. */
#ifndef WARDEN_RT_MAX_TYPE_ARITY
    #define WARDEN_RT_MAX_TYPE_ARITY      ( 8U )
#endif

/* Elements of the module's funcref table (AssemblyScript emits at most a handful). */
#ifndef WARDEN_RT_MAX_TABLE_ELEMENTS
    #define WARDEN_RT_MAX_TABLE_ELEMENTS  ( 16U )
#endif

/* Bytes of stack kept free below the deepest wasm frame for the host layer, the board's
 * imports and the trap path; a wasm call that would go deeper traps as exhaustion. */
#ifndef WARDEN_RT_STACK_MARGIN
    #define WARDEN_RT_STACK_MARGIN        ( 512U )
#endif

/* First wait after a trap before the module is restarted, in ms; doubles up to the maximum. */
#ifndef WARDEN_RESTART_BACKOFF_MS
    #define WARDEN_RESTART_BACKOFF_MS     ( 100U )
#endif

/* Longest wait between restarts after repeated traps, in ms. */
#ifndef WARDEN_RESTART_BACKOFF_MAX_MS
    #define WARDEN_RESTART_BACKOFF_MAX_MS ( 30000U )
#endif

/* Longest wait the driver grants the board between two agent_step calls, in ms. */
#ifndef WARDEN_MAX_WAIT_MS
    #define WARDEN_MAX_WAIT_MS            ( 1000U )
#endif

/* Bytes of agent configuration (TLV) the driver keeps to replay after a restart. */
#ifndef WARDEN_CONFIG_MAX_BYTES
    #define WARDEN_CONFIG_MAX_BYTES       ( 320U )
#endif

/* Number of agent_stat counters (docs/abi.md, Statistics). */
#ifndef WARDEN_STAT_COUNT
    #define WARDEN_STAT_COUNT             ( 10U )
#endif

/* Longest log line copied out of linear memory, in bytes (longer lines are cut). */
#ifndef WARDEN_LOG_MAX_BYTES
    #define WARDEN_LOG_MAX_BYTES          ( 160U )
#endif

#endif /* WARDEN_CONFIG_DEFAULTS_H */
