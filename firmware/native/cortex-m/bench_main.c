/*
 * Budget benchmark image: builds the same report with agent.wasm (through wasm2c) and with a
 * plain native C encoder (snprintf style, as vendor demos do), counting processor cycles with
 * SysTick. Run under QEMU -icount shift=0 the counts are deterministic. Prints one
 * `bench <name> bytes=<n> cycles=<n>` line per case on the console, then exits.
 */
#include <string.h>
#include "cm_port.h"
#include "qemu_board.h"
#include "warden_agent.h"
#include "native_report.h"

#define PRV_RUNS    ( 8U )

static WardenAgent_t xAgent;
static char cNative[ 2048 ];

static void prvLine( const char * name, int32_t bytes, uint64_t cycles )
{
    CmPort_ConsolePrint( "bench " );
    CmPort_ConsolePrint( name );
    CmPort_ConsolePrint( " bytes=" );
    CmPort_ConsolePrintU64( ( uint64_t ) ( bytes < 0 ? 0 : bytes ) );
    CmPort_ConsolePrint( " cycles=" );
    CmPort_ConsolePrintU64( cycles );
    CmPort_ConsolePrint( bytes < 0 ? " error\n" : "\n" );
}

static void prvAgentCase( const char * name, int32_t flags )
{
    const uint8_t * out = NULL;
    int32_t len = WardenAgent_Encode( &xAgent, flags, &out ); /* warm-up, and the dump */
    uint64_t total;
    uint32_t start;
    uint32_t i;

    if( ( len > 0 ) && ( ( flags & 1 ) == 0 ) )
    {
        CmPort_ConsolePrint( "dump " );
        CmPort_ConsolePrint( name );
        CmPort_ConsolePrint( " " );
        CmPort_ConsoleWrite( ( const char * ) out, ( uint32_t ) len );
        CmPort_ConsolePrint( "\n" );
    }

    total = 0;

    for( i = 0; i < PRV_RUNS; i++ )
    {
        start = CmPort_MeasureBegin();
        len = WardenAgent_Encode( &xAgent, flags, &out );
        total += CmPort_MeasureEnd( start );
    }

    prvLine( name, len, total / PRV_RUNS );
}

static void prvNativeCase( const char * name, int32_t shortKeys )
{
    int32_t len = NativeReport_Json( &QemuBoard_Board, shortKeys, cNative, sizeof( cNative ) );
    uint64_t total;
    uint32_t start;
    uint32_t i;

    if( len > 0 )
    {
        CmPort_ConsolePrint( "dump " );
        CmPort_ConsolePrint( name );
        CmPort_ConsolePrint( " " );
        CmPort_ConsoleWrite( cNative, ( uint32_t ) len );
        CmPort_ConsolePrint( "\n" );
    }

    total = 0;

    for( i = 0; i < PRV_RUNS; i++ )
    {
        start = CmPort_MeasureBegin();
        len = NativeReport_Json( &QemuBoard_Board, shortKeys, cNative, sizeof( cNative ) );
        total += CmPort_MeasureEnd( start );
    }

    prvLine( name, len, total / PRV_RUNS );
}

int main( void )
{
    uint32_t start;

    QemuBoard_Init();

    if( QemuBoard_AwaitConfig( 5000U ) != 0 )
    {
        CmPort_Exit( 2 );
    }

    start = CmPort_MeasureBegin();

    if( WardenAgent_Start( &xAgent, &QemuBoard_Board, QemuBoard_Link.config, QemuBoard_Link.configLen ) != WARDEN_AGENT_OK )
    {
        CmPort_ConsolePrint( "bench: agent did not start\n" );
        CmPort_Exit( 2 );
    }

    prvLine( "agent-start", 0, CmPort_MeasureEnd( start ) );
    prvAgentCase( "wasm-json-long", 0 );
    prvAgentCase( "wasm-json-short", 2 );
    prvAgentCase( "wasm-cbor-short", 3 );
    prvNativeCase( "native-json-long", 0 );
    prvNativeCase( "native-json-short", 1 );
    CmPort_ConsolePrint( "bench highwater=" );
    CmPort_ConsolePrintU64( ( uint64_t ) WardenAgent_Stat( &xAgent, 9 ) );
    CmPort_ConsolePrint( " stack=" );
    CmPort_ConsolePrintU64( CmPort_StackUsed() );
    CmPort_ConsolePrint( " sysclk=" );
    CmPort_ConsolePrintU64( CmBoard_Config.sysclkHz );
    CmPort_ConsolePrint( "\n" );
    CmPort_Exit( 0 );
}
