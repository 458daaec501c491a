/*
 * Warden board for ESP-IDF: a lwIP socket owned by a transport task, reached through two
 * stream buffers (the agent never blocks); esp_timer clock; wall clock once SNTP has set it;
 * esp_random; lwIP statistics for packet counts and the socket's own byte counts; listening
 * ports and established connections read from lwIP's PCB lists inside the tcpip thread; the
 * report-id slot in NVS.
 */
#include <string.h>
#include <sys/time.h>
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "freertos/stream_buffer.h"
#include "esp_timer.h"
#include "esp_random.h"
#include "esp_log.h"
#include "nvs.h"
#include "lwip/sockets.h"
#include "lwip/netdb.h"
#include "lwip/stats.h"
#include "lwip/tcpip.h"
#include "lwip/priv/tcpip_priv.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/udp.h"
#include "board_esp32.h"

#define PRV_STREAM_BYTES    ( 1536U )
#define PRV_MAX_ITEMS       ( 16 )
#define PRV_TAG             "warden"

typedef enum { prvIDLE = 0, prvOPEN_REQUESTED, prvCONNECTED, prvCLOSE_REQUESTED } prvRequest_t;

static BoardEsp32Config_t xConfig;
static StreamBufferHandle_t xTx;
static StreamBufferHandle_t xRx;
static TaskHandle_t xAgentTask;
static TaskHandle_t xTransportTask;
static volatile int32_t lNetState = WARDEN_NET_CLOSED;
static volatile prvRequest_t eRequest = prvIDLE;
static volatile uint64_t ullBytesIn;
static volatile uint64_t ullBytesOut;
static nvs_handle_t xNvs;

/* metric snapshot, filled in the tcpip thread */
struct prvSnapshot
{
    struct tcpip_api_call_data call;
    int32_t kind;
    int32_t count;
    WardenMetricItem_t items[ PRV_MAX_ITEMS ];
};
static struct prvSnapshot xSnap;

/* ---- transport task ---- */

static int prvConnect( void )
{
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
    struct addrinfo * res = NULL;
    char port[ 6 ];
    int s = -1;
    struct timeval tv = { .tv_sec = 0, .tv_usec = 20000 };

    snprintf( port, sizeof( port ), "%u", ( unsigned ) xConfig.brokerPort );

    if( ( getaddrinfo( xConfig.brokerHost, port, &hints, &res ) == 0 ) && ( res != NULL ) )
    {
        s = socket( res->ai_family, res->ai_socktype, 0 );

        if( ( s >= 0 ) && ( connect( s, res->ai_addr, res->ai_addrlen ) != 0 ) )
        {
            close( s );
            s = -1;
        }

        if( s >= 0 )
        {
            ( void ) setsockopt( s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof( tv ) );
        }
    }

    if( res != NULL )
    {
        freeaddrinfo( res );
    }

    return s;
}

static void prvTransportTask( void * param )
{
    int sock = -1;
    uint8_t buf[ 256 ];
    ssize_t n;

    ( void ) param;

    for( ; ; )
    {
        if( eRequest == prvOPEN_REQUESTED )
        {
            if( sock >= 0 )
            {
                close( sock );
            }

            ( void ) xStreamBufferReset( xTx );
            ( void ) xStreamBufferReset( xRx );
            sock = prvConnect();
            lNetState = ( sock >= 0 ) ? WARDEN_NET_CONNECTED : WARDEN_NET_CLOSED;
            eRequest = ( sock >= 0 ) ? prvCONNECTED : prvIDLE;
            ( void ) xTaskNotifyGive( xAgentTask );
        }
        else if( eRequest == prvCLOSE_REQUESTED )
        {
            if( sock >= 0 )
            {
                shutdown( sock, SHUT_RDWR );
                close( sock );
            }

            sock = -1;
            eRequest = prvIDLE;
        }
        else if( eRequest == prvCONNECTED )
        {
            size_t out = xStreamBufferReceive( xTx, buf, sizeof( buf ), 0 );
            size_t room = xStreamBufferSpacesAvailable( xRx );

            n = 0;

            if( out > 0U )
            {
                n = send( sock, buf, out, 0 );
                n = ( n == ( ssize_t ) out ) ? 0 : -1;
                ullBytesOut += out;
            }

            if( n == 0 )
            {
                n = recv( sock, buf, ( room < sizeof( buf ) ) ? room : sizeof( buf ), 0 );

                if( ( n < 0 ) && ( ( errno == EAGAIN ) || ( errno == EWOULDBLOCK ) ) )
                {
                    n = 0;
                }
                else if( n == 0 )
                {
                    n = -1; /* orderly close by the broker */
                }
            }

            if( n > 0 )
            {
                ullBytesIn += ( uint64_t ) n;
                ( void ) xStreamBufferSend( xRx, buf, ( size_t ) n, 0 );
                ( void ) xTaskNotifyGive( xAgentTask );
            }
            else if( n < 0 )
            {
                close( sock );
                sock = -1;
                lNetState = WARDEN_NET_CLOSED;
                eRequest = prvIDLE;
                ( void ) xTaskNotifyGive( xAgentTask );
            }
        }
        else
        {
            ( void ) ulTaskNotifyTake( pdTRUE, pdMS_TO_TICKS( 100 ) );
        }
    }
}

