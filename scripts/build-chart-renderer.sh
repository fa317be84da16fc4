#!/usr/bin/env bash
# Builds test/chart/bin/render (the offline `helm template` stand-in) from Debian's Go packages.
set -euo pipefail
cd "$(dirname "$0")/.."
out=test/chart/bin
mkdir -p "$out/gocache"
GO111MODULE=off GOPATH=/usr/share/gocode GOPROXY=off GOFLAGS= GOCACHE="$PWD/$out/gocache" \
  go build -o "$out/render" ./test/chart/render
