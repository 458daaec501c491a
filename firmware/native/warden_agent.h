/*
 * Warden agent driver: loads agent.wasm through the linked runtime adapter, hands it its
 * configuration, calls agent_step as often as it asks, and restarts it cleanly (fresh
 * instance, transport closed, same configuration) whenever it traps. Board-independent.
 */
#ifndef WARDEN_AGENT_H
#define WARDEN_AGENT_H

#include <stdint.h>
#include "warden_board.h"
#include "warden_host.h"
#include "warden_config_defaults.h"

typedef enum WardenAgentStatus
{
    WARDEN_AGENT_OK = 0,
    WARDEN_AGENT_BAD_CONFIG,     /* agent_init or agent_step reported the configuration unusable */
    WARDEN_AGENT_LOAD_FAILED,    /* the module could not be instantiated */
    WARDEN_AGENT_TRAPPED         /* the module trapped; it has been restarted (or will be) */
} WardenAgentStatus_t;

typedef struct WardenAgent
{
    WardenHost_t host;
    uint8_t config[ WARDEN_CONFIG_MAX_BYTES ];
    uint32_t configLen;
    uint32_t traps;              /* traps since boot */
    uint32_t restarts;           /* successful restarts since boot */
    uint32_t memoryFaults;       /* traps after which memory outside the module was found changed */
    uint32_t backoffMs;          /* current restart backoff */
    uint64_t restartAtMs;        /* clock_ms when the pending restart may happen, 0 none */
    uint8_t running;             /* 1 when an initialised instance exists */
    int32_t lastInit;            /* status of the last agent_init */
} WardenAgent_t;

/* Load the module and initialise it with cfg (TLV, docs/abi.md "Configuration"). */
WardenAgentStatus_t WardenAgent_Start( WardenAgent_t * agent,
                                       const WardenBoard_t * board,
                                       const uint8_t * cfg,
                                       uint32_t cfgLen );

/* Run one agent_step (or a pending restart). Writes the ms the board may idle to *waitMs. */
WardenAgentStatus_t WardenAgent_Poll( WardenAgent_t * agent, uint32_t * waitMs );

/* agent_report_now. */
WardenAgentStatus_t WardenAgent_ReportNow( WardenAgent_t * agent );

/* agent_stat(id); -1 when the module is not running. */
int64_t WardenAgent_Stat( WardenAgent_t * agent, int32_t id );

/* agent_encode into the module's scratch region; *out points into linear memory (valid until
 * the next call). Returns the length, or < 0. */
int32_t WardenAgent_Encode( WardenAgent_t * agent, int32_t flags, const uint8_t ** out );

#endif /* WARDEN_AGENT_H */