/* ---- lwIP PCB walk (runs in the tcpip thread) ---- */

static void prvAddPort( uint16_t port )
{
    if( xSnap.count < PRV_MAX_ITEMS )
    {
        memset( &xSnap.items[ xSnap.count ], 0, sizeof( WardenMetricItem_t ) );
        xSnap.items[ xSnap.count ].port = port;
        xSnap.items[ xSnap.count ].iface = "wlan0";
        xSnap.count++;
    }
}

static err_t prvWalkPcbs( struct tcpip_api_call_data * call )
{
    struct prvSnapshot * s = ( struct prvSnapshot * ) call;

    s->count = 0;

    if( s->kind == WARDEN_METRIC_TCP_PORTS )
    {
        for( struct tcp_pcb_listen * l = tcp_listen_pcbs.listen_pcbs; l != NULL; l = l->next )
        {
            prvAddPort( l->local_port );
        }
    }
    else if( s->kind == WARDEN_METRIC_UDP_PORTS )
    {
        for( struct udp_pcb * u = udp_pcbs; u != NULL; u = u->next )
        {
            prvAddPort( u->local_port );
        }
    }
    else if( s->kind == WARDEN_METRIC_CONNECTIONS )
    {
        for( struct tcp_pcb * p = tcp_active_pcbs; ( p != NULL ) && ( s->count < PRV_MAX_ITEMS ); p = p->next )
        {
            if( ( p->state == ESTABLISHED ) && IP_IS_V4( &p->remote_ip ) )
            {
                WardenMetricItem_t * it = &s->items[ s->count ];
                uint32_t ip = ip4_addr_get_u32( ip_2_ip4( &p->remote_ip ) ); /* network order in memory */

                memset( it, 0, sizeof( *it ) );
                it->family = 4U;
                memcpy( it->addr, &ip, 4U );
                it->port = p->remote_port;
                it->localPort = p->local_port;
                it->iface = "wlan0";
                s->count++;
            }
        }
    }

    return ERR_OK;
}

/* ---- WardenBoard_t ---- */

static int32_t prvNetOpen( void * ctx )
{
    ( void ) ctx;
    lNetState = WARDEN_NET_CONNECTING;
    eRequest = prvOPEN_REQUESTED;
    ( void ) xTaskNotifyGive( xTransportTask );
    return 0;
}

static int32_t prvNetState( void * ctx )
{
    ( void ) ctx;
    return lNetState;
}

static int32_t prvNetSend( void * ctx, const uint8_t * data, uint32_t len )
{
    ( void ) ctx;
    return ( lNetState == WARDEN_NET_CONNECTED ) ? ( int32_t ) xStreamBufferSend( xTx, data, len, 0 ) : -3;
}

static int32_t prvNetRecv( void * ctx, uint8_t * buf, uint32_t cap )
{
    size_t n = xStreamBufferReceive( xRx, buf, cap, 0 );

    ( void ) ctx;
    return ( ( n == 0U ) && ( lNetState != WARDEN_NET_CONNECTED ) ) ? -3 : ( int32_t ) n;
}

static void prvNetClose( void * ctx )
{
    ( void ) ctx;
    lNetState = WARDEN_NET_CLOSED;
    eRequest = prvCLOSE_REQUESTED;
    ( void ) xTaskNotifyGive( xTransportTask );
}

static uint64_t prvClockMs( void * ctx )
{
    ( void ) ctx;
    return ( uint64_t ) ( esp_timer_get_time() / 1000 );
}

