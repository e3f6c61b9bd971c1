"""Runs `smc run` and `saved_model_cli run` side by side and compares what they print and save.

usage: compare_cli.py --smc SMC --saved-model-cli CLI --models DIR --out DIR

1. Every signature of every generated test model that smc supports (the parity list:
   test/e2e/parity/models.json names the unsupported ones), on the inputs TensorFlow recorded
   (<model>.expected/io/<signature>/inputs/*.npy).
2. --input_exprs cases. saved_model_cli (TF 2.21) reads --input_exprs with ast.literal_eval, so
   literals go to both tools unchanged; for NumPy calls, which saved_model_cli no longer
   accepts, it gets the array NumPy itself makes from the same expression, saved as .npy, and
   feeds it as TensorFlow's session does (numpy.asarray to the input's dtype) -- which is what
   smc run claims to do with the expression.
3. Input file variants (.npz[name], a lone .npz member, .npy[name] ignored, --input_exprs
   overriding --inputs) given to both tools.

Each case runs smc twice (without and with --outdir) and saved_model_cli once with --outdir
(its stdout then holds both the results and the "is saved to" lines). Cases whose inputs exceed
1 MB (the image classifiers) run smc once, with --outdir, to keep the test's time down: their
stdout without --outdir is taken as that run's minus the "is saved to" lines, which every other
case checks to be exact. Then:
  - the .npy files: same keys, dtypes and shapes; floats within the parity tolerance
    (models.json, looked up as test/e2e/parity/check.py does: by case id, else by model,
    else the default rtol 1e-4, atol 1e-5), other dtypes exact;
  - smc's printed arrays are byte-identical to NumPy's str() of the arrays smc saved (the
    formatting is NumPy's, whatever the values);
  - smc's stdout against saved_model_cli's: byte-identical, or else every printed number
    within the tolerance with the same brackets and '...' (the tools compute in different
    orders, so a float can differ in its last printed digit -- which also changes that
    column's padding -- although both print their own values exactly as NumPy does);
  - without --outdir smc prints the same as with it, minus the "is saved to" lines.
Prints one "ok"/"FAIL" line per case and a summary; exits 1 on any failure.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PARITY = os.path.join(HERE, "..", "parity", "models.json")

# (model, tag set, signature, --input_exprs given to smc, the NumPy expression per key whose
# value saved_model_cli gets as a file, or None to give it the same --input_exprs).
EXPR_CASES = [
    ("module_with_signature", "serve", "serving_default", "x=2.5", None),
    ("module_with_signature", "serve", "serving_default", "x=[[1, 2], [3, 4.5]]", None),
    ("module_output_name", "serve", "serving_default", "x=(-1.25, 0.0, 3e-07)", None),
    ("tf1_builder", "serve", "serving_default", "x=((1, 2, 3), (4, 5, 6))", None),
    ("tf1_builder", "serve", "predict_features", "features=[[0.5, -1, True]]", None),
    ("module_multiple_signatures", "serve", "array_input", "x=np.arange(0, 1, 0.125)",
     {"x": "np.arange(0, 1, 0.125)"}),
    ("tf1_builder", "serve", "serving_default", "x=np.zeros((1, 3))", {"x": "np.zeros((1, 3))"}),
    ("tf1_builder", "serve", "serving_default", "x=np.full((2, 3), 0.1, np.float32)",
     {"x": "np.full((2, 3), 0.1, np.float32)"}),
    ("mlp_tf_save", "serve", "serving_default", "features=np.ones((2, 64))",
     {"features": "np.ones((2, 64))"}),
    ("mlp_export", "serve", "serve", "np.random.seed(7);features=np.random.rand(3, 64)",
     {"features": "(np.random.seed(7), np.random.rand(3, 64))[1]"}),
    ("cnn_tf_save", "serve", "serving_default", "np.random.seed(1);image=np.random.rand(1, 8, 8, 1)",
     {"image": "(np.random.seed(1), np.random.rand(1, 8, 8, 1))[1]"}),
]

NUMBER = r"[-+]?(?:nan|inf|\d+\.?\d*(?:e[-+]?\d+)?)"
TOKEN = re.compile(NUMBER + r"|True|False|\.\.\.|\[|\]")


def input_bytes(flags):
    """Total size of the files an --inputs flag names."""
    total = 0
    if "--inputs" in flags:
        for entry in flags[flags.index("--inputs") + 1].split(";"):
            path = entry.split("=", 1)[1].split("[")[0]
            total += os.path.getsize(path) if os.path.exists(path) else 0
    return total


def parse_results(stdout):
    """{key: printed array text} from 'Result for output key K:\\n<text>' blocks."""
    out = {}
    parts = re.split(r"^Result for output key (.*):\n", stdout, flags=re.M)
    for key, body in zip(parts[1::2], parts[2::2]):
        body = re.sub(r"^Output .* is saved to .*\n", "", body, flags=re.M)
        out[key] = body[:-1] if body.endswith("\n") else body
    return out


def close(a, b, tol):
    return abs(a - b) <= tol["atol"] + tol["rtol"] * abs(b) or (np.isnan(a) and np.isnan(b))


def compare_text(ours, theirs, tol):
    """'' if the printed arrays agree (identically or within tolerance), else what differs."""
    if ours == theirs:
        return ""
    a, b = TOKEN.findall(ours), TOKEN.findall(theirs)
    if len(a) != len(b):
        return "different structure (%d vs %d tokens)" % (len(a), len(b))
    for x, y in zip(a, b):
        if re.fullmatch(NUMBER, x) and re.fullmatch(NUMBER, y):
            if not close(float(x), float(y), tol):
                return "printed %s, saved_model_cli %s" % (x, y)
        elif x != y:
            return "printed %r, saved_model_cli %r" % (x, y)
    return ""


def compare_npy(ours, theirs, tol):
    if ours.shape != theirs.shape or ours.dtype != theirs.dtype:
        return "shape/dtype %s %s, saved_model_cli %s %s" % (ours.shape, ours.dtype, theirs.shape,
                                                             theirs.dtype)
    if ours.dtype.kind == "f":
        x, y = ours.astype(np.float64), theirs.astype(np.float64)
        bad = ~((np.abs(x - y) <= tol["atol"] + tol["rtol"] * np.abs(y)) |
                (np.isnan(x) & np.isnan(y)))
        if bad.any():
            return "values differ beyond tolerance (max abs err %.3g)" % np.nanmax(np.abs(x - y))
    elif not np.array_equal(ours, theirs):
        return "values differ"
    return ""


class Runner:
    def __init__(self, args, tolerances):
        self.args, self.tolerances = args, tolerances
        self.failures = self.cases = self.identical = 0

    def run(self, cmd):
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
        return subprocess.run(cmd, capture_output=True, text=True, env=env)

    def case(self, name, model, smc_dir, tf_dir, tags, sig, smc_flags, tf_flags):
        self.cases += 1
        t = self.tolerances
        self.tol = t.get("%s:%s:%s" % (model, tags, sig), t.get(model, t["default"]))
        work = os.path.join(self.args.out, re.sub(r"[^A-Za-z0-9_.-]", "_", name))
        A, B = os.path.join(work, "smc"), os.path.join(work, "tf")
        shutil.rmtree(work, ignore_errors=True)
        common = ["run", "--tag_set", tags, "--signature_def", sig]
        ours = self.run([self.args.smc] + common + ["--dir", smc_dir] + smc_flags + ["--outdir", A])
        if input_bytes(smc_flags) <= (1 << 20):
            plain = self.run([self.args.smc] + common + ["--dir", smc_dir] + smc_flags)
        else:
            plain = subprocess.CompletedProcess(
                [], ours.returncode, re.sub(r"^Output .* is saved to .*\n", "", ours.stdout,
                                            flags=re.M), ours.stderr)
        theirs = self.run([self.args.saved_model_cli] + common + ["--dir", tf_dir] + tf_flags +
                          ["--outdir", B])
        problems = []
        for what, p in (("smc run", plain), ("smc run --outdir", ours),
                        ("saved_model_cli run", theirs)):
            if p.returncode != 0:
                problems.append("%s exited %d: %s" % (what, p.returncode, p.stderr.strip()[-400:]))
        note = ""
        if not problems:
            note, more = self.check(A, B, plain.stdout, ours.stdout, theirs.stdout)
            problems += more
        ok = not problems
        self.failures += not ok
        print("%s %s%s" % ("ok  " if ok else "FAIL", name,
                            " (%s)" % note if ok else ": " + "; ".join(problems)))

    def check(self, A, B, plain, ours, theirs):
        problems, note = [], ""
        files = sorted(os.listdir(A)) if os.path.isdir(A) else []
        if files != (sorted(os.listdir(B)) if os.path.isdir(B) else []):
            return "", ["output files %s, saved_model_cli %s" % (files, sorted(os.listdir(B)))]
        printed = parse_results(ours)
        if sorted(printed) != [f[:-4] for f in files]:
            problems.append("printed keys %s, files %s" % (sorted(printed), files))
        # Output lines: the same keys, order and paths (modulo the directory).
        if ours.count("is saved to") != theirs.count("is saved to"):
            problems.append("'is saved to' lines differ")
        for f in files:
            key = f[:-4]
            a, b = np.load(os.path.join(A, f)), np.load(os.path.join(B, f))
            err = compare_npy(a, b, self.tol)
            if err:
                problems.append("%s.npy: %s" % (key, err))
            if printed.get(key) != str(a):
                problems.append("%s: printed %r but NumPy prints smc's values as %r" % (
                    key, printed.get(key), str(a)))
            if "Output %s is saved to %s\n" % (key, os.path.join(A, f)) not in ours:
                problems.append("%s: no 'Output %s is saved to %s' line" % (key, key,
                                                                          os.path.join(A, f)))
        # Byte-identical to saved_model_cli's stdout where the values print the same.
        if ours.replace(A, B) == theirs:
            self.identical += 1
            note = "stdout identical"
        else:
            theirs_printed = parse_results(theirs)
            differing = total = 0
            for key, text in printed.items():
                other = theirs_printed.get(key, "")
                err = compare_text(text, other, self.tol)
                if err:
                    problems.append("%s printed: %s" % (key, err))
                a, b = TOKEN.findall(text), TOKEN.findall(other)
                total += sum(1 for t in a if re.fullmatch(NUMBER, t))
                differing += sum(1 for x, y in zip(a, b) if x != y)
            note = "stdout within tolerance: %d of %d printed numbers differ" % (differing, total)
        stripped = re.sub(r"^Output .* is saved to .*\n", "", ours, flags=re.M)
        if plain != stripped:
            problems.append("stdout without --outdir differs from stdout with it")
        return note, problems


# The big image classifiers take most of this test's time (each compiled by smc run, each run by
# saved_model_cli) and add nothing to what it checks (the tools' flags, files and printed text):
# parity.test checks their numbers. mobilenet_tf_save stays, for a 1000-class output.
SLOW_MODELS = {"resnet50_tf_save", "resnet50_export", "mobilenet_export",
               "efficientnet_b0_tf_save", "efficientnet_b0_export", "mobilenet_v2_tf_save",
               "mobilenet_v2_export", "convnext_tiny_export", "mobilenet_v3_large_export",
               "efficientnet_v2_b0_export", "regnetx002_tf_save"}


def model_cases(models):
    config = json.load(open(PARITY))
    manifest = json.load(open(os.path.join(models, "manifest.json")))
    for model in manifest["models"]:
        path = os.path.join(models, model["path"])
        expected = os.path.join(models, model["expected"])
        tf_dir = path
        if model["kind"] == "serving":  # saved_model_cli needs the version folder
            version = sorted(os.listdir(path), key=int)[-1]
            tf_dir = os.path.join(path, version)
            expected = os.path.join(expected, version)
        for mg in model["meta_graphs"]:
            tags = ",".join(sorted(mg["tags"]))
            io = os.path.join(expected, "io" if tags == "serve" else "io@" + tags)
            for sig in mg["signature_keys"]:
                cid = "%s:%s:%s" % (model["name"], tags, sig)
                if (cid in config["unsupported"] or model["name"] in config["unsupported"]
                        or model["name"] in SLOW_MODELS):
                    continue
                d = os.path.join(io, sig, "inputs")
                files = sorted(os.listdir(d)) if os.path.isdir(d) else []
                if not files or any(not f.endswith(".npy") for f in files):
                    print("skip %s: no .npy inputs recorded" % cid)
                    continue
                spec = ";".join("%s=%s" % (f[:-4], os.path.join(d, f)) for f in files)
                yield cid, model["name"], path, tf_dir, tags, sig, spec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smc", required=True)
    ap.add_argument("--saved-model-cli", required=True)
    ap.add_argument("--models", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", default="", help="run the cases whose name contains this")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    r = Runner(args, json.load(open(PARITY))["tolerance"])
    wanted = lambda name: args.only in name

    for cid, model, smc_dir, tf_dir, tags, sig, spec in model_cases(args.models):
        if wanted(cid):
            r.case(cid, model, smc_dir, tf_dir, tags, sig, ["--inputs", spec], ["--inputs", spec])

    for i, (model, tags, sig, expr, numpy_exprs) in enumerate(EXPR_CASES):
        name = "exprs %s:%s:%s %s" % (model, tags, sig, expr)
        if not wanted(name):
            continue
        path = os.path.join(args.models, model)
        tf_flags = ["--input_exprs", expr]
        if numpy_exprs:
            specs = []
            for key, e in numpy_exprs.items():
                f = os.path.join(args.out, "expr%d_%s.npy" % (i, key))
                np.save(f, eval(e, {"np": np}))  # the test's own expressions, not user input
                specs.append("%s=%s" % (key, f))
            tf_flags = ["--inputs", ";".join(specs)]
        r.case(name, model, path, path, tags, sig, ["--input_exprs", expr], tf_flags)

    # Input file variants, on tf1_builder's serving_default (x: float32 (-1, 3)).
    x = np.load(os.path.join(args.models, "tf1_builder.expected", "io", "serving_default",
                             "inputs", "x.npy"))
    two, one, single = (os.path.join(args.out, n) for n in ("two.npz", "one.npz", "x.npy"))
    np.savez(two, first=x[:1], second=x * 2)
    np.savez_compressed(one, only=x - 1)
    np.save(single, x)
    tf1 = os.path.join(args.models, "tf1_builder")
    for name, flags in [
        ("files .npz[name]", ["--inputs", "x=%s[second]" % two]),
        ("files lone .npz member (compressed)", ["--inputs", "x=%s" % one]),
        ("files .npy[name] ignored", ["--inputs", "x=%s[whatever]" % single]),
        ("files --input_exprs overrides --inputs",
         ["--inputs", "x=%s" % single, "--input_exprs", "x=[[7, 8, 9]]"]),
    ]:
        if wanted(name):
            r.case(name, "tf1_builder", tf1, tf1, "serve", "serving_default", flags, flags)

    print("%d cases, %d failures; stdout byte-identical to saved_model_cli's in %d" % (
        r.cases, r.failures, r.identical))
    return 1 if r.failures or r.cases == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
