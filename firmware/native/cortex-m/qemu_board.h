/*
 * The QEMU board (both Cortex-M machines): a WardenBoard_t over the UART link.
 */
#ifndef QEMU_BOARD_H
#define QEMU_BOARD_H

#include <stdint.h>
#include "warden_board.h"
#include "warden_link.h"

extern WardenLink_t QemuBoard_Link;
extern const WardenBoard_t QemuBoard_Board;

/* Clocks, UARTs and the link's receive hook. */
void QemuBoard_Init( void );

/* Send hello and wait for the bridge's configuration frame; 0 received, -1 timed out. */
int32_t QemuBoard_AwaitConfig( uint32_t timeoutMs );

#endif /* QEMU_BOARD_H */
