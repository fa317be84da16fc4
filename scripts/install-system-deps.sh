#!/usr/bin/env bash
# System packages the test suite needs on a fresh Debian machine:
# - Go 1.19 + hashicorp/raft 1.1.2 + raft-boltdb (the interop tests build a real Go raft node, offline, GOPATH mode)
# - sprig + yaml.v3 (the Helm chart is rendered by a tiny Go program built from Debian's packages; no helm binary here)
# Idempotent: skips apt when everything is already installed.
set -euo pipefail
PKGS=(golang-go golang-github-hashicorp-raft-dev golang-github-hashicorp-raft-boltdb-dev
  golang-github-hashicorp-go-msgpack-dev golang-github-masterminds-sprig-dev golang-gopkg-yaml.v3-dev)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
