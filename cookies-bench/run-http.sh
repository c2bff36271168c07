#!/usr/bin/env bash
# Section 2 of docs/benchmarks.md: HTTP load on Javalin.
#
#   cookies-bench/run-http.sh            (after: mvn -B -q package -pl cookies-bench -am -DskipTests)
#
# For each mode (hello, memory, jetty, redis) it starts BenchServer in a JVM of its own with the same
# options, makes SESSIONS sessions through the mode's session route (SeedCookies), warms up with wrk,
# then measures with wrk: same threads, connections and duration for every route, each request
# carrying the next seeded cookie (cookies.lua). On the memory server it also measures /hello, to show
# what the plugin costs a request that never touches its session; and it runs the Redis mode a second
# time with the store's connection pool as large as wrk's connections (?poolSize=CONNECTIONS), to show
# what the default pool of 16 costs. Redis is a redis-server this script starts on a free loopback
# port. Writes target/results/http.md and prints it.
#
# Each route gets a WARMUP run (the JIT needs about 30 s under this load on 2 cores) and then ROUNDS
# measured runs of DURATION; the table gives the median of the rounds, and the range of req/s.
#
# Settings (environment): THREADS=2 CONNECTIONS=32 WARMUP=30s DURATION=10s ROUNDS=3 SESSIONS=1000
#                         SERVER_OPTS="-Xms1g -Xmx1g"
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
require_jar

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-30s}
SESSIONS=${SESSIONS:-1000}
SERVER_OPTS=${SERVER_OPTS:-"-Xms1g -Xmx1g"}
LUA="$HERE/cookies.lua"

start_redis

declare -A RPS P50 P99 RANGE ERR WHAT
ROWS=()

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure KEY URL COOKIE_FILE: a warm-up run, then ROUNDS measured runs; keeps the median of each
# figure and the range of req/s.
measure() {
  local key=$1 url=$2 cookies=$3 round
  local results="$OUT/wrk-$key.txt"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$LUA" "$url" -- "$cookies" "$THREADS" >/dev/null
  : >"$results"
  for round in $(seq 1 "$ROUNDS"); do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$LUA" "$url" -- "$cookies" "$THREADS" >>"$results"
  done
  pick() { sed -n "s/^RESULT.* $1=\([0-9.]*\).*/\1/p" "$results"; }
  RPS[$key]=$(pick rps | median)
  P50[$key]=$(pick p50_ms | median)
  P99[$key]=$(pick p99_ms | median)
  RANGE[$key]="$(pick rps | sort -g | head -1)-$(pick rps | sort -g | tail -1)"
  ERR[$key]=$(pick errors | awk '{ s += $1 } END { print s + 0 }')
  ROWS+=("$key")
  echo "$key: $(grep '^RESULT' "$results" | tr '\n' ' ')" >&2
}

# Live sessions after a run: exactly the seeded ones, or the cookies did not find their sessions.
check_sessions() {
  local mode=$1 live
  if [[ $mode == redis ]]; then
    live=$(redis-cli -p "$REDIS_PORT" dbsize)
  else
    live=$(curl -s "http://127.0.0.1:$SERVER_PORT/heap" | sed -n 's/.*sessions=\([0-9-]*\).*/\1/p')
  fi
  if [[ $live != "$SESSIONS" ]]; then
    echo "after the $mode run there are $live sessions, not the $SESSIONS seeded: the cookies did not find their sessions" >&2
    exit 1
  fi
}

for run in hello memory jetty redis redis-pool; do
  mode=${run%-pool}
  case $run in
    redis)      start_server "$mode" "$SERVER_OPTS" "$REDIS_URI" ;;
    redis-pool) start_server "$mode" "$SERVER_OPTS" "$REDIS_URI?poolSize=$CONNECTIONS" ;;
    *)          start_server "$mode" "$SERVER_OPTS" ;;
  esac
  base="http://127.0.0.1:$SERVER_PORT"
  cookies="$OUT/cookies-$run.txt"
  if [[ $mode == hello ]]; then
    java -cp "$JAR" dev.cookies.bench.SeedCookies --dummy "$SESSIONS" "$cookies"
    WHAT[hello]="/hello, no session (baseline)"
    measure hello "$base/hello" "$cookies"
  else
    if [[ $run == redis-pool ]]; then
      redis-cli -p "$REDIS_PORT" flushall >/dev/null
    fi
    java -cp "$JAR" dev.cookies.bench.SeedCookies "$base/$mode" "$SESSIONS" "$cookies"
    case $run in
      memory)     WHAT[$run]="/memory: our plugin, memory store, read + locked write" ;;
      jetty)      WHAT[$run]="/jetty: Jetty HttpSession (ctx.sessionAttribute), read + write" ;;
      redis)      WHAT[$run]="/redis: our plugin, Redis store (default pool of 16 connections), read + locked write" ;;
      redis-pool) WHAT[$run]="/redis, the store's pool raised to $CONNECTIONS connections (?poolSize=$CONNECTIONS)" ;;
    esac
    measure "$run" "$base/$mode" "$cookies"
    check_sessions "$mode"
    if [[ $run == memory ]]; then
      WHAT[memory-untouched]="/hello on the memory server: plugin installed, session not touched"
      measure memory-untouched "$base/hello" "$cookies"
    fi
  fi
  stop_server
done

{
  echo "Measured $(machine_line)"
  echo "wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}'): -t$THREADS -c$CONNECTIONS, a $WARMUP warm-up then $ROUNDS runs of $DURATION (medians shown),"
  echo "$SESSIONS sessions per route, server JVM $SERVER_OPTS, redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p')."
  echo
  echo "| route | req/s | req/s range | p50 (ms) | p99 (ms) | req/s vs /hello | p50 vs /hello | p99 vs /hello | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for key in "${ROWS[@]}"; do
    awk -v what="${WHAT[$key]}" -v range="${RANGE[$key]}" -v r="${RPS[$key]}" -v a="${P50[$key]}" -v b="${P99[$key]}" -v e="${ERR[$key]}" \
        -v r0="${RPS[hello]}" -v a0="${P50[hello]}" -v b0="${P99[hello]}" \
      'BEGIN { printf "| %s | %d | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %d |\n", what, r, range, a, b, r/r0, a/a0, b/b0, e }'
  done
} | tee "$OUT/http.md"
