#!/usr/bin/env bash
# make bench: every benchmark, each against its baseline measured in the same
# run, on SQLite and on a throwaway PostgreSQL. Results go to bench/out/.
# Set BENCH_CASES to change the size of the loaded national data set, and
# BENCH_RUNS the runs of each command in bench/commands.sh, BENCH_PAIRS the
# import's pairs in bench/importpairs.sh. BENCH_LOAD=1 adds
# the serve processes under load for ten minutes a database (bench/load).
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/out
mkdir -p "$out"
cases=${BENCH_CASES:-700000}

pgdir=$(mktemp -d /tmp/throughline-bench-pg.XXXXXX)
trap 'scripts/postgres.sh stop "$pgdir"' EXIT
admin=$(scripts/postgres.sh start "$pgdir")
psql -q "$admin" -c "CREATE DATABASE big" >/dev/null
big_pg=${admin%/postgres*}/big?sslmode=disable
big_sqlite=sqlite:$(mktemp -d /tmp/throughline-bench.XXXXXX)/big.db

key=$(mktemp -d /tmp/throughline-bench-key.XXXXXX)/checkpoint.key
public=$(bin/throughline audit keygen --out "$key" | sed -n 's/^public key //p')
{
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem/{print $2}') GiB; $(go version | cut -d' ' -f3)"
  echo "# $(date -u +%Y-%m-%dT%H:%MZ)"
  for db in "$big_sqlite" "$big_pg"; do
    echo "## generate --cases $cases into ${db%%:*}"
    start=$(date +%s%N)
    bin/throughline generate --cases "$cases" --seed 1 --from-year 2016 --to-year 2026 --as-of 2026-11-25 --db "$db"
    echo "elapsed $(( ($(date +%s%N) - start) / 1000000 )) ms"
    echo "## audit verify on ${db%%:*} (the log alone)"
    start=$(date +%s%N)
    bin/throughline audit verify --projections=false --db "$db"
    echo "elapsed $(( ($(date +%s%N) - start) / 1000000 )) ms"
    echo "## audit verify on ${db%%:*} (the log, then every projection refolded and compared)"
    start=$(date +%s%N)
    bin/throughline audit verify --db "$db"
    echo "elapsed $(( ($(date +%s%N) - start) / 1000000 )) ms"
    echo "## audit checkpoint on ${db%%:*} (sealing every case), then audit verify with it"
    start=$(date +%s%N)
    bin/throughline audit checkpoint --key "$key" --db "$db"
    echo "elapsed $(( ($(date +%s%N) - start) / 1000000 )) ms"
    start=$(date +%s%N)
    bin/throughline audit verify --projections=false --public-key "$public" --db "$db"
    echo "elapsed $(( ($(date +%s%N) - start) / 1000000 )) ms"
  done
  echo "## the commands users run, end to end, beside their ceilings"
  ADMIN=$admin CASES=$cases RUNS=${BENCH_RUNS:-3} bash bench/commands.sh
  echo "## Go benchmarks"
  THROUGHLINE_TEST_POSTGRES=$admin THROUGHLINE_BENCH_BIG_sqlite=$big_sqlite THROUGHLINE_BENCH_BIG_postgres=$big_pg \
    go test ./bench -run XXX -bench 'Append|Import' -benchtime 3s -timeout 60m
  THROUGHLINE_TEST_POSTGRES=$admin THROUGHLINE_BENCH_BIG_sqlite=$big_sqlite THROUGHLINE_BENCH_BIG_postgres=$big_pg \
    go test ./bench -run XXX -bench 'Verify|ReadCase|FellDue' -benchtime 1x -timeout 60m
  THROUGHLINE_BENCH_BIG_sqlite=$big_sqlite THROUGHLINE_BENCH_BIG_postgres=$big_pg \
    go test ./bench -run XXX -bench 'ReadCase|FellDue' -benchtime 2000x -timeout 60m
  PATH="$PATH:$(scripts/comms-deps.sh)"
  for pkg in $(go list ./... | grep -v /bench); do
    if grep -qs 'func Benchmark' $(go list -f '{{range .TestGoFiles}}{{$.Dir}}/{{.}} {{end}}{{range .XTestGoFiles}}{{$.Dir}}/{{.}} {{end}}' "$pkg"); then
      THROUGHLINE_TEST_POSTGRES=$admin go test "$pkg" -run XXX -bench . -benchtime 1s -timeout 30m
    fi
  done
  echo "## the import command and its ceiling in alternating pairs, on an export of the national set (its consultations are written last, after the benchmarks that read the set)"
  pairs_file=$(mktemp /tmp/throughline-bench-export.XXXXXX)
  bin/throughline export --format jsonl --out "$pairs_file" --db "$big_pg"
  FILE=$pairs_file PAIRS=${BENCH_PAIRS:-3} DIALECT=sqlite bash bench/importpairs.sh
  FILE=$pairs_file PAIRS=${BENCH_PAIRS:-3} DIALECT=postgres ADMIN=$admin bash bench/importpairs.sh
  rm -f "$pairs_file"
  echo "## simulator against SimPy, and 1,000 replications of the national model"
  if ! python3 -c 'import simpy' 2>/dev/null && ! python3 -c 'import SimPy.Simulation' 2>/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-simpy >/dev/null
  fi
  NATIONAL=1 bash bench/sim/compare.sh
  echo "## the staff case page under open-loop load"
  BENCH_WEB_CASES=${BENCH_WEB_CASES:-$cases} bash bench/web/run.sh
  if [ -n "${BENCH_LOAD:-}" ]; then
    echo "## serve processes under open-loop load, on the national set (issue 17 item 6)"
    BENCH_LOAD_CASES=$cases BENCH_LOAD_SQLITE=$big_sqlite BENCH_LOAD_PG=$big_pg bash bench/load/run.sh
  else
    echo "## serve processes under open-loop load (issue 17 item 6): not run; BENCH_LOAD=1 make bench runs it on the national set (about 25 minutes more), bash bench/load/run.sh runs it alone"
  fi
} 2>&1 | tee "$out/results.txt"
