#!/usr/bin/env bash
# Installs the Debian packages the benchmarks need beyond smc's own (scripts/setup-deps.sh):
# OpenBLAS for the sgemm baseline; the AArch64 cross compiler and QEMU user mode (with plugins) for
# the AArch64 table. Quick (a dpkg query) when they are there.
set -euo pipefail
exec "$(cd "$(dirname "$0")" && pwd)/../scripts/setup-deps.sh" libopenblas-dev g++-aarch64-linux-gnu qemu-user
