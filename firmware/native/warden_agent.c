/*
 * Warden agent driver: see warden_agent.h.
 */
#include <string.h>
#include "warden_agent.h"
#include "warden_runtime.h"

#define PRV_LOG_ERROR    ( 0 )
#define PRV_LOG_INFO     ( 2 )

static void prvLog( WardenAgent_t * agent, int32_t level, const char * a, const char * b )
{
    char line[ 96 ];
    size_t n = strlen( a );

    if( n >= sizeof( line ) )
    {
        n = sizeof( line ) - 1U;
    }

    memcpy( line, a, n );

    if( b != NULL )
    {
        size_t m = strlen( b );

        if( ( n + m ) >= sizeof( line ) )
        {
            m = sizeof( line ) - 1U - n;
        }

        memcpy( &line[ n ], b, m );
        n += m;
    }

    agent->host.board->Log( agent->host.board->ctx, level, line, ( uint32_t ) n );
}

/* Load a fresh instance and hand it the configuration: the one cleanup ladder. */
static WardenAgentStatus_t prvBoot( WardenAgent_t * agent )
{
    WardenAgentStatus_t status = WARDEN_AGENT_OK;
    int64_t ptr = 0;
    int64_t cap = 0;
    int64_t rc = 0;
    uint8_t loaded = 0U;

    agent->running = 0U;

    if( WardenRuntime_Load( &agent->host ) != WARDEN_RT_OK )
    {
        status = WARDEN_AGENT_LOAD_FAILED;
    }
    else
    {
        loaded = 1U;
    }

    if( ( status == WARDEN_AGENT_OK ) &&
        ( ( WardenRuntime_Call( &agent->host, WARDEN_EXPORT_CONFIG_PTR, 0, 0, 0, &ptr ) != WARDEN_RT_OK ) ||
          ( WardenRuntime_Call( &agent->host, WARDEN_EXPORT_CONFIG_CAP, 0, 0, 0, &cap ) != WARDEN_RT_OK ) ) )
    {
        status = WARDEN_AGENT_TRAPPED;
    }

    if( ( status == WARDEN_AGENT_OK ) &&
        ( ( cap < ( int64_t ) agent->configLen ) ||
          ( WardenHost_RangeOk( &agent->host, ( uint32_t ) ptr, agent->configLen ) == 0 ) ) )
    {
        status = WARDEN_AGENT_BAD_CONFIG;
    }

    if( status == WARDEN_AGENT_OK )
    {
        memcpy( &agent->host.memBase[ ( uint32_t ) ptr ], agent->config, agent->configLen );

        if( WardenRuntime_Call( &agent->host, WARDEN_EXPORT_INIT, ( int32_t ) agent->configLen, 0, 0, &rc ) != WARDEN_RT_OK )
        {
            status = WARDEN_AGENT_TRAPPED;
        }
        else if( rc < 0 )
        {
            agent->lastInit = ( int32_t ) rc;
            status = WARDEN_AGENT_BAD_CONFIG;
        }
        else
        {
            agent->lastInit = 0;
            agent->running = 1U;
        }
    }

    if( ( status != WARDEN_AGENT_OK ) && ( loaded != 0U ) )
    {
        WardenRuntime_Unload( &agent->host );
    }

    return status;
}

/* A trap ends the instance: drop the link it owned and schedule a restart with backoff. */
static void prvOnTrap( WardenAgent_t * agent )
{
    uint64_t now = agent->host.board->ClockMs( agent->host.board->ctx );

    agent->traps++;
    agent->running = 0U;
    prvLog( agent, PRV_LOG_ERROR, "agent trapped: ", WardenRuntime_LastTrap() );

    if( WardenRuntime_MemoryIntact() == 0 )
    {
        agent->memoryFaults++;
        prvLog( agent, PRV_LOG_ERROR, "memory outside the module changed", NULL );
    }

    agent->host.board->NetClose( agent->host.board->ctx );
    WardenRuntime_Unload( &agent->host );
    agent->restartAtMs = now + agent->backoffMs;

    if( agent->backoffMs < WARDEN_RESTART_BACKOFF_MAX_MS )
    {
        agent->backoffMs *= 2U;
    }
}

WardenAgentStatus_t WardenAgent_Start( WardenAgent_t * agent,
                                       const WardenBoard_t * board,
                                       const uint8_t * cfg,
                                       uint32_t cfgLen )
{
    WardenAgentStatus_t status;

    memset( agent, 0, sizeof( *agent ) );
    WardenHost_Init( &agent->host, board, NULL );
    agent->backoffMs = WARDEN_RESTART_BACKOFF_MS;

    if( cfgLen > sizeof( agent->config ) )
    {
        return WARDEN_AGENT_BAD_CONFIG;
    }

    memcpy( agent->config, cfg, cfgLen );
    agent->configLen = cfgLen;
    status = prvBoot( agent );

    if( status == WARDEN_AGENT_TRAPPED )
    {
        prvOnTrap( agent );
    }

    return status;
}

