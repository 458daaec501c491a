#!/usr/bin/env bash
# Builds agent.wasm (release) and agent.debug.wasm (assertions on) into build/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build
npx asc firmware/assembly/index.ts --target release
npx asc firmware/assembly/index.ts --target debug
