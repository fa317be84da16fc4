#!/usr/bin/env bash
# Builds the Go interop peer (test/interop/raftpeer) against the system's hashicorp/raft (Debian: 1.1.2,
# go-msgpack 0.5.5, raft-boltdb 2017) offline, in GOPATH mode, into test/interop/bin/raftpeer.
# Exit 3 (and a loud message) when Go or the raft sources are missing, so callers can tell "skip" from "broken".
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
GOPATH_SYS="${GOPATH_SYS:-/usr/share/gocode}"
if ! command -v go >/dev/null 2>&1 || [ ! -d "$GOPATH_SYS/src/github.com/hashicorp/raft" ]; then
  echo "build-interop: Go toolchain or hashicorp/raft sources missing (run scripts/install-system-deps.sh)" >&2
  exit 3
fi
OUT="$ROOT/test/interop/bin"
mkdir -p "$OUT/gocache" "$OUT/src/raftpeer"
# GOPATH mode only builds packages that live inside a GOPATH: stage the program in a private one that
# sits in front of the system GOPATH (which stays read-only).
cp "$ROOT/test/interop/raftpeer/main.go" "$OUT/src/raftpeer/main.go"
cd "$OUT/src/raftpeer"
GO111MODULE=off GOPATH="$OUT:$GOPATH_SYS" GOPROXY=off GOFLAGS= GOCACHE="$OUT/gocache" \
  go build -o "$OUT/raftpeer" .
echo "build-interop: built $OUT/raftpeer"
