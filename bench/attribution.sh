#!/usr/bin/env bash
# `throughline attribution --from --to` end to end, as a process, on an
# existing database (DB: a DSN, e.g. the ten-year set's), in each of its
# modes both ways on the same database: from the attribution kept in the
# facts (as the command runs), RUNS times, min / median / max; and the
# baseline, --from-log (the whole log folded again), once. Each pair's
# outputs must be identical, and the ratio is baseline over kept median.
#
#   DB=sqlite:/path/big.db RUNS=3 bash bench/attribution.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DB:?DB must name the database (a DSN)}"
runs=${RUNS:-3}
from=${FROM:-2016-01-01}
to=${TO:-2026-11-24}
bin=bin/throughline
[ -x "$bin" ] || go build -o "$bin" ./cmd/throughline
work=$(mktemp -d /tmp/throughline-attribution.XXXXXX)
trap 'rm -rf "$work"' EXIT
[ -x /usr/bin/time ] || { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }

# timed runs "$@" once, its output in $2, and sets secs.
timed() {
  local out=$1
  shift
  /usr/bin/time -f '%e' -o "$work/time" "$@" >"$out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  secs=$(cat "$work/time")
}

echo "## throughline attribution --from $from --to $to on $DB, $runs runs each (kept) and 1 (--from-log)"
for mode in "--json" "--by force --json" "--by area --csv" "--to-trial --json" "--charged --by force"; do
  # shellcheck disable=SC2086 # the mode is words
  set -- attribution --from "$from" --to "$to" $mode --db "$DB"
  kept=()
  for _ in $(seq "$runs"); do
    timed "$work/kept" "$bin" "$@"
    kept+=("$secs")
  done
  timed "$work/log" "$bin" "$@" --from-log
  cmp -s "$work/kept" "$work/log" || { echo "$mode: the kept figures are not the log's" >&2; diff "$work/kept" "$work/log" | head -20 >&2; exit 1; }
  printf '%s\n' "${kept[@]}" | sort -g | awk -v mode="$mode" -v base="$secs" '
    { t[NR] = $1 }
    END {
      med = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
      printf "%-22s kept %.2f / %.2f / %.2f s (min / median / max); from the log %.2f s; ratio %.0f\n", mode, t[1], med, t[NR], base, base / med
    }'
done
