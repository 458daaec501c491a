/*
 * Warden board for ESP-IDF (board_esp32.c).
 */
#ifndef BOARD_ESP32_H
#define BOARD_ESP32_H

#include <stdint.h>
#include "freertos/FreeRTOS.h"
#include "freertos/task.h"
#include "warden_board.h"

typedef struct BoardEsp32Config
{
    const char * brokerHost;   /* IPv4 literal or host name */
    uint16_t brokerPort;       /* plain MQTT port */
} BoardEsp32Config_t;

extern const WardenBoard_t BoardEsp32_Board;

/* Open NVS, create the stream buffers and the transport task (notifies agentTask on bytes). */
esp_err_t BoardEsp32_Start( const BoardEsp32Config_t * cfg, TaskHandle_t agentTask );

#endif /* BOARD_ESP32_H */
