/*
 * Warden host layer: see warden_host.h and docs/abi.md.
 */
#include <string.h>
#include "warden_host.h"
#include "warden_config_defaults.h"

#define WARDEN_IFACE_MAX    ( 15U )   /* docs/abi.md: interface name <= 15 bytes */
#define WARDEN_SLOT_COUNT   ( 4 )

static void prvTrap( WardenHost_t * host, int32_t why, const char * import )
{
    host->lastTrap = why;
    host->lastTrapImport = import;
    host->Trap( host, why, import );
}

static void prvPutU16( uint8_t * p, uint16_t v )
{
    p[ 0 ] = ( uint8_t ) v;
    p[ 1 ] = ( uint8_t ) ( v >> 8 );
}

static void prvPutU64( uint8_t * p, uint64_t v )
{
    uint32_t i;

    for( i = 0; i < 8U; i++ )
    {
        p[ i ] = ( uint8_t ) ( v >> ( 8U * i ) );
    }
}

static uint32_t prvIfaceLen( const char * iface )
{
    uint32_t n = 0;

    if( iface != NULL )
    {
        while( ( n < WARDEN_IFACE_MAX ) && ( iface[ n ] != '\0' ) )
        {
            n++;
        }
    }

    return n;
}

void WardenHost_Init( WardenHost_t * host, const WardenBoard_t * board, WardenHostTrap_t trap )
{
    memset( host, 0, sizeof( *host ) );
    host->board = board;
    host->Trap = trap;
}

int32_t WardenHost_RangeOk( const WardenHost_t * host, uint32_t ptr, uint32_t len )
{
    /* 64-bit sum: ptr + len may not wrap around */
    return ( ( ( uint64_t ) ptr + ( uint64_t ) len ) <= ( uint64_t ) host->memSize ) ? 1 : 0;
}

int64_t WardenHost_ClockMs( WardenHost_t * host )
{
    return ( int64_t ) host->board->ClockMs( host->board->ctx );
}

int64_t WardenHost_EpochMs( WardenHost_t * host )
{
    return ( int64_t ) host->board->EpochMs( host->board->ctx );
}

int32_t WardenHost_Entropy( WardenHost_t * host )
{
    return ( int32_t ) host->board->Entropy( host->board->ctx );
}

int32_t WardenHost_NetOpen( WardenHost_t * host )
{
    return host->board->NetOpen( host->board->ctx );
}

int32_t WardenHost_NetState( WardenHost_t * host )
{
    return host->board->NetState( host->board->ctx );
}

int32_t WardenHost_NetSend( WardenHost_t * host, uint32_t ptr, uint32_t len )
{
    if( WardenHost_RangeOk( host, ptr, len ) == 0 )
    {
        prvTrap( host, WARDEN_HOST_TRAP_RANGE, "net_send" );
        return -2;
    }

    return host->board->NetSend( host->board->ctx, &host->memBase[ ptr ], len );
}

int32_t WardenHost_NetRecv( WardenHost_t * host, uint32_t ptr, uint32_t cap )
{
    if( WardenHost_RangeOk( host, ptr, cap ) == 0 )
    {
        prvTrap( host, WARDEN_HOST_TRAP_RANGE, "net_recv" );
        return -2;
    }

    return host->board->NetRecv( host->board->ctx, &host->memBase[ ptr ], cap );
}

void WardenHost_NetClose( WardenHost_t * host )
{
    host->board->NetClose( host->board->ctx );
}

int32_t WardenHost_MetricsCounters( WardenHost_t * host, uint32_t ptr )
{
    WardenCounters_t c;
    uint8_t * out;

    if( WardenHost_RangeOk( host, ptr, 32U ) == 0 )
    {
        prvTrap( host, WARDEN_HOST_TRAP_RANGE, "metrics_counters" );
        return -2;
    }

    memset( &c, 0, sizeof( c ) );

    if( host->board->Counters( host->board->ctx, &c ) != 0 )
    {
        return 1;
    }

    out = &host->memBase[ ptr ];
    prvPutU64( &out[ 0 ], c.bytesIn );
    prvPutU64( &out[ 8 ], c.bytesOut );
    prvPutU64( &out[ 16 ], c.packetsIn );
    prvPutU64( &out[ 24 ], c.packetsOut );
    return 0;
}

