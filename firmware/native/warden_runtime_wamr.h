/*
 * WAMR adapter extras: the module bytes and WAMR's memory pool. Call WardenWamr_SetModule
 * before the driver's first WardenAgent_Start.
 */
#ifndef WARDEN_RUNTIME_WAMR_H
#define WARDEN_RUNTIME_WAMR_H

#include <stdint.h>

/* Bytes of WAMR's pool: runtime structures, the module, one 64 KiB linear-memory page, the
 * wasm operand stack and the exec env. */
#ifndef WARDEN_WAMR_POOL_BYTES
    #define WARDEN_WAMR_POOL_BYTES     ( 112U * 1024U )
#endif

/* Wasm stack of the exec env, bytes. */
#ifndef WARDEN_WAMR_STACK_BYTES
    #define WARDEN_WAMR_STACK_BYTES    ( 4096U )
#endif

/* agent.wasm (or an AOT file from wamrc). WAMR's loader may patch the buffer in place, so it
 * must be writable and outlive the runtime (copy it to RAM if it sits in flash). */
void WardenWamr_SetModule( uint8_t * wasm, uint32_t len );

#endif /* WARDEN_RUNTIME_WAMR_H */
