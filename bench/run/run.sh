#!/usr/bin/env bash
# Run-process throughput and CPU cost: N trivial runs through the engine, sequential and at
# concurrency 2, against the reference worker's published figures.
#   bench/run/run.sh [runs=20] [repoDir=~/.cache/kiln/test-repo]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$ROOT/kiln" build >/dev/null
JAVA=""
for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/*; do
  if [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    JAVA="$d/bin/java"; break
  fi
done
[ -n "$JAVA" ] || { echo "bench/run: no JDK 21+ found; set JAVA_HOME" >&2; exit 2; }
exec "$JAVA" -cp "$ROOT/cli/target/kiln-cli.jar:$ROOT/cli/target/lib/*" \
  "$ROOT/bench/run/RunBenchmark.java" "$@"
