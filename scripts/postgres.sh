#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on loopback for the tests and prints
# its DSN. Installs Debian's postgresql if it is missing. PostgreSQL refuses
# to run as root, so the cluster runs as the postgres user.
#   scripts/postgres.sh start DIR   → prints the DSN on stdout
#   scripts/postgres.sh stop DIR
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?cluster directory}

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

case $cmd in
start)
  if [ -z "$(bindir)" ]; then
    echo "installing postgresql from Debian's packages…" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
  fi
  bin=$(bindir)
  [ -x "$bin/initdb" ] || { echo "postgresql is not installed and could not be installed" >&2; exit 1; }
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql postgres
  mkdir -p "$dir"
  chown postgres "$dir"
  port=$(( 20000 + RANDOM % 20000 ))
  runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync -E UTF8 >/dev/null
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 -c shared_buffers=256MB" >/dev/null
  echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  ;;
stop)
  bin=$(bindir)
  [ -d "$dir/data" ] && runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
esac
