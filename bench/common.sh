# Sourced by the bench scripts: builds Kiln if needed and sets ROOT, JAVA (a JDK 21+) and
# KILN_CLASSPATH (the CLI jar and its libraries). BENCH names the caller in messages.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/kiln" build >/dev/null
JAVA=""
for d in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/*; do
  if [ -x "$d/bin/java" ] && "$d/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    JAVA="$d/bin/java"; break
  fi
done
[ -n "$JAVA" ] || { echo "${BENCH:-bench}: no JDK 21+ found; set JAVA_HOME" >&2; exit 2; }
KILN_CLASSPATH="$ROOT/cli/target/kiln-cli.jar:$ROOT/cli/target/lib/*"
