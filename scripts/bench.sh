#!/usr/bin/env bash
# Runs every benchmark in bench/ (or those whose name contains an argument) one after another.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-node-deps.sh
bash scripts/build.sh
for f in bench/*.ts; do
	if (($#)) && ! [[ $f == *"$1"* ]]; then continue; fi
	echo "== $f"
	node --import tsx "$f"
done
