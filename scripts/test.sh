#!/usr/bin/env bash
# The one test command: installs what it needs, builds the agent, type-checks, runs every test.
# Its last line is `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-deps.sh
bash scripts/ensure-debian-deps.sh
bash scripts/build.sh
echo "warden: type-checking"
npx tsc --noEmit -p tsconfig.json
exec node --import tsx scripts/run-tests.ts "$@"
