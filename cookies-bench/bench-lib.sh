# Shared by the run-*.sh scripts: sourced, not run. Starts and stops only the processes it started,
# by their process ids.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
JAR="$HERE/target/benchmarks.jar"
OUT="$HERE/target/results"
mkdir -p "$OUT"

STARTED_PIDS=()

cleanup() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  STARTED_PIDS=()
}
trap cleanup EXIT


require_jar() {
  if [[ ! -f "$JAR" ]]; then
    echo "missing $JAR; build it first: mvn -B -q package -pl cookies-bench -am -DskipTests" >&2
    exit 1
  fi
  warn_if_busy
}

# A loopback port nobody listens on.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

# start_redis: starts redis-server on a free port, sets REDIS_PORT, REDIS_PID and REDIS_URI.
start_redis() {
  REDIS_PORT=$(free_port)
  REDIS_DIR=$(mktemp -d)
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --dir "$REDIS_DIR" \
    --daemonize no --logfile "$REDIS_DIR/redis.log" &
  REDIS_PID=$!
  STARTED_PIDS+=("$REDIS_PID")
  REDIS_URI="redis://127.0.0.1:$REDIS_PORT"
  local i
  for i in $(seq 1 100); do
    if redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
      return
    fi
    sleep 0.1
  done
  echo "redis-server did not start on port $REDIS_PORT" >&2
  exit 1
}

# start_server MODE JVM_OPTS [REDIS_URI] [NAME]: starts BenchServer, sets SERVER_PORT and SERVER_PID.
# Its output goes to target/results/server-NAME.log (NAME defaults to MODE).
start_server() {
  local mode=$1 opts=$2 redis=${3:-} name=${4:-$1}
  SERVER_PORT=$(free_port)
  local log="$OUT/server-$name.log"
  # shellcheck disable=SC2086
  java $opts -cp "$JAR" dev.cookies.bench.BenchServer "$mode" "$SERVER_PORT" $redis >"$log" 2>&1 &
  SERVER_PID=$!
  STARTED_PIDS+=("$SERVER_PID")
  local i
  for i in $(seq 1 300); do
    if grep -q READY "$log"; then
      return
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "BenchServer $mode exited:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "BenchServer $mode not ready in 30 s" >&2
  exit 1
}

stop_server() {
  stop_pid "$SERVER_PID"
}

# stop_pid PID: stops one process this script started.
stop_pid() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local kept=() pid
  for pid in "${STARTED_PIDS[@]}"; do
    [[ "$pid" != "$1" ]] && kept+=("$pid")
  done
  STARTED_PIDS=("${kept[@]}")
}

# The 1-minute load average: other work on this machine skews every figure.
load1() { cut -d' ' -f1 /proc/loadavg; }

warn_if_busy() {
  local load
  load=$(load1)
  echo "load average (1 min) at start: $load" >&2
  if awk -v l="$load" 'BEGIN { exit !(l > 1.0) }'; then
    echo "WARNING: the machine is busy (load $load); figures will be skewed. Run on an idle machine." >&2
  fi
}

machine_line() {
  local cpu cores mem jdk
  cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
  cores=$(nproc)
  mem=$(free -g | awk '/^Mem:/ {print $2 " GiB"}')
  jdk=$(java -version 2>&1 | head -1)
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $cpu, $cores cores, $mem RAM; $jdk; load average $LOAD_AT_START at start, $(load1) at end"
}

LOAD_AT_START=$(load1)
