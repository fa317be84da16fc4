#!/usr/bin/env bash
# Reproduces the container image's runtime stage on this machine (no Docker engine here): compiled dist/, bin/ and
# production dependencies only, installed into a clean directory the way docker/Dockerfile's build stage prunes them,
# then runs the daemon from that directory. Usage: scripts/runtime-stage.sh OUT_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:?usage: runtime-stage.sh OUT_DIR}"
rm -rf "$out"
mkdir -p "$out"
npx tsc -p tsconfig.build.json
cp package.json package-lock.json "$out/"
cp -r dist bin "$out/"
(cd "$out" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
# typescript is only an optional peer of viem (types); npm keeps it as "devOptional", so drop it explicitly.
rm -rf "$out/node_modules/typescript" "$out/node_modules/.bin/tsc" "$out/node_modules/.bin/tsserver"
# Nothing of the source tree or the dev toolchain may be needed at runtime.
for forbidden in src test sim node_modules/typescript node_modules/tsx node_modules/@biomejs; do
  if [ -e "$out/$forbidden" ]; then echo "runtime-stage: $forbidden must not be in the runtime image" >&2; exit 1; fi
done
du -sh "$out/node_modules" | awk '{print "runtime-stage: production node_modules " $1}'
node "$out/bin/op-conductor.mjs" --version
