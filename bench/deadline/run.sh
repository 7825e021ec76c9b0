#!/usr/bin/env bash
# Recomputes every deadline of 100,000 open post-charge cases (about 15 events
# each), sequentially and on every CPU, and prints the machine it ran on.
# Target: BenchmarkComputeAll at most 2 s per op (one op = all the cases).
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "nproc: $(nproc)"
grep -m1 'model name' /proc/cpuinfo || true
go test ./deadline -run '^$' -bench 'ComputeAll' -benchmem -benchtime "${BENCHTIME:-5x}"
go test ./calendar -run '^$' -bench . -benchmem
