#!/usr/bin/env bash
# Compile benchmark: generates 2, 10 and 30 MB mapping jobs (pretty and minified), compiles each
# in a forked JVM and prints a table. Usage: bench/compile/run.sh [sizes...]   (default: 2 10 30)
#   time     best of 5 compiles (read + parse + transform + code + source map) in a warm JVM
#   baseline best of 5 of reading the same file (strict UTF-8) and scanning it once for lines
#   ratio    time / baseline
#   heap     the smallest -Xmx (MB, 2 MB steps, default GC) with which one read + compile succeeds
#   target   4 x source + 16 MB (the heap goal); time goals: 2 MB <= 0.5 s, 30 MB <= 5 s
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME/bin/java"
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(2 10 30)

(cd "$ROOT" && mvn -q -B -ntp -pl compiler -DskipTests test-compile) >&2
MAIN=dev.kiln.compiler.CompileBenchMain
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# a private copy of the classes, so a concurrent build cannot pull them away mid-run
cp -r "$ROOT/compiler/target/classes" "$WORK/classes"
cp -r "$ROOT/compiler/target/test-classes" "$WORK/test-classes"
CP="$WORK/classes:$WORK/test-classes"

compiles_within() { # MB, file: does one read + compile succeed with -Xmx<MB>m?
  "$JAVA" -Xmx"$1m" -cp "$CP" "$MAIN" once "$2" >/dev/null 2>&1
}

smallest_heap() { # file, first guess MB -> smallest working -Xmx in MB (2 MB resolution)
  local file="$1" lo=4 hi="$2"
  until compiles_within "$hi" "$file"; do
    lo=$hi; hi=$((hi * 2))
    if [ "$hi" -gt 8192 ]; then echo "fail"; return; fi
  done
  while [ $((hi - lo)) -gt 2 ]; do
    local mid=$(((lo + hi) / 2))
    if compiles_within "$mid" "$file"; then hi=$mid; else lo=$mid; fi
  done
  echo "$hi"
}

printf '%-6s %-8s %10s %9s %11s %7s %8s %9s %10s\n' size layout "source MB" "time ms" "baseline ms" ratio "MB/s" "heap MB" "target MB"
for mb in "${SIZES[@]}"; do
  for layout in pretty min; do
    file="$WORK/job-$mb-$layout.js"
    "$JAVA" -cp "$CP" "$MAIN" generate "$file" "$mb" "$layout"
    bytes=$(stat -c %s "$file")
    read -r ms base < <("$JAVA" -Xmx2g -cp "$CP" "$MAIN" time "$file" 5)
    heap=$(smallest_heap "$file" $(( mb * 6 + 32 )))
    awk -v mb="$mb" -v layout="$layout" -v bytes="$bytes" -v ms="$ms" -v base="$base" -v heap="$heap" 'BEGIN {
      src = bytes / 1048576;
      printf "%-6s %-8s %10.1f %9.1f %11.1f %7.1f %8.1f %9s %10.0f\n", mb "MB", layout, src, ms, base, ms / base, src / (ms / 1000), heap, 4 * src + 16 }'
  done
done
