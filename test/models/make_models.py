#!/usr/bin/env python3
"""Builds smc's test SavedModels and their TensorFlow reference data.

Usage: make_models.py --out DIR [--cache CACHE] [--only FAMILY,...] [--jobs N]

Run with the pinned venv (scripts/setup-venv.sh); CMake runs it with TF_CPP_MIN_LOG_LEVEL=3
PYTHONHASHSEED=0. Writes, for every model NAME, DIR/NAME/ (the SavedModel; for "serving" a TF
Serving base directory with versions 1/ and 2/) and DIR/NAME.expected/ (reference data, described
in model_utils.py), then DIR/manifest.json listing every model with its kind ("tf2", "tf1",
"serving", "keras3_export", "pbtxt"), tag sets and signature keys.

Models come in families (one module each; image_models.py's slow classifiers make two). Each
family runs in its own Python process: TF and Keras keep global state (name counters, seeds, graph
collections), so isolation keeps every family's output independent of which other families ran,
and two processes use both cores. A family writes DIR/.manifest/<family>.json (and its output to
<family>.log there); manifest.json merges these in family order, so rebuilding one family (--only)
keeps the others' entries. Every model's directories are wiped before it is rebuilt.

With --cache (CMake passes ~/.cache/smc/models), each family is built once into
CACHE/<family>-<hash>, where the hash covers the pinned requirements, the family's module with
every local module it imports, and CACHE_FORMAT; DIR then holds symbolic links to the cached
models. A fresh clone, or a change to one generator, rebuilds only the families whose inputs
changed.
"""

import argparse
import fcntl
import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import time

# family name -> module defining MODELS, a list of build(out_dir) -> manifest entry (or a list);
# "module:NAME" takes the list NAME instead.
FAMILIES = {
    "guide": "guide_models",
    "keras": "keras_models",
    # The 224x224 keras.applications classifiers take nearly all the time: two families of about
    # the same duration, so that they run on both cores.
    "images1": "image_models:MODELS1",
    "images2": "image_models:MODELS2",
    # ConvNeXtTiny, MobileNetV3Large, EfficientNetV2B0, RegNetX002 at 64x64 (app_models.py).
    "images3": "app_models",
    "tf1": "tf1_models",
    "dtypes": "dtype_models",
    "ops": "ops_models",
    "recurrent": "recurrent_models",
    "control": "control_models",
    "zoo": "zoo_models",
    "zoo_ops": "zoo_ops_models",
}
# Longest first (CPU seconds: images3 100, images2 94, images1 73; the others about 20 each).
SLOW_FAMILIES = ("images3", "images2", "images1")
# Part of every family's cache key (with the family's own modules): bump it when this script
# changes what a family's directory holds, so that every cached family is rebuilt.
CACHE_FORMAT = 1
HERE = os.path.dirname(os.path.abspath(__file__))


def run_family(family, out):
    """In-process: builds one family's models and writes its manifest fragment."""
    module, _, models = FAMILIES[family].partition(":")
    entries = []
    for build in getattr(importlib.import_module(module), models or "MODELS"):
        start = time.monotonic()
        result = build(out)
        result = result if isinstance(result, list) else [result]
        entries.extend(result)
        names = ", ".join(e["name"] for e in result)
        print(f"[{family}] {names} ({time.monotonic() - start:.1f}s)", flush=True)
    fragment = os.path.join(out, ".manifest", family + ".json")
    os.makedirs(os.path.dirname(fragment), exist_ok=True)
    with open(fragment, "w", encoding="utf-8") as f:
        json.dump(entries, f, indent=1)


def family_hash(family):
    """Hash of everything a family's output depends on: requirements, this script, its modules."""
    digest = hashlib.sha256()
    seen, pending = set(), [FAMILIES[family].partition(":")[0]]
    while pending:
        module = pending.pop()
        if module in seen or not os.path.exists(os.path.join(HERE, module + ".py")):
            continue
        seen.add(module)
        with open(os.path.join(HERE, module + ".py"), encoding="utf-8") as f:
            text = f.read()
        pending.extend(re.findall(r"^(?:import|from) (\w+)", text, re.M))
    files = ["requirements.txt"] + sorted(m + ".py" for m in seen)
    for name in files:
        digest.update(name.encode() + b"\0")
        with open(os.path.join(HERE, name), "rb") as f:
            digest.update(f.read())
    digest.update(f"{CACHE_FORMAT}:{FAMILIES[family]}".encode())
    return digest.hexdigest()[:16]


def link_cached(family, cached, out):
    """Points DIR's entries for `family` at its cached build (replacing what was there)."""
    with open(os.path.join(cached, ".manifest", family + ".json"), encoding="utf-8") as f:
        entries = json.load(f)
    os.makedirs(os.path.join(out, ".manifest"), exist_ok=True)
    os.utime(os.path.join(cached, ".complete"))  # last use, for prune_cache
    for name in sorted(os.listdir(cached)):
        if name.startswith("."):
            continue
        link = os.path.join(out, name)
        if os.path.islink(link) or os.path.isfile(link):
            os.remove(link)
        elif os.path.isdir(link):
            shutil.rmtree(link)
        os.symlink(os.path.join(cached, name), link)
    shutil.copyfile(os.path.join(cached, ".manifest", family + ".json"),
                    os.path.join(out, ".manifest", family + ".json"))
    return entries


