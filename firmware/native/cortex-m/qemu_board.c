/*
 * The QEMU board: WardenBoard_t on top of the UART link. Transport = the link (one bridge
 * connection per open), clock = SysTick, wall clock = the bridge's time at hello, counters =
 * the link's real byte/frame counts (scaled by the bridge's counter scale to simulate a
 * misbehaving device), ports = the board config's table, connections = the broker link while
 * open, store = RAM kept across resets (.noinit).
 */
#include <string.h>
#include "cm_port.h"
#include "qemu_board.h"

#define PRV_STORE_MAGIC    ( 0x57415244UL )
#define PRV_SLOTS          ( 4 )

typedef struct
{
    uint32_t magic;
    int64_t slots[ PRV_SLOTS ];
} PrvStore_t;

static PrvStore_t xStore __attribute__( ( section( ".noinit" ) ) );
static uint32_t ulEntropy = 0x9E3779B9UL;
static uint64_t ullEpochAtMs;

WardenLink_t QemuBoard_Link;

static void prvLinkWrite( void * ctx, uint8_t byte )
{
    ( void ) ctx;
    CmBoard_Config.uart->PutByte( CmBoard_Config.dataUart, byte );
}

static void prvRx( uint8_t byte )
{
    WardenLink_RxByte( &QemuBoard_Link, byte );
}

static int32_t prvNetOpen( void * ctx )
{
    ( void ) ctx;
    return WardenLink_Open( &QemuBoard_Link );
}

static int32_t prvNetState( void * ctx )
{
    ( void ) ctx;
    return WardenLink_State( &QemuBoard_Link );
}

static int32_t prvNetSend( void * ctx, const uint8_t * data, uint32_t len )
{
    ( void ) ctx;
    return WardenLink_Send( &QemuBoard_Link, data, len );
}

static int32_t prvNetRecv( void * ctx, uint8_t * buf, uint32_t cap )
{
    int32_t n;

    ( void ) ctx;
    CmPort_DisableIrq();
    n = WardenLink_Recv( &QemuBoard_Link, buf, cap );
    CmPort_EnableIrq();
    return n;
}

static void prvNetClose( void * ctx )
{
    ( void ) ctx;
    WardenLink_Close( &QemuBoard_Link );
}

static uint64_t prvClockMs( void * ctx )
{
    ( void ) ctx;
    return CmPort_Millis();
}

static uint64_t prvEpochMs( void * ctx )
{
    ( void ) ctx;

    if( QemuBoard_Link.epochMs == 0U )
    {
        return 0U;
    }

    return QemuBoard_Link.epochMs + ( CmPort_Millis() - ullEpochAtMs );
}

static uint32_t prvEntropy( void * ctx )
{
    /* xorshift32 stirred with the cycle counter: best effort, QEMU has no TRNG */
    uint32_t x = ulEntropy ^ ( uint32_t ) CmPort_Cycles();

    ( void ) ctx;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    ulEntropy = x;
    return x;
}

static int32_t prvCounters( void * ctx, WardenCounters_t * out )
{
    uint64_t scale = QemuBoard_Link.counterScale;

    ( void ) ctx;
    out->bytesIn = QemuBoard_Link.bytesIn * scale;
    out->bytesOut = QemuBoard_Link.bytesOut * scale;
    out->packetsIn = QemuBoard_Link.packetsIn * scale;
    out->packetsOut = QemuBoard_Link.packetsOut * scale;
    return 0;
}

static int32_t prvMetricCount( void * ctx, int32_t kind )
{
    ( void ) ctx;

    switch( kind )
    {
        case WARDEN_METRIC_TCP_PORTS: return ( int32_t ) CmBoard_Config.tcpPortCount;
        case WARDEN_METRIC_UDP_PORTS: return ( int32_t ) CmBoard_Config.udpPortCount;
        case WARDEN_METRIC_CONNECTIONS: return ( QemuBoard_Link.state == WARDEN_NET_CONNECTED ) ? 1 : 0;
        default: return 0;
    }
}

