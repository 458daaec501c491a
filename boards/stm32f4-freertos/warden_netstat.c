/*
 * Device Defender metrics from FreeRTOS+TCP: frame and byte counters through the network
 * interface (trace macros in FreeRTOSIPConfig.h), listening TCP/UDP ports and established TCP
 * connections from the stack's bound-socket lists. A snapshot is taken when the agent asks for
 * a kind's count; items are then read from the snapshot.
 */
#include <string.h>
#include "FreeRTOS.h"
#include "task.h"
#include "list.h"
#include "FreeRTOS_IP.h"
#include "FreeRTOS_Sockets.h"
#include "FreeRTOS_IP_Private.h"
#include "warden_netstat.h"

#define PRV_MAX_ITEMS    ( 16U )

static volatile uint64_t ullBytesIn;
static volatile uint64_t ullBytesOut;
static volatile uint64_t ullPacketsIn;
static volatile uint64_t ullPacketsOut;
static WardenMetricItem_t xSnapshot[ PRV_MAX_ITEMS ];
static int32_t lSnapshotKind = -1;
static int32_t lSnapshotCount;

void vWardenNetstatInput( size_t uxLength )
{
    ullBytesIn += uxLength;
    ullPacketsIn++;
}

void vWardenNetstatOutput( size_t uxLength )
{
    ullBytesOut += uxLength;
    ullPacketsOut++;
}

int32_t WardenNetstat_Counters( WardenCounters_t * out )
{
    taskENTER_CRITICAL();
    out->bytesIn = ullBytesIn;
    out->bytesOut = ullBytesOut;
    out->packetsIn = ullPacketsIn;
    out->packetsOut = ullPacketsOut;
    taskEXIT_CRITICAL();
    return 0;
}

/* Walk one bound-socket list with the scheduler suspended (the IP task owns the lists). */
static int32_t prvCollect( List_t * list, int32_t kind )
{
    const ListItem_t * end = listGET_END_MARKER( list );
    const ListItem_t * it;
    int32_t n = 0;

    for( it = listGET_HEAD_ENTRY( list ); ( it != end ) && ( n < ( int32_t ) PRV_MAX_ITEMS ); it = listGET_NEXT( it ) )
    {
        const FreeRTOS_Socket_t * s = ( const FreeRTOS_Socket_t * ) listGET_LIST_ITEM_OWNER( it );
        WardenMetricItem_t * item = &xSnapshot[ n ];

        memset( item, 0, sizeof( *item ) );
        item->iface = "eth0";

        if( kind == WARDEN_METRIC_UDP_PORTS )
        {
            item->port = s->usLocalPort;
            n++;
        }
        else if( ( kind == WARDEN_METRIC_TCP_PORTS ) && ( s->u.xTCP.eTCPState == eTCP_LISTEN ) )
        {
            item->port = s->usLocalPort;
            n++;
        }
        else if( ( kind == WARDEN_METRIC_CONNECTIONS ) && ( s->u.xTCP.eTCPState == eESTABLISHED ) )
        {
            uint32_t ip = s->u.xTCP.xRemoteIP.ulIP_IPv4; /* host byte order in the socket */

            item->family = 4U;
            item->addr[ 0 ] = ( uint8_t ) ( ip >> 24 );
            item->addr[ 1 ] = ( uint8_t ) ( ip >> 16 );
            item->addr[ 2 ] = ( uint8_t ) ( ip >> 8 );
            item->addr[ 3 ] = ( uint8_t ) ip;
            item->port = s->u.xTCP.usRemotePort;
            item->localPort = s->usLocalPort;
            n++;
        }
    }

    return n;
}

int32_t WardenNetstat_Count( int32_t kind )
{
    int32_t n = 0;

    vTaskSuspendAll();

    if( kind == WARDEN_METRIC_UDP_PORTS )
    {
        n = prvCollect( &xBoundUDPSocketsList, kind );
    }
    else if( ( kind == WARDEN_METRIC_TCP_PORTS ) || ( kind == WARDEN_METRIC_CONNECTIONS ) )
    {
        n = prvCollect( &xBoundTCPSocketsList, kind );
    }

    ( void ) xTaskResumeAll();
    lSnapshotKind = kind;
    lSnapshotCount = n;
    return n;
}

int32_t WardenNetstat_Item( int32_t kind, int32_t index, WardenMetricItem_t * out )
{
    if( ( kind != lSnapshotKind ) && ( WardenNetstat_Count( kind ) < 0 ) )
    {
        return -1;
    }

    if( ( index < 0 ) || ( index >= lSnapshotCount ) )
    {
        return -1;
    }

    *out = xSnapshot[ index ];
    return 0;
}
