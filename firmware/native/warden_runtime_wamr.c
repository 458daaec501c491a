/*
 * WAMR adapter: binds agent.wasm running under WAMR (interpreter or AOT) to the host layer.
 * One NativeSymbol table registers the `warden` imports; pointers travel as plain i32 offsets
 * and the host layer bounds-checks them (one implementation for every runtime); a bad range
 * raises a WAMR exception, which ends the call like a trap.
 */
#include <string.h>
#include "wasm_export.h"
#include "warden_runtime.h"
#include "warden_runtime_wamr.h"

static const char * const pcExportNames[ WARDEN_EXPORT_COUNT ] =
{
    "agent_config_ptr", "agent_config_cap", "agent_init", "agent_step", "agent_report_now",
    "agent_stat", "agent_io_ptr", "agent_io_cap", "agent_encode"
};

static uint8_t ucPool[ WARDEN_WAMR_POOL_BYTES ] __attribute__( ( aligned( 8 ) ) );
static uint8_t * pucModuleBytes;
static uint32_t ulModuleLen;
static uint8_t ucRuntimeReady;
static wasm_module_t xModule;
static wasm_module_inst_t xInstance;
static wasm_exec_env_t xExecEnv;
static wasm_function_inst_t xFunctions[ WARDEN_EXPORT_COUNT ];
static WardenHost_t * pxHost;
static char cLastTrap[ 64 ] = "none";
static char cError[ 128 ];

/* ---- imports (module `warden`), docs/abi.md ---- */

static int64_t prvClockMs( wasm_exec_env_t env )
{
    ( void ) env;
    return WardenHost_ClockMs( pxHost );
}

static int64_t prvEpochMs( wasm_exec_env_t env )
{
    ( void ) env;
    return WardenHost_EpochMs( pxHost );
}

static int32_t prvEntropy( wasm_exec_env_t env )
{
    ( void ) env;
    return WardenHost_Entropy( pxHost );
}

static int32_t prvNetOpen( wasm_exec_env_t env )
{
    ( void ) env;
    return WardenHost_NetOpen( pxHost );
}

static int32_t prvNetState( wasm_exec_env_t env )
{
    ( void ) env;
    return WardenHost_NetState( pxHost );
}

static int32_t prvNetSend( wasm_exec_env_t env, uint32_t ptr, uint32_t len )
{
    ( void ) env;
    return WardenHost_NetSend( pxHost, ptr, len );
}

static int32_t prvNetRecv( wasm_exec_env_t env, uint32_t ptr, uint32_t cap )
{
    ( void ) env;
    return WardenHost_NetRecv( pxHost, ptr, cap );
}

static void prvNetClose( wasm_exec_env_t env )
{
    ( void ) env;
    WardenHost_NetClose( pxHost );
}

static int32_t prvMetricsCounters( wasm_exec_env_t env, uint32_t ptr )
{
    ( void ) env;
    return WardenHost_MetricsCounters( pxHost, ptr );
}

static int32_t prvMetricsCount( wasm_exec_env_t env, int32_t kind )
{
    ( void ) env;
    return WardenHost_MetricsCount( pxHost, kind );
}

static int32_t prvMetricsItem( wasm_exec_env_t env, int32_t kind, int32_t index, uint32_t ptr, uint32_t cap )
{
    ( void ) env;
    return WardenHost_MetricsItem( pxHost, kind, index, ptr, cap );
}

static int64_t prvStoreLoad( wasm_exec_env_t env, int32_t slot )
{
    ( void ) env;
    return WardenHost_StoreLoad( pxHost, slot );
}

static int32_t prvStoreSave( wasm_exec_env_t env, int32_t slot, int64_t value )
{
    ( void ) env;
    return WardenHost_StoreSave( pxHost, slot, value );
}

static void prvLog( wasm_exec_env_t env, int32_t level, uint32_t ptr, uint32_t len )
{
    ( void ) env;
    WardenHost_Log( pxHost, level, ptr, len );
}

