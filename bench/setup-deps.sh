#!/usr/bin/env bash
# Installs the Debian packages the benchmarks need beyond smc's own (scripts/setup-deps.sh):
# OpenBLAS for the sgemm baseline. Quick (a dpkg query) when they are there.
set -euo pipefail
PKGS=(libopenblas-dev)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "bench/setup-deps.sh: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" >/dev/null
