#!/usr/bin/env bash
# Run-process throughput and CPU cost: N trivial runs through the engine, sequential and at
# concurrency 2, against the reference worker's published figures.
#   bench/run/run.sh [runs=20] [repoDir=~/.cache/kiln/test-repo]
set -euo pipefail
BENCH=bench/run
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
exec "$JAVA" -cp "$KILN_CLASSPATH" \
  "$ROOT/bench/run/RunBenchmark.java" "$@"
