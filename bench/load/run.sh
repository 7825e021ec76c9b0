#!/usr/bin/env bash
# Issue 17 item 6: real `throughline serve` processes under open-loop load
# (bench/load): staff reading case pages and API clients appending events,
# one server on SQLite and two on one PostgreSQL, the cases loaded first
# with `throughline generate`; every acknowledged append counted in the
# database afterwards. Loopback only. Output: bench/out/load.txt.
#
#   BENCH_LOAD_CASES=20000 BENCH_LOAD_DURATION=60s bash bench/load/run.sh
#
# Sizes and rates (defaults: the issue's national run):
#   BENCH_LOAD_CASES (700000), BENCH_LOAD_USERS (200), BENCH_LOAD_READ_RATE
#   (100 case pages/s), BENCH_LOAD_API_READ_RATE (0 API case reads/s, beside
#   the pages), BENCH_LOAD_WRITE_RATE (50 appends/s),
#   BENCH_LOAD_DURATION (10m), BENCH_LOAD_WARMUP (30s),
#   BENCH_LOAD_DBS ("sqlite postgres").
# Databases already loaded (make bench passes its national ones; then
# nothing is generated): BENCH_LOAD_SQLITE (sqlite:PATH), BENCH_LOAD_PG
# (postgres://…). Without BENCH_LOAD_PG a throwaway PostgreSQL is started
# (scripts/postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
cases=${BENCH_LOAD_CASES:-700000}
out=bench/out
mkdir -p "$out" bin
go build -o bin/throughline ./cmd/throughline
go build -o bin/bench-load ./bench/load
work=$(mktemp -d /tmp/throughline-load.XXXXXX)
pgdir=
cleanup() {
  if [ -n "$pgdir" ]; then scripts/postgres.sh stop "$pgdir"; fi
  rm -rf "$work"
}
trap cleanup EXIT
# The throwaway PostgreSQL is started here, not in the block piped to tee
# below (a subshell), so that the trap sees it and stops it.
dbs=${BENCH_LOAD_DBS:-sqlite postgres}
if [[ " $dbs " == *" postgres "* ]] && [ -z "${BENCH_LOAD_PG:-}" ]; then
  pgdir=$(mktemp -d /tmp/throughline-load-pg.XXXXXX) # apart: the cluster runs as postgres
  admin=$(scripts/postgres.sh start "$pgdir")
  psql -q "$admin" -c "CREATE DATABASE load" >/dev/null
fi

{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(go version | cut -d' ' -f3); $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; uptime: $(uptime)"
  for db in $dbs; do
    case $db in
    sqlite)
      dsn=${BENCH_LOAD_SQLITE:-}
      servers=1
      ;;
    postgres)
      dsn=${BENCH_LOAD_PG:-}
      servers=2
      [ -z "$dsn" ] && dsn=${admin%/postgres*}/load?sslmode=disable
      ;;
    *) echo "BENCH_LOAD_DBS: sqlite or postgres, not $db" >&2; exit 2 ;;
    esac
    if [ -z "$dsn" ] || { [ "$db" = postgres ] && [ -z "${BENCH_LOAD_PG:-}" ]; }; then
      [ -z "$dsn" ] && dsn=sqlite:$work/load.db
      echo "## generate --cases $cases into $db"
      start=$(date +%s)
      bin/throughline generate --cases "$cases" --seed 1 --as-of 2026-11-25 --db "$dsn"
      echo "elapsed $(( $(date +%s) - start )) s"
    fi
    echo "## load on $db, $servers server(s); uptime: $(uptime)"
    bin/bench-load -db "$dsn" -bin bin/throughline -servers "$servers" -logs "$work/logs-$db" \
      -users "${BENCH_LOAD_USERS:-200}" -read-rate "${BENCH_LOAD_READ_RATE:-100}" -api-read-rate "${BENCH_LOAD_API_READ_RATE:-0}" -write-rate "${BENCH_LOAD_WRITE_RATE:-50}" \
      -duration "${BENCH_LOAD_DURATION:-10m}" -warmup "${BENCH_LOAD_WARMUP:-30s}" || { echo "bench/load on $db: FAILED (exit $?)"; touch "$work/failed"; }
    echo "uptime after: $(uptime)"
  done
} 2>&1 | tee "$out/load.txt"
# A run whose count failed (or that could not run) fails the script, after
# the other database has had its run.
[ ! -e "$work/failed" ]
