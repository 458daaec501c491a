/*
 * A bare-metal implementation of the wasm2c runtime interface (wasm-rt.h from wabt): no heap,
 * linear memory from one static pool, function types in a fixed table, traps through
 * setjmp/longjmp back to the adapter (warden_runtime_wasm2c.c) which reports and restarts.
 * Replaces wabt's wasm-rt-impl.c, which needs mmap and malloc.
 */
#include <stdarg.h>
#include <string.h>
#include "wasm-rt.h"
#include "warden_config_defaults.h"

#define PRV_PAGE_SIZE    ( 65536U )

typedef struct FuncType
{
    uint8_t params;
    uint8_t results;
    uint8_t types[ WARDEN_RT_MAX_TYPE_ARITY ];
} FuncType_t;

uint32_t wasm_rt_call_stack_depth;
uint32_t wasm_rt_saved_call_stack_depth;
jmp_buf wasm_rt_jmp_buf;

static WASM_RT_UNWIND_TARGET * pxUnwindTarget;
static FuncType_t xFuncTypes[ WARDEN_RT_MAX_FUNC_TYPES ];
static uint32_t ulFuncTypeCount;
#define PRV_GUARD_BYTES  ( 32U )
#define PRV_GUARD_FILL   ( 0xA5U )

/* The pool sits between two guard bands the runtime checks after every trap: nothing the
 * module or the host layer does may ever write outside the pool. */
static struct
{
    uint8_t lo[ PRV_GUARD_BYTES ];
    uint8_t pool[ WARDEN_LINEAR_MEMORY_BYTES ];
    uint8_t hi[ PRV_GUARD_BYTES ];
} xMemory __attribute__( ( aligned( 8 ) ) );
#define ucMemoryPool    ( xMemory.pool )
static uint8_t ucMemoryInUse;
static wasm_rt_funcref_t xTablePool[ WARDEN_RT_MAX_TABLE_ELEMENTS ];
static uint8_t ucTableInUse;

/* The trap that ended the last call; read by the adapter. */
wasm_rt_trap_t WardenRt_LastTrap;

/* Lowest address the module's calls may push the stack to (the board sets it: stack end plus
 * WARDEN_RT_STACK_MARGIN); NULL (address 0) disables the check. */
const uint8_t * WardenRt_StackLimit;

/* Called at every wasm function entry and exit (the build replaces wasm2c's inline call
 * counter with them): a call that would leave less than the stack margin, or nest deeper than
 * WASM_RT_MAX_CALL_STACK_DEPTH, traps as exhaustion instead of overflowing into RAM. */
__attribute__( ( noinline ) ) void WardenRt_Enter( void )
{
    /* this frame sits right below the caller's: its address is the stack depth */
    const uint8_t * sp = ( const uint8_t * ) __builtin_frame_address( 0 );

    if( ( ++wasm_rt_call_stack_depth > WASM_RT_MAX_CALL_STACK_DEPTH ) || ( sp < WardenRt_StackLimit ) )
    {
        wasm_rt_trap( WASM_RT_TRAP_EXHAUSTION );
    }
}

__attribute__( ( noinline ) ) void WardenRt_Leave( void )
{
    --wasm_rt_call_stack_depth;
}

void wasm_rt_init( void )
{
}

bool wasm_rt_is_initialized( void )
{
    return true;
}

void wasm_rt_free( void )
{
    ulFuncTypeCount = 0;
}

WASM_RT_NO_RETURN void wasm_rt_trap( wasm_rt_trap_t code )
{
    WardenRt_LastTrap = code;
    wasm_rt_call_stack_depth = wasm_rt_saved_call_stack_depth;
    longjmp( *pxUnwindTarget, ( int ) code );
}

const char * wasm_rt_strerror( wasm_rt_trap_t trap )
{
    switch( trap )
    {
        case WASM_RT_TRAP_NONE: return "none";
        case WASM_RT_TRAP_OOB: return "oob";
        case WASM_RT_TRAP_INT_OVERFLOW: return "int-overflow";
        case WASM_RT_TRAP_DIV_BY_ZERO: return "div-by-zero";
        case WASM_RT_TRAP_INVALID_CONVERSION: return "invalid-conversion";
        case WASM_RT_TRAP_UNREACHABLE: return "unreachable";
        case WASM_RT_TRAP_CALL_INDIRECT: return "call-indirect";
        case WASM_RT_TRAP_EXHAUSTION: return "exhaustion";
        default: return "other";
    }
}

uint32_t wasm_rt_register_func_type( uint32_t params, uint32_t results, ... )
{
    FuncType_t t;
    va_list args;
    uint32_t i;

    if( ( params + results ) > WARDEN_RT_MAX_TYPE_ARITY )
    {
        wasm_rt_trap( WASM_RT_TRAP_EXHAUSTION );
    }

    memset( &t, 0, sizeof( t ) );
    t.params = ( uint8_t ) params;
    t.results = ( uint8_t ) results;
    va_start( args, results );

    for( i = 0; i < ( params + results ); i++ )
    {
        /* arm-none-eabi enums are short: they travel through varargs as int */
        t.types[ i ] = ( uint8_t ) va_arg( args, int );
    }

    va_end( args );

    for( i = 0; i < ulFuncTypeCount; i++ )
    {
        if( memcmp( &xFuncTypes[ i ], &t, sizeof( t ) ) == 0 )
        {
            return i + 1U;
        }
    }

    if( ulFuncTypeCount >= WARDEN_RT_MAX_FUNC_TYPES )
    {
        wasm_rt_trap( WASM_RT_TRAP_EXHAUSTION );
    }

    xFuncTypes[ ulFuncTypeCount ] = t;
    ulFuncTypeCount++;
    return ulFuncTypeCount;
}

