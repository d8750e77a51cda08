#!/usr/bin/env bash
# The compile cache: the compile phase of a trivial language-common step in a warm run process,
# without the cache, with only the adaptor's export list cached, and with the whole step cached.
#   bench/cache/run.sh [runs=15] [repoDir=~/.cache/kiln/test-repo]
set -euo pipefail
BENCH=bench/cache
source "$(dirname "${BASH_SOURCE[0]}")/../common.sh"
exec "$JAVA" -cp "$KILN_CLASSPATH" \
  "$ROOT/bench/cache/CacheBenchmark.java" "$@"
