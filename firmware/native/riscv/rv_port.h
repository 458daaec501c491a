/*
 * RISC-V additions to the QEMU board port API (cm_port.h): the platform addresses a board
 * supplies (CLINT, PLIC) and the NS16550 UART driver.
 */
#ifndef RV_PORT_H
#define RV_PORT_H

#include <stdint.h>
#include "cm_port.h"

typedef struct RvPlatform
{
    uintptr_t clint;               /* CLINT base */
    uint32_t mtimeHz;              /* mtime frequency: the millisecond clock */
    uint32_t mtimeOffset;          /* mtime, from the CLINT base */
    uint32_t mtimecmpOffset;       /* hart 0 mtimecmp, from the CLINT base */
    uintptr_t plic;                /* PLIC base; priority of source n at plic + 4n */
    uint32_t plicEnableOffset;     /* hart 0 M-mode enable bits */
    uint32_t plicThresholdOffset;  /* hart 0 M-mode threshold; claim/complete follows it */
    uint32_t plicClaimOffset;
} RvPlatform_t;

/* Provided by each RISC-V board folder (board_config.c). */
extern const RvPlatform_t RvBoard_Platform;

extern const CmUartDriver_t CmUart_Ns16550;

#endif /* RV_PORT_H */
