#!/usr/bin/env bash
# The cost of the locked-down run-process profile: N trivial runs, unlocked vs locked down,
# alternating, in the same run.
#   bench/sandbox/run.sh [runs=10]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
"$ROOT/kiln" build >/dev/null
JAVA=""
for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/*; do
  if [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    JAVA="$d/bin/java"; break
  fi
done
[ -n "$JAVA" ] || { echo "bench/sandbox: no JDK 21+ found; set JAVA_HOME" >&2; exit 2; }
exec "$JAVA" -cp "$ROOT/cli/target/kiln-cli.jar:$ROOT/cli/target/lib/*" \
  "$ROOT/bench/sandbox/SandboxBenchmark.java" "$@"
