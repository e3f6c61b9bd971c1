#!/usr/bin/env bash
# Creates (once) the pinned Python venv of the benchmarks (TensorFlow, LiteRT, ONNX Runtime) and
# prints its python: ~/.cache/smc/bench-venv-<hash of bench/requirements.txt>.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec "$here/../scripts/setup-venv.sh" "$here/requirements.txt" bench-venv
