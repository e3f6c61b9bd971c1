#!/usr/bin/env bash
# Installs the Debian packages smc builds and tests with, or the ones given as arguments
# (bench/setup-deps.sh). Quick (a dpkg query) when they are there.
set -euo pipefail
PKGS=("$@")
[ ${#PKGS[@]} -gt 0 ] || PKGS=(
  cmake ninja-build ccache lld-19 g++ clang-19 libclang-rt-19-dev
  llvm-19-dev llvm-19-tools libmlir-19-dev mlir-19-tools liblld-19-dev
  libprotobuf-dev protobuf-compiler libabsl-dev libsnappy-dev zlib1g-dev libzstd-dev libgtest-dev
  python3 python3-venv
  qemu-user-static g++-aarch64-linux-gnu gcc-arm-none-eabi qemu-system-arm
  gcc-riscv64-unknown-elf qemu-system-misc
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
