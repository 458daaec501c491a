/*
 * Cortex-M start-up for the QEMU boards: vector table, reset (copy .data, clear .bss),
 * SysTick at 1 kHz, one handler for every external interrupt (the data UART's), semihosting.
 */
#include <string.h>
#include "cm_port.h"
#include "warden_config_defaults.h"

extern const uint8_t * WardenRt_StackLimit;

#define SYST_CSR     ( *( volatile uint32_t * ) 0xE000E010UL )
#define SYST_RVR     ( *( volatile uint32_t * ) 0xE000E014UL )
#define SYST_CVR     ( *( volatile uint32_t * ) 0xE000E018UL )
#define NVIC_ISER    ( ( volatile uint32_t * ) 0xE000E100UL )
#define SCB_ICSR     ( *( volatile uint32_t * ) 0xE000ED04UL )

#define PRV_VECTORS  ( 16U + 96U )

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _sstack, _estack;

#define PRV_STACK_PAINT    ( 0xA5A5A5A5UL )
extern int main( void );

void ( * CmPort_RxHook )( uint8_t byte );

static volatile uint32_t ulMillis;
static volatile uint32_t ulMillisHigh;
static uint32_t ulReload;

void Reset_Handler( void );
void SysTick_Handler( void );
void Irq_Handler( void );
void Fault_Handler( void );

__attribute__( ( section( ".isr_vector" ), used ) ) static void ( * const pxVectors[ PRV_VECTORS ] )( void ) =
{
    ( void ( * )( void ) ) &_estack,
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
    Fault_Handler, /* MemManage */
    Fault_Handler, /* BusFault */
    Fault_Handler, /* UsageFault */
    0, 0, 0, 0,
    Fault_Handler, /* SVCall */
    Fault_Handler, /* DebugMon */
    0,
    Fault_Handler, /* PendSV */
    SysTick_Handler,
    [ 16 ... PRV_VECTORS - 1U ] = Irq_Handler
};

void Reset_Handler( void )
{
    memcpy( &_sdata, &_sidata, ( size_t ) ( ( uint8_t * ) &_edata - ( uint8_t * ) &_sdata ) );
    memset( &_sbss, 0, ( size_t ) ( ( uint8_t * ) &_ebss - ( uint8_t * ) &_sbss ) );

    /* paint the stack below this frame so CmPort_StackUsed can find the deepest use */
    for( volatile uint32_t * p = &_sstack; p < ( ( volatile uint32_t * ) __builtin_frame_address( 0 ) - 16 ); p++ )
    {
        *p = PRV_STACK_PAINT;
    }

    ( void ) main();
    CmPort_Exit( 1 );
}

void Fault_Handler( void )
{
    CmPort_ConsolePrint( "warden: fault, IPSR/ICSR=" );
    CmPort_ConsolePrintU64( SCB_ICSR & 0x1FFU );
    CmPort_ConsolePrint( "\n" );
    CmPort_Exit( 3 );
}

void SysTick_Handler( void )
{
    uint32_t m = ulMillis + 1U;

    if( m == 0U )
    {
        ulMillisHigh++;
    }

    ulMillis = m;
}

void Irq_Handler( void )
{
    const CmBoardConfig_t * cfg = &CmBoard_Config;
    int32_t b;

    /* clear first, then drain: a byte landing after the last read raises the line again
     * (QEMU holds the next byte until the data register is read) */
    cfg->uart->ClearIrq( cfg->dataUart );

    while( ( b = cfg->uart->GetByte( cfg->dataUart ) ) >= 0 )
    {
        if( CmPort_RxHook != NULL )
        {
            CmPort_RxHook( ( uint8_t ) b );
        }
    }
}

void CmPort_Init( void )
{
    const CmBoardConfig_t * cfg = &CmBoard_Config;

    WardenRt_StackLimit = ( const uint8_t * ) ( ( uintptr_t ) &_sstack + WARDEN_RT_STACK_MARGIN );
    ulReload = cfg->sysclkHz / 1000U;
    SYST_RVR = ulReload - 1U;
    SYST_CVR = 0;
    SYST_CSR = 7U; /* processor clock, interrupt, enable */
    cfg->uart->Init( cfg->consoleUart, 0 );
    cfg->uart->Init( cfg->dataUart, 1 );
    NVIC_ISER[ ( uint32_t ) cfg->dataIrq / 32U ] = 1UL << ( ( uint32_t ) cfg->dataIrq % 32U );
}

uint64_t CmPort_Millis( void )
{
    uint32_t hi;
    uint32_t lo;

    do
    {
        hi = ulMillisHigh;
        lo = ulMillis;
    } while( hi != ulMillisHigh );

    return ( ( uint64_t ) hi << 32 ) | lo;
}

uint64_t CmPort_Cycles( void )
{
    uint64_t ms;
    uint32_t val;

    /* read the count twice around the ms counter so a wrap in between is seen */
    do
    {
        ms = CmPort_Millis();
        val = SYST_CVR;
    } while( ms != CmPort_Millis() );

    return ( ms * ulReload ) + ( uint64_t ) ( ulReload - 1U - val );
}

uint32_t CmPort_MeasureBegin( void )
{
    for( ; ; )
    {
        CmPort_DisableIrq();

        if( ( SCB_ICSR & ( 1UL << 26 ) ) == 0U )
        {
            return SYST_CVR;
        }

        CmPort_EnableIrq(); /* let the pending tick in first */
    }
}

uint32_t CmPort_MeasureEnd( uint32_t start )
{
    uint32_t val = SYST_CVR;
    uint32_t wrapped = SCB_ICSR & ( 1UL << 26 ); /* PENDSTSET: the counter reached 0 once */
    uint32_t elapsed = ( wrapped != 0U ) ? ( start + ulReload - val ) : ( start - val );

    CmPort_EnableIrq();
    return elapsed;
}

uint32_t CmPort_StackUsed( void )
{
    const uint32_t * p = &_sstack;

    while( ( p < &_estack ) && ( *p == PRV_STACK_PAINT ) )
    {
        p++;
    }

    return ( uint32_t ) ( ( uint8_t * ) &_estack - ( uint8_t * ) p );
}

void CmPort_WaitForInterrupt( void )
{
    __asm volatile ( "wfi" );
}

void CmPort_DisableIrq( void )
{
    __asm volatile ( "cpsid i" ::: "memory" );
}

void CmPort_EnableIrq( void )
{
    __asm volatile ( "cpsie i" ::: "memory" );
}

void CmPort_ConsoleWrite( const char * text, uint32_t len )
{
    const CmBoardConfig_t * cfg = &CmBoard_Config;
    uint32_t i;

    for( i = 0; i < len; i++ )
    {
        cfg->uart->PutByte( cfg->consoleUart, ( uint8_t ) text[ i ] );
    }
}

__attribute__( ( noreturn ) ) void CmPort_Exit( int32_t status )
{
    /* SYS_EXIT with ADP_Stopped_ApplicationExit (0x20026) makes QEMU exit 0; a run-time
     * error (0x20023) makes it exit 1. */
    register uint32_t r0 __asm( "r0" ) = 0x18U;
    register uint32_t r1 __asm( "r1" ) = ( status == 0 ) ? 0x20026U : 0x20023U;

    __asm volatile ( "bkpt 0xab" : : "r" ( r0 ), "r" ( r1 ) : "memory" );

    for( ; ; )
    {
    }
}
