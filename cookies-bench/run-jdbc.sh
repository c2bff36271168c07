#!/usr/bin/env bash
# Section 5 of docs/benchmarks.md: the JDBC store on PostgreSQL. JMH's JdbcStoreCycle (the whole
# session cycle beside raw JDBC SELECT + UPDATE of the same bytes), then the statements per request.
#
#   cookies-bench/run-jdbc.sh            (after: mvn -B -q package -pl cookies-bench -am -DskipTests)
#
# Starts one PostgreSQL of its own, as the test kit's PostgresServer does: a new cluster made by
# initdb in a temporary directory, started by pg_ctl on a free loopback port with fsync=off (as the
# postgres user when run as root: PostgreSQL refuses root), and sets JDBC_URL so that every fork uses
# it. Stops it (pg_ctl stop) and deletes the directory when done. Extra arguments go to JMH.
# Writes target/results/jdbc-jmh.txt, jdbc-jmh.csv and jdbc.md, and prints the tables.
set -euo pipefail
source "$(dirname "$0")/bench-lib.sh"
require_jar

PG_BIN_DIR=${PG_BIN:-}
if [[ -z "$PG_BIN_DIR" ]]; then
  if command -v pg_ctl >/dev/null 2>&1; then
    PG_BIN_DIR=$(dirname "$(command -v pg_ctl)")
  else
    PG_BIN_DIR=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  fi
fi
if [[ ! -x "$PG_BIN_DIR/initdb" || ! -x "$PG_BIN_DIR/pg_ctl" ]]; then
  echo "no PostgreSQL server binaries (initdb, pg_ctl); install them: apt-get install postgresql" >&2
  exit 1
fi

PG_DIR=$(mktemp -d)
AS_PG=()
if [[ "$(id -u)" -eq 0 ]]; then
  chown postgres: "$PG_DIR"
  AS_PG=(runuser -u postgres --)
fi

stop_postgres() {
  if [[ -f "$PG_DIR/data/postmaster.pid" ]]; then
    "${AS_PG[@]}" "$PG_BIN_DIR/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
}
trap 'stop_postgres; cleanup' EXIT

PG_PORT=$(free_port)
PG_PASSWORD="bench-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
echo "$PG_PASSWORD" > "$PG_DIR/pwfile"
[[ "$(id -u)" -eq 0 ]] && chown postgres: "$PG_DIR/pwfile"
"${AS_PG[@]}" "$PG_BIN_DIR/initdb" -D "$PG_DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  --pwfile="$PG_DIR/pwfile" -E UTF8 --no-locale --no-sync >"$PG_DIR/initdb.log" 2>&1
rm -f "$PG_DIR/pwfile"
"${AS_PG[@]}" "$PG_BIN_DIR/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 30 \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -k $PG_DIR" start >/dev/null
export JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres?user=postgres&password=$PG_PASSWORD"
PG_VERSION=$("$PG_BIN_DIR/postgres" --version | sed -n 's/.* \([0-9][0-9.]*\).*/\1/p')

java -jar "$JAR" 'dev.cookies.bench.JdbcStoreCycle' -rf csv -rff "$OUT/jdbc-jmh.csv" "$@" | tee "$OUT/jdbc-jmh.txt"

{
  echo "Measured $(machine_line); JMH 1.37, PostgreSQL $PG_VERSION (fsync=off), driver org.postgresql 42.7.14."
  echo
  echo "| benchmark | session (bytes) | µs/op | ± µs (99.9%) | vs the limit |"
  echo "|---|---:|---:|---:|---:|"
  awk -F, '
    NR == 1 { next }
    {
      gsub(/["\r]/, "")
      n = split($1, part, ".")
      method = part[n]; size = $8
      score[method "." size] = $5; err[method "." size] = $6
    }
    function row(method, size, limit,   k, l, ratio) {
      k = method "." size; l = limit "." size
      if (!(k in score)) return
      ratio = (l in score) ? sprintf("%.2f", score[k] / score[l]) : "-"
      printf "| %s | %d | %.2f | %.2f | %s |\n", method, size, score[k], err[k], ratio
    }
    END {
      split("200 2048", sizes, " ")
      for (i = 1; i <= 2; i++) {
        row("cycle", sizes[i], "jdbcSelectUpdate")
        row("jdbcSelectUpdate", sizes[i], "jdbcSelectUpdate")
      }
    }' "$OUT/jdbc-jmh.csv"
  echo
  echo "Statements per request (JdbcStatementCounts, a 200-byte session):"
  echo
  java -cp "$JAR" dev.cookies.bench.JdbcStatementCounts
} | tee "$OUT/jdbc.md"
