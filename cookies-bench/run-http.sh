#!/usr/bin/env bash
# Section 2 of docs/benchmarks.md: HTTP load on Javalin, interleaved.
#
#   cookies-bench/run-http.sh            (after: mvn -B -q package -pl cookies-bench -am -DskipTests)
#
# 1. Starts a redis-server on a free loopback port, then every BenchServer the selected routes need,
#    each in a JVM of its own with the same options (SERVER_OPTS), all before anything is measured:
#      hello          no session code (the baseline)
#      memory         our SessionPlugin on MemorySessionStore
#      jetty          Jetty's in-memory HttpSession
#      redis16        our plugin on our Redis store, default pool (16 connections), Redis database 1
#      redis32        the same with poolSize=CONNECTIONS, database 2
#      spring-shared  Spring Session's RedisSessionRepository on Lettuce's default: one shared
#                     connection, database 3
#      spring32       the same on a Lettuce pool of CONNECTIONS dedicated connections, database 4
#    Each Redis server mode has a database of its own on the same redis-server, so each one's
#    sessions can be counted.
# 2. Makes SESSIONS sessions per session server (SeedCookies); wrk then sends those cookies in turn,
#    one per request (cookies.lua), so every request reads and writes an existing session and no two
#    requests in flight share one.
# 3. Warms each route until two consecutive WARMUP_ROUND runs agree within SETTLE_PCT % in req/s,
#    after at least WARMUP_MIN seconds and for at most WARMUP_MAX seconds; a route that never
#    settles is flagged in the tables.
# 4. Measures ROUNDS rounds; each round runs every route once, for DURATION, in turn (the order
#    rotates by one route each round). Ratios to the baseline, and between the compared routes, are
#    computed per round (paired), then summarised: median and range.
# 5. Checks each session server still holds exactly SESSIONS sessions (a cookie that did not find its
#    session would have made a new one).
# 6. Contended: every connection on ONE shared session (a one-line cookie file), for our memory and
#    Redis stores, Jetty's HttpSession and Spring Session, each reading the count and writing count + 1
#    (ours in a locked update). Warm-up as above, then CONTENDED_ROUNDS interleaved rounds. Once the
#    server is quiet, the final count is read from the server (GET /MODE/count) and set against the
#    200s the server answered; ours must have lost nothing (the script fails if it did).
#
# Writes target/results/http.md (and the raw figures: http-*.tsv, http-wrk-*.txt) and prints it.
#
# Settings (environment):
#   THREADS=2 CONNECTIONS=32 DURATION=10s ROUNDS=7 SESSIONS=1000 SERVER_OPTS="-Xms1g -Xmx1g"
#   WARMUP_ROUND=5s WARMUP_MIN=20 WARMUP_MAX=90 SETTLE_PCT=5 CONTENDED_ROUNDS=3
#   ROUTES="hello memory memory-untouched jetty redis redis-pool spring spring-shared"
#   CONTENDED="memory-one redis-one jetty-one spring-one"            (either may be empty)
#   PAIRS="memory/jetty redis-pool/spring redis/spring-shared"       (head-to-head ratios)
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
require_jar

THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-7}
SESSIONS=${SESSIONS:-1000}
SERVER_OPTS=${SERVER_OPTS:-"-Xms1g -Xmx1g"}
WARMUP_ROUND=${WARMUP_ROUND:-5s}
WARMUP_MIN=${WARMUP_MIN:-20}
WARMUP_MAX=${WARMUP_MAX:-90}
SETTLE_PCT=${SETTLE_PCT:-5}
CONTENDED_ROUNDS=${CONTENDED_ROUNDS:-3}
ROUTES=${ROUTES-"hello memory memory-untouched jetty redis redis-pool spring spring-shared"}
CONTENDED=${CONTENDED-"memory-one redis-one jetty-one spring-one"}
PAIRS=${PAIRS-"memory/jetty redis-pool/spring redis/spring-shared"}
LUA="$HERE/cookies.lua"
BASELINE=hello
STARTED_AT=$SECONDS

