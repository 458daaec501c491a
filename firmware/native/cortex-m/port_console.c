/*
 * Console helpers every port shares, on top of the port's own CmPort_ConsoleWrite
 * (a UART on Cortex-M, semihosting on RISC-V).
 */

#include <stdint.h>
#include <string.h>

#include "cm_port.h"

/*-----------------------------------------------------------*/

void CmPort_ConsolePrint( const char * text )
{
    CmPort_ConsoleWrite( text, ( uint32_t ) strlen( text ) );
}

/*-----------------------------------------------------------*/

void CmPort_ConsolePrintU64( uint64_t v )
{
    char buf[ 21 ];
    uint32_t i = sizeof( buf );

    do
    {
        i--;
        buf[ i ] = ( char ) ( '0' + ( int ) ( v % 10U ) );
        v /= 10U;
    } while( ( v != 0U ) && ( i > 0U ) );

    CmPort_ConsoleWrite( &buf[ i ], ( uint32_t ) ( sizeof( buf ) - i ) );
}
