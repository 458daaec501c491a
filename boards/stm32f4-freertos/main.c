/*
 * stm32f4-freertos entry: FreeRTOS+TCP on the STM32 Ethernet MAC, then two tasks — the agent
 * task (agent.wasm under WAMR, driven by firmware/native/warden_agent.c) and the transport task
 * (board_freertos.c). Hardware bring-up (clocks, Ethernet pins, PHY, log UART) is the user's
 * STM32Cube code behind BoardHw_Init / BoardHw_LogWrite.
 */
#include <string.h>
#include "FreeRTOS.h"
#include "task.h"
#include "FreeRTOS_IP.h"
#include "FreeRTOS_Routing.h"
#include "warden_freertos_config.h"
#include "board_freertos.h"
#include "warden_agent.h"
#include "warden_runtime_wamr.h"

/* STM32Cube side (hw_stm32cube.c or the user's project) */
extern void BoardHw_Init( void );
extern void BoardHw_LogWrite( const char * text, uint32_t len );
extern NetworkInterface_t * pxSTM32_FillInterfaceDescriptor( BaseType_t xEMACIndex, NetworkInterface_t * pxInterface );

/* agent.wasm, embedded by agent_module.S (in RAM: WAMR's loader may patch it) */
extern uint8_t WardenAgentWasm[];
extern const uint32_t WardenAgentWasmLen;

static NetworkInterface_t xInterface;
static NetworkEndPoint_t xEndPoint;
static TaskHandle_t xAgentTask;
static WardenAgent_t xAgent;

void BoardFreeRtos_LogWrite( int32_t level, const char * text, uint32_t len )
{
    static const char * const pcLevels[] = { "E ", "W ", "I ", "D " };

    BoardHw_LogWrite( "warden: ", 8U );
    BoardHw_LogWrite( pcLevels[ ( ( uint32_t ) level ) & 3U ], 2U );
    BoardHw_LogWrite( text, len );
    BoardHw_LogWrite( "\r\n", 2U );
}

/* Agent configuration TLV (docs/abi.md "Configuration"). */
static uint32_t prvPut( uint8_t * out, uint32_t at, uint8_t tag, const void * value, uint16_t len )
{
    out[ at ] = tag;
    out[ at + 1U ] = ( uint8_t ) len;
    out[ at + 2U ] = ( uint8_t ) ( len >> 8 );
    memcpy( &out[ at + 3U ], value, len );
    return at + 3U + len;
}

static uint32_t prvBuildConfig( uint8_t * out )
{
    const uint32_t interval = WARDEN_REPORT_INTERVAL_S;
    const uint32_t flags = WARDEN_REPORT_FLAGS | ( ( interval < 300U ) ? 4U : 0U );
    uint8_t le[ 4 ];
    uint32_t n = 0;

    n = prvPut( out, n, 1U, WARDEN_THING_NAME, ( uint16_t ) strlen( WARDEN_THING_NAME ) );
    le[ 0 ] = ( uint8_t ) interval;
    le[ 1 ] = ( uint8_t ) ( interval >> 8 );
    le[ 2 ] = ( uint8_t ) ( interval >> 16 );
    le[ 3 ] = ( uint8_t ) ( interval >> 24 );
    n = prvPut( out, n, 6U, le, 4U );
    le[ 0 ] = ( uint8_t ) flags;
    le[ 1 ] = 0U;
    le[ 2 ] = 0U;
    le[ 3 ] = 0U;
    return prvPut( out, n, 7U, le, 4U );
}

static void prvAgentTask( void * param )
{
    uint8_t config[ 160 ];
    uint32_t waitMs;
    WardenAgentStatus_t status;

    ( void ) param;

    if( BoardFreeRtos_StartTransport( xTaskGetCurrentTaskHandle() ) != pdPASS )
    {
        BoardFreeRtos_LogWrite( 0, "no memory for the transport", 27U );
        vTaskDelete( NULL );
    }

    WardenWamr_SetModule( WardenAgentWasm, WardenAgentWasmLen );
    status = WardenAgent_Start( &xAgent, &BoardFreeRtos_Board, config, prvBuildConfig( config ) );

    if( ( status == WARDEN_AGENT_BAD_CONFIG ) || ( status == WARDEN_AGENT_LOAD_FAILED ) )
    {
        BoardFreeRtos_LogWrite( 0, "agent did not start", 19U );
        vTaskDelete( NULL );
    }

    for( ; ; )
    {
        if( WardenAgent_Poll( &xAgent, &waitMs ) == WARDEN_AGENT_BAD_CONFIG )
        {
            BoardFreeRtos_LogWrite( 0, "configuration unusable", 22U );
            vTaskDelete( NULL );
        }

        if( waitMs > 0U )
        {
            BoardFreeRtos_Board.Wait( BoardFreeRtos_Board.ctx, waitMs );
        }
    }
}

/* FreeRTOS+TCP hooks */

void vApplicationIPNetworkEventHook_Multi( eIPCallbackEvent_t eNetworkEvent, struct xNetworkEndPoint * pxEndPoint )
{
    ( void ) pxEndPoint;

    if( ( eNetworkEvent == eNetworkUp ) && ( xAgentTask == NULL ) )
    {
        ( void ) xTaskCreate( prvAgentTask, "wagent", WARDEN_AGENT_TASK_STACK, NULL, WARDEN_AGENT_TASK_PRIORITY, &xAgentTask );
    }
}

BaseType_t xApplicationGetRandomNumber( uint32_t * pulNumber )
{
    *pulNumber = BoardFreeRtos_Random();
    return pdTRUE;
}

uint32_t ulApplicationGetNextSequenceNumber( uint32_t ulSourceAddress,
                                             uint16_t usSourcePort,
                                             uint32_t ulDestinationAddress,
                                             uint16_t usDestinationPort )
{
    ( void ) ulSourceAddress;
    ( void ) usSourcePort;
    ( void ) ulDestinationAddress;
    ( void ) usDestinationPort;
    return BoardFreeRtos_Random();
}

void vApplicationMallocFailedHook( void )
{
    BoardFreeRtos_LogWrite( 0, "malloc failed", 13U );
    taskDISABLE_INTERRUPTS();

    for( ; ; )
    {
    }
}

void vApplicationStackOverflowHook( TaskHandle_t xTask, char * pcTaskName )
{
    ( void ) xTask;
    BoardFreeRtos_LogWrite( 0, pcTaskName, ( uint32_t ) strlen( pcTaskName ) );
    taskDISABLE_INTERRUPTS();

    for( ; ; )
    {
    }
}

int main( void )
{
    static const uint8_t ucIp[ 4 ] = WARDEN_IP_ADDRESS;
    static const uint8_t ucMask[ 4 ] = WARDEN_NETMASK;
    static const uint8_t ucGateway[ 4 ] = WARDEN_GATEWAY;
    static const uint8_t ucDns[ 4 ] = WARDEN_DNS;
    static const uint8_t ucMac[ 6 ] = WARDEN_MAC_ADDRESS;

    BoardHw_Init();
    ( void ) pxSTM32_FillInterfaceDescriptor( 0, &xInterface );
    FreeRTOS_FillEndPoint( &xInterface, &xEndPoint, ucIp, ucMask, ucGateway, ucDns, ucMac );
    ( void ) FreeRTOS_IPInit_Multi();
    vTaskStartScheduler();

    for( ; ; )
    {
    }
}