COMMAND="THREADS=$THREADS CONNECTIONS=$CONNECTIONS DURATION=$DURATION ROUNDS=$ROUNDS SESSIONS=$SESSIONS \
WARMUP_ROUND=$WARMUP_ROUND WARMUP_MIN=$WARMUP_MIN WARMUP_MAX=$WARMUP_MAX SETTLE_PCT=$SETTLE_PCT \
CONTENDED_ROUNDS=$CONTENDED_ROUNDS ROUTES=\"$ROUTES\" CONTENDED=\"$CONTENDED\" SERVER_OPTS=\"$SERVER_OPTS\" \
cookies-bench/run-http.sh"

ROUTES_TSV="$OUT/http-routes.tsv"
WARMUP_TSV="$OUT/http-warmup.tsv"
ROUNDS_TSV="$OUT/http-rounds.tsv"
COMMANDS_TSV="$OUT/http-commands.tsv"
CONTENDED_TSV="$OUT/http-contended.tsv"
: >"$ROUTES_TSV"; : >"$WARMUP_TSV"; : >"$ROUNDS_TSV"; : >"$COMMANDS_TSV"; : >"$CONTENDED_TSV"
rm -f "$OUT"/http-wrk-*.txt

# --- what each route is ----------------------------------------------------------------------------
# route KEY: sets R_SERVER (which BenchServer), R_PATH, R_COOKIES (seeded: the server's sessions;
# one: one shared session; dummy: random cookies of the same shape) and R_WHAT.
route() {
  R_COOKIES=seeded
  case $1 in
    hello)            R_SERVER=hello;         R_PATH=/hello;  R_COOKIES=dummy
                      R_WHAT="/hello, no session (baseline)" ;;
    memory)           R_SERVER=memory;        R_PATH=/memory
                      R_WHAT="/memory: our plugin, memory store, read + locked write" ;;
    memory-untouched) R_SERVER=memory;        R_PATH=/hello
                      R_WHAT="/hello on the memory server: plugin installed, session not touched" ;;
    jetty)            R_SERVER=jetty;         R_PATH=/jetty
                      R_WHAT="/jetty: Jetty HttpSession (ctx.sessionAttribute), read + write" ;;
    redis)            R_SERVER=redis16;       R_PATH=/redis
                      R_WHAT="/redis: our plugin, Redis store, default pool (16 Jedis connections), read + locked write" ;;
    redis-pool)       R_SERVER=redis32;       R_PATH=/redis
                      R_WHAT="/redis: our plugin, Redis store, pool of $CONNECTIONS Jedis connections" ;;
    spring)           R_SERVER=spring32;      R_PATH=/spring
                      R_WHAT="/spring: Spring Session RedisSessionRepository, pool of $CONNECTIONS Lettuce connections, read + write" ;;
    spring-shared)    R_SERVER=spring-shared; R_PATH=/spring
                      R_WHAT="/spring: Spring Session RedisSessionRepository, Lettuce's default (1 shared connection)" ;;
    memory-one)       R_SERVER=memory;        R_PATH=/memory/increment; R_COOKIES=one
                      R_WHAT="one session, our memory store, locked increment" ;;
    redis-one)        R_SERVER=redis32;       R_PATH=/redis/increment;  R_COOKIES=one
                      R_WHAT="one session, our Redis store (pool of $CONNECTIONS), locked increment" ;;
    jetty-one)        R_SERVER=jetty;         R_PATH=/jetty/increment;  R_COOKIES=one
                      R_WHAT="one session, Jetty HttpSession, increment (no lock)" ;;
    spring-one)       R_SERVER=spring32;      R_PATH=/spring/increment; R_COOKIES=one
                      R_WHAT="one session, Spring Session on Redis (pool of $CONNECTIONS), increment (no lock)" ;;
    *) echo "unknown route $1" >&2; exit 2 ;;
  esac
}

