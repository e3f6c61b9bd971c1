"""Diffs `smc show` against `saved_model_cli show` on every test model, in all four modes.

Run by show-vs-cli.test. saved_model_cli's own `show` command runs in this process (its flags
parsed from the same argv a user would type) so that TensorFlow is imported once; the first
mode of the first model also runs the real `saved_model_cli` executable, to check that the two
routes agree.

The comparison is byte for byte except for one line per meta graph: saved_model_cli prints the
op set as a Python set, whose order changes from run to run (str hashing is randomised per
process), and smc prints it sorted. On that line the two op sets are compared as sets.
"""
import argparse
import ast
import contextlib
import difflib
import io
import json
import os
import re
import subprocess
import sys

OPS_LINE = re.compile(r"^(The MetaGraph with tag set \[.*\] contains the following ops: )(.*)$")


def normalise(text):
    lines = []
    for line in text.split("\n"):
        m = OPS_LINE.match(line)
        if m:
            ops = ast.literal_eval(m.group(2)) if m.group(2) != "set()" else set()
            line = m.group(1) + repr(sorted(ops))
        lines.append(line)
    return "\n".join(lines)


def run_smc(smc, mode):
    p = subprocess.run([smc, "show"] + mode, capture_output=True, text=True)
    return p.returncode, p.stdout


class InProcessCli:
    """saved_model_cli's `show`, called the way its main() calls it."""

    def __init__(self):
        from absl import flags
        from tensorflow.python.tools import saved_model_cli
        self.cli = saved_model_cli
        self.flags = flags.FLAGS

    def __call__(self, mode):
        self.flags.unparse_flags()
        self.flags(["saved_model_cli"] + mode)
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                self.cli.show()
            return 0, out.getvalue()
        except Exception as e:  # saved_model_cli reports errors as exceptions
            return 1, out.getvalue() + "\n" + repr(e)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smc", required=True)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--models", required=True)
    args = ap.parse_args()
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    cli = InProcessCli()
    manifest = json.load(open(os.path.join(args.models, "manifest.json")))
    failures = checked = 0

    def compare(mode, theirs):
        nonlocal failures, checked
        rc1, ours = run_smc(args.smc, mode)
        rc2, text = theirs
        checked += 1
        if rc1 != 0 or rc2 != 0 or normalise(ours) != normalise(text):
            failures += 1
            print("MISMATCH: smc show", " ".join(mode), "(exit codes %d, %d)" % (rc1, rc2))
            for line in difflib.unified_diff(text.split("\n"), ours.split("\n"),
                                             "saved_model_cli", "smc", lineterm=""):
                print("  " + line)

    first = True
    for model in manifest["models"]:
        path = os.path.join(args.models, model["path"])
        dirs = [path]
        if model["kind"] == "serving":
            # saved_model_cli reads one export directory; check each version.
            dirs = [os.path.join(path, v) for v in sorted(os.listdir(path))]
        for d in dirs:
            modes = [["--dir", d], ["--dir", d, "--all"]]
            for mg in model["meta_graphs"]:
                tags = ",".join(mg["tags"])
                modes.append(["--dir", d, "--tag_set", tags])
                keys = list(mg["signature_keys"])
                if (mg.get("init_op") or {}).get("source") == "signature __saved_model_init_op":
                    keys.append("__saved_model_init_op")
                for sig in keys:
                    modes.append(["--dir", d, "--tag_set", tags, "--signature_def", sig])
            for mode in modes:
                if first:
                    p = subprocess.run([args.cli, "show"] + mode, capture_output=True, text=True)
                    compare(mode, (p.returncode, p.stdout))
                    first = False
                compare(mode, cli(mode))
    print("checked %d outputs, %d mismatches" % (checked, failures))
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
