#!/usr/bin/env bash
# The cost of the locked-down run-process profile: N trivial runs, unlocked vs locked down,
# alternating, in the same run.
#   bench/sandbox/run.sh [runs=10]
set -euo pipefail
BENCH=bench/sandbox
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
exec "$JAVA" -cp "$KILN_CLASSPATH" \
  "$ROOT/bench/sandbox/SandboxBenchmark.java" "$@"