# server NAME: sets S_MODE, S_DB (Redis database, or empty) and S_ARG (BenchServer's REDIS_URI).
server() {
  S_DB=""; S_ARG=""
  case $1 in
    hello|memory|jetty) S_MODE=$1 ;;
    redis16)       S_MODE=redis;  S_DB=1; S_ARG="$REDIS_URI/1?clientName=bench-ours-pool16" ;;
    redis32)       S_MODE=redis;  S_DB=2; S_ARG="$REDIS_URI/2?poolSize=$CONNECTIONS&clientName=bench-ours-pool$CONNECTIONS" ;;
    spring-shared) S_MODE=spring; S_DB=3; S_ARG="$REDIS_URI/3" ;;
    spring32)      S_MODE=spring; S_DB=4; S_ARG="$REDIS_URI/4?poolSize=$CONNECTIONS" ;;
  esac
}

declare -A PORT URL COOKIES DB WRK_OK SEEDED
WRK_LINE=""
ALL_SERVERS=()
for key in $ROUTES $CONTENDED; do
  route "$key"
  if [[ ! " ${ALL_SERVERS[*]} " =~ \ $R_SERVER\  ]]; then
    ALL_SERVERS+=("$R_SERVER")
  fi
done
for key in $ROUTES; do route "$key"; printf '%s\tmain\t%s\n' "$key" "$R_WHAT" >>"$ROUTES_TSV"; done
for key in $CONTENDED; do route "$key"; printf '%s\tcontended\t%s\n' "$key" "$R_WHAT" >>"$ROUTES_TSV"; done

# --- start everything first ------------------------------------------------------------------------
start_redis
for name in "${ALL_SERVERS[@]}"; do
  server "$name"
  start_server "$S_MODE" "$SERVER_OPTS" "$S_ARG" "$name"
  PORT[$name]=$SERVER_PORT
  DB[$name]=$S_DB
  echo "started $name ($S_MODE) on port $SERVER_PORT" >&2
done

# --- cookies ---------------------------------------------------------------------------------------
# cookies KEY: the cookie file the route's requests carry, made now if it is not made yet.
cookies() {
  local key=$1 base
  route "$key"
  base="http://127.0.0.1:${PORT[$R_SERVER]}"
  URL[$key]="$base$R_PATH"
  case $R_COOKIES in
    dummy)
      COOKIES[$key]="$OUT/http-cookies-dummy.txt"
      java -cp "$JAR" dev.cookies.bench.SeedCookies --dummy "$SESSIONS" "${COOKIES[$key]}" ;;
    seeded)
      COOKIES[$key]="$OUT/http-cookies-$R_SERVER.txt"
      if [[ -z ${SEEDED[$R_SERVER]:-} ]]; then
        server "$R_SERVER"
        java -cp "$JAR" dev.cookies.bench.SeedCookies "$base/$S_MODE" "$SESSIONS" "${COOKIES[$key]}"
        SEEDED[$R_SERVER]=1
      fi ;;
    one)
      COOKIES[$key]="$OUT/http-cookie-one-$R_SERVER.txt"
      java -cp "$JAR" dev.cookies.bench.SeedCookies "$base$R_PATH" 1 "${COOKIES[$key]}"
      WRK_OK[$key]=1 ;; # the request that made the session was its first increment
  esac
}

# --- running wrk -----------------------------------------------------------------------------------
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$2"; }

# run_wrk KEY DURATION: one wrk run; sets WRK_LINE to its RESULT line and keeps wrk's whole output.
run_wrk() {
  local key=$1 duration=$2 line
  line=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --latency -s "$LUA" "${URL[$key]}" -- "${COOKIES[$key]}" "$THREADS" \
    | tee -a "$OUT/http-wrk-$key.txt" | grep '^RESULT' || true)
  if [[ -z $line ]]; then
    echo "wrk gave no result for $key (${URL[$key]}); see $OUT/http-wrk-$key.txt" >&2
    exit 1
  fi
  if [[ -n ${WRK_OK[$key]+set} ]]; then
    WRK_OK[$key]=$(( WRK_OK[$key] + $(field requests "$line") - $(field non2xx "$line") ))
  fi
  WRK_LINE=$line
}

