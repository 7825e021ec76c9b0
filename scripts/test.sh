#!/usr/bin/env bash
# Runs every test on SQLite and PostgreSQL. Installs and starts what the tests
# need; with CI=true a missing dependency fails the run (tests never skip).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v go >/dev/null || { echo "Go is required (https://go.dev/dl)" >&2; exit 1; }

# The staff pages' front-end packages (npm ci) and, for the end-to-end
# tests, Debian's Chromium.
bash scripts/assets.sh
if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium from Debian's packages…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium >&2
fi

# The independent validators the tests run over Throughline's outputs
# (internal/validatortest): the Nu HTML Checker over every page the browser
# journeys are served, Redocly CLI and Spectral over the OpenAPI document,
# ical.js over the calendar. All four are npm devDependencies (npm ci
# above); the Nu checker runs on Debian's Java. Each fails the run on an
# error; with THROUGHLINE_REQUIRE_ALL (below) a missing one fails, never
# skips.
if ! command -v java >/dev/null; then
  echo "installing Java (default-jre-headless) from Debian's packages for the Nu HTML Checker…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq default-jre-headless >&2
fi
for pkg in vnu-jar @redocly/cli @stoplight/spectral-cli ical.js; do
  [ -f "node_modules/$pkg/package.json" ] || { echo "validator $pkg missing from node_modules (npm ci)" >&2; exit 1; }
done
echo "validators: vnu-jar $(node -p 'require("./node_modules/vnu-jar/package.json").version') on $(java -version 2>&1 | head -1)," \
  "@redocly/cli $(node -p 'require("./node_modules/@redocly/cli/package.json").version')," \
  "@stoplight/spectral-cli $(node -p 'require("./node_modules/@stoplight/spectral-cli/package.json").version')," \
  "ical.js $(node -p 'require("./node_modules/ical.js/package.json").version')"

pgdir=$(mktemp -d /tmp/throughline-pg.XXXXXX)
trap 'scripts/postgres.sh stop "$pgdir"' EXIT
THROUGHLINE_TEST_POSTGRES=$(scripts/postgres.sh start "$pgdir")
export THROUGHLINE_TEST_POSTGRES
export THROUGHLINE_REQUIRE_ALL=1
PATH="$PATH:$(scripts/comms-deps.sh)"
export PATH
echo "validators: poppler-utils $(pdfinfo -v 2>&1 | head -1 | awk '{print $3}') (pdfinfo, pdffonts, pdftotext) over the letters and the open-data report"

# Static checks first, each failing the run: every file gofmt-formatted,
# go vet, and staticcheck at the version pinned in go.mod (a Go module
# fetched through the module proxy: `go tool staticcheck`).
unformatted=$(find . -name '*.go' -not -path './node_modules/*' -not -path './.git/*' -print0 | xargs -0 gofmt -l)
if [ -n "$unformatted" ]; then
  echo "gofmt: these files are not formatted (run gofmt -w on them):" >&2
  echo "$unformatted" >&2
  exit 1
fi
go vet ./...
go tool staticcheck ./...
go test -count=1 -timeout 40m ./... 2>&1 | tee /tmp/throughline-test.log
