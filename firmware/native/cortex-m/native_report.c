/*
 * Benchmark baseline: the report built the way vendor demos build it, with snprintf into one
 * buffer (spec §1.2 keys, long or short). Same board data as the agent's collector sees.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "native_report.h"

typedef struct
{
    char * buf;
    uint32_t cap;
    uint32_t len;
    int32_t full;
} Out_t;

static void prvAdd( Out_t * o, const char * fmt, const char * a, const char * b )
{
    int n;

    if( o->full != 0 )
    {
        return;
    }

    n = snprintf( &o->buf[ o->len ], o->cap - o->len, fmt, a, b );

    if( ( n < 0 ) || ( ( uint32_t ) n >= ( o->cap - o->len ) ) )
    {
        o->full = 1;
        return;
    }

    o->len += ( uint32_t ) n;
}

/* newlib-nano's printf has no 64-bit conversions: format them by hand */
static const char * prvU64( char * tmp, uint64_t v )
{
    char * p = &tmp[ 20 ];

    *p = '\0';

    do
    {
        p--;
        *p = ( char ) ( '0' + ( int ) ( v % 10U ) );
        v /= 10U;
    } while( v != 0U );

    return p;
}

static void prvPorts( Out_t * o, const WardenBoard_t * board, int32_t kind, int32_t s, const char * name )
{
    WardenMetricItem_t item;
    char num[ 21 ];
    int32_t n = board->MetricCount( board->ctx, kind );
    int32_t i;

    prvAdd( o, "\"%s\":{\"%s\":[", name, s ? "pts" : "ports" );

    for( i = 0; i < n; i++ )
    {
        memset( &item, 0, sizeof( item ) );
        ( void ) board->MetricItem( board->ctx, kind, i, &item );
        prvAdd( o, i ? ",{\"%s\":\"%s\"," : "{\"%s\":\"%s\",", s ? "if" : "interface", item.iface );
        prvAdd( o, "\"%s\":%s}", s ? "pt" : "port", prvU64( num, item.port ) );
    }

    prvAdd( o, "],\"%s\":%s}", s ? "t" : "total", prvU64( num, ( uint64_t ) n ) );
}

int32_t NativeReport_Json( const WardenBoard_t * board, int32_t s, char * buf, uint32_t cap )
{
    Out_t o = { buf, cap, 0, 0 };
    WardenCounters_t c;
    WardenMetricItem_t item;
    char num[ 21 ];
    char addr[ 24 ];
    int32_t n;
    int32_t i;

    prvAdd( &o, "{\"%s\":{", s ? "hed" : "header", NULL );
    prvAdd( &o, "\"%s\":%s,", s ? "rid" : "report_id", prvU64( num, board->EpochMs( board->ctx ) ) );
    prvAdd( &o, "\"%s\":\"%s\"},", s ? "v" : "version", "1.0" );
    prvAdd( &o, "\"%s\":{", s ? "met" : "metrics", NULL );
    prvPorts( &o, board, WARDEN_METRIC_TCP_PORTS, s, s ? "tp" : "listening_tcp_ports" );
    prvAdd( &o, ",", NULL, NULL );
    prvPorts( &o, board, WARDEN_METRIC_UDP_PORTS, s, s ? "up" : "listening_udp_ports" );

    if( board->Counters( board->ctx, &c ) == 0 )
    {
        prvAdd( &o, ",\"%s\":{", s ? "ns" : "network_stats", NULL );
        prvAdd( &o, "\"%s\":%s,", s ? "bi" : "bytes_in", prvU64( num, c.bytesIn ) );
        prvAdd( &o, "\"%s\":%s,", s ? "bo" : "bytes_out", prvU64( num, c.bytesOut ) );
        prvAdd( &o, "\"%s\":%s,", s ? "pi" : "packets_in", prvU64( num, c.packetsIn ) );
        prvAdd( &o, "\"%s\":%s}", s ? "po" : "packets_out", prvU64( num, c.packetsOut ) );
    }

    prvAdd( &o, ",\"%s\":{", s ? "tc" : "tcp_connections", NULL );
    prvAdd( &o, "\"%s\":{\"%s\":[", s ? "ec" : "established_connections", s ? "cs" : "connections" );
    n = board->MetricCount( board->ctx, WARDEN_METRIC_CONNECTIONS );

    for( i = 0; i < n; i++ )
    {
        memset( &item, 0, sizeof( item ) );
        ( void ) board->MetricItem( board->ctx, WARDEN_METRIC_CONNECTIONS, i, &item );
        ( void ) snprintf( addr, sizeof( addr ), "%u.%u.%u.%u:%u", item.addr[ 0 ], item.addr[ 1 ], item.addr[ 2 ], item.addr[ 3 ], item.port );
        prvAdd( &o, i ? ",{\"%s\":\"%s\"," : "{\"%s\":\"%s\",", s ? "li" : "local_interface", item.iface );
        prvAdd( &o, "\"%s\":%s,", s ? "lp" : "local_port", prvU64( num, item.localPort ) );
        prvAdd( &o, "\"%s\":\"%s\"}", s ? "rad" : "remote_addr", addr );
    }

    prvAdd( &o, "],\"%s\":%s}}}}", s ? "t" : "total", prvU64( num, ( uint64_t ) n ) );
    return ( o.full != 0 ) ? -1 : ( int32_t ) o.len;
}

/* newlib's snprintf links its allocator even when it never allocates; there is no heap. */
void * _sbrk( ptrdiff_t increment );

void * _sbrk( ptrdiff_t increment )
{
    ( void ) increment;
    return ( void * ) -1;
}
