#!/usr/bin/env bash
# task_profile.sh BUILD BENCH_OUT MODEL [THREADS]: each layer's time at 1 and THREADS threads.
#
# MODEL as bench/run.py made it in BENCH_OUT/models, compiled by BUILD's smc for this machine,
# linked with bench/task_profile.cpp (no PIE, so that its addresses are the symbols' in `nm`),
# run for RUNS (default 50) calls at 1 thread and at THREADS (default: the cores); each task
# function's address is replaced by its name (<symbol>_parallel_k<N>_task_...: the kernel, as
# `smc compile --compile-to loops` numbers them). Not a benchmark: finds the layers that lose
# time on several threads. HOT=1: each layer runs once untimed right before its timed run
# (see task_profile.cpp). SMC_FLAGS: further `smc compile` flags (e.g. "--cpu haswell").
set -euo pipefail
BUILD=$(cd "$1" && pwd); OUT=$(cd "$2" && pwd); m=$3
THREADS=${4:-$(nproc)}; RUNS=${RUNS:-50}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
d=$OUT/task-profile/$m${SUFFIX:-}
mkdir -p "$d"
read -r sig inp out shape < <(python3 - "$OUT/models/$m.meta.json" <<'PY'
import json, re, sys
m = json.load(open(sys.argv[1]))
ident = lambda k: re.sub("[^A-Za-z0-9_]", "_", k)
print(m["signature"], ident(m["input"]), ident(m["output"]),
      m["input"] + "=" + ",".join(map(str, m["input_shape"])))
PY
)
"$BUILD/bin/smc" compile --dir "$OUT/models/$m" --namespace "$m" --signature "$sig" \
  --input-shape "$shape" ${SMC_FLAGS:-} -o "$d/${m}_model.o" --header "$d/${m}_model.h"
c++ -O2 -std=c++17 -no-pie -I"$ROOT/runtime/include" -I"$d" -I"$ROOT/test/e2e/parity" \
  "-DSMC_BENCH_HEADER=\"${m}_model.h\"" -DSMC_BENCH_NS="$m" -DSMC_BENCH_IN="$inp" \
  -DSMC_BENCH_OUT="$out" "$ROOT/bench/task_profile.cpp" "$d/${m}_model.o" -o "$d/task_profile" \
  -lpthread
"$d/task_profile" "$OUT/models/$m.input.npy" "$RUNS" "$THREADS" >"$d/profile.txt"
nm "$d/task_profile" | awk '{ a = $1; sub(/^0+/, "", a); print "0x" a, $3 }' >"$d/symbols.txt"
awk 'NR == FNR { name[$1] = $2; next } ($1 in name) { $1 = name[$1] } { print }' \
  "$d/symbols.txt" "$d/profile.txt"
