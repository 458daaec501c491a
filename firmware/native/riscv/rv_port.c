/*
 * RISC-V (rv32, machine mode) implementation of the QEMU board port API (cm_port.h) for the
 * QEMU `virt` machine with `-bios none`: start-up, clock from the CLINT's mtime, a 1 kHz
 * mtimecmp tick that wakes `wfi`, the data UART's receive interrupt through the PLIC, a
 * semihosting console and semihosting exit. Addresses, IRQ line and timer frequency come from
 * the board's configuration (board_config.c, RvBoard_Platform). Cycle measurements use mcycle,
 * which QEMU advances once per instruction under -icount shift=0 (a 1 GHz virtual clock: the
 * board's sysclkHz).
 */
#include <string.h>
#include "cm_port.h"
#include "rv_port.h"
#include "warden_config_defaults.h"

extern const uint8_t * WardenRt_StackLimit;
extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _sstack, _estack;
extern int main( void );

#define PRV_STACK_PAINT       ( 0xA5A5A5A5UL )
#define PRV_REG32( a )        ( *( volatile uint32_t * ) ( a ) )

#define PRV_MSTATUS_MIE       ( 1UL << 3 )
#define PRV_MIE_MTIE          ( 1UL << 7 )
#define PRV_MIE_MEIE          ( 1UL << 11 )
#define PRV_MCAUSE_IRQ        ( 1UL << 31 )
#define PRV_CAUSE_TIMER       ( 7UL )
#define PRV_CAUSE_EXTERNAL    ( 11UL )

/* semihosting operations */
#define PRV_SYS_WRITEC        ( 0x03UL )
#define PRV_SYS_EXIT          ( 0x18UL )

void ( * CmPort_RxHook )( uint8_t byte );

static uint32_t ulTicksPerMs;

void RvPort_Reset( void );
void RvPort_Trap( void ) __attribute__( ( interrupt( "machine" ), aligned( 4 ) ) );

/* Entry: stack pointer, then C. No global pointer: the build uses -msmall-data-limit=0. */
__asm__ (
    ".section .text.init,\"ax\",@progbits\n"
    ".globl _start\n"
    "_start:\n"
    "    la sp, _estack\n"
    "    j RvPort_Reset\n"
    );

/* A semihosting call: the three-instruction sequence the debugger (QEMU) recognises, kept
 * uncompressed and within one page. */
static uint32_t prvSemihost( uint32_t op, uintptr_t arg )
{
    register uint32_t a0 __asm__( "a0" ) = op;
    register uintptr_t a1 __asm__( "a1" ) = arg;

    __asm__ volatile (
        ".option push\n"
        ".option norvc\n"
        ".balign 16\n"
        "slli x0, x0, 0x1f\n"
        "ebreak\n"
        "srai x0, x0, 7\n"
        ".option pop\n"
        : "+r" ( a0 ) : "r" ( a1 ) : "memory" );
    return a0;
}

static uint64_t prvMtime( void )
{
    const RvPlatform_t * p = &RvBoard_Platform;
    uint32_t hi;
    uint32_t lo;

    do
    {
        hi = PRV_REG32( p->clint + p->mtimeOffset + 4U );
        lo = PRV_REG32( p->clint + p->mtimeOffset );
    } while( hi != PRV_REG32( p->clint + p->mtimeOffset + 4U ) );

    return ( ( uint64_t ) hi << 32 ) | lo;
}

static void prvArmTimer( uint64_t at )
{
    const RvPlatform_t * p = &RvBoard_Platform;
    uintptr_t cmp = p->clint + p->mtimecmpOffset;

    /* high word to all ones first so no spurious match happens between the two writes */
    PRV_REG32( cmp + 4U ) = 0xFFFFFFFFUL;
    PRV_REG32( cmp ) = ( uint32_t ) at;
    PRV_REG32( cmp + 4U ) = ( uint32_t ) ( at >> 32 );
}

void RvPort_Reset( void )
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

