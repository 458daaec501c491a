/*
 * Warden board contract: the five things a board supplies to run agent.wasm, whatever the
 * runtime (wasm2c or WAMR): a byte transport to the broker, a clock, network counters, a
 * ports/connections source and a persistent report-id store. All functions take the board's
 * own context pointer. None may block longer than a few ms except Wait.
 */
#ifndef WARDEN_BOARD_H
#define WARDEN_BOARD_H

#include <stdint.h>

/* Metric kinds, docs/abi.md "Metric kinds and records". */
#define WARDEN_METRIC_TCP_PORTS      ( 0 )
#define WARDEN_METRIC_UDP_PORTS      ( 1 )
#define WARDEN_METRIC_CONNECTIONS    ( 2 )
#define WARDEN_METRIC_CUSTOM         ( 3 )

/* Transport states, docs/abi.md net_state. */
#define WARDEN_NET_CLOSED            ( 0 )
#define WARDEN_NET_CONNECTING        ( 1 )
#define WARDEN_NET_CONNECTED         ( 2 )

typedef struct WardenCounters
{
    uint64_t bytesIn;
    uint64_t bytesOut;
    uint64_t packetsIn;
    uint64_t packetsOut;
} WardenCounters_t;

/* One metric item. Kinds 0/1 use port + iface; kind 2 uses family, addr, port (remote),
 * localPort and iface; kind 3 (custom) is a record already in the ABI layout in raw/rawLen. */
typedef struct WardenMetricItem
{
    uint16_t port;
    uint16_t localPort;
    uint8_t family;
    uint8_t addr[ 16 ];
    const char * iface;
    const uint8_t * raw;
    uint32_t rawLen;
} WardenMetricItem_t;

typedef struct WardenBoard
{
    const char * name;
    void * ctx;

    /* byte transport: non-blocking; Send returns bytes taken or < 0 when the link is down,
     * Recv returns bytes copied, 0 for none now, < 0 when the link is down. */
    int32_t ( * NetOpen )( void * ctx );
    int32_t ( * NetState )( void * ctx );
    int32_t ( * NetSend )( void * ctx, const uint8_t * data, uint32_t len );
    int32_t ( * NetRecv )( void * ctx, uint8_t * buf, uint32_t cap );
    void ( * NetClose )( void * ctx );

    /* clock: monotonic ms since boot; wall-clock Unix ms or 0 when untrusted; 32 random bits */
    uint64_t ( * ClockMs )( void * ctx );
    uint64_t ( * EpochMs )( void * ctx );
    uint32_t ( * Entropy )( void * ctx );

    /* network counters: 0 ok, 1 not available on this device */
    int32_t ( * Counters )( void * ctx, WardenCounters_t * out );

    /* ports, connections and custom metrics: count, then item; item returns 0 or -1 (no such index) */
    int32_t ( * MetricCount )( void * ctx, int32_t kind );
    int32_t ( * MetricItem )( void * ctx, int32_t kind, int32_t index, WardenMetricItem_t * out );

    /* persistent slots: value or -1 when never written; 0 ok or < 0 */
    int64_t ( * StoreLoad )( void * ctx, int32_t slot );
    int32_t ( * StoreSave )( void * ctx, int32_t slot, int64_t value );

    /* one log line (not NUL-terminated) */
    void ( * Log )( void * ctx, int32_t level, const char * text, uint32_t len );

    /* idle until ms have passed or transport bytes arrived */
    void ( * Wait )( void * ctx, uint32_t ms );
} WardenBoard_t;

#endif /* WARDEN_BOARD_H */
