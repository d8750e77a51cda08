#!/usr/bin/env bash
# Where a trivial run's cost goes, phase by phase, measured on the run process itself: each row
# starts a run process that stops after one more phase (stdin closed: it exits after `ready`),
# so the difference between rows is that phase's cost. CPU-s (user+sys) is robust on a loaded
# machine; wall-clock is printed too. Median of N (default 5) starts per row.
#   bench/e2e/profile.sh [N] [repoDir with @openfn/language-common@3.3.4 installed]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
N="${1:-5}"
REPO="${2:-$HOME/.cache/kiln/test-repo}"
"$ROOT/kiln" build >/dev/null
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
CP="$ROOT/cli/target/kiln-cli.jar:$ROOT/cli/target/lib/*"
FLAGS=(-Xmx500m -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr -Xlog:disable -Xlog:all=warning:stderr
  -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -Xshare:auto --enable-native-access=ALL-UNNAMED)
COMMON="$REPO/node_modules/@openfn/language-common_3.3.4"
[ -f "$COMMON/package.json" ] || { echo "profile: $COMMON is not installed (run bench/run/run.sh once)" >&2; exit 2; }

TIMES="$(mktemp)"
trap 'rm -f "$TIMES"' EXIT
measure() { # label, command...: median wall s and CPU s of N runs
  local label="$1"; shift
  local walls=() cpus=()
  for _ in $(seq "$N"); do
    local out
    /usr/bin/time -o "$TIMES" -f '%e %U %S' "$@" </dev/null >/dev/null 2>&1 || true
    out=$(tail -1 "$TIMES")
    walls+=("$(echo "$out" | awk '{print $1}')")
    cpus+=("$(echo "$out" | awk '{print $2 + $3}')")
  done
  local wall cpu
  wall=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (N + 1) / 2 ))p")
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(( (N + 1) / 2 ))p")
  printf '%-62s %7s %7s\n' "$label" "$wall" "$cpu"
}

printf '%-62s %7s %7s\n' "run process stops after" "wall s" "CPU s"
measure "JVM start + class path (argument error, no Javet)" "$JAVA" "${FLAGS[@]}" -cp "$CP" dev.kiln.runtime.RunProcessMain --bad
measure "+ Javet native library, Node runtime, host, compiler warm-up" "$JAVA" "${FLAGS[@]}" -cp "$CP" dev.kiln.runtime.RunProcessMain --memory-mb 500
measure "+ import @openfn/language-common@3.3.4" "$JAVA" "${FLAGS[@]}" -cp "$CP" dev.kiln.runtime.RunProcessMain --memory-mb 500 --preload "$COMMON"
