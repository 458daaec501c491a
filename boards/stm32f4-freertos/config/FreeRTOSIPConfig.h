/*
 * FreeRTOS+TCP configuration for stm32f4-freertos. The trace macros feed the board's network
 * counters (Device Defender network_stats).
 */
#ifndef FREERTOS_IP_CONFIG_H
#define FREERTOS_IP_CONFIG_H

#include <stddef.h>

#define ipconfigBYTE_ORDER                          pdFREERTOS_LITTLE_ENDIAN
#define ipconfigUSE_IPv4                            1
#define ipconfigUSE_IPv6                            0
#define ipconfigUSE_DHCP                            0
#define ipconfigUSE_DNS                             0
#define ipconfigUSE_TCP                             1
#define ipconfigUSE_TCP_WIN                         0
#define ipconfigNETWORK_MTU                         1500
#define ipconfigNUM_NETWORK_BUFFER_DESCRIPTORS      16
#define ipconfigTCP_MSS                             536
#define ipconfigTCP_TX_BUFFER_LENGTH                ( 2 * ipconfigTCP_MSS )
#define ipconfigTCP_RX_BUFFER_LENGTH                ( 2 * ipconfigTCP_MSS )
#define ipconfigIP_TASK_PRIORITY                    ( configMAX_PRIORITIES - 2 )
#define ipconfigIP_TASK_STACK_SIZE_WORDS            ( 512 )
#define ipconfigUSE_NETWORK_EVENT_HOOK              1
#define ipconfigZERO_COPY_RX_DRIVER                 1
#define ipconfigZERO_COPY_TX_DRIVER                 1
#define ipconfigSUPPORT_SELECT_FUNCTION             0
#define ipconfigALLOW_SOCKET_SEND_WITHOUT_BIND      1
#define ipconfigSOCK_DEFAULT_RECEIVE_BLOCK_TIME     ( 20 )
#define ipconfigSOCK_DEFAULT_SEND_BLOCK_TIME        ( 20 )
#define ipconfigDRIVER_INCLUDED_TX_IP_CHECKSUM      1
#define ipconfigDRIVER_INCLUDED_RX_IP_CHECKSUM      1

/* Device Defender network_stats: count every frame through the network interface */
extern void vWardenNetstatInput( size_t uxLength );
extern void vWardenNetstatOutput( size_t uxLength );
#define iptraceNETWORK_INTERFACE_INPUT( uxDataLength, pucEthernetBuffer )     vWardenNetstatInput( uxDataLength )
#define iptraceNETWORK_INTERFACE_OUTPUT( uxDataLength, pucEthernetBuffer )    vWardenNetstatOutput( uxDataLength )

#endif /* FREERTOS_IP_CONFIG_H */
