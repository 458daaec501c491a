/* placeholder, replaced below */
#include "native_report.h"
int32_t NativeReport_Json( const WardenBoard_t * board, int32_t shortKeys, char * buf, uint32_t cap )
{
    ( void ) board; ( void ) shortKeys; ( void ) buf; ( void ) cap;
    return -1;
}
