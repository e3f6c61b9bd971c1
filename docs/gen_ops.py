"""Regenerates docs/ops.md with tools/smc-docgen (build target smc-docs), or with --check
verifies that the committed docs/ops.md is current (run by test/docs-ops.test).

usage: gen_ops.py --docgen BIN --dialect-doc FILE --models DIR --out FILE [--check]
"""
import argparse
import difflib
import json
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docgen", required=True)
    ap.add_argument("--dialect-doc", required=True)
    ap.add_argument("--models", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    cmd = [args.docgen, "--dialect-doc", args.dialect_doc]
    manifest = os.path.join(args.models, "manifest.json")
    if not os.path.exists(manifest):
        sys.exit("gen_ops.py: %s is missing: build the test models first (target smc-test-models)"
                 % manifest)
    for m in json.load(open(manifest))["models"]:
        cmd.append("%s=%s" % (m["name"], os.path.join(args.models, m["path"])))
    text = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    old = open(args.out).read() if os.path.exists(args.out) else ""
    if args.check:
        if text != old:
            sys.stdout.writelines(difflib.unified_diff(old.splitlines(True), text.splitlines(True),
                                                       "docs/ops.md", "generated"))
            print("docs/ops.md is out of date: run `cmake --build build --target smc-docs`")
            return 1
        print("docs/ops.md is current")
        return 0
    if text != old:
        open(args.out, "w").write(text)
        print("wrote", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
