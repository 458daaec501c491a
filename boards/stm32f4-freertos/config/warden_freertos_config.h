/*
 * stm32f4-freertos: the values a user changes. Everything here has an #ifndef guard so a
 * CMake -D overrides it.
 */
#ifndef WARDEN_FREERTOS_CONFIG_H
#define WARDEN_FREERTOS_CONFIG_H

/* Thing name the agent reports as (configuration tag 1). */
#ifndef WARDEN_THING_NAME
    #define WARDEN_THING_NAME            "stm32f4-dev1"
#endif

/* Broker: IPv4 address and port of a plain-MQTT listener (TLS: see README.md). */
#ifndef WARDEN_BROKER_IP
    #define WARDEN_BROKER_IP             "192.168.1.10"
#endif
#ifndef WARDEN_BROKER_PORT
    #define WARDEN_BROKER_PORT           ( 1883U )
#endif

/* Report interval in seconds (configuration tag 6), default 300. */
#ifndef WARDEN_REPORT_INTERVAL_S
    #define WARDEN_REPORT_INTERVAL_S     ( 300U )
#endif

/* Configuration flags (tag 7): bit 0 CBOR, bit 1 short keys. */
#ifndef WARDEN_REPORT_FLAGS
    #define WARDEN_REPORT_FLAGS          ( 3U )
#endif

/* Static network settings (DHCP can be enabled in FreeRTOSIPConfig.h). */
#ifndef WARDEN_IP_ADDRESS
    #define WARDEN_IP_ADDRESS            { 192, 168, 1, 50 }
#endif
#ifndef WARDEN_NETMASK
    #define WARDEN_NETMASK               { 255, 255, 255, 0 }
#endif
#ifndef WARDEN_GATEWAY
    #define WARDEN_GATEWAY               { 192, 168, 1, 1 }
#endif
#ifndef WARDEN_DNS
    #define WARDEN_DNS                   { 192, 168, 1, 1 }
#endif
#ifndef WARDEN_MAC_ADDRESS
    #define WARDEN_MAC_ADDRESS           { 0x02, 0x00, 0x57, 0x41, 0x52, 0x44 }
#endif

/* Task stacks (words) and priorities. */
#ifndef WARDEN_AGENT_TASK_STACK
    #define WARDEN_AGENT_TASK_STACK      ( 1536U )
#endif
#ifndef WARDEN_TRANSPORT_TASK_STACK
    #define WARDEN_TRANSPORT_TASK_STACK  ( 768U )
#endif
#ifndef WARDEN_AGENT_TASK_PRIORITY
    #define WARDEN_AGENT_TASK_PRIORITY   ( tskIDLE_PRIORITY + 2U )
#endif
#ifndef WARDEN_TRANSPORT_TASK_PRIORITY
    #define WARDEN_TRANSPORT_TASK_PRIORITY ( tskIDLE_PRIORITY + 3U )
#endif

/* Stream buffers between the agent task and the transport task, bytes each way. */
#ifndef WARDEN_STREAM_BYTES
    #define WARDEN_STREAM_BYTES          ( 1536U )
#endif

/* WAMR pool: runtime, module, one 64 KiB linear-memory page, stacks. */
#ifndef WARDEN_WAMR_POOL_BYTES
    #define WARDEN_WAMR_POOL_BYTES       ( 112U * 1024U )
#endif

#endif /* WARDEN_FREERTOS_CONFIG_H */
