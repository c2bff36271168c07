#!/usr/bin/env bash
# CPU per request, by process: where the two cores go for each route of the HTTP benchmark.
#
# run-http.sh gives req/s; on two cores shared by wrk, redis-server and the server, req/s follows the
# CPU every request costs all three. This script measures that cost directly, for a few routes:
#
# 1. Starts a redis-server on a free loopback port and one BenchServer per mode (hello, memory, jetty,
#    our Redis store with a pool of CONNECTIONS, Spring Session with a Lettuce pool of CONNECTIONS),
#    each in a JVM of its own with SERVER_OPTS, and makes SESSIONS sessions on each (SeedCookies), as
#    run-http.sh does; the same cookies.lua sends them in turn.
# 2. Warms each route up with one wrk run of WARMUP.
# 3. Then ROUNDS rounds, each running every route once for DURATION, in turn. Around each run it reads
#    the CPU time (user + system, /proc/PID/stat) of the route's server and of redis-server, and wrk's
#    own (bash's `time`), and divides each by the responses wrk counted; and it reads /proc/stat for the
#    share of the machine that was busy.
# 4. Prints, per route, the median over the rounds and the range of each figure.
#
# Only the route's own server and redis-server are read: the other servers sit idle meanwhile.
# A figure is CPU per request, not wall time: on a busy machine (the last column near 1.00) req/s is
# about (number of cores) ÷ (sum of the three).
#
# Usage (the defaults):
#   THREADS=2 CONNECTIONS=32 DURATION=8s ROUNDS=4 SESSIONS=1000 WARMUP=30s \
#   ROUTES="hello memory memory-untouched jetty redis-pool spring" \
#   SERVER_OPTS="-Xms1g -Xmx1g" cookies-bench/run-cpu.sh
set -euo pipefail
# shellcheck source=bench-lib.sh
source "$(dirname "$0")/bench-lib.sh"

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-8s}
ROUNDS=${ROUNDS:-4}
SESSIONS=${SESSIONS:-1000}
WARMUP=${WARMUP:-30s}
ROUTES=${ROUTES:-"hello memory memory-untouched jetty redis-pool spring"}
SERVER_OPTS=${SERVER_OPTS:-"-Xms1g -Xmx1g"}
LUA="$HERE/cookies.lua"
TICKS=$(getconf CLK_TCK)
TSV="$OUT/cpu-rounds.tsv"
: >"$TSV"

require_jar
for tool in wrk redis-server redis-cli; do
  command -v "$tool" >/dev/null || { echo "$tool is needed on the PATH (Debian: apt-get install wrk redis-server)" >&2; exit 1; }
done

# route KEY: R_SERVER, R_PATH, R_DUMMY (random cookies of the same shape instead of the server's), R_WHAT
route() {
  R_DUMMY=""
  case $1 in
    hello)            R_SERVER=hello;    R_PATH=/hello;  R_DUMMY=1; R_WHAT="/hello, no session (baseline)" ;;
    memory)           R_SERVER=memory;   R_PATH=/memory; R_WHAT="/memory: our plugin, memory store, read + locked write" ;;
    memory-untouched) R_SERVER=memory;   R_PATH=/hello;  R_DUMMY=1; R_WHAT="/hello on the memory server: plugin installed, session not touched" ;;
    jetty)            R_SERVER=jetty;    R_PATH=/jetty;  R_WHAT="/jetty: Jetty HttpSession (ctx.sessionAttribute), read + write" ;;
    redis-pool)       R_SERVER=redis32;  R_PATH=/redis;  R_WHAT="/redis: our plugin, Redis store, pool of $CONNECTIONS Jedis connections" ;;
    spring)           R_SERVER=spring32; R_PATH=/spring; R_WHAT="/spring: Spring Session RedisSessionRepository, pool of $CONNECTIONS Lettuce connections" ;;
    *) echo "unknown route $1 (hello memory memory-untouched jetty redis-pool spring)" >&2; exit 2 ;;
  esac
}

start_redis
declare -A PORT PID COOKIES URL WHAT
for key in $ROUTES; do
  route "$key"
  if [[ -z ${PORT[$R_SERVER]:-} ]]; then
    case $R_SERVER in
      redis32)  start_server redis "$SERVER_OPTS" "$REDIS_URI/2?poolSize=$CONNECTIONS" cpu-redis32 ;;
      spring32) start_server spring "$SERVER_OPTS" "$REDIS_URI/4?poolSize=$CONNECTIONS" cpu-spring32 ;;
      *)        start_server "$R_SERVER" "$SERVER_OPTS" "" "cpu-$R_SERVER" ;;
    esac
    PORT[$R_SERVER]=$SERVER_PORT
    PID[$R_SERVER]=$SERVER_PID
  fi
