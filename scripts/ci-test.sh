#!/usr/bin/env bash
# The whole test suite from a fresh clone: system packages (Go + hashicorp/raft for the interop tests),
# npm dependencies, then lint + typecheck + every test. README and .ci/run both call this script.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f scripts/install-system-deps.sh ]; then bash scripts/install-system-deps.sh; fi
npm ci --no-audit --no-fund
npm test
