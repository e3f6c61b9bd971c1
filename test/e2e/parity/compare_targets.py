"""Compares the parity outputs of two targets (x86-64 and aarch64): the same compiled model
must give the same outputs on both. Floats may differ by rounding only where the targets
legitimately differ (LLVM contracts a*b+c into one FMA on aarch64, not on x86-64 without
--fast-math), so they are compared with a tight relative tolerance; everything else exactly.

usage: compare_targets.py DIR_A DIR_B
"""
import os
import sys

import numpy as np


def main():
    a, b = sys.argv[1], sys.argv[2]
    # Every output of the second target (which may build fewer models) against the first.
    names = sorted(f for f in os.listdir(b) if f.endswith(".npy"))
    worst = 0.0
    bad = 0
    for n in names:
        if not os.path.exists(os.path.join(a, n)):
            print("FAIL %s: missing on the first target" % n)
            bad += 1
            continue
        x = np.load(os.path.join(a, n))
        y = np.load(os.path.join(b, n))
        if x.dtype.kind == "f":
            err = np.abs(x.astype(np.float64) - y.astype(np.float64))
            rel = float((err / np.maximum(np.abs(x.astype(np.float64)), 1e-6)).max()) if err.size else 0.0
            worst = max(worst, rel)
            ok = x.shape == y.shape and rel <= 1e-5
        else:
            ok = np.array_equal(x, y)
        if not ok:
            print("FAIL %s" % n)
            bad += 1
    seq_a = open(os.path.join(a, "sequences.txt")).read()
    seq_b = open(os.path.join(b, "sequences.txt")).read()
    if seq_a != seq_b:
        print("FAIL sequences differ:\n%s---\n%s" % (seq_a, seq_b))
        bad += 1
    print("compared %d outputs across targets, %d differ, worst relative difference %.3g" %
          (len(names), bad, worst))
    return 1 if bad or not names else 0


if __name__ == "__main__":
    sys.exit(main())
