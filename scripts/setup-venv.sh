#!/usr/bin/env bash
# Creates (once) the pinned Python venv of the TensorFlow test tier and prints its python.
# It lives outside the checkout, keyed by the hash of the requirements, so that fresh clones
# (CI) reuse it: ~/.cache/smc/venv-<hash>.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
req="$here/test/models/requirements.txt"
hash="$(sha256sum "$req" | cut -c1-16)"
venv="${SMC_CACHE_DIR:-$HOME/.cache/smc}/venv-$hash"
if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.complete" ]; then
  echo "setup-venv: creating $venv (pinned TensorFlow; takes a minute)" >&2
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  /usr/bin/python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$req" >&2
  touch "$venv/.complete"
fi
echo "$venv/bin/python"
