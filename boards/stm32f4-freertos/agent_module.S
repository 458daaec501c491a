/* agent.wasm embedded in .data (copied to RAM at start-up: WAMR's loader may patch it).
 * WARDEN_AGENT_WASM is the path given by CMakeLists.txt. */
    .section .data.warden_agent_wasm, "aw"
    .balign 8
    .global WardenAgentWasm
WardenAgentWasm:
    .incbin WARDEN_AGENT_WASM
WardenAgentWasmEnd:
    .section .rodata.warden_agent_wasm_len, "a"
    .balign 4
    .global WardenAgentWasmLen
WardenAgentWasmLen:
    .word WardenAgentWasmEnd - WardenAgentWasm
