/*
 * stm32f4-freertos board (board_freertos.c).
 */
#ifndef BOARD_FREERTOS_H
#define BOARD_FREERTOS_H

#include <stdint.h>
#include "FreeRTOS.h"
#include "task.h"
#include "warden_board.h"

extern const WardenBoard_t BoardFreeRtos_Board;

/* Create the stream buffers and the transport task; agentTask gets notified on new bytes. */
BaseType_t BoardFreeRtos_StartTransport( TaskHandle_t agentTask );

/* 32 bits from the RNG peripheral. */
uint32_t BoardFreeRtos_Random( void );

/* Log sink (main.c: ITM/UART of the user's choice). */
void BoardFreeRtos_LogWrite( int32_t level, const char * text, uint32_t len );

#endif /* BOARD_FREERTOS_H */