# warm KEY: warm-up runs until two in a row agree within SETTLE_PCT % (after WARMUP_MIN seconds, at
# most WARMUP_MAX seconds).
warm() {
  local key=$1 start=$SECONDS elapsed rounds=0 settled=no prev="" rps trail=""
  while :; do
    run_wrk "$key" "$WARMUP_ROUND"
    rps=$(field rps "$WRK_LINE")
    rounds=$((rounds + 1))
    trail+="${trail:+,}$rps"
    elapsed=$((SECONDS - start))
    if [[ -n $prev ]] && (( elapsed >= WARMUP_MIN )) && awk -v a="$prev" -v b="$rps" -v p="$SETTLE_PCT" \
        'BEGIN { if (a <= 0) exit 1; d = (b - a) / a; if (d < 0) d = -d; exit !(d * 100 <= p) }'; then
      settled=yes
      break
    fi
    if (( elapsed >= WARMUP_MAX )); then
      break
    fi
    prev=$rps
  done
  printf '%s\t%d\t%d\t%s\t%s\n' "$key" "$elapsed" "$rounds" "$settled" "$trail" >>"$WARMUP_TSV"
  echo "warm-up $key: $elapsed s, $rounds rounds, settled=$settled ($trail)" >&2
}

# measure PHASE ROUNDS KEY...: ROUNDS rounds, each running every KEY once, in an order that rotates.
measure() {
  local phase=$1 n=$2 round i key line server_name
  shift 2
  local keys=("$@") count=$#
  for round in $(seq 1 "$n"); do
    for i in $(seq 0 $((count - 1))); do
      key=${keys[$(( (i + round - 1) % count ))]}
      route "$key"
      server_name=$R_SERVER
      if [[ -n ${DB[$server_name]} ]]; then
        redis-cli -p "$REDIS_PORT" config resetstat >/dev/null
      fi
      run_wrk "$key" "$DURATION"
      line=$WRK_LINE
      if [[ -n ${DB[$server_name]} ]]; then
        # cmdstat_get:calls=N,... -> KEY get N; the control commands of the client set-up are left out
        redis-cli -p "$REDIS_PORT" info commandstats | tr -d '\r' \
          | sed -n 's/^cmdstat_\([^:]*\):calls=\([0-9]*\).*/\1 \2/p' \
          | awk -v k="$key" '$1 !~ /^(config|info|client|hello|select|ping|command)/ { printf "%s\t%s\t%s\n", k, $1, $2 }' \
          >>"$COMMANDS_TSV"
      fi
      printf '%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$phase" "$round" "$key" \
        "$(field rps "$line")" "$(field p50_ms "$line")" "$(field p99_ms "$line")" \
        "$(field requests "$line")" "$(field non2xx "$line")" "$(field errors "$line")" "$(load1)" >>"$ROUNDS_TSV"
      echo "round $round $key: $line" >&2
    done
  done
}

# Live sessions on a server: exactly the seeded ones, or the cookies did not find their sessions.
check_sessions() {
  local name=$1 live
  if [[ -n ${DB[$name]} ]]; then
    live=$(redis-cli -p "$REDIS_PORT" -n "${DB[$name]}" dbsize)
  else
    live=$(curl -s "http://127.0.0.1:${PORT[$name]}/heap" | sed -n 's/.*sessions=\([0-9-]*\).*/\1/p')
  fi
  if [[ $live != "$SESSIONS" ]]; then
    echo "after the runs the $name server has $live sessions, not the $SESSIONS seeded: the cookies did not find their sessions" >&2
    exit 1
  fi
}