static uint64_t prvEpochMs( void * ctx )
{
    struct timeval tv;

    ( void ) ctx;
    gettimeofday( &tv, NULL );
    /* before SNTP has run the clock starts at 1970: report "untrusted" */
    return ( tv.tv_sec < 1700000000 ) ? 0U : ( ( uint64_t ) tv.tv_sec * 1000U ) + ( ( uint64_t ) tv.tv_usec / 1000U );
}

static uint32_t prvEntropy( void * ctx )
{
    ( void ) ctx;
    return esp_random();
}

static int32_t prvCounters( void * ctx, WardenCounters_t * out )
{
    ( void ) ctx;
    out->bytesIn = ullBytesIn;
    out->bytesOut = ullBytesOut;
#if LWIP_STATS && IP_STATS
    out->packetsIn = lwip_stats.ip.recv;
    out->packetsOut = lwip_stats.ip.xmit;
#else
    out->packetsIn = 0;
    out->packetsOut = 0;
#endif
    return 0;
}

static int32_t prvMetricCount( void * ctx, int32_t kind )
{
    ( void ) ctx;

    if( ( kind < WARDEN_METRIC_TCP_PORTS ) || ( kind > WARDEN_METRIC_CONNECTIONS ) )
    {
        return 0;
    }

    xSnap.kind = kind;
    return ( tcpip_api_call( prvWalkPcbs, &xSnap.call ) == ERR_OK ) ? xSnap.count : 0;
}

static int32_t prvMetricItem( void * ctx, int32_t kind, int32_t index, WardenMetricItem_t * out )
{
    if( ( kind != xSnap.kind ) && ( prvMetricCount( ctx, kind ) < 0 ) )
    {
        return -1;
    }

    if( ( index < 0 ) || ( index >= xSnap.count ) )
    {
        return -1;
    }

    *out = xSnap.items[ index ];
    return 0;
}

static int64_t prvStoreLoad( void * ctx, int32_t slot )
{
    char key[ 8 ];
    int64_t v = -1;

    ( void ) ctx;
    snprintf( key, sizeof( key ), "slot%d", ( int ) slot );
    return ( nvs_get_i64( xNvs, key, &v ) == ESP_OK ) ? v : -1;
}

static int32_t prvStoreSave( void * ctx, int32_t slot, int64_t value )
{
    char key[ 8 ];

    ( void ) ctx;
    snprintf( key, sizeof( key ), "slot%d", ( int ) slot );
    return ( ( nvs_set_i64( xNvs, key, value ) == ESP_OK ) && ( nvs_commit( xNvs ) == ESP_OK ) ) ? 0 : -1;
}

static void prvLog( void * ctx, int32_t level, const char * text, uint32_t len )
{
    ( void ) ctx;

    if( level == 0 )
    {
        ESP_LOGE( PRV_TAG, "%.*s", ( int ) len, text );
    }
    else if( level == 1 )
    {
        ESP_LOGW( PRV_TAG, "%.*s", ( int ) len, text );
    }
    else
    {
        ESP_LOGI( PRV_TAG, "%.*s", ( int ) len, text );
    }
}

static void prvWait( void * ctx, uint32_t ms )
{
    ( void ) ctx;
    ( void ) ulTaskNotifyTake( pdTRUE, pdMS_TO_TICKS( ms ) );
}

const WardenBoard_t BoardEsp32_Board =
{
    "esp32", NULL,
    prvNetOpen, prvNetState, prvNetSend, prvNetRecv, prvNetClose,
    prvClockMs, prvEpochMs, prvEntropy,
    prvCounters, prvMetricCount, prvMetricItem,
    prvStoreLoad, prvStoreSave,
    prvLog, prvWait
};

esp_err_t BoardEsp32_Start( const BoardEsp32Config_t * cfg, TaskHandle_t agentTask )
{
    esp_err_t err = nvs_open( "warden", NVS_READWRITE, &xNvs );

    if( err != ESP_OK )
    {
        return err;
    }

    xConfig = *cfg;
    xAgentTask = agentTask;
    xTx = xStreamBufferCreate( PRV_STREAM_BYTES, 1 );
    xRx = xStreamBufferCreate( PRV_STREAM_BYTES, 1 );

    if( ( xTx == NULL ) || ( xRx == NULL ) ||
        ( xTaskCreate( prvTransportTask, "wtransport", 4096, NULL, 6, &xTransportTask ) != pdPASS ) )
    {
        return ESP_ERR_NO_MEM;
    }

    return ESP_OK;
}
