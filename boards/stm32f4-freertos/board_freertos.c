/*
 * stm32f4-freertos: WardenBoard_t for FreeRTOS. The byte transport is a FreeRTOS+TCP socket
 * owned by the transport task; the agent task talks to it through two stream buffers and a few
 * flags, so nothing the agent calls ever blocks. Counters and socket lists: warden_netstat.c.
 * Report-id store: the STM32F4's battery-backed SRAM. Entropy: the RNG peripheral.
 */
#include <string.h>
#include "FreeRTOS.h"
#include "task.h"
#include "stream_buffer.h"
#include "FreeRTOS_IP.h"
#include "FreeRTOS_Sockets.h"
#include "warden_freertos_config.h"
#include "board_freertos.h"
#include "warden_netstat.h"

/* STM32F4 registers used directly (no HAL dependency in this file) */
#define RCC_AHB1ENR      ( *( volatile uint32_t * ) 0x40023830UL )
#define RCC_AHB2ENR      ( *( volatile uint32_t * ) 0x40023834UL )
#define RCC_APB1ENR      ( *( volatile uint32_t * ) 0x40023840UL )
#define PWR_CR           ( *( volatile uint32_t * ) 0x40007000UL )
#define RNG_CR           ( *( volatile uint32_t * ) 0x50060800UL )
#define RNG_SR           ( *( volatile uint32_t * ) 0x50060804UL )
#define RNG_DR           ( *( volatile uint32_t * ) 0x50060808UL )
#define BKPSRAM_BASE_PTR ( ( volatile uint32_t * ) 0x40024000UL )
#define PRV_STORE_MAGIC  ( 0x57415244UL )
#define PRV_SLOTS        ( 4U )

typedef enum { prvIDLE = 0, prvOPEN_REQUESTED, prvCONNECTED, prvCLOSE_REQUESTED } prvLinkRequest_t;

static StreamBufferHandle_t xTx;
static StreamBufferHandle_t xRx;
static TaskHandle_t xAgentTask;
static TaskHandle_t xTransportTask;
static volatile int32_t lNetState = WARDEN_NET_CLOSED;
static volatile prvLinkRequest_t eRequest = prvIDLE;

/* ---- transport task: the only code that touches the socket ---- */

