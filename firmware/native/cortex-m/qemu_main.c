/*
 * Firmware entry for the QEMU boards: hello + configuration from the bridge, then the agent
 * driver loop. Statistics go back to the bridge as 'S' frames whenever they change; an 'X'
 * frame ends the run cleanly (semihosting exit 0).
 */
#include <string.h>
#include "cm_port.h"
#include "qemu_board.h"
#include "warden_agent.h"

#define PRV_CONFIG_TIMEOUT_MS    ( 5000U )
#define PRV_STATS                ( WARDEN_STAT_COUNT + 4U )

static WardenAgent_t xAgent;
static int64_t xLastStats[ PRV_STATS ];

static void prvPutI64( uint8_t * p, int64_t v )
{
    uint32_t i;

    for( i = 0; i < 8U; i++ )
    {
        p[ i ] = ( uint8_t ) ( ( uint64_t ) v >> ( 8U * i ) );
    }
}

/* 'S' frame: u32 count, then count i64: agent_stat 0..9, traps, restarts, memory faults,
 * deepest stack use in bytes. */
static void prvSendStats( int32_t force )
{
    int64_t now[ PRV_STATS ];
    uint8_t frame[ 4U + ( 8U * PRV_STATS ) ];
    uint32_t i;

    for( i = 0; i < WARDEN_STAT_COUNT; i++ )
    {
        now[ i ] = WardenAgent_Stat( &xAgent, ( int32_t ) i );
    }

    now[ WARDEN_STAT_COUNT ] = xAgent.traps;
    now[ WARDEN_STAT_COUNT + 1U ] = xAgent.restarts;
    now[ WARDEN_STAT_COUNT + 2U ] = xAgent.memoryFaults;
    now[ WARDEN_STAT_COUNT + 3U ] = CmPort_StackUsed();

    if( ( force == 0 ) && ( memcmp( now, xLastStats, sizeof( now ) ) == 0 ) )
    {
        return;
    }

    memcpy( xLastStats, now, sizeof( now ) );
    frame[ 0 ] = ( uint8_t ) PRV_STATS;
    frame[ 1 ] = 0U;
    frame[ 2 ] = 0U;
    frame[ 3 ] = 0U;

    for( i = 0; i < PRV_STATS; i++ )
    {
        prvPutI64( &frame[ 4U + ( 8U * i ) ], now[ i ] );
    }

    WardenLink_SendFrame( &QemuBoard_Link, 'S', frame, sizeof( frame ) );
}

int main( void )
{
    WardenAgentStatus_t status;
    uint32_t waitMs = 0;

    QemuBoard_Init();
    CmPort_ConsolePrint( "warden: boot " );
    CmPort_ConsolePrint( CmBoard_Config.name );
    CmPort_ConsolePrint( "\n" );

    if( QemuBoard_AwaitConfig( PRV_CONFIG_TIMEOUT_MS ) != 0 )
    {
        CmPort_ConsolePrint( "warden: no configuration from the bridge\n" );
        CmPort_Exit( 2 );
    }

    status = WardenAgent_Start( &xAgent, &QemuBoard_Board, QemuBoard_Link.config, QemuBoard_Link.configLen );

    if( ( status == WARDEN_AGENT_BAD_CONFIG ) || ( status == WARDEN_AGENT_LOAD_FAILED ) )
    {
        CmPort_ConsolePrint( "warden: agent refused to start, status " );
        CmPort_ConsolePrintU64( ( uint64_t ) status );
        CmPort_ConsolePrint( "\n" );
        CmPort_Exit( 2 );
    }

    for( ; ; )
    {
        if( QemuBoard_Link.exitRequested != 0U )
        {
            prvSendStats( 1 );
            CmPort_ConsolePrint( "warden: exit requested\n" );
            CmPort_Exit( 0 );
        }

        if( QemuBoard_Link.reportNow != 0U )
        {
            QemuBoard_Link.reportNow = 0U;
            ( void ) WardenAgent_ReportNow( &xAgent );
        }

        status = WardenAgent_Poll( &xAgent, &waitMs );

        if( status == WARDEN_AGENT_BAD_CONFIG )
        {
            CmPort_ConsolePrint( "warden: configuration unusable\n" );
            prvSendStats( 1 );
            CmPort_Exit( 2 );
        }

        prvSendStats( 0 );

        if( waitMs > 0U )
        {
            QemuBoard_Board.Wait( QemuBoard_Board.ctx, waitMs );
        }
    }
}