int32_t WardenHost_MetricsCount( WardenHost_t * host, int32_t kind )
{
    int32_t n;

    if( ( kind < WARDEN_METRIC_TCP_PORTS ) || ( kind > WARDEN_METRIC_CUSTOM ) )
    {
        return 0;
    }

    n = host->board->MetricCount( host->board->ctx, kind );
    return ( n < 0 ) ? 0 : n;
}

int32_t WardenHost_EncodeItem( int32_t kind, const WardenMetricItem_t * item, uint8_t * out, uint32_t cap )
{
    uint32_t ifLen = prvIfaceLen( item->iface );
    uint32_t need;

    switch( kind )
    {
        case WARDEN_METRIC_TCP_PORTS:
        case WARDEN_METRIC_UDP_PORTS:
            need = 3U + ifLen;

            if( need > cap )
            {
                return -2;
            }

            prvPutU16( &out[ 0 ], item->port );
            out[ 2 ] = ( uint8_t ) ifLen;
            memcpy( &out[ 3 ], item->iface, ifLen );
            return ( int32_t ) need;

        case WARDEN_METRIC_CONNECTIONS:
            need = 22U + ifLen;

            if( ( item->family != 4U ) && ( item->family != 6U ) )
            {
                return -1;
            }

            if( need > cap )
            {
                return -2;
            }

            out[ 0 ] = item->family;
            memcpy( &out[ 1 ], item->addr, 16U );
            prvPutU16( &out[ 17 ], item->port );
            prvPutU16( &out[ 19 ], item->localPort );
            out[ 21 ] = ( uint8_t ) ifLen;
            memcpy( &out[ 22 ], item->iface, ifLen );
            return ( int32_t ) need;

        case WARDEN_METRIC_CUSTOM:

            if( item->raw == NULL )
            {
                return -1;
            }

            if( item->rawLen > cap )
            {
                return -2;
            }

            memcpy( out, item->raw, item->rawLen );
            return ( int32_t ) item->rawLen;

        default:
            return -1;
    }
}

int32_t WardenHost_MetricsItem( WardenHost_t * host, int32_t kind, int32_t index, uint32_t ptr, uint32_t cap )
{
    WardenMetricItem_t item;

    if( WardenHost_RangeOk( host, ptr, cap ) == 0 )
    {
        prvTrap( host, WARDEN_HOST_TRAP_RANGE, "metrics_item" );
        return -2;
    }

    if( ( index < 0 ) || ( index >= WardenHost_MetricsCount( host, kind ) ) )
    {
        return -1;
    }

    memset( &item, 0, sizeof( item ) );

    if( host->board->MetricItem( host->board->ctx, kind, index, &item ) != 0 )
    {
        return -1;
    }

    return WardenHost_EncodeItem( kind, &item, &host->memBase[ ptr ], cap );
}

int64_t WardenHost_StoreLoad( WardenHost_t * host, int32_t slot )
{
    if( ( slot < 0 ) || ( slot >= WARDEN_SLOT_COUNT ) )
    {
        return -1;
    }

    return host->board->StoreLoad( host->board->ctx, slot );
}

int32_t WardenHost_StoreSave( WardenHost_t * host, int32_t slot, int64_t value )
{
    if( ( slot < 0 ) || ( slot >= WARDEN_SLOT_COUNT ) )
    {
        return -2;
    }

    return host->board->StoreSave( host->board->ctx, slot, value );
}

void WardenHost_Log( WardenHost_t * host, int32_t level, uint32_t ptr, uint32_t len )
{
    if( WardenHost_RangeOk( host, ptr, len ) == 0 )
    {
        prvTrap( host, WARDEN_HOST_TRAP_RANGE, "log" );
        return;
    }

    if( len > WARDEN_LOG_MAX_BYTES )
    {
        len = WARDEN_LOG_MAX_BYTES;
    }

    host->board->Log( host->board->ctx, level, ( const char * ) &host->memBase[ ptr ], len );
}
