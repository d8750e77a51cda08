#!/usr/bin/env bash
# End-to-end worker benchmark against the reference worker's figures: a dev server and a
# `kiln worker` (separate processes), N runs enqueued at capacity C, per variant (trivial,
# 1 MB mapping, HTTP step against a local server): runs/s, per-phase p50/p95 from the dev
# server's stored timestamps, peak RSS of the worker's process tree.
#   bench/e2e/run.sh [--runs 40] [--capacity 2] [--repo-dir dir] [--variants trivial,...]
set -euo pipefail
BENCH=bench/e2e
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
exec python3 "$ROOT/bench/e2e/bench.py" --java "$JAVA" \
  --classpath "$KILN_CLASSPATH" "$@"
