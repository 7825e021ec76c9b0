#!/usr/bin/env bash
# The import command and its ceiling (the store call alone on the same
# batches, BenchmarkImportFile with THROUGHLINE_BENCH_STORE_ONLY), as
# alternating pairs on one export, each into a fresh database. The machine's
# speed moves by a fifth over minutes (a shared virtual machine), and a
# command and a ceiling timed far apart measure the machine as much as the
# code; a pair is timed back to back. For each run it prints what says
# which phase the machine was in: CPU time for the same work (the client's;
# on PostgreSQL the server's too, from /proc), and on PostgreSQL the WAL
# written, the checkpoints and the time spent waiting for the disk.
#
#   FILE=export.jsonl PAIRS=3 DIALECT=sqlite bash bench/importpairs.sh
#   FILE=export.jsonl PAIRS=3 DIALECT=postgres ADMIN=postgres://… bash bench/importpairs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
file=${FILE:?FILE= names a JSON Lines export}
pairs=${PAIRS:-3}
dialect=${DIALECT:-sqlite}
work=$(mktemp -d /tmp/throughline-pairs.XXXXXX)
trap 'rm -rf "$work"; [ "$dialect" = postgres ] && psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS pairs_$$" >/dev/null 2>&1 || true' EXIT
go build -o "$work/throughline" ./cmd/throughline
go test -c -o "$work/bench.test" ./bench
[ -x /usr/bin/time ] || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }

# fresh sets dsn to an empty database.
fresh() {
  if [ "$dialect" = sqlite ]; then
    rm -f "$work"/import.db*
    dsn=sqlite:$work/import.db
  else
    psql -q "$ADMIN" -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS pairs_$$" -c "CREATE DATABASE pairs_$$" -c "CHECKPOINT" >/dev/null
    dsn=${ADMIN%/postgres*}/pairs_$$?sslmode=disable
  fi
}

# server prints the CPU seconds of every PostgreSQL process so far (the
# exited backends' through the postmaster's children's time), the WAL
# position in bytes, and the checkpoints so far.
server() {
  local ticks=0 pm f
  pm=$(head -1 "$(psql -qtA "$ADMIN" -c 'SHOW data_directory')/postmaster.pid")
  for p in $pm $(pgrep -P "$pm"); do
    read -r -a f <"/proc/$p/stat" 2>/dev/null || continue
    ticks=$((ticks + f[13] + f[14]))
  done
  read -r -a f <"/proc/$pm/stat"
  ticks=$((ticks + f[15] + f[16])) # the children that have exited
  echo "$((ticks / $(getconf CLK_TCK))) $(psql -qtA "$ADMIN" -c "SELECT pg_current_wal_lsn() - '0/0', checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter" | tr '|' ' ')"
}

# measured runs "$@" and prints its wall and client CPU seconds, and on
# PostgreSQL the server's CPU seconds, WAL and checkpoints over the run,
# and the seconds every core waited for the disk.
measured() {
  local s0 s1 io0 io1
  [ "$dialect" = postgres ] && s0=$(server)
  io0=$(awk '/^cpu /{print $6}' /proc/stat)
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
  io1=$(awk '/^cpu /{print $6}' /proc/stat)
  read -r wall user sys <"$work/time"
  printf '  wall %s s, client CPU %s s, iowait %s s' "$wall" "$(echo "$user + $sys" | bc)" "$(((io1 - io0) / $(getconf CLK_TCK)))"
  if [ "$dialect" = postgres ]; then
    s1=$(server)
    read -r c0 w0 k0 <<<"$s0"
    read -r c1 w1 k1 <<<"$s1"
    printf ', server CPU %s s, WAL %s MiB, %s checkpoints' $((c1 - c0)) $(((w1 - w0) / 1048576)) $((k1 - k0))
  fi
  echo
}

events=$(wc -l <"$file")
echo "# $events events; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $dialect"
for i in $(seq "$pairs"); do
  fresh
  echo "pair $i, $(date -u +%T): import"
  measured "$work/throughline" import --file "$file" --db "$dsn"
  echo "  $(awk -v e="$events" -v w="$wall" 'BEGIN { printf "%d events/s", e / w }')"
  if [ "$dialect" = postgres ]; then psql -q "$ADMIN" -c "DROP DATABASE pairs_$$" >/dev/null; pg=$ADMIN; else pg=; fi
  echo "pair $i, $(date -u +%T): the store alone (and parsing alone: its rate per CPU-second is the machine's speed)"
  measured env THROUGHLINE_BENCH_STORE_ONLY=1 THROUGHLINE_TEST_POSTGRES="$pg" THROUGHLINE_BENCH_IMPORT_FILE="$file" \
    "$work/bench.test" -test.run XXX -test.bench "ImportFile/$dialect" -test.benchtime 1x -test.timeout 60m
  grep -E '^Benchmark' "$work/out" | tr -s ' \t' ' ' | sed 's/^/  /'
done
