/*
 * posix-wamr: agent.wasm under WAMR as a Linux process — the development host for the WAMR
 * adapter (firmware/native/warden_runtime_wamr.c). Transport: a non-blocking TCP socket to the
 * broker; clock: CLOCK_MONOTONIC / CLOCK_REALTIME; counters: the socket's own bytes; no ports.
 *
 *   warden-posix-wamr agent.wasm HOST PORT THING [cbor]
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/random.h>
#include "warden_agent.h"
#include "warden_runtime_wamr.h"

static const char * pcHost;
static const char * pcPort;
static int iSock = -1;
static int32_t lState = WARDEN_NET_CLOSED;
static WardenCounters_t xCounters;
static int64_t llSlots[ 4 ] = { -1, -1, -1, -1 };

static uint64_t prvNow( clockid_t id )
{
    struct timespec ts;

    clock_gettime( id, &ts );
    return ( ( uint64_t ) ts.tv_sec * 1000U ) + ( ( uint64_t ) ts.tv_nsec / 1000000U );
}

static int32_t prvNetOpen( void * ctx )
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
    struct addrinfo * res = NULL;

    ( void ) ctx;

    if( iSock >= 0 )
    {
        close( iSock );
    }

    iSock = -1;
    lState = WARDEN_NET_CLOSED;

    if( ( getaddrinfo( pcHost, pcPort, &hints, &res ) != 0 ) || ( res == NULL ) )
    {
        return -3;
    }

    iSock = socket( res->ai_family, res->ai_socktype, 0 );

    if( ( iSock >= 0 ) && ( connect( iSock, res->ai_addr, res->ai_addrlen ) == 0 ) )
    {
        ( void ) fcntl( iSock, F_SETFL, O_NONBLOCK );
        lState = WARDEN_NET_CONNECTED;
    }

    freeaddrinfo( res );
    return ( lState == WARDEN_NET_CONNECTED ) ? 0 : -3;
}

static int32_t prvNetState( void * ctx )
{
    ( void ) ctx;
    return lState;
}

static int32_t prvNetSend( void * ctx, const uint8_t * data, uint32_t len )
{
    ssize_t n;

    ( void ) ctx;

    if( lState != WARDEN_NET_CONNECTED )
    {
        return -3;
    }

    n = send( iSock, data, len, MSG_NOSIGNAL );

    if( ( n < 0 ) && ( ( errno == EAGAIN ) || ( errno == EWOULDBLOCK ) ) )
    {
        return 0;
    }

    if( n < 0 )
    {
        lState = WARDEN_NET_CLOSED;
        return -3;
    }

    xCounters.bytesOut += ( uint64_t ) n;
    xCounters.packetsOut++;
    return ( int32_t ) n;
}

static int32_t prvNetRecv( void * ctx, uint8_t * buf, uint32_t cap )
{
    ssize_t n;

    ( void ) ctx;

    if( lState != WARDEN_NET_CONNECTED )
    {
        return -3;
    }

    n = recv( iSock, buf, cap, 0 );

    if( ( n < 0 ) && ( ( errno == EAGAIN ) || ( errno == EWOULDBLOCK ) ) )
    {
        return 0;
    }

    if( n <= 0 )
    {
        lState = WARDEN_NET_CLOSED;
        return -3;
    }

    xCounters.bytesIn += ( uint64_t ) n;
    xCounters.packetsIn++;
    return ( int32_t ) n;
}

static void prvNetClose( void * ctx )
{
    ( void ) ctx;

    if( iSock >= 0 )
    {
        close( iSock );
    }

    iSock = -1;
    lState = WARDEN_NET_CLOSED;
}

static uint64_t prvClockMs( void * ctx )
{
    ( void ) ctx;
    return prvNow( CLOCK_MONOTONIC );
}

static uint64_t prvEpochMs( void * ctx )
{
    ( void ) ctx;
    return prvNow( CLOCK_REALTIME );
}

static uint32_t prvEntropy( void * ctx )
{
    uint32_t v = 0;

    ( void ) ctx;
    ( void ) getrandom( &v, sizeof( v ), 0 );
    return v;
}

static int32_t prvCounters( void * ctx, WardenCounters_t * out )
{
    ( void ) ctx;
    *out = xCounters;
    return 0;
}

static int32_t prvMetricCount( void * ctx, int32_t kind )
{
    ( void ) ctx;
    ( void ) kind;
    return 0;
}

static int32_t prvMetricItem( void * ctx, int32_t kind, int32_t index, WardenMetricItem_t * out )
{
    ( void ) ctx;
    ( void ) kind;
    ( void ) index;
    ( void ) out;
    return -1;
}

static int64_t prvStoreLoad( void * ctx, int32_t slot )
{
    ( void ) ctx;
    return llSlots[ slot & 3 ];
}

static int32_t prvStoreSave( void * ctx, int32_t slot, int64_t value )
{
    ( void ) ctx;
    llSlots[ slot & 3 ] = value;
    return 0;
}

static void prvLog( void * ctx, int32_t level, const char * text, uint32_t len )
{
    ( void ) ctx;
    printf( "warden: %c %.*s\n", "EWID"[ level & 3 ], ( int ) len, text );
    fflush( stdout );
}

static void prvWait( void * ctx, uint32_t ms )
{
    struct pollfd p = { .fd = iSock, .events = POLLIN };

    ( void ) ctx;

    if( iSock >= 0 )
    {
        ( void ) poll( &p, 1, ( int ) ms );
    }
    else
    {
        usleep( ms * 1000U );
    }
}

static const WardenBoard_t xBoard =
{
    "posix-wamr", NULL,
    prvNetOpen, prvNetState, prvNetSend, prvNetRecv, prvNetClose,
    prvClockMs, prvEpochMs, prvEntropy,
    prvCounters, prvMetricCount, prvMetricItem,
    prvStoreLoad, prvStoreSave,
    prvLog, prvWait
};

static uint32_t prvPut( uint8_t * out, uint32_t at, uint8_t tag, const void * value, uint16_t len )
{
    out[ at ] = tag;
    out[ at + 1U ] = ( uint8_t ) len;
    out[ at + 2U ] = ( uint8_t ) ( len >> 8 );
    memcpy( &out[ at + 3U ], value, len );
    return at + 3U + len;
}

int main( int argc, char ** argv )
{
    static WardenAgent_t agent;
    static uint8_t wasm[ 256 * 1024 ];
    uint8_t config[ 256 ];
    uint32_t flags = ( argc > 5 ) && ( strcmp( argv[ 5 ], "cbor" ) == 0 ) ? 3U : 0U;
    uint32_t n = 0;
    uint32_t waitMs;
    size_t len;
    FILE * f;
    int64_t last[ 10 ] = { 0 };

    if( argc < 5 )
    {
        fprintf( stderr, "usage: %s agent.wasm HOST PORT THING [cbor]\n", argv[ 0 ] );
        return 2;
    }

    pcHost = argv[ 2 ];
    pcPort = argv[ 3 ];
    f = fopen( argv[ 1 ], "rb" );

    if( f == NULL )
    {
        perror( argv[ 1 ] );
        return 2;
    }

    len = fread( wasm, 1, sizeof( wasm ), f );
    fclose( f );
    WardenWamr_SetModule( wasm, ( uint32_t ) len );
    n = prvPut( config, n, 1U, argv[ 4 ], ( uint16_t ) strlen( argv[ 4 ] ) );
    n = prvPut( config, n, 7U, &flags, 4U );

    if( WardenAgent_Start( &agent, &xBoard, config, n ) != WARDEN_AGENT_OK )
    {
        fprintf( stderr, "agent did not start\n" );
        return 1;
    }

    for( ; ; )
    {
        uint32_t i;

        if( WardenAgent_Poll( &agent, &waitMs ) == WARDEN_AGENT_BAD_CONFIG )
        {
            return 1;
        }

        for( i = 0; i < 10U; i++ )
        {
            int64_t v = WardenAgent_Stat( &agent, ( int32_t ) i );

            if( v != last[ i ] )
            {
                last[ i ] = v;
                printf( "stat %u=%lld\n", i, ( long long ) v );
                fflush( stdout );
            }
        }

        if( waitMs > 0U )
        {
            prvWait( NULL, waitMs );
        }
    }
}
