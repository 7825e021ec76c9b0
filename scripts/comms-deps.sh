#!/usr/bin/env bash
# Installs what the victim-communication tests need: mailpit (a real SMTP
# server with an HTTP API), pdftotext, pdfinfo and pdffonts (poppler-utils)
# to read letters back and check them, and the regular and bold UTF-8
# TrueType faces with the Welsh letters (fonts-dejavu-core).
# Prints the directory to add to PATH for mailpit.
set -euo pipefail
gobin=$(go env GOBIN)
[ -n "$gobin" ] || gobin="$(go env GOPATH)/bin"
if ! command -v mailpit >/dev/null && [ ! -x "$gobin/mailpit" ]; then
  echo "Installing mailpit (go install github.com/axllent/mailpit@v1.27.11)…" >&2
  GOFLAGS= go install github.com/axllent/mailpit@v1.27.11 >&2
fi
need=()
for tool in pdftotext pdfinfo pdffonts; do
  command -v "$tool" >/dev/null || { need+=(poppler-utils); break; }
done
for face in DejaVuSans DejaVuSans-Bold; do
  [ -f "/usr/share/fonts/truetype/dejavu/$face.ttf" ] || { need+=(fonts-dejavu-core); break; }
done
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing ${need[*]}…" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi
echo "$gobin"