uint32_t wasm_rt_register_tag( uint32_t size )
{
    ( void ) size;
    wasm_rt_trap( WASM_RT_TRAP_EXHAUSTION ); /* exceptions are not supported */
}

void wasm_rt_load_exception( uint32_t tag, uint32_t size, const void * values )
{
    ( void ) tag;
    ( void ) size;
    ( void ) values;
    wasm_rt_trap( WASM_RT_TRAP_UNCAUGHT_EXCEPTION );
}

WASM_RT_NO_RETURN void wasm_rt_throw( void )
{
    wasm_rt_trap( WASM_RT_TRAP_UNCAUGHT_EXCEPTION );
}

WASM_RT_UNWIND_TARGET * wasm_rt_get_unwind_target( void )
{
    return pxUnwindTarget;
}

void wasm_rt_set_unwind_target( WASM_RT_UNWIND_TARGET * target )
{
    pxUnwindTarget = target;
}

uint32_t wasm_rt_exception_tag( void )
{
    return 0;
}

uint32_t wasm_rt_exception_size( void )
{
    return 0;
}

void * wasm_rt_exception( void )
{
    return NULL;
}

void wasm_rt_allocate_memory( wasm_rt_memory_t * memory, uint32_t initial_pages, uint32_t max_pages )
{
    uint64_t want = ( uint64_t ) initial_pages * PRV_PAGE_SIZE;

    if( ucMemoryInUse != 0U )
    {
        wasm_rt_trap( WASM_RT_TRAP_EXHAUSTION ); /* one instance at a time */
    }

    ucMemoryInUse = 1U;
    memset( xMemory.lo, PRV_GUARD_FILL, sizeof( xMemory.lo ) );
    memset( xMemory.hi, PRV_GUARD_FILL, sizeof( xMemory.hi ) );
    memset( ucMemoryPool, 0, sizeof( ucMemoryPool ) );
    memory->data = ucMemoryPool;
    memory->pages = initial_pages;
    memory->max_pages = max_pages;
    /* Only the pool exists: every access past it traps as out of bounds. */
    memory->size = ( want < sizeof( ucMemoryPool ) ) ? ( uint32_t ) want : ( uint32_t ) sizeof( ucMemoryPool );
}

uint32_t wasm_rt_grow_memory( wasm_rt_memory_t * memory, uint32_t pages )
{
    ( void ) memory;
    ( void ) pages;
    return UINT32_MAX; /* memory.grow fails: the pool is fixed */
}

void wasm_rt_free_memory( wasm_rt_memory_t * memory )
{
    memory->data = NULL;
    memory->size = 0;
    ucMemoryInUse = 0U;
}

void wasm_rt_allocate_funcref_table( wasm_rt_funcref_table_t * table, uint32_t elements, uint32_t max_elements )
{
    if( ( elements > WARDEN_RT_MAX_TABLE_ELEMENTS ) || ( ucTableInUse != 0U ) )
    {
        wasm_rt_trap( WASM_RT_TRAP_EXHAUSTION );
    }

    ucTableInUse = 1U;
    memset( xTablePool, 0, sizeof( xTablePool ) );
    table->data = xTablePool;
    table->size = elements;
    table->max_size = max_elements;
}

void wasm_rt_free_funcref_table( wasm_rt_funcref_table_t * table )
{
    table->data = NULL;
    table->size = 0;
    ucTableInUse = 0U;
}

void wasm_rt_allocate_externref_table( wasm_rt_externref_table_t * table, uint32_t elements, uint32_t max_elements )
{
    if( elements > 0U )
    {
        wasm_rt_trap( WASM_RT_TRAP_EXHAUSTION );
    }

    table->data = NULL;
    table->size = 0;
    table->max_size = max_elements;
}

void wasm_rt_free_externref_table( wasm_rt_externref_table_t * table )
{
    table->size = 0;
}

uint32_t wasm_rt_grow_funcref_table( wasm_rt_funcref_table_t * table, uint32_t delta, wasm_rt_funcref_t init )
{
    ( void ) table;
    ( void ) delta;
    ( void ) init;
    return UINT32_MAX;
}

uint32_t wasm_rt_grow_externref_table( wasm_rt_externref_table_t * table, uint32_t delta, wasm_rt_externref_t init )
{
    ( void ) table;
    ( void ) delta;
    ( void ) init;
    return UINT32_MAX;
}

/* 1 when both guard bands around the linear-memory pool are intact. */
int32_t WardenRt_GuardsIntact( void )
{
    uint32_t i;

    for( i = 0; i < PRV_GUARD_BYTES; i++ )
    {
        if( ( xMemory.lo[ i ] != PRV_GUARD_FILL ) || ( xMemory.hi[ i ] != PRV_GUARD_FILL ) )
        {
            return 0;
        }
    }

    return 1;
}

/* The generated code's assert() (only when built without NDEBUG) lands here. */
void __assert_func( const char * file, int line, const char * func, const char * expr )
{
    ( void ) file;
    ( void ) line;
    ( void ) func;
    ( void ) expr;
    wasm_rt_trap( WASM_RT_TRAP_UNREACHABLE );
}
