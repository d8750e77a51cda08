#!/usr/bin/env bash
# The fault suite (issue 5): a real dev server and real `kiln worker` processes, faults injected,
# and a table of how every run ended (scenario, runs started, ended by reason, Lost).
#   bench/faults/run.sh          the CI scenarios (~1.5 min)
#   bench/faults/run.sh --long   plus the bench-only ones: the dev server down for 45 s mid-run
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LONG=false
[ "${1:-}" = "--long" ] && LONG=true
if [ -z "${JAVA_HOME:-}" ]; then
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    [ -x "$d/bin/java" ] && { export JAVA_HOME="$d"; break; }
  done
fi
cd "$ROOT"
mvn -q -B -ntp -pl worker,devserver,cli -am verify -Dtest=FaultSuiteIntegrationTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dkiln.excludedGroups=none -Dkiln.faults.long="$LONG" \
  >"$ROOT/cli/target/fault-suite.log" 2>&1 || {
  echo "bench/faults: the fault suite failed; see cli/target/fault-suite.log and cli/target/surefire-reports" >&2
  cat "$ROOT/cli/target/fault-suite.md" 2>/dev/null || true
  exit 1
}
cat "$ROOT/cli/target/fault-suite.md"
