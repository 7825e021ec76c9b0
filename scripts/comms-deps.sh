#!/usr/bin/env bash
# Installs what the victim-communication tests need: mailpit (a real SMTP
# server with an HTTP API), pdftotext (poppler-utils) to read letters back,
# and a UTF-8 TrueType font with the Welsh letters (fonts-dejavu-core).
# Prints the directory to add to PATH for mailpit.
set -euo pipefail
gobin=$(go env GOBIN)
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
if ! command -v mailpit >/dev/null && [ ! -x "$gobin/mailpit" ]; then
  echo "Installing mailpit (go install github.com/axllent/mailpit@v1.27.11)…" >&2
  GOFLAGS= go install github.com/axllent/mailpit@v1.27.11 >&2
fi
need=()
command -v pdftotext >/dev/null || need+=(poppler-utils)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]}…" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi
echo "$gobin"
