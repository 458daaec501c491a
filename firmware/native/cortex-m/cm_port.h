/*
 * Cortex-M support shared by the QEMU boards: start-up, a 1 kHz SysTick clock with a
 * cycle-resolution reading, semihosting exit, the UART drivers the boards choose from, and
 * the board configuration structure each board folder fills in (differences are data).
 */
#ifndef CM_PORT_H
#define CM_PORT_H

#include <stdint.h>

/* A polled/interrupt UART driver. base is the peripheral's register block. */
typedef struct CmUartDriver
{
    void ( * Init )( uintptr_t base, int32_t rxInterrupt );
    void ( * PutByte )( uintptr_t base, uint8_t byte );
    int32_t ( * GetByte )( uintptr_t base );  /* byte, or -1 when none waiting */
    void ( * ClearIrq )( uintptr_t base );
} CmUartDriver_t;

extern const CmUartDriver_t CmUart_Stm32Usart;
extern const CmUartDriver_t CmUart_CmsdkApb;

typedef struct CmSimPort
{
    uint16_t port;
    const char * iface;
} CmSimPort_t;

/* Everything that differs between the QEMU boards. */
typedef struct CmBoardConfig
{
    const char * name;
    const CmUartDriver_t * uart;
    uintptr_t dataUart;        /* UART wired to the bridge (QEMU serial0) */
    uintptr_t consoleUart;     /* UART for log lines (QEMU serial1) */
    int32_t dataIrq;           /* NVIC line of the data UART's receive interrupt */
    uint32_t sysclkHz;         /* SysTick clock (processor clock) in Hz */
    const CmSimPort_t * tcpPorts;
    uint32_t tcpPortCount;
    const CmSimPort_t * udpPorts;
    uint32_t udpPortCount;
    const char * iface;        /* interface name reported for the broker connection */
} CmBoardConfig_t;

/* Provided by each board folder (board_config.c). */
extern const CmBoardConfig_t CmBoard_Config;

void CmPort_Init( void );
uint64_t CmPort_Millis( void );
/* Processor cycles since boot (SysTick based); under QEMU -icount shift=0 one cycle of the
 * virtual clock is sysclk-relative, see docs/firmware.md for turning it into instructions. */
uint64_t CmPort_Cycles( void );
/* Cycle-exact measurement of a short (< 1 ms) region with interrupts masked, so no interrupt
 * handler is counted: start = CmPort_MeasureBegin(); ...; cycles = CmPort_MeasureEnd(start). */
uint32_t CmPort_MeasureBegin( void );
uint32_t CmPort_MeasureEnd( uint32_t start );
/* Deepest stack use since boot, bytes (the stack is painted at reset). */
uint32_t CmPort_StackUsed( void );
void CmPort_WaitForInterrupt( void );
void CmPort_DisableIrq( void );
void CmPort_EnableIrq( void );
void CmPort_ConsoleWrite( const char * text, uint32_t len );
void CmPort_ConsolePrint( const char * text );
void CmPort_ConsolePrintU64( uint64_t v );
/* End the simulation through semihosting SYS_EXIT; status 0 is a clean exit. */
__attribute__( ( noreturn ) ) void CmPort_Exit( int32_t status );

/* Called from the data UART's interrupt for each received byte (set by the application). */
extern void ( * CmPort_RxHook )( uint8_t byte );

#endif /* CM_PORT_H */
