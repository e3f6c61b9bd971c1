#!/usr/bin/env bash
# serial_cost.sh BUILD BENCH_OUT [MODEL...]: what the parallel entry points cost a serial call.
#
# Each model (default: mobilenet_v2 resnet50 matmul_1024, as bench/run.py made them in
# BENCH_OUT/models) is compiled twice by BUILD's smc for this machine's CPU, features and caches:
#   with     the host triple (an OS: threads), so the object has `<symbol>_parallel`, the serial
#            `<symbol>` calls it with a null hook, and its layers' loops are split into kernels
#            taking their bounds (what every hosted object is now);
#   without  the same CPU under a bare-metal triple (x86_64-unknown-none-elf: no threads), so
#            the pipeline is the serial one (what objects were before the parallel entry points).
# Both link bench/smc_harness.cpp and call the serial function on one thread; the two are run
# in alternation, ROUNDS (default 5) times RUNS (default 50) calls after 5 warm-up calls each,
# and the median of all calls of each is printed, with the ratio.
set -euo pipefail
BUILD=$(cd "$1" && pwd); OUT=$(cd "$2" && pwd); shift 2
MODELS=("$@")
[ ${#MODELS[@]} -gt 0 ] || MODELS=(mobilenet_v2 resnet50 matmul_1024)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SMC=$BUILD/bin/smc
WORK=$OUT/serial-cost
ROUNDS=${ROUNDS:-5}; RUNS=${RUNS:-50}
mkdir -p "$WORK"
target=$("$SMC" compile --print-target)
cpu=$(sed -n 's/^cpu: //p' <<<"$target")
features=$(sed -n 's/^features: //p' <<<"$target")
l1=$(sed -n 's/^l1-bytes: //p' <<<"$target")
l2=$(sed -n 's/^l2-bytes: //p' <<<"$target")
echo "serial_cost: cpu $cpu, L1 $l1, L2 $l2, $ROUNDS rounds of $RUNS calls"

for m in "${MODELS[@]}"; do
  meta=$OUT/models/$m.meta.json
  read -r sig inp out shape < <(python3 - "$meta" <<'EOF'
import json, re, sys
m = json.load(open(sys.argv[1]))
ident = lambda k: re.sub("[^A-Za-z0-9_]", "_", k)
print(m["signature"], ident(m["input"]), ident(m["output"]),
      m["input"] + "=" + ",".join(map(str, m["input_shape"])))
EOF
)
  for v in with without; do
    d=$WORK/$m/$v
    mkdir -p "$d"
    flags=()
    [ $v = without ] && flags=(--target x86_64-unknown-none-elf --cpu "$cpu" --features="$features"
                               --l1-cache "$l1" --l2-cache "$l2")
    "$SMC" compile --dir "$OUT/models/$m" --namespace "$m" --signature "$sig" \
      --input-shape "$shape" "${flags[@]}" -o "$d/${m}_model.o" --header "$d/${m}_model.h"
    src=$ROOT/bench/smc_harness.cpp
    if [ $v = without ]; then # no `_parallel` entry point to name
      sed 's/SMC_BENCH_CAT(SMC_BENCH_NS, _serving_default_parallel)(x, y, arena, pool.hook());/SMC_BENCH_CAT(SMC_BENCH_NS, _serving_default)(x, y, arena);/' \
        "$src" >"$d/harness.cpp"
      src=$d/harness.cpp
    fi
    c++ -O2 -std=c++17 -no-pie -I"$ROOT/runtime/include" -I"$d" -I"$ROOT/bench" -I"$ROOT/test/e2e/parity" \
      "-DSMC_BENCH_HEADER=\"${m}_model.h\"" -DSMC_BENCH_NS="$m" -DSMC_BENCH_IN="$inp" \
      -DSMC_BENCH_OUT="$out" "$src" "$d/${m}_model.o" -o "$d/bench" -lpthread
  done
  rm -f "$WORK/$m"/*/times.jsonl
  for r in $(seq "$ROUNDS"); do
    for v in with without; do
      "$WORK/$m/$v/bench" "$OUT/models/$m.input.npy" "$WORK/$m/$v/y.npy" "$RUNS" 5 1 \
        | grep '^{' >>"$WORK/$m/$v/times.jsonl"
    done
  done
  python3 - "$m" "$WORK/$m" <<'EOF'
import json, statistics, sys
name, d = sys.argv[1], sys.argv[2]
med = {}
for v in ("with", "without"):
    t = [x for line in open(f"{d}/{v}/times.jsonl") for x in json.loads(line)["times_ns"]]
    med[v] = statistics.median(t) / 1e6
print(f"{name}: serial call with the parallel entry points {med['with']:.3f} ms, "
      f"without {med['without']:.3f} ms: {med['with'] / med['without']:.3f}x")
EOF
done
