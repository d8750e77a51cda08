#!/usr/bin/env bash
# End-to-end worker benchmark against the reference worker's figures: a dev server and a
# `kiln worker` (separate processes), N runs enqueued at capacity C, per variant (trivial,
# 1 MB mapping, HTTP step against a local server): runs/s, per-phase p50/p95 from the dev
# server's stored timestamps, peak RSS of the worker's process tree.
#   bench/e2e/run.sh [--runs 40] [--capacity 2] [--repo-dir dir] [--variants trivial,...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$ROOT/kiln" build >/dev/null
JAVA=""
for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/*; do
  if [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    JAVA="$d/bin/java"; break
  fi
done
[ -n "$JAVA" ] || { echo "bench/e2e: no JDK 21+ found; set JAVA_HOME" >&2; exit 2; }
exec python3 "$ROOT/bench/e2e/bench.py" --java "$JAVA" \
  --classpath "$ROOT/cli/target/kiln-cli.jar:$ROOT/cli/target/lib/*" "$@"
