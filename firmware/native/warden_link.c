/*
 * Warden UART link (device side): see warden_link.h and docs/firmware.md.
 */
#include <string.h>
#include "warden_link.h"
#include "warden_board.h"

#define PRV_RING_MASK    ( WARDEN_LINK_RX_RING_BYTES - 1U )

static uint16_t prvU16( const uint8_t * p )
{
    return ( uint16_t ) ( p[ 0 ] | ( ( uint16_t ) p[ 1 ] << 8 ) );
}

static uint32_t prvU32( const uint8_t * p )
{
    return ( uint32_t ) p[ 0 ] | ( ( uint32_t ) p[ 1 ] << 8 ) | ( ( uint32_t ) p[ 2 ] << 16 ) | ( ( uint32_t ) p[ 3 ] << 24 );
}

static void prvPut( WardenLink_t * link, uint8_t b )
{
    if( b == WARDEN_LINK_SLIP_END )
    {
        link->Write( link->writeCtx, WARDEN_LINK_SLIP_ESC );
        link->Write( link->writeCtx, WARDEN_LINK_SLIP_ESC_END );
    }
    else if( b == WARDEN_LINK_SLIP_ESC )
    {
        link->Write( link->writeCtx, WARDEN_LINK_SLIP_ESC );
        link->Write( link->writeCtx, WARDEN_LINK_SLIP_ESC_ESC );
    }
    else
    {
        link->Write( link->writeCtx, b );
    }
}

/* A complete frame arrived (interrupt context). */
static void prvDispatch( WardenLink_t * link )
{
    const uint8_t * f = link->frame;
    uint32_t n = link->frameLen;
    uint32_t i;

    if( n == 0U )
    {
        return; /* empty frame: a resynchronising END */
    }

    link->framesIn++;

    switch( f[ 0 ] )
    {
        case 'K':

            if( ( n >= 17U ) && ( ( n - 17U ) <= sizeof( link->config ) ) )
            {
                link->epochMs = ( uint64_t ) prvU32( &f[ 1 ] ) | ( ( uint64_t ) prvU32( &f[ 5 ] ) << 32 );
                link->simFlags = prvU32( &f[ 9 ] );
                link->counterScale = prvU32( &f[ 13 ] );
                link->configLen = n - 17U;
                memcpy( link->config, &f[ 17 ], link->configLen );
                link->configReady = 1U;
            }

            break;

        case 'o':

            if( ( n >= 6U ) && ( f[ 1 ] == link->seq ) && ( link->state == WARDEN_NET_CONNECTING ) )
            {
                link->remotePort = prvU16( &f[ 2 ] );
                link->localPort = prvU16( &f[ 4 ] );
                link->head = link->tail; /* nothing from an older stream survives */
                link->state = WARDEN_NET_CONNECTED;
            }

            break;

        case 'c':

            if( ( n >= 2U ) && ( f[ 1 ] == link->seq ) )
            {
                link->state = WARDEN_NET_CLOSED;
            }

            break;

        case 'D':

            if( ( n >= 2U ) && ( f[ 1 ] == link->seq ) && ( link->state == WARDEN_NET_CONNECTED ) )
            {
                link->packetsIn++;

                for( i = 2U; i < n; i++ )
                {
                    uint32_t h = link->head;

                    if( ( h - link->tail ) >= WARDEN_LINK_RX_RING_BYTES )
                    {
                        /* the stream would be corrupted: drop the connection instead */
                        link->dropped += n - i;
                        link->state = WARDEN_NET_CLOSED;
                        break;
                    }

                    link->ring[ h & PRV_RING_MASK ] = f[ i ];
                    link->head = h + 1U;
                    link->bytesIn++;
                }
            }

            break;

        case 'R':
            link->reportNow = 1U;
            break;

        case 'X':
            link->exitRequested = 1U;
            break;

        default:
            break; /* unknown frames are ignored */
    }
}

