#!/usr/bin/env bash
# Section 4 of docs/benchmarks.md: Redis commands per request, counted by Redis.
#
#   cookies-bench/run-redis-commands.sh  (after: mvn -B -q package -pl cookies-bench -am -DskipTests)
#
# Starts one redis-server on a free loopback port and runs RedisCommandCounts against it (REDIS_URL).
# Writes target/results/redis-commands.md and prints it.
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
require_jar

start_redis
{
  echo "Measured $(machine_line); redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p')."
  echo
  REDIS_URL="$REDIS_URI" java -cp "$JAR" dev.cookies.bench.RedisCommandCounts
} | tee "$OUT/redis-commands.md"