# The count of a contended route's shared session, read once the server is quiet: wrk drops the
# requests in flight when it stops, and those may still be waiting for the session's lock.
read_final_count() {
  local key=$1 previous="" answer i
  route "$key"
  server "$R_SERVER"
  for i in $(seq 1 30); do
    answer=$(curl -s -H "Cookie: $(head -1 "${COOKIES[$key]}")" "http://127.0.0.1:${PORT[$R_SERVER]}/$S_MODE/count")
    if [[ $answer == "$previous" ]]; then
      break
    fi
    previous=$answer
    sleep 1
  done
  printf '%s\t%s\t%s\t%s\n' "$key" "$(field count " $answer")" "$(field ok " $answer")" "${WRK_OK[$key]}" >>"$CONTENDED_TSV"
  echo "final $key: $answer, wrk received ${WRK_OK[$key]} 200s" >&2
}

# --- the main run ----------------------------------------------------------------------------------
if [[ -n $ROUTES ]]; then
  for key in $ROUTES; do cookies "$key"; done
  for key in $ROUTES; do warm "$key"; done
  # shellcheck disable=SC2086
  measure main "$ROUNDS" $ROUTES
  for key in $ROUTES; do
    route "$key"
    if [[ $R_COOKIES == seeded && $key != *-untouched ]]; then
      check_sessions "$R_SERVER"
    fi
  done
fi
LOAD_AFTER_MAIN=$(load1)

# How many connections each Redis-backed server really holds (CLIENT LIST, by database).
CONNECTIONS_LINE=""
for name in "${ALL_SERVERS[@]}"; do
  if [[ -n ${DB[$name]} ]]; then
    held=$(redis-cli -p "$REDIS_PORT" client list | grep -c " db=${DB[$name]} " || true)
    CONNECTIONS_LINE+="${CONNECTIONS_LINE:+, }$name $held"
  fi
done

# --- one shared session ----------------------------------------------------------------------------
if [[ -n $CONTENDED ]]; then
  for key in $CONTENDED; do cookies "$key"; done
  for key in $CONTENDED; do warm "$key"; done
  # shellcheck disable=SC2086
  measure contended "$CONTENDED_ROUNDS" $CONTENDED
  for key in $CONTENDED; do read_final_count "$key"; done
fi

# --- report ----------------------------------------------------------------------------------------
{
  echo "Measured $(machine_line); wrk $(wrk --version 2>&1 | head -1 | awk '{print $2}'), redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p')."
  echo "Load average (1 min) at the end of the main rounds: $LOAD_AFTER_MAIN. Whole run: $(( (SECONDS - STARTED_AT) / 60 )) min $(( (SECONDS - STARTED_AT) % 60 )) s."
  echo
  echo "Command: \`$COMMAND\`"
  echo
  echo "wrk -t$THREADS -c$CONNECTIONS; measured runs of $DURATION; warm-up runs of $WARMUP_ROUND until two in a row agree within $SETTLE_PCT% (at least ${WARMUP_MIN} s, at most ${WARMUP_MAX} s);"
  echo "$SESSIONS sessions per session server; every server in its own JVM with $SERVER_OPTS, all running at once."
  if [[ -n $CONNECTIONS_LINE ]]; then
    echo "Redis connections held by each server after the main rounds (CLIENT LIST): $CONNECTIONS_LINE."
  fi
  echo
  java -cp "$JAR" dev.cookies.bench.HttpReport "$OUT" "$BASELINE" "$PAIRS"
} | tee "$OUT/http.md"

# Ours must lose no update of a shared session.
lost=0
while IFS=$'\t' read -r key count ok _; do
  if [[ $key == memory-one || $key == redis-one ]] && [[ $count != "$ok" ]]; then
    echo "FAILED: $key answered $ok increments 200 but the session's count is $count" >&2
    lost=1
  fi
done <"$CONTENDED_TSV"
exit $lost