void WardenLink_Init( WardenLink_t * link, WardenLinkWrite_t write, void * ctx )
{
    memset( link, 0, sizeof( *link ) );
    link->Write = write;
    link->writeCtx = ctx;
    link->counterScale = 1U;
}

void WardenLink_RxByte( WardenLink_t * link, uint8_t byte )
{
    if( byte == WARDEN_LINK_SLIP_END )
    {
        if( link->overflow == 0U )
        {
            prvDispatch( link );
        }

        link->frameLen = 0U;
        link->escaped = 0U;
        link->overflow = 0U;
        return;
    }

    if( link->escaped != 0U )
    {
        link->escaped = 0U;
        byte = ( byte == WARDEN_LINK_SLIP_ESC_END ) ? WARDEN_LINK_SLIP_END :
               ( byte == WARDEN_LINK_SLIP_ESC_ESC ) ? WARDEN_LINK_SLIP_ESC : byte;
    }
    else if( byte == WARDEN_LINK_SLIP_ESC )
    {
        link->escaped = 1U;
        return;
    }

    if( link->frameLen >= sizeof( link->frame ) )
    {
        link->overflow = 1U; /* dropped up to the next END */
        link->dropped++;
        return;
    }

    link->frame[ link->frameLen ] = byte;
    link->frameLen++;
}

void WardenLink_SendFrame( WardenLink_t * link, uint8_t type, const uint8_t * payload, uint32_t len )
{
    uint32_t i;

    link->Write( link->writeCtx, WARDEN_LINK_SLIP_END );
    prvPut( link, type );

    for( i = 0; i < len; i++ )
    {
        prvPut( link, payload[ i ] );
    }

    link->Write( link->writeCtx, WARDEN_LINK_SLIP_END );
}

int32_t WardenLink_Open( WardenLink_t * link )
{
    uint8_t seq;

    if( link->state != WARDEN_NET_CLOSED )
    {
        WardenLink_Close( link );
    }

    link->seq++;
    seq = link->seq;
    link->state = WARDEN_NET_CONNECTING;
    WardenLink_SendFrame( link, 'O', &seq, 1U );
    return 0;
}

int32_t WardenLink_State( WardenLink_t * link )
{
    return link->state;
}

int32_t WardenLink_Send( WardenLink_t * link, const uint8_t * data, uint32_t len )
{
    uint8_t seq = link->seq;
    uint32_t n = ( len > WARDEN_LINK_TX_CHUNK ) ? WARDEN_LINK_TX_CHUNK : len;
    uint32_t i;

    if( link->state != WARDEN_NET_CONNECTED )
    {
        return -3;
    }

    if( n == 0U )
    {
        return 0;
    }

    link->Write( link->writeCtx, WARDEN_LINK_SLIP_END );
    prvPut( link, 'D' );
    prvPut( link, seq );

    for( i = 0; i < n; i++ )
    {
        prvPut( link, data[ i ] );
    }

    link->Write( link->writeCtx, WARDEN_LINK_SLIP_END );
    link->bytesOut += n;
    link->packetsOut++;
    return ( int32_t ) n;
}

int32_t WardenLink_Recv( WardenLink_t * link, uint8_t * buf, uint32_t cap )
{
    uint32_t n = 0;
    uint32_t t = link->tail;

    while( ( n < cap ) && ( t != link->head ) )
    {
        buf[ n ] = link->ring[ t & PRV_RING_MASK ];
        n++;
        t++;
    }

    link->tail = t;

    if( ( n == 0U ) && ( link->state != WARDEN_NET_CONNECTED ) )
    {
        return -3;
    }

    return ( int32_t ) n;
}

void WardenLink_Close( WardenLink_t * link )
{
    uint8_t seq = link->seq;

    if( link->state != WARDEN_NET_CLOSED )
    {
        WardenLink_SendFrame( link, 'C', &seq, 1U );
    }

    link->state = WARDEN_NET_CLOSED;
    link->tail = link->head;
}

int32_t WardenLink_Pending( const WardenLink_t * link )
{
    return ( link->head != link->tail ) ? 1 : 0;
}
