#!/usr/bin/env bash
# Side-by-side speed of Throughline's simulation engine and SimPy on the same
# M/M/c queue (Poisson arrivals, c servers, exponential service, FIFO), both
# pinned to one core, plus the bare event heap as the ceiling.
#
#   bench/sim/compare.sh                 # M/M/20 at rho 0.85
#   C=5 RHO=0.7 bench/sim/compare.sh
#   NATIONAL=1 bench/sim/compare.sh      # also time 1,000 replications of "today"
#
# Needs Go and SimPy (Debian: apt-get install -y python3-simpy, which is the
# classic SimPy 2 API; SimPy 3+ from pip works too). Events are counted the
# same way on both sides: one per arrival and one per service completion.
set -euo pipefail
cd "$(dirname "$0")/../.."

C=${C:-20}
RHO=${RHO:-0.85}
GO_CUSTOMERS=${GO_CUSTOMERS:-4000000}
PY_CUSTOMERS=${PY_CUSTOMERS:-200000}

pin=()
if command -v taskset >/dev/null; then pin=(taskset -c 0); fi

python=""
for p in python3 /usr/bin/python3; do
	if "$p" -c 'import simpy' 2>/dev/null || "$p" -c 'import SimPy.Simulation' 2>/dev/null; then
		python=$p
		break
	fi
done
if [ -z "$python" ]; then
	echo "compare.sh: SimPy not found (apt-get install -y python3-simpy)" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/driver" ./bench/sim/driver

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "model:   M/M/$C at rho $RHO; Go $GO_CUSTOMERS customers, SimPy $PY_CUSTOMERS customers, one core each"
GOMAXPROCS=1 "${pin[@]}" "$tmp/driver" -c "$C" -rho "$RHO" -customers "$GO_CUSTOMERS" >"$tmp/go.json"
GOMAXPROCS=1 "${pin[@]}" "$tmp/driver" -heap -c "$C" -customers "$GO_CUSTOMERS" >"$tmp/heap.json"
"${pin[@]}" "$python" bench/sim/mmc_simpy.py --c "$C" --rho "$RHO" --customers "$PY_CUSTOMERS" >"$tmp/simpy.json"
if [ "${NATIONAL:-}" != "" ]; then
	"$tmp/driver" -scenario today -replications 1000 -workers "$(nproc)" >"$tmp/national.json"
fi

"$python" - "$tmp" <<'EOF'
import json, os, sys
d = sys.argv[1]
load = lambda n: json.load(open(os.path.join(d, n)))
go, heap, py = load("go.json"), load("heap.json"), load("simpy.json")
print()
print(f"{'engine':<46} {'events':>12} {'seconds':>9} {'events/s':>14}")
for r in (heap, go, py):
    print(f"{r['engine']:<46} {r['events']:>12,} {r['seconds']:>9.3f} {r['events_per_second']:>14,.0f}")
print()
print(f"mean wait: Go {go['mean_wait']:.5f}, SimPy {py['mean_wait']:.5f}, Erlang C {go['erlang_c']:.5f} days")
print(f"Go engine / SimPy:        {go['events_per_second'] / py['events_per_second']:.1f}x")
print(f"Go engine / bare heap:    {go['events_per_second'] / heap['events_per_second']:.2f}")
if os.path.exists(os.path.join(d, "national.json")):
    n = load("national.json")
    print(f"national model 'today', {n['replications']} replications x 10 years on {n['workers']} workers: "
          f"{n['seconds']:.1f} s, {n['events']:,} events, {n['events_per_second']:,.0f} events/s")
EOF
