"""Writes the parity harness: a CMake project that compiles every supported signature of the
generated test models with smc_add_model, and a main.cpp that runs each one on TensorFlow's
recorded inputs and writes its outputs as .npy, for check.py to compare with TensorFlow's.

usage: gen_harness.py --models DIR --out DIR
Also writes <out>/cases.json (what was generated) and <out>/unsupported.json (what must fail).
"""
import argparse
import json
import os
import re

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))

C_TYPES = {"<f4": "float", "<f8": "double", "<i4": "int32_t", "<i8": "int64_t", "|i1": "int8_t",
           "<i2": "int16_t", "|u1": "uint8_t", "<u2": "uint16_t", "<u4": "uint32_t",
           "<u8": "uint64_t", "|b1": "uint8_t"}  # the C API passes bools as bytes


def identifier(name):
    """smc's rule for C identifiers of signature keys and function paths."""
    out = re.sub(r"[^A-Za-z0-9]", "_", name).strip("_")
    if not out or out[0].isdigit():
        out = "f_" + out
    return out


def descr(arr):
    return arr.dtype.str if arr.dtype.str not in ("<b1", "=b1") else "|b1"


def load_dir(d):
    out = {}
    if os.path.isdir(d):
        for f in sorted(os.listdir(d)):
            if f.endswith(".npy"):
                out[f[:-4]] = np.load(os.path.join(d, f))
            else:
                out[f] = None  # a .json (string) value: not compilable
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--exclude", default="",
                    help="comma-separated model names, or cases model:tags:signature, to leave "
                         "out (slow under emulation)")
    ap.add_argument("--only", default="",
                    help="comma-separated model names: generate only these")
    args = ap.parse_args()
    excluded = set(filter(None, args.exclude.split(",")))
    only = set(filter(None, args.only.split(",")))
    config = json.load(open(os.path.join(HERE, "models.json")))
    manifest = json.load(open(os.path.join(args.models, "manifest.json")))
    os.makedirs(args.out, exist_ok=True)

    cmake = ["cmake_minimum_required(VERSION 3.20)", "project(smc_parity CXX C)",
             "set(CMAKE_CXX_STANDARD 17)", "find_package(smc REQUIRED)",
             "# -DSMC_PARITY_TARGET=<triple> compiles the models for another target.",
             "set(target_args)",
             "if(SMC_PARITY_TARGET)",
             "  set(target_args TARGET ${SMC_PARITY_TARGET})",
             "endif()",
             "# -DSMC_PARITY_CPU=<cpu> compiles them for another CPU of the target.",
             "if(SMC_PARITY_CPU)",
             "  list(APPEND target_args CPU ${SMC_PARITY_CPU})",
             "endif()"]
    includes, body, cases, unsupported, targets = [], [], [], [], []
    for model in manifest["models"]:
        name = model["name"]
        if name in excluded or (only and name not in only):
            continue
        path = os.path.join(args.models, model["path"])
        expected = os.path.join(args.models, model["expected"])
        if model["kind"] == "serving":  # the base directory compiles its highest version
            versions = sorted(os.listdir(path), key=int)
            expected = os.path.join(expected, versions[-1])
        for mg in model["meta_graphs"]:
            tags = ",".join(sorted(mg["tags"]))
            io_dir = os.path.join(expected, "io" if tags == "serve" else "io@" + tags)
            sigs, functions, pins = [], [], []
            ns = identifier("%s_%s" % (name, tags.replace(",", "_")))
            seq_file = os.path.join(expected, "io", "sequence.json")
            # Variables persist between calls in one process: a model whose functions assign
            # them is checked through its recorded call sequence only.
            has_sequence = tags == "serve" and os.path.exists(seq_file)
            if has_sequence:  # ... and only if smc compiles every signature it calls
                calls = {st["call"] for st in json.load(open(seq_file))["steps"]}
                has_sequence = not any(
                    config["unsupported"].get("%s:%s:%s" % (name, tags, c)) for c in calls)
            for sig in mg["signature_keys"]:
                case_id = "%s:%s:%s" % (name, tags, sig)
                if case_id in excluded:
                    continue
                # Listed by case, or the whole model by its name.
                why = config["unsupported"].get(case_id) or config["unsupported"].get(name)
                if why:
                    unsupported.append({"id": case_id, "dir": path, "tags": tags,
                                        "signature": sig, "why": why})
                    continue
                ins = load_dir(os.path.join(io_dir, sig, "inputs"))
                outs = load_dir(os.path.join(io_dir, sig, "outputs"))
                sigs.append(sig)
                for k, v in ins.items():
                    pins.append("%s:%s=%s" % (sig, k, ",".join(str(d) for d in v.shape)))
                if has_sequence:
                    continue
                cases.append({"id": case_id, "ns": ns, "fn": identifier(sig),
                              "inputs": {k: os.path.join(io_dir, sig, "inputs", k + ".npy")
                                         for k in ins},
                              "outputs": {k: (descr(v), list(v.shape)) for k, v in outs.items()},
                              "expected": {k: os.path.join(io_dir, sig, "outputs", k + ".npy")
                                           for k in outs}})
            steps = []
            if has_sequence:
                steps = json.load(open(seq_file))["steps"]
                for st in steps:
                    if st["call"] not in mg["signature_keys"] and st["call"] not in functions:
                        functions.append(st["call"])
            if not sigs and not functions:
                continue
            target = ns + "_model"
            targets.append(target)
            cmake.append("smc_add_model(%s DIR \"%s\" TAG_SET \"%s\" NAMESPACE %s%s%s%s ${target_args})" % (
                target, path, tags, ns,
                (" SIGNATURES " + " ".join(sigs)) if sigs else "",
                (" FUNCTIONS " + " ".join(functions)) if functions else "",
                (" INPUT_SHAPES " + " ".join('"%s"' % p for p in pins)) if pins else ""))
            includes.append('#include "%s.h"' % target)
            if steps:
                cases.append({"id": "%s:%s:sequence" % (name, tags), "ns": ns, "steps": steps})

    # main.cpp: one block per case.
    for c in cases:
        if "steps" in c:
            body.append("  { // %s" % c["id"])
            body.append("    Arena arena(%s::kArenaSize);" % c["ns"])
            for i, st in enumerate(c["steps"]):
                fn = "%s_%s" % (c["ns"], identifier(st["call"]))
                ins = sorted(st["inputs"].items())
                outs = sorted(st["outputs"].items())
                decl = ["    float in%d_%d = %r;" % (i, j, float(v)) for j, (k, v) in enumerate(ins)]
                decl += ["    float out%d_%d = -12345.f;" % (i, j) for j, _ in enumerate(outs)]
                call = ", ".join(["&in%d_%d" % (i, j) for j in range(len(ins))] +
                                 ["&out%d_%d" % (i, j) for j in range(len(outs))] + ["arena.data"])
                body += decl + ["    %s(%s);" % (fn, call)]
                for j, (k, v) in enumerate(outs):
                    body.append('    seq << "%s %d %s " << out%d_%d << "\\n";' % (c["id"], i, k, i, j))
            body.append("  }")
            continue
        body.append("  { // %s" % c["id"])
        call_args = []
        for k, p in sorted(c["inputs"].items()):
            v = "in_" + identifier(k)
            body.append('    npy::Array %s = npy::read("%s");' % (v, p))
            arr = np.load(p)
            call_args.append("(const %s *)%s.data()" % (C_TYPES[descr(arr)], v))
        for k, (d, shape) in sorted(c["outputs"].items()):
            v = "out_" + identifier(k)
            body.append("    npy::Array %s = npy::like(\"%s\", {%s}, sizeof(%s));" % (
                v, d, ", ".join(str(x) for x in shape), C_TYPES[d]))
            call_args.append("(%s *)%s.data()" % (C_TYPES[d], v))
        body.append("    Arena arena(%s::kArenaSize);" % c["ns"])
        body.append("    %s_%s(%s, arena.data);" % (c["ns"], c["fn"], ", ".join(call_args)))
        for k in sorted(c["outputs"]):
            body.append('    npy::write(out + "/%s.%s.npy", out_%s);' % (
                c["id"].replace(":", "."), identifier(k), identifier(k)))
        # The parallel entry point on pools of 1, 2, 3 and 8 threads: the same bytes.
        par_args = call_args[:len(c["inputs"])]
        for k, (d, shape) in sorted(c["outputs"].items()):
            par_args.append("(%s *)par_%s.data()" % (C_TYPES[d], identifier(k)))
        body.append("    for (unsigned threads : {1u, 2u, 3u, 8u}) {")
        body.append("      smc::ThreadPool pool(threads);")
        for k, (d, shape) in sorted(c["outputs"].items()):
            body.append("      npy::Array par_%s = npy::like(\"%s\", {%s}, sizeof(%s));" % (
                identifier(k), d, ", ".join(str(x) for x in shape), C_TYPES[d]))
        body.append("      Arena parArena(%s::kArenaSize);" % c["ns"])
        body.append("      %s_%s_parallel(%s, parArena.data, pool.hook());" % (
            c["ns"], c["fn"], ", ".join(par_args)))
        same = " && ".join("par_%s.bytes == out_%s.bytes" % (identifier(k), identifier(k))
                           for k in sorted(c["outputs"])) or "true"
        body.append('      std::printf("parallel %s threads %%u: %%s\\n", threads, %s ? "identical" : "DIFFERENT");' % (
            c["id"], same))
        body.append("    }")
        body.append("  }")

    main = ["// Generated by gen_harness.py: runs each compiled signature on TF's inputs.",
            '#include "npy_io.h"'] + includes + [
        "#include <smc/thread_pool.h>",
        "#include <cstdio>",
        "#include <fstream>",
        "#include <new>",
        "// A compiled function's scratch memory: 64-byte aligned, zeroed, on the heap and freed",
        "// after each case (the image classifiers' arenas, ~200 MB each at batch 20, would",
        "// overflow static storage: x86-64's small code model reaches 2 GB of .bss).",
        "struct Arena {",
        "  unsigned char *data;",
        "  explicit Arena(std::size_t size)",
        "      : data(new (std::align_val_t(64)) unsigned char[size + 1]()) {}",
        "  ~Arena() { ::operator delete[](data, std::align_val_t(64)); }",
        "  Arena(const Arena &) = delete;",
        "  Arena &operator=(const Arena &) = delete;",
        "};",
        "int main(int argc, char **argv) {",
        "  if (argc != 2) npy::fail(\"usage: parity OUTDIR\");",
        "  std::string out = argv[1];",
        '  std::ofstream seq(out + "/sequences.txt");'] + body + ["  return 0;", "}"]
    open(os.path.join(args.out, "main.cpp"), "w").write("\n".join(main) + "\n")
    cmake.append("add_executable(parity main.cpp)")
    cmake.append('target_include_directories(parity PRIVATE "%s")' % HERE)
    cmake.append("find_package(Threads REQUIRED)")
    cmake.append("target_link_libraries(parity PRIVATE %s Threads::Threads)" % " ".join(targets))
    open(os.path.join(args.out, "CMakeLists.txt"), "w").write("\n".join(cmake) + "\n")
    json.dump(cases, open(os.path.join(args.out, "cases.json"), "w"), indent=1)
    json.dump(unsupported, open(os.path.join(args.out, "unsupported.json"), "w"), indent=1)
    print("generated %d cases, %d expected unsupported" % (len(cases), len(unsupported)))


if __name__ == "__main__":
    main()
