/*
 * WAMR platform port for plain FreeRTOS: initialisation, printing (to the board's log sink)
 * and the memory-mapping calls (AOT code lives in the FreeRTOS heap; Cortex-M has no MMU).
 */
#include "platform_api_vmcore.h"
#include "platform_api_extension.h"

/* The board's log sink (board_freertos.h). */
extern void BoardFreeRtos_LogWrite(int32_t level, const char *text, uint32_t len);

int
bh_platform_init(void)
{
    return 0;
}

void
bh_platform_destroy(void)
{
}

int
os_vprintf(const char *format, va_list ap)
{
    char line[128];
    int n = vsnprintf(line, sizeof(line), format, ap);

    if (n > 0) {
        BoardFreeRtos_LogWrite(3, line, (uint32_t)strnlen(line, sizeof(line)));
    }
    return n;
}

int
os_printf(const char *format, ...)
{
    va_list ap;
    int n;

    va_start(ap, format);
    n = os_vprintf(format, ap);
    va_end(ap);
    return n;
}

void *
os_mmap(void *hint, size_t size, int prot, int flags, os_file_handle file)
{
    (void)hint;
    (void)prot;
    (void)flags;
    (void)file;
    if (size > UINT32_MAX) {
        return NULL;
    }
    return os_malloc((unsigned)size);
}

void
os_munmap(void *addr, size_t size)
{
    (void)size;
    os_free(addr);
}

int
os_mprotect(void *addr, size_t size, int prot)
{
    (void)addr;
    (void)size;
    (void)prot;
    return 0;
}

void
os_dcache_flush(void)
{
    __asm volatile("dsb" ::: "memory");
}

void
os_icache_flush(void *start, size_t len)
{
    (void)start;
    (void)len;
    __asm volatile("dsb\n isb" ::: "memory");
}

int
os_usleep(uint32 usec)
{
    vTaskDelay(pdMS_TO_TICKS((usec + 999) / 1000));
    return 0;
}
