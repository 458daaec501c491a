#!/usr/bin/env bash
# The README's first command: installs what it needs, builds the agent, runs the live demo
# (broker + service + a simulated fleet with one compromised device). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-deps.sh
bash scripts/build.sh
exec node bin/warden.js demo "$@"
