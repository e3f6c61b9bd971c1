#!/usr/bin/env bash
# Creates (once) a pinned Python venv and prints its python. It lives outside the checkout,
# keyed by the hash of the requirements, so that fresh clones (CI) reuse it:
# ~/.cache/smc/NAME-<hash>.
#   scripts/setup-venv.sh                     the TensorFlow test tier's (NAME venv)
#   scripts/setup-venv.sh REQUIREMENTS NAME   another one (bench/setup-venv.sh)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
req="${1:-$here/test/models/requirements.txt}"
name="${2:-venv}"
hash="$(sha256sum "$req" | cut -c1-16)"
venv="${SMC_CACHE_DIR:-$HOME/.cache/smc}/$name-$hash"
if [ ! -f "$venv/.complete" ]; then
  mkdir -p "$(dirname "$venv")"
  # Several checkouts (or make -j) may get here at once: one creates, the others wait.
  exec 9>"$venv.lock"
  flock 9
  if [ ! -f "$venv/.complete" ]; then
    echo "setup-venv: creating $venv from $req (takes a minute)" >&2
    rm -rf "$venv"
    /usr/bin/python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$req" >&2
    touch "$venv/.complete"
  fi
  exec 9>&-
fi
echo "$venv/bin/python"