static void prvTransportTask( void * param )
{
    Socket_t sock = FREERTOS_INVALID_SOCKET;
    struct freertos_sockaddr addr;
    uint8_t buf[ 256 ];
    BaseType_t n;
    TickType_t timeout = pdMS_TO_TICKS( 20 );

    ( void ) param;

    for( ; ; )
    {
        if( eRequest == prvOPEN_REQUESTED )
        {
            if( sock != FREERTOS_INVALID_SOCKET )
            {
                ( void ) FreeRTOS_closesocket( sock );
            }

            ( void ) xStreamBufferReset( xTx );
            ( void ) xStreamBufferReset( xRx );
            sock = FreeRTOS_socket( FREERTOS_AF_INET, FREERTOS_SOCK_STREAM, FREERTOS_IPPROTO_TCP );
            memset( &addr, 0, sizeof( addr ) );
            addr.sin_family = FREERTOS_AF_INET;
            addr.sin_port = FreeRTOS_htons( WARDEN_BROKER_PORT );
            addr.sin_address.ulIP_IPv4 = FreeRTOS_inet_addr( WARDEN_BROKER_IP );

            if( ( sock != FREERTOS_INVALID_SOCKET ) &&
                ( FreeRTOS_setsockopt( sock, 0, FREERTOS_SO_RCVTIMEO, &timeout, sizeof( timeout ) ) == 0 ) &&
                ( FreeRTOS_connect( sock, &addr, sizeof( addr ) ) == 0 ) )
            {
                lNetState = WARDEN_NET_CONNECTED;
                eRequest = prvCONNECTED;
            }
            else
            {
                if( sock != FREERTOS_INVALID_SOCKET )
                {
                    ( void ) FreeRTOS_closesocket( sock );
                }

                sock = FREERTOS_INVALID_SOCKET;
                lNetState = WARDEN_NET_CLOSED;
                eRequest = prvIDLE;
            }

            ( void ) xTaskNotifyGive( xAgentTask );
        }
        else if( eRequest == prvCLOSE_REQUESTED )
        {
            if( sock != FREERTOS_INVALID_SOCKET )
            {
                ( void ) FreeRTOS_shutdown( sock, FREERTOS_SHUT_RDWR );
                ( void ) FreeRTOS_closesocket( sock );
            }

            sock = FREERTOS_INVALID_SOCKET;
            eRequest = prvIDLE;
        }
        else if( eRequest == prvCONNECTED )
        {
            size_t out = xStreamBufferReceive( xTx, buf, sizeof( buf ), 0 );

            if( ( out > 0U ) && ( FreeRTOS_send( sock, buf, out, 0 ) != ( BaseType_t ) out ) )
            {
                n = -1;
            }
            else
            {
                n = FreeRTOS_recv( sock, buf, xStreamBufferSpacesAvailable( xRx ) < sizeof( buf ) ?
                                   xStreamBufferSpacesAvailable( xRx ) : sizeof( buf ), 0 );
            }

            if( n > 0 )
            {
                ( void ) xStreamBufferSend( xRx, buf, ( size_t ) n, 0 );
                ( void ) xTaskNotifyGive( xAgentTask );
            }
            else if( ( n < 0 ) && ( n != -pdFREERTOS_ERRNO_EWOULDBLOCK ) && ( n != -pdFREERTOS_ERRNO_EAGAIN ) )
            {
                ( void ) FreeRTOS_closesocket( sock );
                sock = FREERTOS_INVALID_SOCKET;
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

    if( lNetState != WARDEN_NET_CONNECTED )
    {
        return -3;
    }

    return ( int32_t ) xStreamBufferSend( xTx, data, len, 0 );
}

static int32_t prvNetRecv( void * ctx, uint8_t * buf, uint32_t cap )
{
    size_t n;

    ( void ) ctx;
    n = xStreamBufferReceive( xRx, buf, cap, 0 );

    if( ( n == 0U ) && ( lNetState != WARDEN_NET_CONNECTED ) )
    {
        return -3;
    }

    return ( int32_t ) n;
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
    static uint32_t ulWraps;
    static TickType_t xLast;
    TickType_t now = xTaskGetTickCount();

    ( void ) ctx;

    if( now < xLast )
    {
        ulWraps++;
    }

    xLast = now;
    return ( ( ( uint64_t ) ulWraps << 32 ) | now ) * ( uint64_t ) portTICK_PERIOD_MS;
}

static uint64_t prvEpochMs( void * ctx )
{
    ( void ) ctx;
    return 0U; /* no trusted wall clock: the agent numbers reports from its persistent slot */
}

uint32_t BoardFreeRtos_Random( void )
{
    if( ( RNG_CR & ( 1UL << 2 ) ) == 0U )
    {
        RCC_AHB2ENR |= ( 1UL << 6 ); /* RNGEN */
        RNG_CR |= ( 1UL << 2 );
    }

    while( ( RNG_SR & 1UL ) == 0U )
    {
    }

    return RNG_DR;
}

static uint32_t prvEntropy( void * ctx )
{
    ( void ) ctx;
    return BoardFreeRtos_Random();
}

static int32_t prvCounters( void * ctx, WardenCounters_t * out )
{
    ( void ) ctx;
    return WardenNetstat_Counters( out );
}

static int32_t prvMetricCount( void * ctx, int32_t kind )
{
    ( void ) ctx;
    return WardenNetstat_Count( kind );
}

static int32_t prvMetricItem( void * ctx, int32_t kind, int32_t index, WardenMetricItem_t * out )
{
    ( void ) ctx;
    return WardenNetstat_Item( kind, index, out );
}

static volatile uint32_t * prvBackupSram( void )
{
    RCC_APB1ENR |= ( 1UL << 28 ); /* PWREN */
    PWR_CR |= ( 1UL << 8 );       /* DBP: backup domain writable */
    RCC_AHB1ENR |= ( 1UL << 18 ); /* BKPSRAMEN */
    return BKPSRAM_BASE_PTR;
}

static int64_t prvStoreLoad( void * ctx, int32_t slot )
{
    volatile uint32_t * b = prvBackupSram();

    ( void ) ctx;

    if( ( b[ 0 ] != PRV_STORE_MAGIC ) || ( ( uint32_t ) slot >= PRV_SLOTS ) )
    {
        return -1;
    }

    return ( int64_t ) ( ( uint64_t ) b[ 1U + ( 2U * ( uint32_t ) slot ) ] | ( ( uint64_t ) b[ 2U + ( 2U * ( uint32_t ) slot ) ] << 32 ) );
}

static int32_t prvStoreSave( void * ctx, int32_t slot, int64_t value )
{
    volatile uint32_t * b = prvBackupSram();
    uint32_t i;

    ( void ) ctx;

    if( ( uint32_t ) slot >= PRV_SLOTS )
    {
        return -2;
    }

    if( b[ 0 ] != PRV_STORE_MAGIC )
    {
        for( i = 1U; i <= ( 2U * PRV_SLOTS ); i++ )
        {
            b[ i ] = 0xFFFFFFFFUL; /* every slot -1 */
        }

        b[ 0 ] = PRV_STORE_MAGIC;
    }

    b[ 1U + ( 2U * ( uint32_t ) slot ) ] = ( uint32_t ) ( uint64_t ) value;
    b[ 2U + ( 2U * ( uint32_t ) slot ) ] = ( uint32_t ) ( ( uint64_t ) value >> 32 );
    return 0;
}

static void prvLog( void * ctx, int32_t level, const char * text, uint32_t len )
{
    ( void ) ctx;
    BoardFreeRtos_LogWrite( level, text, len );
}

static void prvWait( void * ctx, uint32_t ms )
{
    ( void ) ctx;
    ( void ) ulTaskNotifyTake( pdTRUE, pdMS_TO_TICKS( ms ) );
}

const WardenBoard_t BoardFreeRtos_Board =
{
    "stm32f4-freertos", NULL,
    prvNetOpen, prvNetState, prvNetSend, prvNetRecv, prvNetClose,
    prvClockMs, prvEpochMs, prvEntropy,
    prvCounters, prvMetricCount, prvMetricItem,
    prvStoreLoad, prvStoreSave,
    prvLog, prvWait
};

BaseType_t BoardFreeRtos_StartTransport( TaskHandle_t agentTask )
{
    xAgentTask = agentTask;
    xTx = xStreamBufferCreate( WARDEN_STREAM_BYTES, 1 );
    xRx = xStreamBufferCreate( WARDEN_STREAM_BYTES, 1 );

    if( ( xTx == NULL ) || ( xRx == NULL ) )
    {
        return pdFAIL;
    }

    return xTaskCreate( prvTransportTask, "wtransport", WARDEN_TRANSPORT_TASK_STACK, NULL,
                        WARDEN_TRANSPORT_TASK_PRIORITY, &xTransportTask );
}
