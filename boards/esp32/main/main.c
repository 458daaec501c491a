/*
 * Warden on ESP32: Wi-Fi, SNTP, then the agent task — agent.wasm (embedded by the build)
 * under WAMR, driven by firmware/native/warden_agent.c over the board in components/warden.
 */
#include <string.h>
#include <stdlib.h>
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "esp_log.h"
#include "esp_event.h"
#include "esp_netif.h"
#include "esp_netif_sntp.h"
#include "nvs_flash.h"
#include "protocol_examples_common.h"
#include "board_esp32.h"
#include "warden_agent.h"
#include "warden_runtime_wamr.h"

extern const uint8_t agent_wasm_start[] asm( "_binary_agent_wasm_start" );
extern const uint8_t agent_wasm_end[] asm( "_binary_agent_wasm_end" );

static const char * TAG = "warden";
static WardenAgent_t xAgent;

static uint32_t prvPut( uint8_t * out, uint32_t at, uint8_t tag, const void * value, uint16_t len )
{
    out[ at ] = tag;
    out[ at + 1U ] = ( uint8_t ) len;
    out[ at + 2U ] = ( uint8_t ) ( len >> 8 );
    memcpy( &out[ at + 3U ], value, len );
    return at + 3U + len;
}

/* docs/abi.md "Configuration": thing name, interval, flags */
static uint32_t prvBuildConfig( uint8_t * out )
{
    const uint32_t interval = CONFIG_WARDEN_REPORT_INTERVAL;
    uint32_t flags = ( interval < 300U ) ? 4U : 0U;
    uint8_t le[ 4 ];
    uint32_t n = 0;

#if CONFIG_WARDEN_REPORT_CBOR
    flags |= 3U;
#endif
    n = prvPut( out, n, 1U, CONFIG_WARDEN_THING_NAME, ( uint16_t ) strlen( CONFIG_WARDEN_THING_NAME ) );
    memcpy( le, &interval, 4U ); /* little-endian target */
    n = prvPut( out, n, 6U, le, 4U );
    memcpy( le, &flags, 4U );
    return prvPut( out, n, 7U, le, 4U );
}

static void prvAgentTask( void * param )
{
    const BoardEsp32Config_t board = { CONFIG_WARDEN_BROKER_HOST, ( uint16_t ) CONFIG_WARDEN_BROKER_PORT };
    const uint32_t len = ( uint32_t ) ( agent_wasm_end - agent_wasm_start );
    uint8_t * wasm = malloc( len ); /* WAMR's loader may patch the buffer: keep it in RAM */
    uint8_t config[ 160 ];
    uint32_t waitMs;

    ( void ) param;

    if( ( wasm == NULL ) || ( BoardEsp32_Start( &board, xTaskGetCurrentTaskHandle() ) != ESP_OK ) )
    {
        ESP_LOGE( TAG, "out of memory" );
        vTaskDelete( NULL );
    }

    memcpy( wasm, agent_wasm_start, len );
    WardenWamr_SetModule( wasm, len );

    if( WardenAgent_Start( &xAgent, &BoardEsp32_Board, config, prvBuildConfig( config ) ) == WARDEN_AGENT_BAD_CONFIG )
    {
        ESP_LOGE( TAG, "agent rejected its configuration" );
        vTaskDelete( NULL );
    }

    for( ; ; )
    {
        if( WardenAgent_Poll( &xAgent, &waitMs ) == WARDEN_AGENT_BAD_CONFIG )
        {
            ESP_LOGE( TAG, "agent stopped: configuration unusable" );
            vTaskDelete( NULL );
        }

        if( waitMs > 0U )
        {
            BoardEsp32_Board.Wait( BoardEsp32_Board.ctx, waitMs );
        }
    }
}

void app_main( void )
{
    esp_sntp_config_t sntp = ESP_NETIF_SNTP_DEFAULT_CONFIG( "pool.ntp.org" );
    esp_err_t err = nvs_flash_init();

    if( ( err == ESP_ERR_NVS_NO_FREE_PAGES ) || ( err == ESP_ERR_NVS_NEW_VERSION_FOUND ) )
    {
        ESP_ERROR_CHECK( nvs_flash_erase() );
        err = nvs_flash_init();
    }

    ESP_ERROR_CHECK( err );
    ESP_ERROR_CHECK( esp_netif_init() );
    ESP_ERROR_CHECK( esp_event_loop_create_default() );
    ESP_ERROR_CHECK( example_connect() );
    ESP_ERROR_CHECK( esp_netif_sntp_init( &sntp ) );
    ( void ) esp_netif_sntp_sync_wait( pdMS_TO_TICKS( 10000 ) ); /* without time, report ids come from NVS */
    ( void ) xTaskCreate( prvAgentTask, "wagent", 8192, NULL, 5, NULL );
}
