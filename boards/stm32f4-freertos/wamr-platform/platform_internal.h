/*
 * WAMR platform port for plain FreeRTOS (no POSIX layer), used by stm32f4-freertos. Types and
 * the few inline helpers WAMR's vmcore needs; the functions are in freertos_platform.c and in
 * WAMR's own core/shared/platform/common/freertos/ (malloc, threads, time).
 */
#ifndef _PLATFORM_INTERNAL_H
#define _PLATFORM_INTERNAL_H

#include <stdint.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include "FreeRTOS.h"
#include "task.h"
#include "semphr.h"

#ifndef BH_PLATFORM_FREERTOS
#define BH_PLATFORM_FREERTOS
#endif

#define BH_APPLET_PRESERVED_STACK_SIZE (2 * 1024)
#define BH_THREAD_DEFAULT_PRIORITY 5

typedef TaskHandle_t korp_tid;
typedef TaskHandle_t korp_thread;
typedef unsigned int korp_sem;
typedef unsigned int korp_rwlock;

typedef struct korp_mutex {
    SemaphoreHandle_t sem;
    bool is_recursive;
} korp_mutex;

struct os_thread_wait_node;
typedef struct os_thread_wait_node *os_thread_wait_list;
typedef struct korp_cond {
    SemaphoreHandle_t wait_list_lock;
    os_thread_wait_list thread_wait_list;
} korp_cond;

#define OS_THREAD_MUTEX_INITIALIZER { NULL, false }

/* no file system: WAMR only needs the handle types to exist */
typedef int os_file_handle;
typedef void *os_dir_stream;
typedef int os_raw_file_handle;
typedef int os_poll_file_handle;
typedef unsigned int os_nfds_t;
typedef int os_timespec;

static inline os_file_handle
os_get_invalid_handle(void)
{
    return -1;
}

static inline int
os_getpagesize(void)
{
    return 4096;
}

#endif /* _PLATFORM_INTERNAL_H */
