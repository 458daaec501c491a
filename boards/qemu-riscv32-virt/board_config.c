/*
 * qemu-riscv32-virt: rv32imac on QEMU's `virt` machine (-bios none, machine mode). Data link on
 * the NS16550A at 0x10000000 (QEMU serial0, PLIC source 10), log lines through semihosting,
 * clock from the CLINT's 10 MHz mtime, cycle counts from mcycle.
 */
#include "rv_port.h"

static const CmSimPort_t xTcp[] = { { 80U, "wlan0" }, { 8883U, "wlan0" } };
static const CmSimPort_t xUdp[] = { { 5353U, "wlan0" } };

const CmBoardConfig_t CmBoard_Config =
{
    .name = "qemu-riscv32-virt",
    .uart = &CmUart_Ns16550,
    .dataUart = 0x10000000UL,
    .consoleUart = 0UL, /* semihosting */
    .dataIrq = 10,
    .sysclkHz = 1000000000UL, /* mcycle under -icount shift=0: one per instruction */
    .tcpPorts = xTcp,
    .tcpPortCount = sizeof( xTcp ) / sizeof( xTcp[ 0 ] ),
    .udpPorts = xUdp,
    .udpPortCount = sizeof( xUdp ) / sizeof( xUdp[ 0 ] ),
    .iface = "wlan0"
};

const RvPlatform_t RvBoard_Platform =
{
    .clint = 0x02000000UL,
    .mtimeHz = 10000000UL,
    .mtimeOffset = 0xBFF8U,
    .mtimecmpOffset = 0x4000U,
    .plic = 0x0C000000UL,
    .plicEnableOffset = 0x2000U,
    .plicThresholdOffset = 0x200000U,
    .plicClaimOffset = 0x200004U
};
