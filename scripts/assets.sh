#!/usr/bin/env bash
# Fetches the front-end packages named in package-lock.json from the npm
# registry (npm ci) and copies the files the pages use into
# web/page/static/vendor/, which go:embed puts in the binary. Nothing third-party
# is committed: node_modules/ and web/page/static/vendor/ are gitignored.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null; then
  echo "installing Node.js and npm from Debian's packages…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq nodejs npm >&2
fi

# npm ci (exactly the lockfile) unless node_modules is already newer than it.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

govuk=node_modules/govuk-frontend/dist/govuk
moj=node_modules/@ministryofjustice/frontend/moj
out=web/page/static/vendor
rm -rf "$out"
mkdir -p "$out/fonts" "$out/images"
cp "$govuk/govuk-frontend.min.css" "$govuk/govuk-frontend.min.js" "$out/"
cp "$moj/moj-frontend.min.css" "$moj/moj-frontend.min.js" "$out/"
cp "$govuk"/assets/fonts/* "$out/fonts/"
cp "$govuk"/assets/images/* "$out/images/"
cp "$moj"/assets/images/* "$out/images/"
# The stylesheets refer to /assets/fonts/… and /assets/images/…, which is
# where the server serves this directory.
echo "assets: $(find "$out" -type f | wc -l) files in $out (govuk-frontend $(node -p 'require("./node_modules/govuk-frontend/package.json").version'), @ministryofjustice/frontend $(node -p 'require("./node_modules/@ministryofjustice/frontend/package.json").version'))"
