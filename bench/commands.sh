#!/usr/bin/env bash
# The commands users run, end to end as processes, each run RUNS times on a
# fresh database and reported as min / median / max, beside the limit that
# applies measured in the same run (issue: performance as users see it):
#   generate --cases CASES         into an empty database
#   export                         of that database to a JSON Lines file
#   import --file                  of that file into an empty database,
#                                  with its ceiling: the store call alone on
#                                  the same events, each batch parsed before
#                                  the store asks for it with the clock
#                                  stopped, and the same rows written with
#                                  nothing computed (BenchmarkImportFile,
#                                  streamed: it fits a national file)
#   audit verify                   the log alone
#   rebuild                        every projection from the log
# and the CPU time and peak resident memory of import. The limits of the
# others, from the same benchmark on the database it imported: generate's
# is the store call alone on the events it makes (store-events/s);
# export's, the log read in order with nothing done (limit-export);
# audit verify's, that read with every row hashed (limit-verify); rebuild's,
# the log read plus the projections' rows written bare (limit-rebuild). On
# SQLite, and on PostgreSQL when ADMIN names a server (run.sh passes its
# throwaway one).
#
#   CASES=20000 RUNS=3 ADMIN=postgres://… [DIALECTS=postgres] bash bench/commands.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cases=${CASES:-20000}
runs=${RUNS:-3}
bin=bin/throughline
go build -o "$bin" ./cmd/throughline # always: a binary left from another commit would be timed
work=$(mktemp -d /tmp/throughline-commands.XXXXXX)
created=()
cleanup() {
  for db in "${created[@]}"; do psql -q "$ADMIN" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
trap cleanup EXIT
asof=2026-11-25

# fresh prints the DSN of a new, empty database of the dialect. It is
# called in the shell itself (not in $(…)), so its counter moves on.
n=0
fresh() {
  n=$((n + 1))
  if [ "$1" = sqlite ]; then
    dsn=sqlite:$work/db$n.db
  else
    local db=commands_$$_$n
    psql -q "$ADMIN" -c "CREATE DATABASE $db" >/dev/null
    created+=("$db")
    dsn=${ADMIN%/postgres*}/$db?sslmode=disable
  fi
}

# timed runs "$@" once, with its output in $work/out, and sets secs, cpu
# (user + system seconds) and rss (peak resident set, MiB) from GNU time.
timed() {
  /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; exit 1; }
  read -r secs kib user sys <"$work/time"
  rss=$((kib / 1024))
  cpu=$(echo "$user + $sys" | bc)
}

# stats prints min / median / max of its arguments, and the rate for
# EVENTS events at each (the best rate is at the least time).
stats() {
  printf '%s\n' "$@" | sort -g | awk -v ev="$events" '
    { t[NR] = $1 }
    END {
      med = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
      printf "%.2f / %.2f / %.2f s (min / median / max of %d); %d / %d / %d events/s\n",
        t[1], med, t[NR], NR, ev / t[NR], ev / med, ev / t[1]
    }'
}

[ -x /usr/bin/time ] || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
dialects=(sqlite)
[ -n "${ADMIN:-}" ] && dialects+=(postgres)
[ -n "${DIALECTS:-}" ] && read -ra dialects <<<"$DIALECTS" # e.g. DIALECTS=postgres: one of them only
for dialect in "${dialects[@]}"; do
  echo "## the commands on $dialect, $cases cases, $runs runs each"
  gen=() exp=() imp=() imp_cpu=() ver=() reb=() rss_max=0
  for run in $(seq "$runs"); do
    fresh "$dialect"; src=$dsn
    timed "$bin" generate --cases "$cases" --seed 1 --as-of "$asof" --db "$src"
    gen+=("$secs")
    timed "$bin" export --format jsonl --out "$work/export.jsonl" --db "$src"
    exp+=("$secs")
    fresh "$dialect"
    timed "$bin" import --file "$work/export.jsonl" --db "$dsn"
    imp+=("$secs")
    imp_cpu+=("$cpu")
    rss_max=$((rss > rss_max ? rss : rss_max))
    timed "$bin" audit verify --projections=false --db "$dsn"
    ver+=("$secs")
    timed "$bin" rebuild --db "$dsn"
    reb+=("$secs")
  done
  events=$(wc -l <"$work/export.jsonl")
  echo "events: $events"
  echo "generate:      $(stats "${gen[@]}")"
  echo "export:        $(stats "${exp[@]}")"
  echo "import:        $(stats "${imp[@]}"); CPU ${imp_cpu[*]} s; peak RSS ${rss_max} MiB"
  echo "audit verify:  $(stats "${ver[@]}")"
  echo "rebuild:       $(stats "${reb[@]}")"
  echo "the ceilings, in process on the same file:"
  if [ "$dialect" = sqlite ]; then pg=; else pg=$ADMIN; fi
  THROUGHLINE_TEST_POSTGRES=$pg THROUGHLINE_BENCH_IMPORT_FILE=$work/export.jsonl \
    go test ./bench -run XXX -bench "ImportFile/$dialect" -benchtime "${runs}x" -timeout 60m | grep -E '^Benchmark|^ok'
done
