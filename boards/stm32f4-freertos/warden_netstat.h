/*
 * Device Defender metrics from FreeRTOS+TCP (warden_netstat.c).
 */
#ifndef WARDEN_NETSTAT_H
#define WARDEN_NETSTAT_H

#include <stddef.h>
#include <stdint.h>
#include "warden_board.h"

void vWardenNetstatInput( size_t uxLength );
void vWardenNetstatOutput( size_t uxLength );
int32_t WardenNetstat_Counters( WardenCounters_t * out );
int32_t WardenNetstat_Count( int32_t kind );
int32_t WardenNetstat_Item( int32_t kind, int32_t index, WardenMetricItem_t * out );

#endif /* WARDEN_NETSTAT_H */
