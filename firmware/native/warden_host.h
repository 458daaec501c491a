/*
 * Warden host layer: the runtime side of docs/abi.md, written once for every board and
 * runtime. Each WardenHost_* function implements one `warden` import on top of a board; the
 * runtime adapters (wasm2c, WAMR) only translate calling conventions. Every (ptr, len) the
 * module passes is bounds-checked against linear memory; a bad range calls the adapter's Trap
 * callback (wasm2c: longjmp out of the module; WAMR: set an exception) and nothing is touched.
 */
#ifndef WARDEN_HOST_H
#define WARDEN_HOST_H

#include <stdint.h>
#include "warden_board.h"

/* Why the host trapped the module. */
#define WARDEN_HOST_TRAP_RANGE    ( 1 )   /* a pointer/length pair leaves linear memory */
#define WARDEN_HOST_TRAP_ARGUMENT ( 2 )   /* an argument is outside its documented domain */

typedef struct WardenHost WardenHost_t;

typedef void ( * WardenHostTrap_t )( WardenHost_t * host, int32_t why, const char * import );

struct WardenHost
{
    const WardenBoard_t * board;
    uint8_t * memBase;         /* linear memory, refreshed by the adapter before each call */
    uint32_t memSize;          /* bytes of linear memory that really exist */
    WardenHostTrap_t Trap;     /* adapter's trap hook; may return (WAMR) or not (wasm2c) */
    void * runtimeCtx;         /* adapter's own pointer (module instance) */
    int32_t lastTrap;          /* WARDEN_HOST_TRAP_* of the last host trap, 0 none */
    const char * lastTrapImport;
};

void WardenHost_Init( WardenHost_t * host, const WardenBoard_t * board, WardenHostTrap_t trap );

/* 1 when [ptr, ptr + len) lies inside linear memory (no overflow), else 0. */
int32_t WardenHost_RangeOk( const WardenHost_t * host, uint32_t ptr, uint32_t len );

int64_t WardenHost_ClockMs( WardenHost_t * host );
int64_t WardenHost_EpochMs( WardenHost_t * host );
int32_t WardenHost_Entropy( WardenHost_t * host );
int32_t WardenHost_NetOpen( WardenHost_t * host );
int32_t WardenHost_NetState( WardenHost_t * host );
int32_t WardenHost_NetSend( WardenHost_t * host, uint32_t ptr, uint32_t len );
int32_t WardenHost_NetRecv( WardenHost_t * host, uint32_t ptr, uint32_t cap );
void WardenHost_NetClose( WardenHost_t * host );
int32_t WardenHost_MetricsCounters( WardenHost_t * host, uint32_t ptr );
int32_t WardenHost_MetricsCount( WardenHost_t * host, int32_t kind );
int32_t WardenHost_MetricsItem( WardenHost_t * host, int32_t kind, int32_t index, uint32_t ptr, uint32_t cap );
int64_t WardenHost_StoreLoad( WardenHost_t * host, int32_t slot );
int32_t WardenHost_StoreSave( WardenHost_t * host, int32_t slot, int64_t value );
void WardenHost_Log( WardenHost_t * host, int32_t level, uint32_t ptr, uint32_t len );

/* Encode one metric item in the ABI record layout into out[0..cap); bytes, -2 too small,
 * -1 bad item. Shared with tests and the benchmark's native baseline. */
int32_t WardenHost_EncodeItem( int32_t kind, const WardenMetricItem_t * item, uint8_t * out, uint32_t cap );

#endif /* WARDEN_HOST_H */