/* The one NativeSymbol table. Signatures: i = i32, I = i64; pointers stay plain i32 offsets. */
static NativeSymbol xNatives[] =
{
    { "clock_ms",         ( void * ) prvClockMs,         "()I",    NULL },
    { "epoch_ms",         ( void * ) prvEpochMs,         "()I",    NULL },
    { "entropy",          ( void * ) prvEntropy,         "()i",    NULL },
    { "net_open",         ( void * ) prvNetOpen,         "()i",    NULL },
    { "net_state",        ( void * ) prvNetState,        "()i",    NULL },
    { "net_send",         ( void * ) prvNetSend,         "(ii)i",  NULL },
    { "net_recv",         ( void * ) prvNetRecv,         "(ii)i",  NULL },
    { "net_close",        ( void * ) prvNetClose,        "()",     NULL },
    { "metrics_counters", ( void * ) prvMetricsCounters, "(i)i",   NULL },
    { "metrics_count",    ( void * ) prvMetricsCount,    "(i)i",   NULL },
    { "metrics_item",     ( void * ) prvMetricsItem,     "(iiii)i", NULL },
    { "store_load",       ( void * ) prvStoreLoad,       "(i)I",   NULL },
    { "store_save",       ( void * ) prvStoreSave,       "(iI)i",  NULL },
    { "log",              ( void * ) prvLog,             "(iii)",  NULL },
};

/* Host trap hook: raise an exception; WAMR ends the call when the native returns. */
static void prvHostTrap( WardenHost_t * host, int32_t why, const char * import )
{
    ( void ) host;
    ( void ) why;
    strcpy( cError, "warden: bad range passed to " );
    strncat( cError, import, sizeof( cError ) - strlen( cError ) - 1U );
    wasm_runtime_set_exception( xInstance, cError );
}

static void prvRefreshMemory( WardenHost_t * host )
{
    wasm_memory_inst_t mem = wasm_runtime_get_default_memory( xInstance );

    if( mem == NULL )
    {
        host->memBase = NULL;
        host->memSize = 0;
        return;
    }

    host->memBase = ( uint8_t * ) wasm_memory_get_base_address( mem );
    host->memSize = ( uint32_t ) ( wasm_memory_get_cur_page_count( mem ) * wasm_memory_get_bytes_per_page( mem ) );
}

void WardenWamr_SetModule( uint8_t * wasm, uint32_t len )
{
    pucModuleBytes = wasm;
    ulModuleLen = len;
}

static int32_t prvRuntimeInit( void )
{
    RuntimeInitArgs args;

    memset( &args, 0, sizeof( args ) );
    args.mem_alloc_type = Alloc_With_Pool;
    args.mem_alloc_option.pool.heap_buf = ucPool;
    args.mem_alloc_option.pool.heap_size = sizeof( ucPool );
    args.native_module_name = "warden";
    args.native_symbols = xNatives;
    args.n_native_symbols = ( uint32_t ) ( sizeof( xNatives ) / sizeof( xNatives[ 0 ] ) );
    return wasm_runtime_full_init( &args ) ? 0 : -1;
}

