#!/usr/bin/env bash
# The staff case page under open-loop load (bench/web): many cases loaded,
# 50 staff signed in, every view writing its consultation log entry before
# the page is sent; on SQLite and on a throwaway PostgreSQL. Loopback only.
# Output: bench/out/web.txt. Figures are written up in bench/web/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
cases=${BENCH_WEB_CASES:-100000}
rates=${BENCH_WEB_RATES:-50,100,200}
duration=${BENCH_WEB_DURATION:-60s}
out=bench/out
mkdir -p "$out" bin
go build -o bin/bench-web ./bench/web

pgdir=$(mktemp -d /tmp/throughline-benchweb-pg.XXXXXX)
trap 'scripts/postgres.sh stop "$pgdir"' EXIT
admin=$(scripts/postgres.sh start "$pgdir")
psql -q "$admin" -c "CREATE DATABASE web" >/dev/null
pg=${admin%/postgres*}/web?sslmode=disable
sqlite=sqlite:$(mktemp -d /tmp/throughline-benchweb.XXXXXX)/web.db

{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(go version | cut -d' ' -f3); load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for db in "$sqlite" "$pg"; do
    bin/bench-web -db "$db" -cases "$cases" -users 50 -rate "$rates" -duration "$duration"
  done
} 2>&1 | tee "$out/web.txt"
