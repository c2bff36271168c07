#!/usr/bin/env bash
# Section 3 of docs/benchmarks.md: heap per idle session.
#
#   cookies-bench/run-memory.sh          (after: mvn -B -q package -pl cookies-bench -am -DskipTests)
#
# RUNS times, alternating the subjects (memory, jetty, memory, jetty, ...), it starts BenchServer in
# a fresh JVM with a fixed heap (SERVER_OPTS), and HeapProbe, in another JVM, creates N sessions of
# 200 bytes through HTTP and reads the settled heap before and after:
#   memory: our SessionPlugin on MemorySessionStore (route /memory)
#   jetty:  Jetty's in-memory HttpSession, DefaultSessionCache + NullSessionDataStore (route /jetty)
# The table gives, per subject, the median bytes per session over the runs and their range, and the
# ratio ours / Jetty's computed per run (run i of each) with its median and range.
# Writes target/results/memory.md (and memory-runs.txt, every HeapProbe line) and prints it.
#
# Settings (environment): RUNS=3 N=100000 SERVER_OPTS="-Xms2g -Xmx2g -XX:+UseG1GC"
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
require_jar

RUNS=${RUNS:-3}
N=${N:-100000}
SERVER_OPTS=${SERVER_OPTS:-"-Xms2g -Xmx2g -XX:+UseG1GC"}
RUNS_FILE="$OUT/memory-runs.txt"
: >"$RUNS_FILE"

for run in $(seq 1 "$RUNS"); do
  for mode in memory jetty; do
    start_server "$mode" "$SERVER_OPTS"
    line=$(java -cp "$JAR" dev.cookies.bench.HeapProbe "http://127.0.0.1:$SERVER_PORT" "/$mode" "$N")
    echo "run=$run mode=$mode $line" | tee -a "$RUNS_FILE" >&2
    stop_server
  done
done

{
  echo "Measured $(machine_line)"
  echo
  echo "Command: \`RUNS=$RUNS N=$N SERVER_OPTS=\"$SERVER_OPTS\" cookies-bench/run-memory.sh\`"
  echo
  echo "Server JVM $SERVER_OPTS, a fresh one per run; $N sessions created over HTTP per run, each holding a 200-byte session;"
  echo "$RUNS runs per subject, alternating. Bytes per session: median of the runs (min-max); ours / Jetty's: per run, then median (min-max)."
  echo
  echo "| subject | live sessions (before -> after) | heap before (MB, median) | heap after (MB, median) | bytes per session (median) | min-max | vs Jetty, per run: median (min-max) |"
  echo "|---|---|---:|---:|---:|---:|---:|"
  awk '
    function val(name,   i, kv) {
      for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] }
      return ""
    }
    function median(list, n,   sorted, i, j, t) {
      for (i = 1; i <= n; i++) sorted[i] = list[i]
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (sorted[j] < sorted[i]) { t = sorted[i]; sorted[i] = sorted[j]; sorted[j] = t }
      return (n % 2) ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
    }
    function minmax(list, n, fmt,   i, lo, hi) {
      lo = list[1]; hi = list[1]
      for (i = 2; i <= n; i++) { if (list[i] < lo) lo = list[i]; if (list[i] > hi) hi = list[i] }
      return sprintf(fmt "-" fmt, lo, hi)
    }
    {
      m = val("mode"); r = val("run"); k = ++count[m]
      per[m, k] = val("bytesPerSession"); before[m, k] = val("before") / 1048576; after[m, k] = val("after") / 1048576
      live[m] = val("live"); byRun[m, r] = val("bytesPerSession")
    }
    END {
      n = count["memory"] < count["jetty"] ? count["memory"] : count["jetty"]
      for (i = 1; i <= n; i++) ratio[i] = byRun["memory", i] / byRun["jetty", i]
      split("memory jetty", modes, " ")
      what["memory"] = "our plugin + MemorySessionStore"
      what["jetty"] = "Jetty HttpSession (DefaultSessionCache, NullSessionDataStore)"
      for (x = 1; x <= 2; x++) {
        m = modes[x]; c = count[m]
        for (i = 1; i <= c; i++) { p[i] = per[m, i]; b[i] = before[m, i]; a[i] = after[m, i] }
        vs = (m == "jetty") ? "1.00" : sprintf("%.2f (%s)", median(ratio, n), minmax(ratio, n, "%.2f"))
        printf "| %s | %s | %.1f | %.1f | %d | %s | %s |\n", what[m], live[m], median(b, c), median(a, c), median(p, c), minmax(p, c, "%d"), vs
      }
    }' "$RUNS_FILE"
} | tee "$OUT/memory.md"
