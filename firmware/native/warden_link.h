/*
 * Warden UART link: carries the agent's byte stream, and the open/close of that stream, over
 * one UART that the harness (sim/qemu/bridge.ts) wires to a TCP socket. Frames are SLIP
 * (RFC 1055) encoded: `type, payload..., END`. docs/firmware.md "The UART link" is the spec.
 *
 * device -> bridge: 'H' hello(board name), 'O' open(seq), 'C' close(seq), 'D' data(seq, bytes),
 *                   'S' stats(u32 count, i64 values...)
 * bridge -> device: 'K' config(u64 epoch ms, u32 sim flags, u32 counter scale, TLV...),
 *                   'o' opened(seq, u16 remote port, u16 local port), 'c' closed(seq),
 *                   'D' data(seq, bytes), 'R' report now, 'X' exit
 */
#ifndef WARDEN_LINK_H
#define WARDEN_LINK_H

#include <stdint.h>
#include "warden_config_defaults.h"

#ifndef WARDEN_LINK_RX_RING_BYTES
    #define WARDEN_LINK_RX_RING_BYTES    ( 1024U )  /* received stream bytes not yet read (power of 2) */
#endif

#ifndef WARDEN_LINK_FRAME_MAX
    #define WARDEN_LINK_FRAME_MAX        ( 24U + WARDEN_CONFIG_MAX_BYTES ) /* largest frame received */
#endif

#ifndef WARDEN_LINK_TX_CHUNK
    #define WARDEN_LINK_TX_CHUNK         ( 256U )   /* largest data payload per frame sent */
#endif

#define WARDEN_LINK_SLIP_END        ( 0xC0U )
#define WARDEN_LINK_SLIP_ESC        ( 0xDBU )
#define WARDEN_LINK_SLIP_ESC_END    ( 0xDCU )
#define WARDEN_LINK_SLIP_ESC_ESC    ( 0xDDU )

typedef void ( * WardenLinkWrite_t )( void * ctx, uint8_t byte );

typedef struct WardenLink
{
    WardenLinkWrite_t Write;
    void * writeCtx;

    /* receive side: written from the UART interrupt */
    uint8_t frame[ WARDEN_LINK_FRAME_MAX ];
    uint32_t frameLen;
    uint8_t escaped;
    uint8_t overflow;
    uint8_t ring[ WARDEN_LINK_RX_RING_BYTES ];
    volatile uint32_t head;
    volatile uint32_t tail;

    volatile uint8_t state;         /* WARDEN_NET_* */
    uint8_t seq;                    /* sequence number of the current open */
    volatile uint8_t reportNow;     /* 'R' received, not yet consumed */
    volatile uint8_t exitRequested; /* 'X' received */
    volatile uint8_t configReady;   /* 'K' received */
    uint8_t config[ WARDEN_CONFIG_MAX_BYTES ];
    uint32_t configLen;
    uint64_t epochMs;               /* host wall clock at 'K' */
    uint32_t simFlags;
    uint32_t counterScale;
    uint16_t remotePort;
    uint16_t localPort;

    /* counters of the stream (payload bytes, data frames) */
    uint64_t bytesIn;
    uint64_t bytesOut;
    uint64_t packetsIn;
    uint64_t packetsOut;
    uint32_t dropped;               /* bytes lost: ring full or frame too long */
    volatile uint32_t framesIn;     /* frames dispatched: lets a waiting board wake on any event */
} WardenLink_t;

void WardenLink_Init( WardenLink_t * link, WardenLinkWrite_t write, void * ctx );

/* Feed one received UART byte (interrupt context). */
void WardenLink_RxByte( WardenLink_t * link, uint8_t byte );

/* Send one frame: type then payload. */
void WardenLink_SendFrame( WardenLink_t * link, uint8_t type, const uint8_t * payload, uint32_t len );

int32_t WardenLink_Open( WardenLink_t * link );
int32_t WardenLink_State( WardenLink_t * link );
int32_t WardenLink_Send( WardenLink_t * link, const uint8_t * data, uint32_t len );
int32_t WardenLink_Recv( WardenLink_t * link, uint8_t * buf, uint32_t cap );
void WardenLink_Close( WardenLink_t * link );

/* 1 when stream bytes are waiting. */
int32_t WardenLink_Pending( const WardenLink_t * link );

#endif /* WARDEN_LINK_H */
