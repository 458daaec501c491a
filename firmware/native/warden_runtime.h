/*
 * Warden runtime adapter: how the driver calls the module's exports, whatever the engine.
 * Exactly one adapter is linked into an image: warden_runtime_wasm2c.c (static, bare metal)
 * or warden_runtime_wamr.c (WAMR interpreter/AOT). Both keep a single module instance.
 */
#ifndef WARDEN_RUNTIME_H
#define WARDEN_RUNTIME_H

#include <stdint.h>
#include "warden_host.h"

/* Status of a runtime operation. */
typedef enum WardenRtStatus
{
    WARDEN_RT_OK = 0,
    WARDEN_RT_TRAPPED,       /* the module trapped; it must be reloaded before the next call */
    WARDEN_RT_LOAD_FAILED    /* the module could not be loaded or instantiated */
} WardenRtStatus_t;

/* Module exports the driver calls (docs/abi.md "Exports"). */
typedef enum WardenExport
{
    WARDEN_EXPORT_CONFIG_PTR = 0, /* () -> i32 */
    WARDEN_EXPORT_CONFIG_CAP,     /* () -> i32 */
    WARDEN_EXPORT_INIT,           /* (len) -> i32 */
    WARDEN_EXPORT_STEP,           /* () -> i32 */
    WARDEN_EXPORT_REPORT_NOW,     /* () -> void */
    WARDEN_EXPORT_STAT,           /* (id) -> i64 */
    WARDEN_EXPORT_IO_PTR,         /* () -> i32 */
    WARDEN_EXPORT_IO_CAP,         /* () -> i32 */
    WARDEN_EXPORT_ENCODE,         /* (flags, ptr, cap) -> i32 */
    WARDEN_EXPORT_COUNT
} WardenExport_t;

/* (Re)load the module: fresh linear memory, data segments, globals. */
WardenRtStatus_t WardenRuntime_Load( WardenHost_t * host );

/* Release the instance (a no-op for the static wasm2c pool). */
void WardenRuntime_Unload( WardenHost_t * host );

/* Call one export with up to three i32 arguments; the result is widened to i64. */
WardenRtStatus_t WardenRuntime_Call( WardenHost_t * host,
                                     WardenExport_t fn,
                                     int32_t a,
                                     int32_t b,
                                     int32_t c,
                                     int64_t * result );

/* 1 when the memory around the module's linear memory is untouched (the wasm2c pool's guard
 * bands; WAMR manages its own memory and answers 1). */
int32_t WardenRuntime_MemoryIntact( void );

/* A short name of the last trap's cause ("oob", "unreachable", "host:net_send", ...). */
const char * WardenRuntime_LastTrap( void );

#endif /* WARDEN_RUNTIME_H */
