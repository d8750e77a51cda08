#!/usr/bin/env bash
# CPU per load of an installed adaptor in a fresh Node runtime: without its resolution index
# (cold), with an index that only names the build (entry only), with the full index (indexed).
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
