# WAMR platform configuration for plain FreeRTOS (pass as -DSHARED_PLATFORM_CONFIG=<this file>).
set (PLATFORM_SHARED_DIR ${CMAKE_CURRENT_LIST_DIR})

add_definitions(-DBH_PLATFORM_FREERTOS)

include_directories(${PLATFORM_SHARED_DIR})
include_directories(${SHARED_DIR}/platform/include)

include (${SHARED_DIR}/platform/common/freertos/platform_api_freertos.cmake)
include (${SHARED_DIR}/platform/common/math/platform_api_math.cmake)
include (${SHARED_DIR}/platform/common/memory/platform_api_memory.cmake)

set (PLATFORM_SHARED_SOURCE
     ${PLATFORM_SHARED_DIR}/freertos_platform.c
     ${PLATFORM_COMMON_FREERTOS_SOURCE}
     ${PLATFORM_COMMON_MATH_SOURCE}
     ${PLATFORM_COMMON_MEMORY_SOURCE})
