"""Compares the parity harness's outputs with TensorFlow's and checks that every signature
listed as unsupported still fails to compile with smc's error (so the list stays honest).

Float outputs must match within the tolerance models.json gives the case (by case id
"model:tags:signature", else by model name, else "default"). For the classifiers listed under
"top1" in models.json, every 2-D float output [batch, classes] must in addition have the same
argmax as TensorFlow's in every row (reported as "top-1 k/n").

usage: check.py --harness DIR --out DIR --smc SMC
"""
import argparse
import json
import os
import subprocess
import sys

import numpy as np

from gen_harness import identifier

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--harness", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--smc", required=True)
    args = ap.parse_args()
    config = json.load(open(os.path.join(HERE, "models.json")))
    tolerances = config["tolerance"]
    tol = tolerances["default"]
    top1_models = set(config.get("top1", []))
    top1_checked = set()
    cases = json.load(open(os.path.join(args.harness, "cases.json")))
    failures = 0
    compared = 0
    sequences = {}
    seq_path = os.path.join(args.out, "sequences.txt")
    for line in open(seq_path) if os.path.exists(seq_path) else []:
        cid, step, key, value = line.split()
        sequences[(cid, int(step), key)] = float(value)
    for c in cases:
        if "steps" in c:
            for i, st in enumerate(c["steps"]):
                for k, want in st["outputs"].items():
                    got = sequences.get((c["id"], i, k))
                    compared += 1
                    ok = got is not None and abs(got - want) <= tol["atol"] + tol["rtol"] * abs(want)
                    print("%s %s step %d (%s) %s: smc %s, TensorFlow %s" % (
                        "ok  " if ok else "FAIL", c["id"], i, st["call"], k, got, want))
                    failures += not ok
            continue
        for k, path in sorted(c["expected"].items()):
            ident = identifier(k)  # the name the harness wrote (gen_harness.py)
            ours_path = os.path.join(args.out, "%s.%s.npy" % (c["id"].replace(":", "."), ident))
            want = np.load(path)
            compared += 1
            if not os.path.exists(ours_path):
                print("FAIL %s %s: no output written" % (c["id"], k))
                failures += 1
                continue
            got = np.load(ours_path)
            model = c["id"].split(":")[0]
            case_tol = tolerances.get(c["id"], tolerances.get(model, tol))
            if got.shape != want.shape or got.dtype != want.dtype:
                print("FAIL %s %s: shape/dtype %s %s, TensorFlow %s %s" % (
                    c["id"], k, got.shape, got.dtype, want.shape, want.dtype))
                failures += 1
                continue
            if want.dtype.kind == "f":
                err = np.abs(got.astype(np.float64) - want.astype(np.float64))
                bound = case_tol["atol"] + case_tol["rtol"] * np.abs(want.astype(np.float64))
                ok = bool(np.all(err <= bound)) and not np.any(np.isnan(got) != np.isnan(want))
                detail = "max abs err %.3g, max rel err %.3g" % (
                    err.max() if err.size else 0,
                    (err / np.maximum(np.abs(want), 1e-30)).max() if err.size else 0)
                if case_tol is not tol:
                    detail += " (tolerance rtol %g, atol %g)" % (case_tol["rtol"], case_tol["atol"])
                if model in top1_models and want.ndim == 2:
                    same = int(np.sum(np.argmax(got, axis=1) == np.argmax(want, axis=1)))
                    ok = ok and same == want.shape[0]
                    detail += ", top-1 %d/%d" % (same, want.shape[0])
                    top1_checked.add(model)
            else:
                ok = bool(np.array_equal(got, want))
                detail = "exact"
            print("%s %s %s: %s" % ("ok  " if ok else "FAIL", c["id"], k, detail))
            failures += not ok
    # A classifier listed under "top1" must have had its top-1 checked (a 2-D float output).
    for model in sorted(top1_models & {c["id"].split(":")[0] for c in cases} - top1_checked):
        print("FAIL %s: listed under top1, but no [batch, classes] float output was compared" %
              model)
        failures += 1
    for u in json.load(open(os.path.join(args.harness, "unsupported.json"))):
        p = subprocess.run([args.smc, "compile", "--dir", u["dir"], "--tag_set", u["tags"],
                            "--signature", u["signature"], "-o", os.path.join(args.out, "x.o")],
                           capture_output=True, text=True)
        ok = p.returncode == 1 and ("unsupported" in p.stderr or "does not support" in p.stderr)
        print("%s %s is rejected as expected (%s)%s" % (
            "ok  " if ok else "FAIL", u["id"], u["why"],
            "" if ok else ": exit %d, %s" % (p.returncode, p.stderr.strip())))
        failures += not ok
    print("compared %d outputs with TensorFlow, %d failures" % (compared, failures))
    return 1 if failures or compared == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