def prune_cache(cache, keep, days=7):
    """Removes cached family builds that no checkout has linked for `days` (other checkouts,
    with other generators, may still use recent ones)."""
    for name in os.listdir(cache):
        path = os.path.join(cache, name)
        if name.rsplit("-", 1)[0] not in FAMILIES or name in keep:
            continue
        stamp = os.path.join(path, ".complete")
        used = os.path.getmtime(stamp) if os.path.exists(stamp) else 0
        if time.time() - used > days * 86400:
            shutil.rmtree(path, ignore_errors=True)


def write_manifest(out):
    models = []
    for family in FAMILIES:
        fragment = os.path.join(out, ".manifest", family + ".json")
        if os.path.exists(fragment):
            with open(fragment, encoding="utf-8") as f:
                models.extend(json.load(f))
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"models": models}, f, indent=1)
        f.write("\n")
    return len(models)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--only",
                        help="comma-separated families (default: all): " + ",".join(FAMILIES))
    parser.add_argument("--cache", help="build each family once into this directory and link it")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="families built in parallel (default: min(2, cores))")
    parser.add_argument("--family", help=argparse.SUPPRESS)  # internal: run one family in-process
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)

    if args.family:
        sys.path.insert(0, HERE)
        run_family(args.family, out)
        return 0

    families = args.only.split(",") if args.only else list(FAMILIES)
    unknown = [f for f in families if f not in FAMILIES]
    if unknown:
        parser.error(f"unknown families {unknown}; known: {list(FAMILIES)}")
    if args.cache:
        return build_cached(families, out, os.path.abspath(args.cache), args.jobs)
    start = time.monotonic()
    status = build(families, lambda _: out, args.jobs)
    count = write_manifest(out)
    print(f"{count} models in {out}/manifest.json ({time.monotonic() - start:.1f}s)")
    return status


def build_cached(families, out, cache, jobs):
    """Builds the families missing from the cache (under a lock: several checkouts may share
    it), each into its own directory, then links every family's cached models into `out`."""
    os.makedirs(cache, exist_ok=True)
    with open(os.path.join(cache, ".lock"), "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        dirs = {f: os.path.join(cache, f"{f}-{family_hash(f)}") for f in families}
        missing = [f for f in families if not os.path.exists(os.path.join(dirs[f], ".complete"))]
        staging = {f: dirs[f] + ".staging" for f in missing}
        for d in staging.values():
            shutil.rmtree(d, ignore_errors=True)

        def done(family):  # each family is kept as soon as it is built
            shutil.rmtree(dirs[family], ignore_errors=True)
            open(os.path.join(staging[family], ".complete"), "w", encoding="utf-8").close()
            os.rename(staging[family], dirs[family])

        status = build(missing, staging.get, jobs, done) if missing else 0
        if set(families) == set(FAMILIES):
            prune_cache(cache, {os.path.basename(d) for d in dirs.values()})
        for family in families:
            if os.path.exists(os.path.join(dirs[family], ".complete")):
                link_cached(family, dirs[family], out)
        count = write_manifest(out)
        print(f"{count} models in {out}/manifest.json (cache {cache}; built: "
              f"{', '.join(missing) or 'none'})")
        return status


def build(families, out_for, jobs, done=lambda family: None):
    """Builds each family into out_for(family), `jobs` processes at a time, calling done(family)
    for each that succeeds; returns the exit status."""
    # Longest first, so that the others fill a core meanwhile.
    pending = sorted(families, key=lambda f: SLOW_FAMILIES.index(f) if f in SLOW_FAMILIES
                     else len(SLOW_FAMILIES))
    running, failed = {}, []
    while pending or running:
        while pending and len(running) < max(1, jobs):
            family = pending.pop(0)
            out = out_for(family)
            os.makedirs(out, exist_ok=True)
            cmd = [sys.executable, os.path.abspath(__file__), "--out", out, "--family", family]
            # Output goes to a log file (a pipe could fill up and block the child while we poll).
            log = open(_log_path(out, family), "w",  # pylint: disable=consider-using-with
                       encoding="utf-8")
            running[family] = (subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT), log)
        family, proc = _wait_any(running)
        running.pop(family)[1].close()
        with open(_log_path(out_for(family), family), encoding="utf-8", errors="replace") as f:
            output = f.read()
        if proc.returncode == 0:
            # Only our progress lines; TF's start-up chatter is dropped on success.
            progress = [l for l in output.splitlines(True) if l.startswith(f"[{family}]")]
            sys.stdout.write("".join(progress))
            done(family)
        else:
            failed.append(family)
            fragment = os.path.join(out_for(family), ".manifest", family + ".json")
            if os.path.exists(fragment):
                os.remove(fragment)
            sys.stdout.write(f"--- family {family} failed (exit {proc.returncode}):\n{output}\n")
        sys.stdout.flush()
    if failed:
        print(f"FAILED families: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def _log_path(out, family):
    os.makedirs(os.path.join(out, ".manifest"), exist_ok=True)
    return os.path.join(out, ".manifest", family + ".log")


def _wait_any(running):
    """Waits until one of the running processes has exited; returns (family, process)."""
    while True:
        for family, (proc, _) in running.items():
            if proc.poll() is not None:
                return family, proc
        time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main())
