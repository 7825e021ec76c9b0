#!/usr/bin/env bash
# The long crash and fault tests (docs/adr/0016): serve SIGKILLed under
# mixed load THROUGHLINE_CHAOS_KILLS times on each database (default 1000),
# PostgreSQL restarted under load, the SMTP server down for
# THROUGHLINE_CHAOS_SMTP_DOWN of real time (default 3m), the disk full.
# make test runs the same tests bounded. With CI=true a missing tool fails.
set -euo pipefail
cd "$(dirname "$0")/.."

export THROUGHLINE_CHAOS_KILLS=${THROUGHLINE_CHAOS_KILLS:-1000}
export THROUGHLINE_CHAOS_SMTP_DOWN=${THROUGHLINE_CHAOS_SMTP_DOWN:-3m}
pgdir=$(mktemp -d /tmp/throughline-pg.XXXXXX)
trap 'scripts/postgres.sh stop "$pgdir"' EXIT
THROUGHLINE_TEST_POSTGRES=$(scripts/postgres.sh start "$pgdir")
export THROUGHLINE_TEST_POSTGRES
export THROUGHLINE_REQUIRE_ALL=1
PATH="$PATH:$(scripts/comms-deps.sh)"
export PATH
echo "chaos: $THROUGHLINE_CHAOS_KILLS kills per database, SMTP down $THROUGHLINE_CHAOS_SMTP_DOWN; $(nproc) cores, $(uptime)"
go test -count=1 -timeout 8h -v \
  -run '^(TestKilledUnderMixedLoad|TestPostgresRestartedUnderLoad|TestSMTPDownForMinutes|TestDiskFull|TestKilledImportIsAllOrNothing|TestKilledDispatcherDeliversEachMessageOnce)$' \
  ./cmd/throughline/ 2>&1 | tee /tmp/throughline-chaos.log | grep -E '^(=== RUN|---|ok|FAIL|PASS)|_test.go:'
echo "chaos: done; $(uptime)"