WardenAgentStatus_t WardenAgent_Poll( WardenAgent_t * agent, uint32_t * waitMs )
{
    int64_t rc = 0;
    uint64_t now;
    WardenAgentStatus_t status;

    *waitMs = WARDEN_MAX_WAIT_MS;

    if( agent->running == 0U )
    {
        now = agent->host.board->ClockMs( agent->host.board->ctx );

        if( ( agent->restartAtMs == 0U ) )
        {
            return WARDEN_AGENT_BAD_CONFIG; /* not restartable: configuration rejected */
        }

        if( now < agent->restartAtMs )
        {
            uint64_t left = agent->restartAtMs - now;
            *waitMs = ( left < WARDEN_MAX_WAIT_MS ) ? ( uint32_t ) left : WARDEN_MAX_WAIT_MS;
            return WARDEN_AGENT_OK;
        }

        agent->restartAtMs = 0U;
        status = prvBoot( agent );

        if( status == WARDEN_AGENT_TRAPPED )
        {
            prvOnTrap( agent );
            return status;
        }

        if( status != WARDEN_AGENT_OK )
        {
            return status;
        }

        agent->restarts++;
        prvLog( agent, PRV_LOG_INFO, "agent restarted", NULL );
    }

    if( WardenRuntime_Call( &agent->host, WARDEN_EXPORT_STEP, 0, 0, 0, &rc ) != WARDEN_RT_OK )
    {
        prvOnTrap( agent );
        *waitMs = 0U;
        return WARDEN_AGENT_TRAPPED;
    }

    if( rc < 0 )
    {
        return WARDEN_AGENT_BAD_CONFIG;
    }

    /* a step that completed resets the restart backoff */
    agent->backoffMs = WARDEN_RESTART_BACKOFF_MS;
    *waitMs = ( rc < ( int64_t ) WARDEN_MAX_WAIT_MS ) ? ( uint32_t ) rc : WARDEN_MAX_WAIT_MS;
    return WARDEN_AGENT_OK;
}

WardenAgentStatus_t WardenAgent_ReportNow( WardenAgent_t * agent )
{
    int64_t rc;

    if( agent->running == 0U )
    {
        return WARDEN_AGENT_LOAD_FAILED;
    }

    if( WardenRuntime_Call( &agent->host, WARDEN_EXPORT_REPORT_NOW, 0, 0, 0, &rc ) != WARDEN_RT_OK )
    {
        prvOnTrap( agent );
        return WARDEN_AGENT_TRAPPED;
    }

    return WARDEN_AGENT_OK;
}

int64_t WardenAgent_Stat( WardenAgent_t * agent, int32_t id )
{
    int64_t v = -1;

    if( agent->running == 0U )
    {
        return -1;
    }

    if( WardenRuntime_Call( &agent->host, WARDEN_EXPORT_STAT, id, 0, 0, &v ) != WARDEN_RT_OK )
    {
        prvOnTrap( agent );
        return -1;
    }

    return v;
}

int32_t WardenAgent_Encode( WardenAgent_t * agent, int32_t flags, const uint8_t ** out )
{
    int64_t ptr = 0;
    int64_t cap = 0;
    int64_t len = 0;

    if( agent->running == 0U )
    {
        return -3;
    }

    if( ( WardenRuntime_Call( &agent->host, WARDEN_EXPORT_IO_PTR, 0, 0, 0, &ptr ) != WARDEN_RT_OK ) ||
        ( WardenRuntime_Call( &agent->host, WARDEN_EXPORT_IO_CAP, 0, 0, 0, &cap ) != WARDEN_RT_OK ) ||
        ( WardenRuntime_Call( &agent->host, WARDEN_EXPORT_ENCODE, flags, ( int32_t ) ptr, ( int32_t ) cap, &len ) != WARDEN_RT_OK ) )
    {
        prvOnTrap( agent );
        return -4;
    }

    if( ( len < 0 ) || ( WardenHost_RangeOk( &agent->host, ( uint32_t ) ptr, ( uint32_t ) len ) == 0 ) )
    {
        return ( int32_t ) ( ( len < 0 ) ? len : -1 );
    }

    *out = &agent->host.memBase[ ( uint32_t ) ptr ];
    return ( int32_t ) len;
}
