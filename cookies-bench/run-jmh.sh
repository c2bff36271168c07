#!/usr/bin/env bash
# Section 1 of docs/benchmarks.md: JMH, the whole session cycle per store beside its limit.
#
#   cookies-bench/run-jmh.sh             (after: mvn -B -q package -pl cookies-bench -am -DskipTests)
#
# Starts one redis-server on a free loopback port and sets REDIS_URL, so that every fork of
# RedisStoreCycle uses that same server, then runs MemoryStoreCycle, CookieStoreCycle and
# RedisStoreCycle in one JMH run (forks, warm-up and measurement as annotated on the classes:
# 2 forks x 5 x 1 s warm-up + 5 x 1 s measurement). Extra arguments go to JMH (for example -f 1).
# Writes target/results/jmh.txt, jmh.csv and jmh.md, and prints the table.
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
require_jar

start_redis
export REDIS_URL="$REDIS_URI"

java -jar "$JAR" 'dev.cookies.bench.(Memory|Cookie|Redis)StoreCycle' \
  -rf csv -rff "$OUT/jmh.csv" "$@" | tee "$OUT/jmh.txt"

{
  echo "Measured $(machine_line); JMH 1.37, redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p')."
  echo
  echo "| store | benchmark | session (bytes) | µs/op | ± µs (99.9%) | vs the limit |"
  echo "|---|---|---:|---:|---:|---:|"
  awk -F, '
    NR == 1 { next }
    {
      gsub(/["\r]/, "")
      n = split($1, part, ".")
      cls = part[n - 1]; method = part[n]; size = $8
      score[cls "." method "." size] = $5; err[cls "." method "." size] = $6
      if (!(cls "." size in seen)) { seen[cls "." size] = 1 }
    }
    function row(store, cls, method, size, limit,   k, l, ratio) {
      k = cls "." method "." size; l = cls "." limit "." size
      if (!(k in score)) return
      ratio = (l in score) ? sprintf("%.2f", score[k] / score[l]) : "-"
      printf "| %s | %s | %d | %.2f | %.2f | %s |\n", store, method, size, score[k], err[k], ratio
    }
    END {
      split("200 2048", sizes, " ")
      for (i = 1; i <= 2; i++) {
        s = sizes[i]
        row("memory", "MemoryStoreCycle", "cycle", s, "storeLoadSave")
        row("memory", "MemoryStoreCycle", "storeLoadSave", s, "storeLoadSave")
      }
      for (i = 1; i <= 2; i++) {
        s = sizes[i]
        row("cookie", "CookieStoreCycle", "cycle", s, "jdkAesCbcHmac")
        row("cookie", "CookieStoreCycle", "fernetSealOpen", s, "jdkAesCbcHmac")
        row("cookie", "CookieStoreCycle", "jdkAesCbcHmacNewInstances", s, "jdkAesCbcHmac")
        row("cookie", "CookieStoreCycle", "jdkAesCbcHmac", s, "jdkAesCbcHmac")
      }
      for (i = 1; i <= 2; i++) {
        s = sizes[i]
        row("redis", "RedisStoreCycle", "cycle", s, "jedisGetSet")
        row("redis", "RedisStoreCycle", "jedisGetSet", s, "jedisGetSet")
      }
    }' "$OUT/jmh.csv"
} | tee "$OUT/jmh.md"
