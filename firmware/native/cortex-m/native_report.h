/*
 * The benchmark's baseline: a Device Defender report built with snprintf from the same
 * board data the agent sees, the way vendor demos build it.
 */
#ifndef NATIVE_REPORT_H
#define NATIVE_REPORT_H

#include <stdint.h>
#include "warden_board.h"

/* JSON report into buf; length, or -1 when it does not fit. */
int32_t NativeReport_Json( const WardenBoard_t * board, int32_t shortKeys, char * buf, uint32_t cap );

#endif /* NATIVE_REPORT_H */
