#!/usr/bin/env bash
# Creates (once) the pinned Python venv of the benchmarks and prints its python. Like
# scripts/setup-venv.sh (the test tier's), it lives outside the checkout, keyed by the hash of its
# requirements, so that fresh clones reuse it: ~/.cache/smc/bench-venv-<hash>.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
req="$here/requirements.txt"
hash="$(sha256sum "$req" | cut -c1-16)"
venv="${SMC_CACHE_DIR:-$HOME/.cache/smc}/bench-venv-$hash"
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.complete" ]; then
  echo "bench/setup-venv.sh: creating $venv (TensorFlow, LiteRT, ONNX Runtime; takes a minute)" >&2
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$req" >&2
  touch "$venv/.complete"
fi
echo "$venv/bin/python"
