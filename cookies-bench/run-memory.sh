#!/usr/bin/env bash
# Section 3 of docs/benchmarks.md: heap per idle session.
#
#   cookies-bench/run-memory.sh          (after: mvn -B -q package -pl cookies-bench -am -DskipTests)
#
# For each subject it starts BenchServer in a JVM of its own with a fixed heap (SERVER_OPTS), and
# HeapProbe, in another JVM, creates N sessions of 200 bytes through HTTP and reads the settled heap
# before and after:
#   memory: our SessionPlugin on MemorySessionStore (route /memory)
#   jetty:  Jetty's in-memory HttpSession, DefaultSessionCache + NullSessionDataStore (route /jetty)
# Writes target/results/memory.md and prints it.
#
# Settings (environment): N=100000 SERVER_OPTS="-Xms2g -Xmx2g -XX:+UseG1GC"
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
require_jar

N=${N:-100000}
SERVER_OPTS=${SERVER_OPTS:-"-Xms2g -Xmx2g -XX:+UseG1GC"}

declare -A LINE
for mode in memory jetty; do
  start_server "$mode" "$SERVER_OPTS"
  LINE[$mode]=$(java -cp "$JAR" dev.cookies.bench.HeapProbe "http://127.0.0.1:$SERVER_PORT" "/$mode" "$N")
  echo "$mode: ${LINE[$mode]}" >&2
  stop_server
done

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"${LINE[$1]}"; }

{
  echo "Measured $(machine_line)"
  echo "Server JVM $SERVER_OPTS; $N sessions created over HTTP, each holding a 200-byte session."
  echo
  echo "| subject | live sessions (before -> after) | heap before (MB) | heap after (MB) | bytes per session | vs Jetty |"
  echo "|---|---|---:|---:|---:|---:|"
  jetty=$(field jetty bytesPerSession)
  for mode in memory jetty; do
    case $mode in
      memory) what="our plugin + MemorySessionStore" ;;
      jetty)  what="Jetty HttpSession (DefaultSessionCache, NullSessionDataStore)" ;;
    esac
    awk -v what="$what" -v live="$(field $mode live)" -v b="$(field $mode before)" -v a="$(field $mode after)" \
        -v per="$(field $mode bytesPerSession)" -v j="$jetty" \
      'BEGIN { printf "| %s | %s | %.1f | %.1f | %d | %.2f |\n", what, live, b/1048576, a/1048576, per, per/j }'
  done
} | tee "$OUT/memory.md"