static int32_t prvMetricItem( void * ctx, int32_t kind, int32_t index, WardenMetricItem_t * out )
{
    const CmSimPort_t * p;

    ( void ) ctx;

    if( ( kind == WARDEN_METRIC_TCP_PORTS ) || ( kind == WARDEN_METRIC_UDP_PORTS ) )
    {
        p = ( kind == WARDEN_METRIC_TCP_PORTS ) ? CmBoard_Config.tcpPorts : CmBoard_Config.udpPorts;
        out->port = p[ index ].port;
        out->iface = p[ index ].iface;
        return 0;
    }

    if( ( kind == WARDEN_METRIC_CONNECTIONS ) && ( index == 0 ) )
    {
        /* the broker connection, seen from the device: 127.0.0.1 through the bridge */
        out->family = 4U;
        out->addr[ 0 ] = 127U;
        out->addr[ 3 ] = 1U;
        out->port = QemuBoard_Link.remotePort;
        out->localPort = QemuBoard_Link.localPort;
        out->iface = CmBoard_Config.iface;
        return 0;
    }

    return -1;
}

static int64_t prvStoreLoad( void * ctx, int32_t slot )
{
    ( void ) ctx;
    return ( xStore.magic == PRV_STORE_MAGIC ) ? xStore.slots[ slot ] : -1;
}

static int32_t prvStoreSave( void * ctx, int32_t slot, int64_t value )
{
    int32_t i;

    ( void ) ctx;

    if( xStore.magic != PRV_STORE_MAGIC )
    {
        for( i = 0; i < PRV_SLOTS; i++ )
        {
            xStore.slots[ i ] = -1;
        }

        xStore.magic = PRV_STORE_MAGIC;
    }

    xStore.slots[ slot ] = value;
    return 0;
}

static void prvLog( void * ctx, int32_t level, const char * text, uint32_t len )
{
    static const char * const pcLevels[] = { "E ", "W ", "I ", "D " };

    ( void ) ctx;
    CmPort_ConsolePrint( "warden: " );
    CmPort_ConsolePrint( pcLevels[ ( ( uint32_t ) level ) & 3U ] );
    CmPort_ConsoleWrite( text, len );
    CmPort_ConsolePrint( "\n" );
}

static void prvWait( void * ctx, uint32_t ms )
{
    uint64_t until = CmPort_Millis() + ms;
    uint32_t seen = QemuBoard_Link.framesIn;

    ( void ) ctx;

    /* any frame (stream bytes, opened/closed, report-now, exit) ends the wait */
    while( ( CmPort_Millis() < until ) &&
           ( WardenLink_Pending( &QemuBoard_Link ) == 0 ) &&
           ( QemuBoard_Link.framesIn == seen ) )
    {
        CmPort_WaitForInterrupt();
    }
}

const WardenBoard_t QemuBoard_Board =
{
    "qemu",
    NULL,
    prvNetOpen,
    prvNetState,
    prvNetSend,
    prvNetRecv,
    prvNetClose,
    prvClockMs,
    prvEpochMs,
    prvEntropy,
    prvCounters,
    prvMetricCount,
    prvMetricItem,
    prvStoreLoad,
    prvStoreSave,
    prvLog,
    prvWait
};

void QemuBoard_Init( void )
{
    WardenLink_Init( &QemuBoard_Link, prvLinkWrite, NULL );
    CmPort_RxHook = prvRx;
    CmPort_Init();
}

int32_t QemuBoard_AwaitConfig( uint32_t timeoutMs )
{
    const char * name = CmBoard_Config.name;
    uint64_t until;

    WardenLink_SendFrame( &QemuBoard_Link, 'H', ( const uint8_t * ) name, ( uint32_t ) strlen( name ) );
    until = CmPort_Millis() + timeoutMs;

    while( ( QemuBoard_Link.configReady == 0U ) && ( CmPort_Millis() < until ) )
    {
        CmPort_WaitForInterrupt();
    }

    ullEpochAtMs = CmPort_Millis();
    return ( QemuBoard_Link.configReady != 0U ) ? 0 : -1;
}
