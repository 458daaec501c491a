/*
 * STM32F2/F4 USART driver (as QEMU's stm32f2xx_usart models it): SR, DR, BRR, CR1.
 */
#include "cm_port.h"

#define USART_SR( b )     ( *( volatile uint32_t * ) ( ( b ) + 0x00U ) )
#define USART_DR( b )     ( *( volatile uint32_t * ) ( ( b ) + 0x04U ) )
#define USART_BRR( b )    ( *( volatile uint32_t * ) ( ( b ) + 0x08U ) )
#define USART_CR1( b )    ( *( volatile uint32_t * ) ( ( b ) + 0x0CU ) )

#define SR_RXNE           ( 1UL << 5 )
#define SR_TXE            ( 1UL << 7 )
#define CR1_UE            ( 1UL << 13 )
#define CR1_RXNEIE        ( 1UL << 5 )
#define CR1_TE            ( 1UL << 3 )
#define CR1_RE            ( 1UL << 2 )

static void prvInit( uintptr_t base, int32_t rxInterrupt )
{
    USART_BRR( base ) = 0x2D9U; /* 115200 Bd at 84 MHz; QEMU ignores it */
    USART_CR1( base ) = CR1_UE | CR1_TE | CR1_RE | ( ( rxInterrupt != 0 ) ? CR1_RXNEIE : 0U );
}

static void prvPutByte( uintptr_t base, uint8_t byte )
{
    while( ( USART_SR( base ) & SR_TXE ) == 0U )
    {
    }

    USART_DR( base ) = byte;
}

static int32_t prvGetByte( uintptr_t base )
{
    if( ( USART_SR( base ) & SR_RXNE ) == 0U )
    {
        return -1;
    }

    return ( int32_t ) ( USART_DR( base ) & 0xFFU );
}

static void prvClearIrq( uintptr_t base )
{
    ( void ) base; /* reading DR clears RXNE and the interrupt */
}

const CmUartDriver_t CmUart_Stm32Usart = { prvInit, prvPutByte, prvGetByte, prvClearIrq };
