/*
 * Arm CMSDK APB UART driver (MPS2 boards): DATA, STATE, CTRL, INTSTATUS, BAUDDIV.
 */
#include "cm_port.h"

#define UART_DATA( b )       ( *( volatile uint32_t * ) ( ( b ) + 0x00U ) )
#define UART_STATE( b )      ( *( volatile uint32_t * ) ( ( b ) + 0x04U ) )
#define UART_CTRL( b )       ( *( volatile uint32_t * ) ( ( b ) + 0x08U ) )
#define UART_INTSTATUS( b )  ( *( volatile uint32_t * ) ( ( b ) + 0x0CU ) )
#define UART_BAUDDIV( b )    ( *( volatile uint32_t * ) ( ( b ) + 0x10U ) )

#define STATE_TXFULL         ( 1UL << 0 )
#define STATE_RXFULL         ( 1UL << 1 )
#define CTRL_TXEN            ( 1UL << 0 )
#define CTRL_RXEN            ( 1UL << 1 )
#define CTRL_RXINTEN         ( 1UL << 3 )
#define INT_RX               ( 1UL << 1 )

static void prvInit( uintptr_t base, int32_t rxInterrupt )
{
    UART_BAUDDIV( base ) = 16U;
    UART_CTRL( base ) = CTRL_TXEN | CTRL_RXEN | ( ( rxInterrupt != 0 ) ? CTRL_RXINTEN : 0U );
}

static void prvPutByte( uintptr_t base, uint8_t byte )
{
    while( ( UART_STATE( base ) & STATE_TXFULL ) != 0U )
    {
    }

    UART_DATA( base ) = byte;
}

static int32_t prvGetByte( uintptr_t base )
{
    if( ( UART_STATE( base ) & STATE_RXFULL ) == 0U )
    {
        return -1;
    }

    return ( int32_t ) ( UART_DATA( base ) & 0xFFU );
}

static void prvClearIrq( uintptr_t base )
{
    UART_INTSTATUS( base ) = INT_RX; /* write one to clear */
}

const CmUartDriver_t CmUart_CmsdkApb = { prvInit, prvPutByte, prvGetByte, prvClearIrq };