void RvPort_Trap( void )
{
    const RvPlatform_t * p = &RvBoard_Platform;
    const CmBoardConfig_t * cfg = &CmBoard_Config;
    uint32_t cause;
    uint32_t irq;
    int32_t b;

    __asm__ volatile ( "csrr %0, mcause" : "=r" ( cause ) );

    if( ( cause & PRV_MCAUSE_IRQ ) == 0U )
    {
        uint32_t epc;

        __asm__ volatile ( "csrr %0, mepc" : "=r" ( epc ) );
        CmPort_ConsolePrint( "warden: fault, mcause=" );
        CmPort_ConsolePrintU64( cause );
        CmPort_ConsolePrint( " mepc=" );
        CmPort_ConsolePrintU64( epc );
        CmPort_ConsolePrint( "\n" );
        CmPort_Exit( 3 );
    }

    cause &= ~PRV_MCAUSE_IRQ;

    if( cause == PRV_CAUSE_TIMER )
    {
        /* the clock is mtime itself; the tick only bounds how long wfi sleeps */
        prvArmTimer( prvMtime() + ulTicksPerMs );
    }
    else if( cause == PRV_CAUSE_EXTERNAL )
    {
        while( ( irq = PRV_REG32( p->plic + p->plicClaimOffset ) ) != 0U )
        {
            if( irq == ( uint32_t ) cfg->dataIrq )
            {
                cfg->uart->ClearIrq( cfg->dataUart );

                while( ( b = cfg->uart->GetByte( cfg->dataUart ) ) >= 0 )
                {
                    if( CmPort_RxHook != NULL )
                    {
                        CmPort_RxHook( ( uint8_t ) b );
                    }
                }
            }

            PRV_REG32( p->plic + p->plicClaimOffset ) = irq; /* complete */
        }
    }
    else
    {
        CmPort_ConsolePrint( "warden: unexpected interrupt\n" );
        CmPort_Exit( 3 );
    }
}

void CmPort_Init( void )
{
    const RvPlatform_t * p = &RvBoard_Platform;
    const CmBoardConfig_t * cfg = &CmBoard_Config;
    uint32_t irq = ( uint32_t ) cfg->dataIrq;
    uintptr_t mtvec = ( uintptr_t ) RvPort_Trap;

    WardenRt_StackLimit = ( const uint8_t * ) ( ( uintptr_t ) &_sstack + WARDEN_RT_STACK_MARGIN );
    ulTicksPerMs = p->mtimeHz / 1000U;
    __asm__ volatile ( "csrw mtvec, %0" : : "r" ( mtvec ) );

    cfg->uart->Init( cfg->dataUart, 1 );

    /* PLIC: the data UART's line at priority 1, enabled for hart 0 machine mode, threshold 0 */
    PRV_REG32( p->plic + ( 4U * irq ) ) = 1U;
    PRV_REG32( p->plic + p->plicEnableOffset + ( 4U * ( irq / 32U ) ) ) |= 1UL << ( irq % 32U );
    PRV_REG32( p->plic + p->plicThresholdOffset ) = 0U;

    prvArmTimer( prvMtime() + ulTicksPerMs );
    __asm__ volatile ( "csrs mie, %0" : : "r" ( PRV_MIE_MTIE | PRV_MIE_MEIE ) );
    CmPort_EnableIrq();
}

uint64_t CmPort_Millis( void )
{
    return prvMtime() / ulTicksPerMs;
}

uint64_t CmPort_Cycles( void )
{
    uint32_t hi;
    uint32_t hi2;
    uint32_t lo;

    /* under -icount shift=0 QEMU's mcycle counts instructions */
    do
    {
        __asm__ volatile ( "csrr %0, mcycleh" : "=r" ( hi ) );
        __asm__ volatile ( "csrr %0, mcycle" : "=r" ( lo ) );
        __asm__ volatile ( "csrr %0, mcycleh" : "=r" ( hi2 ) );
    } while( hi != hi2 );

    return ( ( uint64_t ) hi << 32 ) | lo;
}

uint32_t CmPort_MeasureBegin( void )
{
    uint32_t c;

    CmPort_DisableIrq();
    __asm__ volatile ( "csrr %0, mcycle" : "=r" ( c ) );
    return c;
}

uint32_t CmPort_MeasureEnd( uint32_t start )
{
    uint32_t c;

    __asm__ volatile ( "csrr %0, mcycle" : "=r" ( c ) );
    CmPort_EnableIrq();
    return c - start;
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
    __asm__ volatile ( "wfi" );
}

void CmPort_DisableIrq( void )
{
    __asm__ volatile ( "csrc mstatus, %0" : : "r" ( PRV_MSTATUS_MIE ) : "memory" );
}

void CmPort_EnableIrq( void )
{
    __asm__ volatile ( "csrs mstatus, %0" : : "r" ( PRV_MSTATUS_MIE ) : "memory" );
}

void CmPort_ConsoleWrite( const char * text, uint32_t len )
{
    uint32_t i;

    for( i = 0; i < len; i++ )
    {
        char c = text[ i ];

        ( void ) prvSemihost( PRV_SYS_WRITEC, ( uintptr_t ) &c );
    }
}

__attribute__( ( noreturn ) ) void CmPort_Exit( int32_t status )
{
    /* rv32 SYS_EXIT takes the reason itself: ADP_Stopped_ApplicationExit (0x20026) makes QEMU
     * exit 0, ADP_Stopped_RunTimeErrorUnknown (0x20023) exit 1 */
    ( void ) prvSemihost( PRV_SYS_EXIT, ( status == 0 ) ? 0x20026U : 0x20023U );

    for( ; ; )
    {
    }
}
