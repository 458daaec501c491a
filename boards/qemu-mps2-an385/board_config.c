/*
 * qemu-mps2-an385: Cortex-M3. Data link on CMSDK UART0 (QEMU serial0, RX IRQ 0), log lines on
 * UART1 (serial1), SysTick from the 25 MHz processor clock.
 */
#include "cm_port.h"

static const CmSimPort_t xTcp[] = { { 22U, "eth0" }, { 443U, "eth0" } };
static const CmSimPort_t xUdp[] = { { 123U, "eth0" } };

const CmBoardConfig_t CmBoard_Config =
{
    .name = "qemu-mps2-an385",
    .uart = &CmUart_CmsdkApb,
    .dataUart = 0x40004000UL,
    .consoleUart = 0x40005000UL,
    .dataIrq = 0,
    .sysclkHz = 25000000UL,
    .tcpPorts = xTcp,
    .tcpPortCount = sizeof( xTcp ) / sizeof( xTcp[ 0 ] ),
    .udpPorts = xUdp,
    .udpPortCount = sizeof( xUdp ) / sizeof( xUdp[ 0 ] ),
    .iface = "eth0"
};
