/*
 * Native (host gcc) tests of the board-independent C: warden_host.c (bounds checks, ABI
 * records) and warden_link.c (the UART link's device side). Prints one line per check,
 * `PASS <suite>/<name>` or `FAIL <suite>/<name>: <detail>`; exits 1 if any failed.
 * Run by test/firmware/native-host.test.ts.
 */
#include <stdio.h>
#include <string.h>
#include "warden_host.h"
#include "warden_link.h"

static int iFailed;
static const char * pcSuite = "";

#define CHECK( name, cond )                                                     \
    do {                                                                        \
        if( cond ) { printf( "PASS %s/%s\n", pcSuite, name ); }                 \
        else { printf( "FAIL %s/%s: %s (line %d)\n", pcSuite, name, #cond, __LINE__ ); iFailed = 1; } \
    } while( 0 )

/* ---- a fake board ---- */
static int iBoardSends;
static uint8_t ucRxData[ 64 ];
static uint32_t ulRxAvail;
static WardenMetricItem_t xItems[ 4 ];
static int32_t lItemCount;

static int32_t fOpen( void * c ) { ( void ) c; return 0; }
static int32_t fState( void * c ) { ( void ) c; return 2; }
static int32_t fSend( void * c, const uint8_t * d, uint32_t n ) { ( void ) c; ( void ) d; iBoardSends++; return ( int32_t ) n; }
static int32_t fRecv( void * c, uint8_t * b, uint32_t cap )
{
    uint32_t n = ( cap < ulRxAvail ) ? cap : ulRxAvail;
    ( void ) c;
    memcpy( b, ucRxData, n );
    return ( int32_t ) n;
}
static void fClose( void * c ) { ( void ) c; }
static uint64_t fClock( void * c ) { ( void ) c; return 1234; }
static uint64_t fEpoch( void * c ) { ( void ) c; return 0; }
static uint32_t fEntropy( void * c ) { ( void ) c; return 7; }
static int32_t fCounters( void * c, WardenCounters_t * o )
{
    ( void ) c;
    o->bytesIn = 0x0102030405060708ULL;
    o->bytesOut = 2;
    o->packetsIn = 3;
    o->packetsOut = 4;
    return 0;
}
static int32_t fCount( void * c, int32_t k ) { ( void ) c; ( void ) k; return lItemCount; }
static int32_t fItem( void * c, int32_t k, int32_t i, WardenMetricItem_t * o ) { ( void ) c; ( void ) k; *o = xItems[ i ]; return 0; }
static int64_t fLoad( void * c, int32_t s ) { ( void ) c; return s; }
static int32_t fSave( void * c, int32_t s, int64_t v ) { ( void ) c; ( void ) s; ( void ) v; return 0; }
static uint32_t ulLogLen;
static void fLog( void * c, int32_t l, const char * t, uint32_t n ) { ( void ) c; ( void ) l; ( void ) t; ulLogLen = n; }
static void fWait( void * c, uint32_t ms ) { ( void ) c; ( void ) ms; }

static const WardenBoard_t xBoard = { "test", NULL, fOpen, fState, fSend, fRecv, fClose, fClock, fEpoch, fEntropy,
                                      fCounters, fCount, fItem, fLoad, fSave, fLog, fWait };

static int iTraps;
static const char * pcTrapImport;
static void fTrap( WardenHost_t * h, int32_t why, const char * import ) { ( void ) h; ( void ) why; iTraps++; pcTrapImport = import; }

static uint8_t ucMem[ 256 + 32 ];   /* 256 bytes of "linear memory" then 32 guard bytes */
static WardenHost_t xHost;

static void prvReset( void )
{
    memset( ucMem, 0xA5, sizeof( ucMem ) );
    WardenHost_Init( &xHost, &xBoard, fTrap );
    xHost.memBase = ucMem;
    xHost.memSize = 256;
    iTraps = 0;
    pcTrapImport = "";
    iBoardSends = 0;
}

static int prvUntouched( uint32_t from, uint32_t to )
{
    uint32_t i;

    for( i = from; i < to; i++ )
    {
        if( ucMem[ i ] != 0xA5U )
        {
            return 0;
        }
    }

    return 1;
}

static void prvHostTests( void )
{
    int32_t n;

    pcSuite = "WardenHost_RangeOk";
    prvReset();
    CHECK( "whole memory", WardenHost_RangeOk( &xHost, 0, 256 ) == 1 );
    CHECK( "empty range at the end", WardenHost_RangeOk( &xHost, 256, 0 ) == 1 );
    CHECK( "one byte past the end", WardenHost_RangeOk( &xHost, 255, 2 ) == 0 );
    CHECK( "pointer wraps", WardenHost_RangeOk( &xHost, 0xFFFFFFFFU, 2 ) == 0 );
    CHECK( "length wraps", WardenHost_RangeOk( &xHost, 1, 0xFFFFFFFFU ) == 0 );

    pcSuite = "WardenHost_NetSend";
    prvReset();
    CHECK( "in range reaches the board", ( WardenHost_NetSend( &xHost, 10, 20 ) == 20 ) && ( iBoardSends == 1 ) && ( iTraps == 0 ) );
    prvReset();
    n = WardenHost_NetSend( &xHost, 16, 0xFFFFFFF8U );
    CHECK( "wrapping length traps before the board", ( n < 0 ) && ( iTraps == 1 ) && ( iBoardSends == 0 ) && ( strcmp( pcTrapImport, "net_send" ) == 0 ) );

    pcSuite = "WardenHost_NetRecv";
    prvReset();
    memset( ucRxData, 0x11, sizeof( ucRxData ) );
    ulRxAvail = 8;
    n = WardenHost_NetRecv( &xHost, 10, 5 );
    CHECK( "copies at most cap", n == 5 );
    CHECK( "nothing written past ptr + cap", prvUntouched( 15, sizeof( ucMem ) ) && prvUntouched( 0, 10 ) );
    prvReset();
    n = WardenHost_NetRecv( &xHost, 250, 64 );
    CHECK( "range past memory traps, guard intact", ( n < 0 ) && ( iTraps == 1 ) && prvUntouched( 0, sizeof( ucMem ) ) );

    pcSuite = "WardenHost_MetricsCounters";
    prvReset();
    n = WardenHost_MetricsCounters( &xHost, 100 );
    CHECK( "32 little-endian bytes", ( n == 0 ) && ( ucMem[ 100 ] == 0x08 ) && ( ucMem[ 107 ] == 0x01 ) && ( ucMem[ 108 ] == 2 ) && ( ucMem[ 131 ] == 0 ) && prvUntouched( 132, sizeof( ucMem ) ) );
    prvReset();
    CHECK( "29 bytes before the end traps", ( WardenHost_MetricsCounters( &xHost, 227 ) < 0 ) && ( iTraps == 1 ) && prvUntouched( 0, sizeof( ucMem ) ) );

    pcSuite = "WardenHost_MetricsItem";
    prvReset();
    memset( xItems, 0, sizeof( xItems ) );
    xItems[ 0 ].port = 8883;
    xItems[ 0 ].iface = "eth0";
    lItemCount = 1;
    n = WardenHost_MetricsItem( &xHost, WARDEN_METRIC_TCP_PORTS, 0, 40, 16 );
    CHECK( "port record: u16 port, u8 len, name", ( n == 7 ) && ( ucMem[ 40 ] == 0xB3 ) && ( ucMem[ 41 ] == 0x22 ) && ( ucMem[ 42 ] == 4 ) && ( memcmp( &ucMem[ 43 ], "eth0", 4 ) == 0 ) && prvUntouched( 47, sizeof( ucMem ) ) );
    prvReset();
    n = WardenHost_MetricsItem( &xHost, WARDEN_METRIC_TCP_PORTS, 0, 40, 6 );
    CHECK( "cap too small: -2 and nothing written", ( n == -2 ) && prvUntouched( 0, sizeof( ucMem ) ) );
    CHECK( "index out of range: -1", WardenHost_MetricsItem( &xHost, WARDEN_METRIC_TCP_PORTS, 1, 40, 16 ) == -1 );
    prvReset();
    xItems[ 0 ].iface = "a-very-long-interface-name";
    n = WardenHost_MetricsItem( &xHost, WARDEN_METRIC_UDP_PORTS, 0, 0, 64 );
    CHECK( "interface name cut to 15 bytes", ( n == 18 ) && ( ucMem[ 2 ] == 15 ) );
    prvReset();
    xItems[ 0 ].family = 4;
    xItems[ 0 ].addr[ 0 ] = 10;
    xItems[ 0 ].addr[ 3 ] = 7;
    xItems[ 0 ].port = 1883;
    xItems[ 0 ].localPort = 50000;
    xItems[ 0 ].iface = "wlan0";
    n = WardenHost_MetricsItem( &xHost, WARDEN_METRIC_CONNECTIONS, 0, 0, 64 );
    CHECK( "connection record layout", ( n == 27 ) && ( ucMem[ 0 ] == 4 ) && ( ucMem[ 1 ] == 10 ) && ( ucMem[ 4 ] == 7 ) && ( ucMem[ 17 ] == ( 1883 & 0xFF ) ) && ( ucMem[ 19 ] == ( 50000 & 0xFF ) ) && ( ucMem[ 21 ] == 5 ) && prvUntouched( 27, sizeof( ucMem ) ) );
    prvReset();
    xItems[ 0 ].family = 5;
    CHECK( "a bad address family is -1", WardenHost_MetricsItem( &xHost, WARDEN_METRIC_CONNECTIONS, 0, 0, 64 ) == -1 );
    prvReset();
    CHECK( "record range past memory traps", ( WardenHost_MetricsItem( &xHost, WARDEN_METRIC_TCP_PORTS, 0, 250, 16 ) < 0 ) && ( iTraps == 1 ) );

    pcSuite = "WardenHost_Log";
    prvReset();
    WardenHost_Log( &xHost, 2, 0, 200 );
    CHECK( "long lines are cut", ulLogLen == WARDEN_LOG_MAX_BYTES );
    WardenHost_Log( &xHost, 2, 0xFFFFFFF0U, 32 );
    CHECK( "wrapping pointer traps", iTraps == 1 );

    pcSuite = "WardenHost_Store";
    prvReset();
    CHECK( "slot out of range loads -1", WardenHost_StoreLoad( &xHost, 9 ) == -1 );
    CHECK( "slot out of range refuses to save", WardenHost_StoreSave( &xHost, -1, 5 ) < 0 );
}

/* ---- link ---- */
static uint8_t ucWire[ 512 ];
static uint32_t ulWireLen;
static void fWrite( void * c, uint8_t b ) { ( void ) c; if( ulWireLen < sizeof( ucWire ) ) { ucWire[ ulWireLen++ ] = b; } }

static void prvFeed( WardenLink_t * l, const uint8_t * f, uint32_t n )
{
    uint32_t i;

    for( i = 0; i < n; i++ )
    {
        WardenLink_RxByte( l, f[ i ] );
    }
}

static void prvLinkTests( void )
{
    static WardenLink_t l;
    uint8_t buf[ 16 ];
    const uint8_t open_ok[] = { 0xC0, 'o', 1, 0x5B, 0x07, 0x50, 0xC3, 0xC0 };
    const uint8_t data_esc[] = { 0xC0, 'D', 1, 'a', 0xDB, 0xDC, 'b', 0xDB, 0xDD, 0xC0 };
    const uint8_t data_stale[] = { 0xC0, 'D', 0, 'x', 0xC0 };
    const uint8_t closed_old[] = { 0xC0, 'c', 0, 0xC0 };
    const uint8_t closed_now[] = { 0xC0, 'c', 1, 0xC0 };
    int32_t n;

    pcSuite = "WardenLink";
    WardenLink_Init( &l, fWrite, NULL );
    ulWireLen = 0;
    CHECK( "open sends O with seq 1", ( WardenLink_Open( &l ) == 0 ) && ( ulWireLen == 4 ) && ( ucWire[ 1 ] == 'O' ) && ( ucWire[ 2 ] == 1 ) && ( WardenLink_State( &l ) == 1 ) );
    prvFeed( &l, open_ok, sizeof( open_ok ) );
    CHECK( "o with the current seq connects", ( WardenLink_State( &l ) == 2 ) && ( l.remotePort == 1883 ) && ( l.localPort == 50000 ) );
    prvFeed( &l, data_esc, sizeof( data_esc ) );
    prvFeed( &l, data_stale, sizeof( data_stale ) );
    n = WardenLink_Recv( &l, buf, sizeof( buf ) );
    CHECK( "data unescaped, stale seq dropped", ( n == 4 ) && ( buf[ 0 ] == 'a' ) && ( buf[ 1 ] == 0xC0 ) && ( buf[ 2 ] == 'b' ) && ( buf[ 3 ] == 0xDB ) );
    CHECK( "nothing more: 0 while connected", WardenLink_Recv( &l, buf, sizeof( buf ) ) == 0 );
    ulWireLen = 0;
    n = WardenLink_Send( &l, ( const uint8_t * ) "\xC0z", 2 );
    CHECK( "send escapes END", ( n == 2 ) && ( ulWireLen == 7 ) && ( ucWire[ 1 ] == 'D' ) && ( ucWire[ 3 ] == 0xDB ) && ( ucWire[ 4 ] == 0xDC ) );
    prvFeed( &l, closed_old, sizeof( closed_old ) );
    CHECK( "c for an older seq is ignored", WardenLink_State( &l ) == 2 );
    prvFeed( &l, closed_now, sizeof( closed_now ) );
    CHECK( "c for the current seq closes", ( WardenLink_State( &l ) == 0 ) && ( WardenLink_Recv( &l, buf, 4 ) < 0 ) && ( WardenLink_Send( &l, buf, 1 ) < 0 ) );

    /* ring overflow closes the stream instead of corrupting it */
    WardenLink_Init( &l, fWrite, NULL );
    ( void ) WardenLink_Open( &l );
    prvFeed( &l, open_ok, sizeof( open_ok ) );
    {
        static uint8_t big[ 3 + 200 + 1 ];
        uint32_t i;

        big[ 0 ] = 0xC0;
        big[ 1 ] = 'D';
        big[ 2 ] = 1;
        memset( &big[ 3 ], 'q', 200 );
        big[ 203 ] = 0xC0;

        for( i = 0; i < ( ( WARDEN_LINK_RX_RING_BYTES / 200U ) + 1U ); i++ )
        {
            prvFeed( &l, big, sizeof( big ) );
        }
    }
    CHECK( "ring overflow drops the connection", ( WardenLink_State( &l ) == 0 ) && ( l.dropped > 0U ) );

    /* a frame longer than the frame buffer is dropped up to the next END */
    WardenLink_Init( &l, fWrite, NULL );
    {
        static uint8_t junk[ WARDEN_LINK_FRAME_MAX + 10 ];
        const uint8_t report_now[] = { 0xC0, 'R', 0xC0 };

        memset( junk, 'K', sizeof( junk ) );
        prvFeed( &l, junk, sizeof( junk ) );
        prvFeed( &l, report_now, sizeof( report_now ) );
        CHECK( "resync after an over-long frame", ( l.reportNow == 1U ) && ( l.configReady == 0U ) );
    }
}

int main( void )
{
    prvHostTests();
    prvLinkTests();
    return iFailed;
}