WardenRtStatus_t WardenRuntime_Load( WardenHost_t * host )
{
    WardenRtStatus_t status = WARDEN_RT_OK;
    uint32_t i;

    host->Trap = prvHostTrap;
    pxHost = host;
    WardenRuntime_Unload( host );

    if( ( ucRuntimeReady == 0U ) && ( pucModuleBytes != NULL ) && ( prvRuntimeInit() == 0 ) )
    {
        ucRuntimeReady = 1U;
    }

    if( ucRuntimeReady == 0U )
    {
        status = WARDEN_RT_LOAD_FAILED;
    }

    if( ( status == WARDEN_RT_OK ) && ( xModule == NULL ) )
    {
        xModule = wasm_runtime_load( pucModuleBytes, ulModuleLen, cError, sizeof( cError ) );
        status = ( xModule != NULL ) ? WARDEN_RT_OK : WARDEN_RT_LOAD_FAILED;
    }

    if( status == WARDEN_RT_OK )
    {
        xInstance = wasm_runtime_instantiate( xModule, WARDEN_WAMR_STACK_BYTES, 0U, cError, sizeof( cError ) );
        status = ( xInstance != NULL ) ? WARDEN_RT_OK : WARDEN_RT_LOAD_FAILED;
    }

    if( status == WARDEN_RT_OK )
    {
        xExecEnv = wasm_runtime_create_exec_env( xInstance, WARDEN_WAMR_STACK_BYTES );
        status = ( xExecEnv != NULL ) ? WARDEN_RT_OK : WARDEN_RT_LOAD_FAILED;
    }

    for( i = 0; ( status == WARDEN_RT_OK ) && ( i < ( uint32_t ) WARDEN_EXPORT_COUNT ); i++ )
    {
        xFunctions[ i ] = wasm_runtime_lookup_function( xInstance, pcExportNames[ i ] );
        status = ( xFunctions[ i ] != NULL ) ? WARDEN_RT_OK : WARDEN_RT_LOAD_FAILED;
    }

    if( status != WARDEN_RT_OK )
    {
        strncpy( cLastTrap, cError, sizeof( cLastTrap ) - 1U );
        WardenRuntime_Unload( host );
        return status;
    }

    prvRefreshMemory( host );
    return WARDEN_RT_OK;
}

void WardenRuntime_Unload( WardenHost_t * host )
{
    if( xExecEnv != NULL )
    {
        wasm_runtime_destroy_exec_env( xExecEnv );
        xExecEnv = NULL;
    }

    if( xInstance != NULL )
    {
        wasm_runtime_deinstantiate( xInstance );
        xInstance = NULL;
    }

    host->memBase = NULL;
    host->memSize = 0;
}

WardenRtStatus_t WardenRuntime_Call( WardenHost_t * host,
                                     WardenExport_t fn,
                                     int32_t a,
                                     int32_t b,
                                     int32_t c,
                                     int64_t * result )
{
    uint32_t argv[ 3 ] = { ( uint32_t ) a, ( uint32_t ) b, ( uint32_t ) c };
    static const uint8_t ucArgc[ WARDEN_EXPORT_COUNT ] = { 0, 0, 1, 0, 0, 1, 0, 0, 3 };
    const char * ex;

    if( ( xInstance == NULL ) || ( ( uint32_t ) fn >= ( uint32_t ) WARDEN_EXPORT_COUNT ) )
    {
        return WARDEN_RT_LOAD_FAILED;
    }

    prvRefreshMemory( host );

    if( !wasm_runtime_call_wasm( xExecEnv, xFunctions[ fn ], ucArgc[ fn ], argv ) )
    {
        ex = wasm_runtime_get_exception( xInstance );
        strncpy( cLastTrap, ( ex != NULL ) ? ex : "exception", sizeof( cLastTrap ) - 1U );
        host->lastTrap = 0;
        return WARDEN_RT_TRAPPED;
    }

    if( fn == WARDEN_EXPORT_STAT )
    {
        *result = ( int64_t ) ( ( uint64_t ) argv[ 0 ] | ( ( uint64_t ) argv[ 1 ] << 32 ) );
    }
    else if( fn == WARDEN_EXPORT_REPORT_NOW )
    {
        *result = 0;
    }
    else
    {
        *result = ( int32_t ) argv[ 0 ];
    }

    return WARDEN_RT_OK;
}

int32_t WardenRuntime_MemoryIntact( void )
{
    return 1; /* WAMR allocates and bounds the linear memory itself */
}

const char * WardenRuntime_LastTrap( void )
{
    return cLastTrap;
}
