/*
 * wasm2c adapter: binds the C generated from agent.wasm (`wasm2c -n agent`, header agent.h,
 * generated at build time) to the host layer. The generated code calls Z_wardenZ_* for each
 * import; exports are called under setjmp so a trap (module or host) returns here.
 */
#include <setjmp.h>
#include <string.h>
#include "agent.h"
#include "warden_runtime.h"

struct Z_warden_instance_t
{
    WardenHost_t * host;
};

/* owned by the bare-metal runtime (warden_rt_baremetal.c) */
extern wasm_rt_trap_t WardenRt_LastTrap;
extern uint32_t wasm_rt_saved_call_stack_depth;
extern int32_t WardenRt_GuardsIntact( void );

static Z_agent_instance_t xInstance;
static struct Z_warden_instance_t xImports;
static uint8_t ucLoaded;
static uint8_t ucModuleReady;
static const char * pcLastTrap = "none";
static char cHostTrap[ 32 ];

/* Host trap hook: leave the module through the runtime's unwind target. */
static void prvHostTrap( WardenHost_t * host, int32_t why, const char * import )
{
    ( void ) host;
    ( void ) why;
    strcpy( cHostTrap, "host:" );
    strncat( cHostTrap, import, sizeof( cHostTrap ) - 6U );
    pcLastTrap = cHostTrap;
    wasm_rt_trap( WASM_RT_TRAP_OOB );
}

static void prvRefreshMemory( WardenHost_t * host )
{
    wasm_rt_memory_t * mem = Z_agentZ_memory( &xInstance );

    host->memBase = mem->data;
    host->memSize = mem->size;
}

WardenRtStatus_t WardenRuntime_Load( WardenHost_t * host )
{
    jmp_buf jb;

    host->Trap = prvHostTrap;
    xImports.host = host;
    WardenRuntime_Unload( host );
    wasm_rt_saved_call_stack_depth = wasm_rt_call_stack_depth = 0;
    wasm_rt_set_unwind_target( &jb );

    if( setjmp( jb ) != 0 )
    {
        pcLastTrap = wasm_rt_strerror( WardenRt_LastTrap );
        return WARDEN_RT_LOAD_FAILED;
    }

    if( ucModuleReady == 0U )
    {
        wasm_rt_init();
        Z_agent_init_module();
        ucModuleReady = 1U;
    }

    Z_agent_instantiate( &xInstance, &xImports );
    ucLoaded = 1U;
    prvRefreshMemory( host );
    return WARDEN_RT_OK;
}

void WardenRuntime_Unload( WardenHost_t * host )
{
    if( ucLoaded != 0U )
    {
        Z_agent_free( &xInstance );
        ucLoaded = 0U;
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
    jmp_buf jb;
    volatile int64_t r = 0;

    if( ucLoaded == 0U )
    {
        return WARDEN_RT_LOAD_FAILED;
    }

    prvRefreshMemory( host );
    wasm_rt_saved_call_stack_depth = wasm_rt_call_stack_depth = 0;
    wasm_rt_set_unwind_target( &jb );

    if( setjmp( jb ) != 0 )
    {
        if( host->lastTrap == 0 )
        {
            pcLastTrap = wasm_rt_strerror( WardenRt_LastTrap );
        }

        host->lastTrap = 0;
        return WARDEN_RT_TRAPPED;
    }

    switch( fn )
    {
        case WARDEN_EXPORT_CONFIG_PTR: r = ( int32_t ) Z_agentZ_agent_config_ptr( &xInstance ); break;
        case WARDEN_EXPORT_CONFIG_CAP: r = ( int32_t ) Z_agentZ_agent_config_cap( &xInstance ); break;
        case WARDEN_EXPORT_INIT: r = ( int32_t ) Z_agentZ_agent_init( &xInstance, ( u32 ) a ); break;
        case WARDEN_EXPORT_STEP: r = ( int32_t ) Z_agentZ_agent_step( &xInstance ); break;
        case WARDEN_EXPORT_REPORT_NOW: Z_agentZ_agent_report_now( &xInstance ); break;
        case WARDEN_EXPORT_STAT: r = ( int64_t ) Z_agentZ_agent_stat( &xInstance, ( u32 ) a ); break;
        case WARDEN_EXPORT_IO_PTR: r = ( int32_t ) Z_agentZ_agent_io_ptr( &xInstance ); break;
        case WARDEN_EXPORT_IO_CAP: r = ( int32_t ) Z_agentZ_agent_io_cap( &xInstance ); break;
        case WARDEN_EXPORT_ENCODE: r = ( int32_t ) Z_agentZ_agent_encode( &xInstance, ( u32 ) a, ( u32 ) b, ( u32 ) c ); break;
        default: break;
    }

    *result = r;
    return WARDEN_RT_OK;
}

int32_t WardenRuntime_MemoryIntact( void )
{
    return WardenRt_GuardsIntact();
}

const char * WardenRuntime_LastTrap( void )
{
    return pcLastTrap;
}

/* ---- imports (module `warden`), docs/abi.md ---- */

u64 Z_wardenZ_clock_ms( struct Z_warden_instance_t * w )
{
    return ( u64 ) WardenHost_ClockMs( w->host );
}

u64 Z_wardenZ_epoch_ms( struct Z_warden_instance_t * w )
{
    return ( u64 ) WardenHost_EpochMs( w->host );
}

u32 Z_wardenZ_entropy( struct Z_warden_instance_t * w )
{
    return ( u32 ) WardenHost_Entropy( w->host );
}

u32 Z_wardenZ_net_open( struct Z_warden_instance_t * w )
{
    return ( u32 ) WardenHost_NetOpen( w->host );
}

u32 Z_wardenZ_net_state( struct Z_warden_instance_t * w )
{
    return ( u32 ) WardenHost_NetState( w->host );
}

u32 Z_wardenZ_net_send( struct Z_warden_instance_t * w, u32 ptr, u32 len )
{
    return ( u32 ) WardenHost_NetSend( w->host, ptr, len );
}

u32 Z_wardenZ_net_recv( struct Z_warden_instance_t * w, u32 ptr, u32 cap )
{
    return ( u32 ) WardenHost_NetRecv( w->host, ptr, cap );
}

void Z_wardenZ_net_close( struct Z_warden_instance_t * w )
{
    WardenHost_NetClose( w->host );
}

u32 Z_wardenZ_metrics_counters( struct Z_warden_instance_t * w, u32 ptr )
{
    return ( u32 ) WardenHost_MetricsCounters( w->host, ptr );
}

u32 Z_wardenZ_metrics_count( struct Z_warden_instance_t * w, u32 kind )
{
    return ( u32 ) WardenHost_MetricsCount( w->host, ( int32_t ) kind );
}

u32 Z_wardenZ_metrics_item( struct Z_warden_instance_t * w, u32 kind, u32 index, u32 ptr, u32 cap )
{
    return ( u32 ) WardenHost_MetricsItem( w->host, ( int32_t ) kind, ( int32_t ) index, ptr, cap );
}

u64 Z_wardenZ_store_load( struct Z_warden_instance_t * w, u32 slot )
{
    return ( u64 ) WardenHost_StoreLoad( w->host, ( int32_t ) slot );
}

u32 Z_wardenZ_store_save( struct Z_warden_instance_t * w, u32 slot, u64 value )
{
    return ( u32 ) WardenHost_StoreSave( w->host, ( int32_t ) slot, ( int64_t ) value );
}

void Z_wardenZ_log( struct Z_warden_instance_t * w, u32 level, u32 ptr, u32 len )
{
    WardenHost_Log( w->host, ( int32_t ) level, ptr, len );
}
