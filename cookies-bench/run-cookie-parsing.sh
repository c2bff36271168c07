#!/usr/bin/env bash
# Section 6 of docs/benchmarks.md: a hostile Cookie header beside an ordinary one of the same size.
#
#   cookies-bench/run-cookie-parsing.sh
#       (after: mvn -B -q package -pl cookies-bench,cookies-example -am -DskipTests)
#
# 1. JMH: CookieParsing, the core alone opening a request whose Cookie header is 1 MiB of ';', of
#    'ab;' pairs without '=', or of ordinary 'name=value; ' pairs (the baseline).
# 2. Over HTTP: the reference app (cookies-example.jar) on Undertow, whose header limit is 1 MiB, with
#    the memory store. curl sends GET /counter with a 1,040,000-byte Cookie header of each shape, the
#    shapes alternating, WARMUP requests each first, then ROUNDS each; the time of each is curl's
#    time_total. Each ratio is computed per round (hostile / ordinary of the same round) and summarised
#    as median (min-max).
# Writes target/results/cookie-parsing.md and prints it.
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
require_jar

EXAMPLE_JAR="$HERE/../cookies-example/target/cookies-example.jar"
if [[ ! -f "$EXAMPLE_JAR" ]]; then
  echo "missing $EXAMPLE_JAR; build it first: mvn -B -q package -pl cookies-bench,cookies-example -am -DskipTests" >&2
  exit 1
fi
ROUNDS=${ROUNDS:-30}
WARMUP=${WARMUP:-20}
BYTES=${BYTES:-1040000}

java -jar "$JAR" 'dev.cookies.bench.CookieParsing' -rf csv -rff "$OUT/cookie-parsing.csv" | tee "$OUT/cookie-parsing.txt"

WORK=$(mktemp -d)
# Header files for curl -H @file: one line each, exactly BYTES bytes of value after "Cookie: ".
python3 - "$WORK" "$BYTES" <<'EOF'
import sys
work, n = sys.argv[1], int(sys.argv[2])
tail = "; session=x"
def fill(unit):
    body = (unit * (n // len(unit) + 1))[: n - len(tail)]
    return body + tail
shapes = {"ordinary": fill("name=value; "), "semicolons": fill(";"), "namesWithoutValues": fill("ab;")}
for shape, value in shapes.items():
    assert len(value) == n
    with open(f"{work}/{shape}.txt", "w") as f:
        f.write("Cookie: " + value + "\n")
EOF

PORT=$(free_port)
LOG="$OUT/cookie-parsing-server.log"
java -Xms1g -Xmx1g -jar "$EXAMPLE_JAR" --adapter undertow --store memory: --host 127.0.0.1 --port "$PORT" >"$LOG" 2>&1 &
APP_PID=$!
STARTED_PIDS+=("$APP_PID")
for i in $(seq 1 300); do
  if curl -s -o /dev/null "http://127.0.0.1:$PORT/counter"; then break; fi
  if ! kill -0 "$APP_PID" 2>/dev/null; then echo "the example app exited:" >&2; cat "$LOG" >&2; exit 1; fi
  sleep 0.1
done

# time_one SHAPE: prints "status seconds" for one request.
time_one() {
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H @"$WORK/$1.txt" "http://127.0.0.1:$PORT/counter"
}

SHAPES=(ordinary semicolons namesWithoutValues)
for i in $(seq 1 "$WARMUP"); do
  for shape in "${SHAPES[@]}"; do time_one "$shape" >/dev/null; done
done
: >"$WORK/times"
for round in $(seq 1 "$ROUNDS"); do
  for shape in "${SHAPES[@]}"; do
    echo "$round $shape $(time_one "$shape")" >>"$WORK/times"
  done
done

{
  echo "Measured $(machine_line); JMH 1.37; Undertow 2.4 through cookies-example.jar on the memory store."
  echo
  echo "The core alone (JMH \`CookieParsing\`, 1 048 576-byte header; 2 forks x 5 x 1 s; ± is the 99.9% interval):"
  echo
  echo "| shape | µs/op | ± µs | vs ordinary |"
  echo "|---|---:|---:|---:|"
  awk -F, '
    NR == 1 { next }
    { gsub(/["\r]/, ""); shape = $NF; score[shape] = $5; err[shape] = $6; order[++n] = shape }
    END { for (i = 1; i <= n; i++) { s = order[i]; printf "| %s | %.1f | %.1f | %.2f |\n", s, score[s], err[s], score[s] / score["ordinary"] } }
  ' "$OUT/cookie-parsing.csv"
  echo
  echo "Over HTTP, GET /counter with a ${BYTES}-byte Cookie header; ${WARMUP} warm-up and ${ROUNDS} measured requests per shape, alternating:"
  echo
  echo "| shape | statuses | ms per request: median | min-max | ÷ ordinary, per round: median (min-max) |"
  echo "|---|---|---:|---:|---:|"
  awk '
    { shape = $2; status[shape] = status[shape] (status[shape] == "" ? "" : ",") $3; t[shape, $1] = $4 * 1000; shapes[shape] = 1; if ($1 > rounds) rounds = $1; if (!(shape in seen)) { seen[shape] = 1; order[++n] = shape } }
    function sortv(a, m,   i, j, x) { for (i = 2; i <= m; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x } }
    function median(a, m) { return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2 }
    END {
      for (k = 1; k <= n; k++) {
        s = order[k]; delete v; delete r
        for (i = 1; i <= rounds; i++) { v[i] = t[s, i]; r[i] = t[s, i] / t["ordinary", i] }
        sortv(v, rounds); sortv(r, rounds)
        split(status[s], st, ","); delete cnt; summary = ""
        for (i in st) cnt[st[i]]++
        for (c in cnt) summary = summary (summary == "" ? "" : " ") cnt[c] "x" c
        printf "| %s | %s | %.1f | %.1f-%.1f | %.2f (%.2f-%.2f) |\n", s, summary, median(v, rounds), v[1], v[rounds], median(r, rounds), r[1], r[rounds]
      }
    }
  ' "$WORK/times"
} | tee "$OUT/cookie-parsing.md"
rm -rf "$WORK"
