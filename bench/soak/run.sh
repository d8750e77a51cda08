#!/usr/bin/env bash
# Soak (issue 5): N trivial runs at capacity C through a dev server and a `kiln worker`; the
# worker's RSS and JVM heap sampled every second; start / after warm-up / end / peak, runs by
# final state, Lost, and whether memory is flat.
#   bench/soak/run.sh [--runs 2000] [--capacity 5] [--warmup N] [--repo-dir dir] [--worker-java-opts '...']
set -euo pipefail
BENCH=bench/soak
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
exec python3 "$ROOT/bench/soak/soak.py" --java "$JAVA" --classpath "$KILN_CLASSPATH" "$@"
