/*
 * qemu-netduinoplus2: STM32F405. Data link on USART1 (QEMU serial0, IRQ 37), log lines on
 * USART2 (serial1), SysTick from the 168 MHz processor clock.
 */
#include "cm_port.h"

static const CmSimPort_t xTcp[] = { { 80U, "eth0" }, { 8883U, "eth0" } };
static const CmSimPort_t xUdp[] = { { 5353U, "eth0" } };

const CmBoardConfig_t CmBoard_Config =
{
    .name = "qemu-netduinoplus2",
    .uart = &CmUart_Stm32Usart,
    .dataUart = 0x40011000UL,
    .consoleUart = 0x40004400UL,
    .dataIrq = 37,
    .sysclkHz = 168000000UL,
    .tcpPorts = xTcp,
    .tcpPortCount = sizeof( xTcp ) / sizeof( xTcp[ 0 ] ),
    .udpPorts = xUdp,
    .udpPortCount = sizeof( xUdp ) / sizeof( xUdp[ 0 ] ),
    .iface = "eth0"
};
