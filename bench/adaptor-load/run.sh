#!/usr/bin/env bash
# CPU per load of an installed adaptor in a fresh Node runtime: without its resolution index
# (cold), with an index that only names the build (entry only), with the full index (indexed);
# then the CPU of a whole run process up to `ready` with the adaptor preloaded, cold vs indexed.
#   bench/adaptor-load/run.sh [rounds=10] [repo=~/.cache/kiln/test-repo] [alias...]
# Default aliases: @openfn/language-common_3.3.4 @openfn/language-http_7.2.10 (both must be
# installed in the repo, e.g. by running a step with them once). The repo is copied to a temporary
# folder first (the benchmark writes indexes into it).
set -euo pipefail
BENCH=bench/adaptor-load
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
ROUNDS="${1:-10}"
REPO="${2:-$HOME/.cache/kiln/test-repo}"
shift $(( $# > 2 ? 2 : $# ))
ALIASES=("$@")
[ ${#ALIASES[@]} -eq 0 ] && ALIASES=(@openfn/language-common_3.3.4 @openfn/language-http_7.2.10)
for alias in "${ALIASES[@]}"; do
  [ -f "$REPO/node_modules/$alias/package.json" ] || { echo "$BENCH: $alias is not installed in $REPO" >&2; exit 2; }
done
(cd "$ROOT" && mvn -q -B -ntp -pl runtime -am -DskipTests test-compile) >&2
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# private copies: a concurrent build cannot pull the classes away, and the indexes stay out of $REPO
cp -r "$ROOT/runtime/target/test-classes" "$WORK/test-classes"
cp -r "$REPO" "$WORK/repo"
echo "$(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $ROUNDS rounds"
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$WORK/test-classes:$KILN_CLASSPATH" \
  dev.kiln.runtime.AdaptorLoadBenchMain "$WORK/repo" "$ROUNDS" "${ALIASES[@]}" 2> >(grep -v 'JavetDefaultLogger\|not recycled' >&2)

# The same in real run processes: CPU (user+sys) of a locked-down RunProcessMain from its start to
# `ready` (JVM, Node runtime, compiler warm-up, --preload of the adaptor), then stdin is closed and
# it exits. The indexes the benchmark above left in the repo copy are moved away for "cold".
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; } # of one number per line
echo
printf '%-36s %-8s %9s %9s %7s\n' "run process to ready, --preload" mode "cpu ms" "wall ms" ratio
for alias in "${ALIASES[@]}"; do
  index="$WORK/repo/.kiln/adaptors/$alias/index.json"
  cp "$index" "$WORK/index.json"
  for ((r = 0; r < ROUNDS; r++)); do
    for mode in cold indexed; do
      if [ "$mode" = cold ]; then rm -f "$index"; else cp "$WORK/index.json" "$index"; fi
      folder="$(mktemp -d "$WORK/run-XXXXXX")"
      /usr/bin/time -f "$mode %U %S %e" -a -o "$WORK/times" "$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
        --enable-native-access=ALL-UNNAMED -cp "$KILN_CLASSPATH" dev.kiln.runtime.RunProcessMain --memory-mb 500 \
        --preload "$WORK/repo/node_modules/$alias" --work-dir "$folder" --read-dir "$WORK/repo" </dev/null >/dev/null 2>&1
    done
  done
  cold_cpu="$(grep '^cold ' "$WORK/times" | awk '{print ($2 + $3) * 1000}' | median)"
  for mode in cold indexed; do
    cpu="$(grep "^$mode " "$WORK/times" | awk '{print ($2 + $3) * 1000}' | median)"
    wall="$(grep "^$mode " "$WORK/times" | awk '{print $4 * 1000}' | median)"
    awk -v a="$alias" -v m="$mode" -v c="$cpu" -v w="$wall" -v b="$cold_cpu" \
      'BEGIN {printf "%-36s %-8s %9d %9d %7.2f\n", a, m, c, w, c / b}'
  done
  rm -f "$WORK/times"
done
