/*
 * NS16550A UART driver (byte-wide registers, FIFO off so QEMU holds each byte until it is read).
 */
#include "rv_port.h"

#define UART_RBR( b )    ( *( volatile uint8_t * ) ( ( b ) + 0x00U ) )
#define UART_THR( b )    ( *( volatile uint8_t * ) ( ( b ) + 0x00U ) )
#define UART_IER( b )    ( *( volatile uint8_t * ) ( ( b ) + 0x01U ) )
#define UART_IIR( b )    ( *( volatile uint8_t * ) ( ( b ) + 0x02U ) )
#define UART_FCR( b )    ( *( volatile uint8_t * ) ( ( b ) + 0x02U ) )
#define UART_LCR( b )    ( *( volatile uint8_t * ) ( ( b ) + 0x03U ) )
#define UART_LSR( b )    ( *( volatile uint8_t * ) ( ( b ) + 0x05U ) )

#define LCR_8N1          ( 0x03U )
#define IER_RX           ( 0x01U )
#define LSR_DR           ( 0x01U )
#define LSR_THRE         ( 0x20U )

static void prvInit( uintptr_t base, int32_t rxInterrupt )
{
    UART_LCR( base ) = LCR_8N1;
    UART_FCR( base ) = 0U;
    UART_IER( base ) = ( rxInterrupt != 0 ) ? IER_RX : 0U;
}

static void prvPutByte( uintptr_t base, uint8_t byte )
{
    while( ( UART_LSR( base ) & LSR_THRE ) == 0U )
    {
    }

    UART_THR( base ) = byte;
}

static int32_t prvGetByte( uintptr_t base )
{
    if( ( UART_LSR( base ) & LSR_DR ) == 0U )
    {
        return -1;
    }

    return ( int32_t ) UART_RBR( base );
}

static void prvClearIrq( uintptr_t base )
{
    ( void ) UART_IIR( base ); /* the receive interrupt clears when RBR is read */
}

const CmUartDriver_t CmUart_Ns16550 = { prvInit, prvPutByte, prvGetByte, prvClearIrq };