done
for key in $ROUTES; do
  route "$key"
  base="http://127.0.0.1:${PORT[$R_SERVER]}"
  URL[$key]="$base$R_PATH"
  WHAT[$key]=$R_WHAT
  if [[ -n $R_DUMMY ]]; then
    COOKIES[$key]="$OUT/cpu-cookies-dummy.txt"
    [[ -f ${COOKIES[$key]} ]] || java -cp "$JAR" dev.cookies.bench.SeedCookies --dummy "$SESSIONS" "${COOKIES[$key]}"
  else
    COOKIES[$key]="$OUT/cpu-cookies-$R_SERVER.txt"
    java -cp "$JAR" dev.cookies.bench.SeedCookies "$base$R_PATH" "$SESSIONS" "${COOKIES[$key]}"
  fi
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
machine() { awk '/^cpu / {busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6}' /proc/stat; }

# measure KEY DURATION ROUND: one wrk run with the CPU of each process around it; ROUND 0 is a warm-up.
measure() {
  local key=$1 duration=$2 round=$3
  route "$key"
  local pid=${PID[$R_SERVER]} s0 s1 r0 r1 m0 m1 out requests rps wrk_cpu
  s0=$(cpu_ticks "$pid"); r0=$(cpu_ticks "$REDIS_PID"); m0=$(machine)
  out=$( { TIMEFORMAT='WRKCPU %U %S'; time wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" -s "$LUA" "${URL[$key]}" \
    -- "${COOKIES[$key]}" "$THREADS"; } 2>&1 )
  s1=$(cpu_ticks "$pid"); r1=$(cpu_ticks "$REDIS_PID"); m1=$(machine)
  requests=$(sed -n 's/.*RESULT requests=\([0-9]*\).*/\1/p' <<<"$out")
  rps=$(sed -n 's/.*RESULT requests=[0-9]* rps=\([0-9.]*\).*/\1/p' <<<"$out")
  wrk_cpu=$(awk '/^WRKCPU/ {print $2 + $3}' <<<"$out")
  if [[ -z $requests || $requests -eq 0 ]]; then
    echo "wrk gave no result for $key (${URL[$key]}):" >&2
    echo "$out" >&2
    exit 1
  fi
  read -r b0 t0 <<<"$m0"; read -r b1 t1 <<<"$m1"
  awk -v k="$key" -v r="$round" -v n="$requests" -v rps="$rps" -v s=$((s1 - s0)) -v rd=$((r1 - r0)) -v w="$wrk_cpu" \
      -v tk="$TICKS" -v b=$((b1 - b0)) -v t=$((t1 - t0)) 'BEGIN {
    printf "%s\t%d\t%.0f\t%.1f\t%.1f\t%.1f\t%.2f\n", k, r, rps, s / tk * 1e6 / n, rd / tk * 1e6 / n, w * 1e6 / n, (t > 0 ? b / t : 0) }'
}

echo "warm-up: one run of $WARMUP per route" >&2
for key in $ROUTES; do
  measure "$key" "$WARMUP" 0 >/dev/null
done
keys=($ROUTES)
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!keys[@]}"; do
    key=${keys[$(((i + round - 1) % ${#keys[@]}))]}
    line=$(measure "$key" "$DURATION" "$round")
    echo "round $round: $line" >&2
    echo "$line" >>"$TSV"
  done
done

{
  echo "Measured $(machine_line); wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}'), redis-server $(redis-server --version | awk '{print $3}' | tr -d 'v=')."
  echo
  echo "Command: \`THREADS=$THREADS CONNECTIONS=$CONNECTIONS DURATION=$DURATION ROUNDS=$ROUNDS SESSIONS=$SESSIONS WARMUP=$WARMUP ROUTES=\"$ROUTES\" SERVER_OPTS=\"$SERVER_OPTS\" cookies-bench/run-cpu.sh\`"
  echo
  echo "$ROUNDS rounds of $DURATION per route, the order rotated each round; CPU time (user + system) per response, in µs; median (min-max) over the rounds."
  echo
  echo "| route | req/s | server µs | redis-server µs | wrk µs | sum µs | machine busy |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for key in $ROUTES; do
    awk -F'\t' -v k="$key" -v what="${WHAT[$key]}" '
      function med(a, n,   i, j, t) { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
      function cell(a, n, f,   lo, hi, i) { lo = a[1]; hi = a[1]; for (i = 2; i <= n; i++) { if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i] }
        return sprintf(f " (" f "-" f ")", med(a, n), lo, hi) }
      $1 == k { n++; rps[n] = $3; s[n] = $4; r[n] = $5; w[n] = $6; sum[n] = $4 + $5 + $6; busy[n] = $7 }
      END { printf "| %s | %s | %s | %s | %s | %s | %s |\n", what, cell(rps, n, "%.0f"), cell(s, n, "%.1f"), cell(r, n, "%.1f"),
        cell(w, n, "%.1f"), cell(sum, n, "%.1f"), cell(busy, n, "%.2f") }' "$TSV"
  done
} | tee "$OUT/cpu.md"
