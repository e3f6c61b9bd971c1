#!/usr/bin/env python3
"""smc's benchmark: every system on the same inputs, one thread each, in one run on this machine.

usage: bench/run.py [--models mobilenet,mlp] [--runs 50] [--warmup 5] [--build build]
       (`make bench` builds smc, then runs it)

It installs what it needs first: libopenblas-dev (bench/setup-deps.sh) and the pinned venv
(bench/setup-venv.sh), in which it runs itself again when started by another Python.

Steps (logs in <out>/logs/, results in <out>/results.json; <out> defaults to <build>/bench):
 1. models    bench/models.py builds the SavedModels with TensorFlow, one seeded input .npy each,
              the .tflite and .onnx conversions (kept while bench/models.py and
              bench/requirements.txt are unchanged).
 2. smc       a CMake project (find_package(smc), smc_add_model per model, as a user's project)
              links each compiled model into bench/smc_harness.cpp. Every `smc compile` is timed
              (bench/time-command.sh as CMake's RULE_LAUNCH_CUSTOM); code and weight sizes come
              from llvm-size, the arena from the generated header, its lower bound from
              `smc compile --compile-to=bufferized` (attribute smc.arena_lower_bound).
 3. OpenBLAS  bench/sgemm_openblas.c, linked with Debian's libopenblas (matmul_1024 only).
    compile   `smc compile` with default flags (every core) and with -j 1, and TensorFlow Lite's
              converter, timed on every model and on the compile-only models of
              bench/compile_models.py (DenseNet121, NASNetMobile, Xception; --no-compile-models
              leaves them out); median of --compile-repeats runs.
 4. timing    per model, each system in a process of its own: TensorFlow, LiteRT (XNNPACK) and
              ONNX Runtime through bench/runners.py, smc's harness, the OpenBLAS program.
              WARMUP untimed calls, then RUNS timed calls; median, p10/p90, min/max.
 5. check     every system's output against TensorFlow's: the max abs difference, and whether it
              is within LOOSE_RTOL of the largest reference value (a wrong kernel is far off).
 6. report    docs/benchmarks.md and docs/benchmarks.png (for a subset of the models:
              <out>/benchmarks.md unless --doc says otherwise).
"""

import argparse
import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from importlib import metadata
from importlib.util import find_spec

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
VENV_PACKAGES = ("numpy", "tensorflow", "matplotlib", "ai_edge_litert", "onnxruntime", "tf2onnx")


def _into_bench_venv():
    """Runs this script again in the pinned benchmark venv unless this Python is that venv."""
    if all(find_spec(m) for m in VENV_PACKAGES):
        return
    if os.environ.get("SMC_BENCH_REEXEC"):
        raise SystemExit("bench: the benchmark venv lacks some of " + ", ".join(VENV_PACKAGES))
    python = subprocess.run([os.path.join(BENCH, "setup-venv.sh")], stdout=subprocess.PIPE,
                            text=True, check=True).stdout.strip()
    os.environ["SMC_BENCH_REEXEC"] = "1"
    os.execv(python, [python, os.path.abspath(__file__)] + sys.argv[1:])


if __name__ == "__main__":
    _into_bench_venv()

# pylint: disable=wrong-import-position
import numpy as np  # noqa: E402

sys.path.insert(0, BENCH)
import models as bench_models  # noqa: E402
# pylint: enable=wrong-import-position

# (key, label) in table order.
SYSTEMS = [("tf", "TensorFlow"), ("litert", "LiteRT (XNNPACK)"), ("ort", "ONNX Runtime"),
           ("openblas", "OpenBLAS sgemm"), ("smc", "smc")]
LABEL = dict(SYSTEMS)
MODEL_LABEL = {"mobilenet": "MobileNet", "mobilenet_v2": "MobileNetV2", "resnet50": "ResNet50",
               "efficientnet_b0": "EfficientNetB0", "convnext_tiny": "ConvNeXtTiny",
               "mlp": "MLP 64-32-16-10",
               "matmul_1024": "matmul 1024", "lstm": "LSTM 128, 64 steps",
               "gru": "GRU 128, 64 steps", "transformer": "Transformer block 128 x 256",
               "densenet121": "DenseNet121 (compile only)",
               "nasnet_mobile": "NASNetMobile (compile only)",
               "xception": "Xception 299x299 (compile only)"}
CLASSIFIERS = set(bench_models.IMAGE_MODELS) | {"mlp"}
# Outputs agree when max|y - y_TF| <= LOOSE_RTOL * max|y_TF|: float32 results of a different
# summation order differ by ~1e-6 of that; a wrong weight, layout or op by far more than 1e-3.
LOOSE_RTOL = 1e-3
RUN_TIMEOUT_S = 1200  # one system on one model (a hung process must not stall the run)
LLVM_SIZE_CANDIDATES = ["/usr/lib/llvm-19/bin/llvm-size", "llvm-size-19", "llvm-size"]
OPENBLAS_INCLUDE = "/usr/include/x86_64-linux-gnu/openblas-pthread"
OPENBLAS_LIB = "/usr/lib/x86_64-linux-gnu/openblas-pthread"
OPENBLAS_ENV_UNSET = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]
# --view avx2: the AVX2 view of an AVX-512 machine. smc compiles for Haswell (AVX2 + FMA, 16
# registers); every system runs with bench/cpuid_avx2.so preloaded, which makes CPUID report a CPU
# without AVX-512 (AMX, AVX-VNNI, AVX10), so that LiteRT's XNNPACK, ONNX Runtime's MLAS, oneDNN
# and OpenBLAS, which choose their kernels from CPUID, take their AVX2 ones; OpenBLAS is also told
# Haswell and oneDNN capped at AVX2 by their own switches. smc is also given this machine's cache
# sizes (`--cpu haswell` alone would size its cache tiles for Haswell's 256 KiB L2): the view
# changes the vector ISA, not the caches, which XNNPACK and ONNX Runtime read from this machine.
VIEWS = {"avx2": {"smc_cpu": "haswell", "host_caches": True, "cpuid_mask": True,
                  "env": {"OPENBLAS_CORETYPE": "Haswell", "ONEDNN_MAX_CPU_ISA": "AVX2"}}}


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def run_logged(cmd, logfile, env=None, check=True, timeout=None):
    """Runs cmd with stdout+stderr appended to logfile; returns (exit code, output)."""
    os.makedirs(os.path.dirname(logfile), exist_ok=True)
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env=env, check=False, timeout=timeout)
        rc, output = proc.returncode, proc.stdout
    except subprocess.TimeoutExpired as e:
        partial = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (
            e.stdout or "")
        rc, output = -1, partial + f"\ntimed out after {timeout} s\n"
    with open(logfile, "a", encoding="utf-8") as f:
        f.write("$ " + " ".join(cmd) + "\n" + output + "\n")
    if check and rc != 0:
        sys.stderr.write(output[-4000:])
        raise SystemExit(f"bench: failed ({rc}): {' '.join(cmd)}; log: {logfile}")
    return rc, output


def child_env():
    env = dict(os.environ)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


def identifier(name):
    """smc's rule for C identifiers of signature and tensor keys (as test/e2e/parity)."""
    out = re.sub(r"[^A-Za-z0-9]", "_", name).strip("_")
    return "f_" + out if not out or out[0].isdigit() else out


def first_line(text, limit=200):
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 3] + "..."


# --- 1. models --------------------------------------------------------------------------------

def stamp_of(*files):
    """A hash of bench/ files: the models they build are kept while it is unchanged."""
    h = hashlib.sha256()
    for f in files:
        with open(os.path.join(BENCH, f), "rb") as fh:
            h.update(fh.read())
    return h.hexdigest()[:16]


def models_stamp():
    return stamp_of("models.py", "requirements.txt")


def build_stamped(script, mdir, names, stamp, rebuild, out):
    """Runs bench/<script> --out mdir --models ... for the names whose NAME.stamp is not `stamp`
    (all of them with `rebuild`), stamps them, and returns every name's NAME.meta.json."""
    def fresh(name):
        try:
            with open(os.path.join(mdir, name + ".stamp"), encoding="utf-8") as f:
                return f.read().strip() == stamp
        except OSError:
            return False

    need = [n for n in names if rebuild or not fresh(n)]
    if need:
        log(f"{script}: building {', '.join(need)} with TensorFlow (a few minutes)")
        run_logged([sys.executable, os.path.join(BENCH, script), "--out", mdir,
                    "--models", ",".join(need)], os.path.join(out, "logs", "models.log"),
                   env=child_env())
        for n in need:
            with open(os.path.join(mdir, n + ".stamp"), "w", encoding="utf-8") as f:
                f.write(stamp + "\n")
    else:
        log(f"{script}: models up to date")
    metas = {}
    for n in names:
        with open(os.path.join(mdir, n + ".meta.json"), encoding="utf-8") as f:
            metas[n] = json.load(f)
    return metas


def step_models(names, out, rebuild):
    mdir = os.path.join(out, "models")
    return mdir, build_stamped("models.py", mdir, names, models_stamp(), rebuild, out)


def step_compile_models(out, rebuild):
    """The compile-only models (bench/compile_models.py), kept while its text is unchanged."""
    import compile_models  # noqa: E402  (bench/, on sys.path as this file's directory)
    cdir = os.path.join(out, "compile-models")
    stamp = stamp_of("compile_models.py", "requirements.txt")
    return cdir, build_stamped("compile_models.py", cdir, list(compile_models.COMPILE_MODELS),
                               stamp, rebuild, out)


def step_compile_times(models, out, build, repeats):
    """`smc compile` (default flags: every core; and -j 1) and TensorFlow Lite's converter on
    each of `models` ({name: (SavedModel dir, meta)}): wall times of `repeats` runs each."""
    smc = os.path.join(build, "bin", "smc")
    logfile = os.path.join(out, "logs", "compile-times.log")
    scratch = os.path.join(out, "compile-times")
    os.makedirs(scratch, exist_ok=True)
    times = {}
    for n, (d, meta) in models.items():
        shape = ",".join(str(x) for x in meta["input_shape"])
        t = times[n] = {}
        for label, extra in (("all", []), ("one", ["-j", "1"])):
            log(f"compile time: {n} ({'every core' if label == 'all' else 'one core'})")
            runs = []
            for _ in range(repeats):
                cmd = [smc, "compile", "--dir", d, "--signature", meta["signature"],
                       "--input-shape", f"{meta['input']}={shape}", "--namespace", n,
                       "-o", os.path.join(scratch, n + ".o")] + extra
                start = time.monotonic()
                rc, output = run_logged(cmd, logfile, check=False)
                runs.append(time.monotonic() - start)
                if rc != 0:
                    t["error"] = smc_error(output)
                    break
            t[label] = runs
    log("compile time: TensorFlow Lite's converter")
    dirs = [d for d, _ in models.values()]
    rc, output = run_logged([sys.executable, os.path.join(BENCH, "compile_models.py"),
                             "--time-tflite"] + dirs + ["--repeats", str(repeats)], logfile,
                            env=child_env(), check=False)
    converted = {}
    if rc == 0:
        converted = json.loads(output.strip().splitlines()[-1])
    for n, (d, _) in models.items():
        if d in converted:
            times[n]["tflite"] = converted[d]
    return times


# --- 2. smc -----------------------------------------------------------------------------------
# --- 2. smc -----------------------------------------------------------------------------------

# The firmware table: the digits CNN of examples/firmware on each core's QEMU board, as
# test/e2e/firmware-qemu*.test builds it: (core, toolchain file, QEMU command).
FIRMWARE_CORES = [
    ("cortex-m0", "arm-none-eabi", ["qemu-system-arm", "-M", "microbit"]),
    ("cortex-m3", "arm-none-eabi", ["qemu-system-arm", "-M", "mps2-an385"]),
    ("cortex-m4", "arm-none-eabi", ["qemu-system-arm", "-M", "mps2-an386"]),
    ("cortex-m7", "arm-none-eabi", ["qemu-system-arm", "-M", "mps2-an500"]),
    ("cortex-m33", "arm-none-eabi", ["qemu-system-arm", "-M", "mps2-an505"]),
    ("cortex-m55", "arm-none-eabi", ["qemu-system-arm", "-M", "mps3-an547"]),
    ("rv32imac", "riscv32", ["qemu-system-riscv32", "-M", "virt", "-bios", "none"]),
    ("rv32imafc", "riscv32", ["qemu-system-riscv32", "-M", "virt", "-bios", "none"]),
]


def header_macro(header, suffix):
    """The value of the generated header's `#define <...><suffix> N`, or None."""
    with open(header, encoding="utf-8") as f:
        m = re.search(r"^#define \w+" + suffix + r"\s+(\d+)", f.read(), re.M)
    return int(m.group(1)) if m else None


# TensorFlow Lite Micro on the same digits CNN, built once on this kind of machine (2026-12-03)
# from tflite-micro 90b983c2 with the third-party commits it pins (flatbuffers v25.9.23,
# gemmlowp 719139ce, ruy d3712831, kissfft v130, CMSIS_6 5782d6f8 headers), `make
# TARGET=cortex_m_generic TARGET_ARCH=<core> BUILD_TYPE=release microlite` with Debian's
# arm-none-eabi GCC 12.2.1, reference kernels; the digits model converted by the pinned
# TensorFlow's TFLiteConverter (float32, no optimisations, 23,360 bytes); an image of our own
# (MicroMutableOpResolver<5>, static interpreter, newlib-nano) on the same QEMU boards, counted
# by the same plugin (set-up run subtracted). Not rebuilt by this script: see docs/firmware.md.
TFLM_MEASURED = {
    "date": "2026-12-03",
    "how": "tflite-micro 90b983c2 (the third-party commits it pins), `make TARGET=cortex_m_generic "
           "BUILD_TYPE=release` with the same GCC, reference kernels (its release build: core "
           "`-Os`, kernels `-O2`; also with every kernel at `-Os`), newlib-nano; the float32 "
           ".tflite of the same SavedModel; the same QEMU boards and instruction-counting "
           "plugin, set-up subtracted. Its code counts the interpreter, kernels and the "
           "libgcc/libc/libm they pull in (3.5 KB of libgcc on the M4, 13.7 KB on the M0: "
           "double-precision helpers used while preparing the model), not our harness.",
    "rows": [
        ["cortex-m0 (microbit)", "release", "50,401 B", "23,360 B", "6,512 B", "552 B",
         "5,662,974", "360/360"],
        ["cortex-m4 (mps2-an386)", "release", "38,775 B", "23,360 B", "6,512 B", "488 B",
         "635,708", "360/360"],
        ["cortex-m4 (mps2-an386)", "all `-Os`", "33,481 B", "23,360 B", "6,512 B", "464 B",
         "1,483,585", "360/360"],
        ["cortex-m7 (mps2-an500)", "release", "36,197 B", "23,360 B", "6,512 B", "488 B",
         "623,228", "360/360"],
    ],
}


def step_firmware(out, build):
    """Builds examples/firmware for every core at --optimize=size and speed and runs it under
    QEMU: code, weights, arena, stated and used stack, and whether all 360 digits agree with
    TensorFlow. Cores whose toolchain or QEMU is missing are reported as such."""
    results = {}
    # Instructions per inference: a TCG plugin counting every guest instruction (QEMU does not
    # model time); the image runs 360 inferences and a little set-up and printing around them.
    plugin = os.path.join(out, "firmware", "qemu_insn_count.so")
    os.makedirs(os.path.dirname(plugin), exist_ok=True)
    cc = shutil.which("cc") or shutil.which("gcc")
    try:
        subprocess.run([cc, "-shared", "-fPIC", "-O2", os.path.join(BENCH, "qemu_insn_count.c"),
                        "-o", plugin], check=True)
    except (TypeError, subprocess.CalledProcessError):
        plugin = None
    for core, toolchain, qemu in FIRMWARE_CORES:
        compiler = "riscv64-unknown-elf-gcc" if toolchain == "riscv32" else "arm-none-eabi-gcc"
        missing = [t for t in (compiler, qemu[0]) if not shutil.which(t)]
        for goal in ("size", "speed"):
            key = f"{core}/{goal}"
            if missing:
                results[key] = {"error": "not installed: " + ", ".join(missing)}
                continue
            log(f"firmware: {core}, --optimize={goal}")
            bdir = os.path.join(out, "firmware", core + "-" + goal)
            shutil.rmtree(bdir, ignore_errors=True)
            logf = os.path.join(out, "logs", f"firmware-{core}-{goal}.log")
            try:
                run_logged(["cmake", "-S", os.path.join(REPO, "examples", "firmware"), "-B", bdir,
                            "-G", "Ninja", "-DCMAKE_TOOLCHAIN_FILE=" + os.path.join(
                                REPO, "examples", "firmware", toolchain + ".cmake"),
                            "-DFIRMWARE_CORE=" + core, "-DFIRMWARE_OPTIMIZE=" + goal,
                            "-Dsmc_DIR=" + os.path.join(build, "lib", "cmake", "smc")], logf)
                run_logged(["cmake", "--build", bdir], logf)
                run = subprocess.run(qemu + ["-nographic", "-semihosting", "-kernel",
                                             os.path.join(bdir, "firmware.elf")] +
                                     (["-plugin", plugin, "-d", "plugin"] if plugin else []),
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     timeout=300)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
                results[key] = {"error": first_line(str(e))}
                continue
            sizes = {}
            tool = llvm_size()
            text = subprocess.run([tool, "-A", os.path.join(bdir, "libdigits_model.a")],
                                  stdout=subprocess.PIPE, text=True, check=True).stdout
            for line in text.splitlines():
                parts = line.split()
                if len(parts) >= 2 and parts[1].isdigit():
                    sizes[parts[0]] = sizes.get(parts[0], 0) + int(parts[1])
            same = re.search(r"same digit on (\d+)/(\d+)", run.stdout)
            used = re.search(r"stack: (\d+) bytes used", run.stdout)
            insns = re.search(r"instructions: (\d+)", run.stdout)
            header = os.path.join(bdir, "smc", "digits_model", "digits_model.h")
            results[key] = {
                "code": sum(v for k, v in sizes.items() if k.startswith(".text")),
                "weights": sizes.get(".model_weights", 0),
                "arena": header_macro(header, "_SERVING_DEFAULT_ARENA_SIZE"),
                "stack": header_macro(header, "_SERVING_DEFAULT_STACK_BYTES"),
                "stack_used": int(used.group(1)) if used else None,
                "agree": f"{same.group(1)}/{same.group(2)}" if same else "?",
                "insns_per_inference": (int(insns.group(1)) // int(same.group(2))
                                        if insns and same else None),
                "ok": run.returncode == 0,
            }
    return results


def llvm_size():
    for c in LLVM_SIZE_CANDIDATES:
        if shutil.which(c) or os.path.exists(c):
            return c
    return None


def object_sections(obj):
    """{"code": .text*, "weights": .rodata* / .lrodata*, "data": .data*/.bss*} in bytes."""
    tool = llvm_size()
    if not tool:
        return None
    text = subprocess.run([tool, "-A", obj], stdout=subprocess.PIPE, text=True,
                          check=True).stdout
    sizes = {"code": 0, "weights": 0, "data": 0}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 2 or not parts[1].isdigit():
            continue
        name, size = parts[0], int(parts[1])
        if name.startswith(".text"):
            sizes["code"] += size
        elif name.startswith((".rodata", ".lrodata")):
            sizes["weights"] += size
        elif name.startswith((".data", ".ldata", ".bss", ".lbss")):
            sizes["data"] += size
    return sizes


def smc_error(output):
    """The first error lines of a failed harness build (or its last line that is not ninja's)."""
    lines = [l.strip() for l in output.splitlines() if l.strip() and
             not l.startswith(("FAILED:", "ninja:", "[", "cd "))]
    errors = [l for l in lines if re.search(r"\berror\b", l, re.I)]
    return first_line(" ".join(errors[:3]) if errors else lines[-1] if lines else "unknown error")


def threads_label(threads):
    return "one thread" if threads == 1 else f"{threads} threads"


def openblas_command(view, threads=1):
    """How OpenBLAS is run (for the report): its Haswell kernels in the AVX2 view, else with the
    variables that would pin it unset."""
    if view == "avx2":
        return f"`OPENBLAS_CORETYPE=Haswell OPENBLAS_NUM_THREADS={threads}`"
    return f"`env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS={threads}`"


# The AArch64 table: each model compiled by smc for this core, run under qemu-aarch64 (user mode)
# with bench/qemu_insn_count.c counting the instructions and the NEON multiply-adds (fmla).
AARCH64_CPU = "neoverse-n1"


def step_aarch64(names, metas, mdir, out, build):
    """Instructions and fmla instructions per inference of smc's code for AArch64 (no ARM
    hardware here, and QEMU does not model time): each model's harness, linked statically, runs
    under qemu-aarch64 once with 1 and once with 3 timed calls; the difference over 2 is one
    inference without the set-up (reading the input, writing the output). Also whether the
    output matches TensorFlow's (the same check as the x86 table)."""
    cxx, qemu = "aarch64-linux-gnu-g++", "qemu-aarch64"
    missing = [t for t in (cxx, qemu) if not shutil.which(t)]
    if missing:
        return {n: {"error": "not installed: " + ", ".join(missing)} for n in names}
    work = os.path.join(out, "aarch64")
    os.makedirs(work, exist_ok=True)
    plugin = os.path.join(work, "qemu_insn_count.so")
    run_logged(["cc", "-shared", "-fPIC", "-O2", os.path.join(BENCH, "qemu_insn_count.c"), "-o",
                plugin], os.path.join(out, "logs", "aarch64.log"))
    smc = os.path.join(build, "bin", "smc")
    results = {}
    for n in names:
        meta = metas[n]
        log(f"aarch64: {n}")
        logf = os.path.join(out, "logs", f"aarch64-{n}.log")
        d = os.path.join(work, n)
        os.makedirs(d, exist_ok=True)
        shape = ",".join(str(x) for x in meta["input_shape"])
        try:
            run_logged([smc, "compile", "--dir", os.path.join(mdir, n), "--namespace", n,
                        "--signature", meta["signature"], "--input-shape",
                        f"{meta['input']}={shape}", "--target", "aarch64-linux-gnu", "--cpu",
                        AARCH64_CPU, "-o", os.path.join(d, f"{n}_model.o"), "--header",
                        os.path.join(d, f"{n}_model.h")], logf)
            exe = os.path.join(d, "bench")
            run_logged([cxx, "-O2", "-std=gnu++17", "-static",
                        f'-DSMC_BENCH_HEADER="{n}_model.h"', f"-DSMC_BENCH_NS={n}",
                        f"-DSMC_BENCH_IN={identifier(meta['input'])}",
                        f"-DSMC_BENCH_OUT={identifier(meta['output'])}", "-I", d, "-I",
                        os.path.join(REPO, "test", "e2e", "parity"), "-isystem",
                        os.path.join(REPO, "runtime", "include"),
                        os.path.join(BENCH, "smc_harness.cpp"), os.path.join(d, f"{n}_model.o"),
                        "-o", exe], logf)
            counts = {}
            for calls in (1, 3):
                y = os.path.join(d, f"y{calls}.npy")
                rc, output = run_logged([qemu, "-plugin", plugin + ",fma=fmla", "-d", "plugin",
                                         exe, os.path.join(mdir, n + ".input.npy"), y,
                                         str(calls), "0"], logf, check=False,
                                        timeout=RUN_TIMEOUT_S)
                insns = re.search(r"instructions: (\d+)", output)
                fma = re.search(r"fma: (\d+)", output)
                if rc != 0 or not insns or not fma:
                    raise RuntimeError(f"qemu-aarch64 exit {rc}")
                counts[calls] = (int(insns.group(1)), int(fma.group(1)))
            results[n] = {"insns": (counts[3][0] - counts[1][0]) // 2,
                          "fma": (counts[3][1] - counts[1][1]) // 2,
                          "output": os.path.join(d, "y3.npy")}
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, RuntimeError) as e:
            results[n] = {"error": first_line(str(e))}
    return results


def smc_host_target(build):
    """What smc makes of this machine (`smc compile --print-target`): its `key: value` lines."""
    target = cmd_output([os.path.join(build, "bin", "smc"), "compile", "--print-target"]) or ""
    return dict(re.findall(r"^([a-z0-9-]+): (\S+)$", target, re.M))


def host_cache_options(build):
    """`smc compile` flags that give this machine's L1d and L2 sizes (as smc reads them for a host
    compile), for a compile that names another CPU."""
    facts = smc_host_target(build)
    options = []
    if int(facts.get("l1-bytes", 0)) > 0:
        options += ["--l1-cache", facts["l1-bytes"]]
    if int(facts.get("l2-bytes", 0)) > 0:
        options += ["--l2-cache", facts["l2-bytes"]]
    return options


def step_smc(names, metas, mdir, out, build, jobs, cpu=None, options=()):
    smc = os.path.join(build, "bin", "smc")
    package = os.path.join(build, "lib", "cmake", "smc")
    proj = os.path.join(out, "smc")
    bdir = os.path.join(proj, "build")
    times_log = os.path.join(proj, "compile-times.txt")
    logfile = os.path.join(out, "logs", "smc.log")
    shutil.rmtree(bdir, ignore_errors=True)  # every run compiles (and times) every model again
    os.makedirs(proj, exist_ok=True)
    if os.path.exists(times_log):
        os.remove(times_log)
    cmake = ["# Generated by bench/run.py: the smc side of the benchmark, as a user's project.",
             "cmake_minimum_required(VERSION 3.20)", "project(smc_bench C CXX)",
             "set(CMAKE_CXX_STANDARD 17)", "find_package(smc REQUIRED)",
             "# Every custom command (each smc compile) runs under the timer.",
             'set_property(GLOBAL PROPERTY RULE_LAUNCH_CUSTOM "%s %s")' % (
                 os.path.join(BENCH, "time-command.sh"), times_log)]
    for n in names:
        meta = metas[n]
        shape = ",".join(str(d) for d in meta["input_shape"])
        cmake += [
            'smc_add_model(%s_model DIR "%s" NAMESPACE %s SIGNATURES %s INPUT_SHAPES "%s=%s"%s)' % (
                n, os.path.join(mdir, n), n, meta["signature"], meta["input"], shape,
                (f" CPU {cpu}" if cpu else "") +
                (" OPTIONS " + " ".join(options) if options else "")),
            'add_executable(bench_%s "%s")' % (n, os.path.join(BENCH, "smc_harness.cpp")),
            'target_compile_definitions(bench_%s PRIVATE "SMC_BENCH_HEADER=\\"%s_model.h\\"" '
            'SMC_BENCH_NS=%s SMC_BENCH_IN=%s SMC_BENCH_OUT=%s)' % (
                n, n, n, identifier(meta["input"]), identifier(meta["output"])),
            'target_include_directories(bench_%s PRIVATE "%s")' % (
                n, os.path.join(REPO, "test", "e2e", "parity")),
            "target_link_libraries(bench_%s PRIVATE %s_model Threads::Threads)" % (n, n)]
    cmake.insert(5, "find_package(Threads REQUIRED)")
    with open(os.path.join(proj, "CMakeLists.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(cmake) + "\n")
    run_logged(["cmake", "-S", proj, "-B", bdir, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                "-Dsmc_DIR=" + package], logfile)
    results = {}
    for n in names:
        log(f"smc: compiling {n}")
        rc, output = run_logged(["cmake", "--build", bdir, "--target", "bench_" + n,
                                 "-j", str(jobs)], logfile, check=False)
        r = {"ok": rc == 0}
        if rc != 0:
            r["error"] = smc_error(output)
            log(f"smc: {n} fails: {r['error']}")
        results[n] = r
    # Compile wall times, keyed by the --namespace of each logged command.
    if os.path.exists(times_log):
        with open(times_log, encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if "compile" in parts and "--namespace" in parts:
                    ns = parts[parts.index("--namespace") + 1]
                    if ns in results and parts[1] == "0":
                        results[ns]["compile_s"] = float(parts[0])
    for n in names:
        r = results[n]
        if not r["ok"]:
            continue
        base = os.path.join(bdir, "smc", n + "_model", n + "_model")
        r["exe"] = os.path.join(bdir, "bench_" + n)
        r["object_bytes"] = os.path.getsize(base + ".o")
        r["sections"] = object_sections(base + ".o")
        with open(base + ".h", encoding="utf-8") as f:
            m = re.search(r"#define \w+_SERVING_DEFAULT_ARENA_SIZE\s+(\d+)", f.read())
        r["arena_bytes"] = int(m.group(1)) if m else None
        r.update(arena_lower_bound(smc, mdir, n, metas[n], out))
    return results


def arena_lower_bound(smc, mdir, name, meta, out):
    """smc.arena_size and smc.arena_lower_bound of the bufferized function."""
    mlir = os.path.join(out, "smc", name + ".bufferized.mlir")
    shape = ",".join(str(d) for d in meta["input_shape"])
    rc, output = run_logged(
        [smc, "compile", "--dir", os.path.join(mdir, name), "--signature", meta["signature"],
         "--namespace", name, "--input-shape", "%s=%s" % (meta["input"], shape),
         "--compile-to=bufferized", "-o", mlir], os.path.join(out, "logs", "smc.log"), check=False)
    found = {}
    if rc == 0:
        with open(mlir, encoding="utf-8", errors="replace") as f:
            for line in f:
                if "smc.arena_lower_bound" in line:
                    for key in ("arena_size", "arena_lower_bound"):
                        m = re.search(r"smc\.%s = (\d+)" % key, line)
                        if m:
                            found["bufferized_" + key] = int(m.group(1))
                    break
    else:
        found["bufferized_error"] = first_line(output)
    if os.path.exists(mlir):
        os.remove(mlir)  # the weights make it large
    return found


# --- 3. OpenBLAS ------------------------------------------------------------------------------

def step_openblas(out):
    exe = os.path.join(out, "sgemm_openblas")
    run_logged(["cc", "-O2", "-std=c11", "-Wall", os.path.join(BENCH, "sgemm_openblas.c"),
                "-I" + OPENBLAS_INCLUDE, "-L" + OPENBLAS_LIB, "-Wl,-rpath," + OPENBLAS_LIB,
                "-lopenblas", "-o", exe], os.path.join(out, "logs", "openblas.log"))
    return exe


def step_cpuid_mask(out):
    """bench/cpuid_avx2.so, the CPUID mask of the AVX2 view; refuses a machine where it cannot
    work (no CPUID faulting), since the view would then silently be the native one."""
    so = os.path.join(out, "cpuid_avx2.so")
    logfile = os.path.join(out, "logs", "cpuid_avx2.log")
    run_logged(["cc", "-O2", "-shared", "-fPIC", "-Wall", os.path.join(BENCH, "cpuid_avx2.c"),
                "-ldl", "-o", so], logfile)
    env = dict(os.environ, LD_PRELOAD=so, CPUID_AVX2_REQUIRE="1")
    rc, output = run_logged(["true"], logfile, env=env, check=False)
    if rc != 0:
        sys.exit("bench: --view avx2 needs CPUID faulting (arch_prctl ARCH_SET_CPUID), which this "
                 "machine lacks: " + first_line(output))
    return so


# --- 4. timing --------------------------------------------------------------------------------

def stats(times_ns):
    t = np.asarray(times_ns, np.float64) / 1e6  # ms
    return {"runs": int(t.size), "median_ms": float(np.median(t)),
            "p10_ms": float(np.percentile(t, 10)), "p90_ms": float(np.percentile(t, 90)),
            "min_ms": float(t.min()), "max_ms": float(t.max()), "mean_ms": float(t.mean())}


def run_system(system, name, mdir, out, args, smc_result, openblas_exe, cpuid_mask=None):
    model = os.path.join(mdir, name)
    ydir = os.path.join(out, "outputs")
    os.makedirs(ydir, exist_ok=True)
    y = os.path.join(ydir, f"{name}.{system}.npy")
    if os.path.exists(y):
        os.remove(y)
    env = child_env()
    view = VIEWS.get(args.view, {}).get("env", {})
    if system == "tf" and "ONEDNN_MAX_CPU_ISA" in view:
        env["ONEDNN_MAX_CPU_ISA"] = view["ONEDNN_MAX_CPU_ISA"]
    if cpuid_mask:
        env.update(LD_PRELOAD=cpuid_mask, CPUID_AVX2_REQUIRE="1", CPUID_AVX2_LOG="1")
    if system in ("tf", "litert", "ort"):
        cmd = [sys.executable, os.path.join(BENCH, "runners.py"), "--system", system,
               "--model", model, "--runs", str(args.runs), "--warmup", str(args.warmup),
               "--out-npy", y, "--threads", str(args.threads)]
    elif system == "smc":
        if not smc_result["ok"]:
            return {"error": smc_result["error"]}
        cmd = [smc_result["exe"], model + ".input.npy", y, str(args.runs), str(args.warmup),
               str(args.threads)]
    else:  # openblas: the env -u ... OPENBLAS_NUM_THREADS=T of the command alone
        for var in OPENBLAS_ENV_UNSET:
            env.pop(var, None)
        env["OPENBLAS_NUM_THREADS"] = str(args.threads)
        if "OPENBLAS_CORETYPE" in view:
            env["OPENBLAS_CORETYPE"] = view["OPENBLAS_CORETYPE"]
        cmd = [openblas_exe, model + ".input.npy", os.path.join(mdir, name + ".w.npy"), y,
               str(args.runs), str(args.warmup)]
    rc, output = run_logged(cmd, os.path.join(out, "logs", f"run-{name}.log"), env=env,
                            check=False, timeout=RUN_TIMEOUT_S)
    lines = [l for l in output.splitlines() if l.startswith("{")]
    if rc != 0 or not lines:
        tail = [l for l in output.strip().splitlines() if l.strip()]
        return {"error": first_line(tail[-1] if tail else f"exit code {rc}")}
    result = json.loads(lines[-1])
    if cpuid_mask:
        result["cpuid_answered"] = sum(int(n) for n in re.findall(
            r"cpuid_avx2: answered (\d+) CPUID", output))
    if system == "litert":
        result["xnnpack_logged"] = "Created TensorFlow Lite XNNPACK delegate" in output
    result.update(stats(result["times_ns"]))
    result["output"] = y
    if system == "smc" and args.threads > 1:
        # smc's own speed-up: the same binary right after, on one thread (its serial function).
        rc, output = run_logged(cmd[:-1] + ["1"], os.path.join(out, "logs", f"run-{name}.log"),
                                env=env, check=False, timeout=RUN_TIMEOUT_S)
        lines = [l for l in output.splitlines() if l.startswith("{")]
        if rc == 0 and lines:
            result["one_thread_times_ns"] = json.loads(lines[-1])["times_ns"]
            result["one_thread"] = stats(result["one_thread_times_ns"])
    return result


def pool_rounds(rounds):
    """One result from a system's rounds (a process each): every call's time pooled, and each
    round's median kept (round_medians_ms) to show how far processes differ."""
    failed = [r for r in rounds if "error" in r]
    if failed:
        return failed[0]
    pooled = dict(rounds[-1])
    pooled["times_ns"] = [t for r in rounds for t in r["times_ns"]]
    pooled.update(stats(pooled["times_ns"]))
    pooled["round_medians_ms"] = [r["median_ms"] for r in rounds]
    one = [t for r in rounds for t in r.get("one_thread_times_ns", [])]
    if one:
        pooled["one_thread_times_ns"] = one
        pooled["one_thread"] = stats(one)
    return pooled


def compare(results, names):
    for n in names:
        ref_path = results[n]["systems"].get("tf", {}).get("output")
        if not ref_path or not os.path.exists(ref_path):
            continue
        ref = np.load(ref_path).astype(np.float64)
        scale = max(float(np.abs(ref).max()), 1e-30)
        for s, r in results[n]["systems"].items():
            if "output" not in r or not os.path.exists(r["output"]):
                continue
            y = np.load(r["output"]).astype(np.float64)
            if y.shape != ref.shape:
                r["check"] = {"ok": False, "why": f"shape {list(y.shape)} vs {list(ref.shape)}"}
                continue
            diff = float(np.abs(y - ref).max())
            check = {"max_abs_diff": diff, "rel": diff / scale,
                     "ok": bool(np.all(np.isfinite(y)) and diff <= LOOSE_RTOL * scale)}
            if n in CLASSIFIERS:
                check["top1_same"] = bool((y.argmax(-1) == ref.argmax(-1)).all())
            r["check"] = check


# --- 6. report --------------------------------------------------------------------------------

def cmd_output(cmd):
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def dpkg_version(pkg):
    return cmd_output(["dpkg-query", "-W", "-f=${Version}", pkg]) or "not installed"


def machine_info(build, out):
    info = {}
    cpuinfo = open("/proc/cpuinfo", encoding="utf-8").read()
    m = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    info["cpu"] = m.group(1).strip() if m else platform.processor()
    info["cpus"] = len(re.findall(r"^processor\s*:", cpuinfo, re.M))
    flags = re.search(r"^flags\s*:\s*(.*)$", cpuinfo, re.M)
    flags = set(flags.group(1).split()) if flags else set()
    info["isa"] = "AVX-512" if "avx512f" in flags else ("AVX2" if "avx2" in flags else "")
    # What smc makes of this machine: LLVM's name for the core and its caches.
    facts = smc_host_target(build)
    if facts.get("cpu"):
        info["smc_target"] = (f"`{facts['cpu']}`, L1d {int(facts.get('l1-bytes', 0)) >> 10} KiB, "
                              f"L2 {int(facts.get('l2-bytes', 0)) >> 10} KiB per core")
    mhz = re.search(r"^cpu MHz\s*:\s*(.*)$", cpuinfo, re.M)
    info["cpu_mhz"] = mhz.group(1).strip() if mhz else ""
    os_name = ""
    if os.path.exists("/etc/os-release"):
        m = re.search(r'^PRETTY_NAME="?([^"\n]*)', open("/etc/os-release").read(), re.M)
        os_name = m.group(1) if m else ""
    info["os"] = f"{os_name}, Linux {platform.release()}"
    info["memory_gib"] = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30)
    versions = {"Python": platform.python_version()}
    for pkg in ("tensorflow", "tf_keras", "ai-edge-litert", "onnxruntime", "tf2onnx", "onnx",
                "numpy", "matplotlib"):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = "not installed"
    info["versions"] = versions
    cache = os.path.join(build, "CMakeCache.txt")
    llvm_dir = ""
    if os.path.exists(cache):
        m = re.search(r"^LLVM_DIR:\w+=(.*)$", open(cache, encoding="utf-8").read(), re.M)
        llvm_dir = m.group(1) if m else ""
    llvm_config = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(llvm_dir))),
                               "bin", "llvm-config") if llvm_dir else "llvm-config-19"
    info["llvm"] = cmd_output([llvm_config, "--version"]) or "unknown"
    info["llvm_package"] = dpkg_version("llvm-19")
    info["openblas_package"] = dpkg_version("libopenblas0-pthread")
    hcache = os.path.join(out, "smc", "build", "CMakeCache.txt")
    cxx = ""
    if os.path.exists(hcache):
        m = re.search(r"^CMAKE_CXX_COMPILER:\w+=(.*)$", open(hcache, encoding="utf-8").read(),
                      re.M)
        cxx = m.group(1) if m else ""
    info["harness_cxx"] = (cmd_output([cxx, "--version"]).splitlines() or [""])[0] if cxx else ""
    info["smc_commit"] = cmd_output(["git", "-C", REPO, "describe", "--always", "--dirty",
                                     "--abbrev=12"]) or "unknown"
    info["smc_commit_subject"] = cmd_output(["git", "-C", REPO, "log", "-1", "--format=%s"])
    return info


def fmt_time(ms):
    if ms < 1.0:
        return f"{ms * 1000:.3g} µs" if ms * 1000 < 100 else f"{ms * 1000:.0f} µs"
    return f"{ms:.3g} ms" if ms < 100 else f"{ms:.0f} ms"


def fmt_bytes(n):
    if n is None:
        return "n/a"
    if n < 1024:
        return f"{n} B"
    if n < 1024 ** 2:
        return f"{n / 1024:.1f} KiB"
    return f"{n / 1024 ** 2:.2f} MiB"


def cell_escape(text):
    return text.replace("|", "\\|").replace("\n", " ")


def applicable(system, name):
    return system != "openblas" or name == "matmul_1024"


def time_cell(r, best):
    if r is None:
        return "–"
    if "error" in r:
        return "fails: " + cell_escape(r["error"])
    text = "%s (%s–%s)" % (fmt_time(r["median_ms"]), fmt_time(r["p10_ms"]).split()[0],
                           fmt_time(r["p90_ms"]))
    if fmt_time(r["p10_ms"]).split()[1] != fmt_time(r["p90_ms"]).split()[1]:
        text = "%s (%s–%s)" % (fmt_time(r["median_ms"]), fmt_time(r["p10_ms"]),
                               fmt_time(r["p90_ms"]))
    if r["median_ms"] == best:
        text = "**" + text.replace(" (", "** (", 1)
    check = r.get("check")
    if check and not check["ok"]:
        text += " ⚠ output differs from TF (max diff %.3g)" % check.get("max_abs_diff",
                                                                         float("nan"))
    return text


def write_chart(results, names, png, info):
    """One small linear-scale bar chart per model (latencies differ by 10^5 across models)."""
    import matplotlib  # pylint: disable=import-outside-toplevel

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # pylint: disable=import-outside-toplevel

    colors = {"tf": "#ff8f00", "litert": "#1e88e5", "ort": "#8e24aa", "openblas": "#757575",
              "smc": "#2e7d32"}
    cols = min(3, len(names))
    rows = (len(names) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.9 * rows + 0.6), dpi=110,
                             squeeze=False)
    for ax in axes.flat[len(names):]:
        ax.axis("off")
    for ax, n in zip(axes.flat, names):
        systems = [s for s, _ in SYSTEMS if applicable(s, n)]
        unit, scale = ("µs", 1e3) if all(
            r.get("median_ms", 0) < 1 for r in results[n]["systems"].values()) else ("ms", 1.0)
        top = max([r["p90_ms"] * scale for r in results[n]["systems"].values()
                   if "p90_ms" in r] or [1.0])
        for i, s in enumerate(systems):
            r = results[n]["systems"].get(s)
            if r is None:
                continue
            if "error" in r:
                ax.text(i, top * 0.04, "fails", rotation=90, ha="center", va="bottom",
                        fontsize=9, fontweight="bold", color=colors[s])
                continue
            med = r["median_ms"] * scale
            ax.bar(i, med, 0.7, color=colors[s],
                   yerr=[[med - r["p10_ms"] * scale], [r["p90_ms"] * scale - med]],
                   error_kw={"elinewidth": 0.8, "capsize": 2})
            ax.text(i, r["p90_ms"] * scale + top * 0.02, "%.3g" % med, ha="center",
                    va="bottom", fontsize=7)
        ax.set_xlim(-0.6, len(systems) - 0.4)
        ax.set_xticks(range(len(systems)))
        ax.set_xticklabels([LABEL[s].replace(" (XNNPACK)", "\n(XNNPACK)").replace(
            " sgemm", "\nsgemm").replace("ONNX Runtime", "ONNX\nRuntime") for s in systems],
            fontsize=7)
        ax.set_ylim(0, top * 1.18)
        ax.set_title(MODEL_LABEL[n], fontsize=9)
        ax.set_ylabel(unit, fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(axis="y", alpha=0.3)
    fig.suptitle(f"Latency per call, batch 1, {threads_label(info.get('threads', 1))}: median, whiskers p10–p90 (lower is "
                 f"better)\n{info['cpu']}; smc {info['smc_commit']}; {info['date']}", fontsize=9)
    fig.tight_layout()
    fig.savefig(png)
    plt.close(fig)


def check_aarch64(r, ref):
    """An AArch64 result's output against TensorFlow's `ref` (the x86 table's tolerance)."""
    if "output" in r and ref and os.path.exists(ref) and os.path.exists(r["output"]):
        y, t = np.load(r["output"]).astype(np.float64), np.load(ref).astype(np.float64)
        diff = float(np.abs(y - t).max()) if y.shape == t.shape else float("inf")
        scale = max(float(np.abs(t).max()), 1e-30)
        r["check"] = {"max_abs_diff": diff,
                      "ok": bool(np.all(np.isfinite(y)) and diff <= LOOSE_RTOL * scale)}


def aarch64_section(a64, names):
    """The AArch64 table (step_aarch64's counts) as report lines."""
    L = []
    L += ["## AArch64: instructions per inference under QEMU", "",
          f"There is no ARM hardware here, so for AArch64 (NEON, 32 x 128-bit registers) "
          f"the count is what can be measured: smc's code for `--target aarch64-linux-gnu "
          f"--cpu {AARCH64_CPU}`, linked statically into the same harness, runs under "
          "qemu-aarch64 with a TCG plugin (bench/qemu_insn_count.c) counting the executed "
          "instructions and the `fmla` among them (each 4 float multiply-adds); one "
          "inference is the difference between a run of 3 calls and a run of 1, over 2. "
          "The fmla share is the fraction of all instructions that are multiply-adds: what "
          "the rest of the code (loads, stores, address arithmetic, the other operations) "
          "costs around them. No peer is in this table: LiteRT's and ONNX Runtime's "
          "AArch64 builds are Python wheels, which would need an AArch64 Python under "
          "QEMU (not set up here).", "",
          "| model | instructions / inference | fmla / inference | fmla share | "
          "output vs TF |", "|---|---|---|---|---|"]
    for n in names:
        r = a64.get(n, {})
        if "error" in r:
            L.append(f"| {MODEL_LABEL.get(n, n)} | fails: {cell_escape(r['error'])} | | | |")
            continue
        c = r.get("check", {})
        ok = ("–" if not c else ("✓ " if c["ok"] else "✗ ") +
              f"{c['max_abs_diff']:.2g}")
        share = r["fma"] / r["insns"] if r.get("insns") else 0
        L.append(f"| {MODEL_LABEL.get(n, n)} | {r['insns']:,} | {r['fma']:,} | "
                 f"{share:.0%} | {ok} |")
    L.append("")

    return L


def write_doc(results, names, info, args, doc, png, elapsed):
    systems = [s for s, _ in SYSTEMS if any(applicable(s, n) for n in names)]
    runs = args.runs * args.rounds
    L = []
    L += ["# Benchmarks", "",
          "<!-- Generated by bench/run.py (`make bench`); do not edit: run it again. -->", "",
          "smc against TensorFlow, LiteRT with XNNPACK, ONNX Runtime and (for the matmul) "
          "OpenBLAS, all measured in one run of `make bench` on the machine described below, on "
          "the same inputs, with %s each." % threads_label(args.threads) + (
              " Each system runs its own threads: TensorFlow intra-op parallelism, LiteRT "
              "`num_threads`, ONNX Runtime `intra_op_num_threads`, OpenBLAS "
              "`OPENBLAS_NUM_THREADS`, smc's `_parallel` entry point on a `smc::ThreadPool`; "
              "inter-op parallelism stays 1 (one call at a time)." if args.threads > 1 else ""),
          "",
          f"Generated {info['date']} in {elapsed / 60:.1f} min by `{info['command']}`. "
          f"Load average (1 min) {info['load_before']:.2f} before the run and "
          f"{info['load_after']:.2f} after: the machine is shared, so a load near or above its "
          f"{info['cpus']} cores means noisy numbers.", ""]
    if args.view == "avx2":
        answered = {LABEL[sy]: sum(results[n]["systems"].get(sy, {}).get("cpuid_answered", 0)
                                   for n in names) for sy in systems}
        L += ["**The AVX2 view** of this machine (`--view avx2`): smc compiles with `--cpu "
              "haswell` (AVX2 + FMA, 16 vector registers) and this machine's cache sizes ("
              + "`" + " ".join(host_cache_options(args.build)) + "`"
              "; `--cpu haswell` alone would size its "
              "cache tiles for Haswell's 256 KiB L2: the view changes the vector ISA, not the "
              "caches, which XNNPACK and ONNX Runtime read from this machine), and every system "
              "runs with "
              "bench/cpuid_avx2.so preloaded: it has the kernel make the CPUID instruction fault "
              "(`arch_prctl(ARCH_SET_CPUID)`) and answers it with the AVX-512, AMX, AVX-VNNI and "
              "AVX10 bits cleared, so that XNNPACK, ONNX Runtime's MLAS, oneDNN and OpenBLAS, "
              "which pick their kernels from CPUID, run their AVX2 ones (OpenBLAS is also given "
              "`OPENBLAS_CORETYPE=Haswell` and oneDNN `ONEDNN_MAX_CPU_ISA=AVX2`). CPUID "
              "instructions answered by the mask over the run: " + ", ".join(
                  f"{k} {v}" for k, v in answered.items()) + " (OpenBLAS reads CPUID in its "
              "own constructor, which runs before the mask's: `OPENBLAS_CORETYPE` pins it; "
              "smc's code is compiled for Haswell and reads none). What the mask cannot reach: code "
              "compiled for AVX-512 unconditionally (none of these libraries ships such builds "
              "for x86-64) and glibc's string functions, chosen before it loads.", ""]
    L += ["## Latency", "",
          f"Median time per call, with p10–p90 of {runs} timed calls in parentheses (after "
          f"{args.warmup} untimed warm-up calls)" + (
              f", in {args.rounds} rounds: {args.rounds} processes per system, each timing "
              f"{args.runs} calls (after the warm-up), the systems of a model in turn, their calls "
              "pooled" if args.rounds > 1 else "") +
          "; batch 1; **bold** is the fastest per model. Lower is better.", "",
          "| model | " + " | ".join(LABEL[s] for s in systems) + " |",
          "|---|" + "---|" * len(systems)]
    for n in names:
        rs = results[n]["systems"]
        best = min((rs[s]["median_ms"] for s in systems
                    if s in rs and "median_ms" in rs[s] and rs[s].get("check", {}).get("ok", True)),
                   default=None)
        cells = [time_cell(rs.get(s), best) if applicable(s, n) else "–" for s in systems]
        L.append(f"| {MODEL_LABEL[n]} | " + " | ".join(cells) + " |")
    L += ["", f"![latency chart]({os.path.basename(png)})", ""]
    L += ["Min and max of the same runs (ms):", "",
          "| model | " + " | ".join(LABEL[s] for s in systems) + " |",
          "|---|" + "---|" * len(systems)]
    for n in names:
        rs = results[n]["systems"]
        cells = []
        for s in systems:
            r = rs.get(s)
            cells.append("%.4g / %.4g" % (r["min_ms"], r["max_ms"])
                         if applicable(s, n) and r and "min_ms" in r else "–")
        L.append(f"| {MODEL_LABEL[n]} | " + " | ".join(cells) + " |")
    L.append("")

    if args.threads > 1:
        L += [f"## smc from one thread to {args.threads}", "",
              f"smc's serial function on one thread, timed right after its {args.threads}-thread "
              "run by the same binary on the same input, and the speed-up (one-thread median / "
              f"{args.threads}-thread median).", "",
              f"| model | 1 thread | {args.threads} threads | speed-up |" +
              (f" {args.threads} threads, each round's median |" if args.rounds > 1 else ""),
              "|---|---|---|---|" + ("---|" if args.rounds > 1 else "")]
        for n in names:
            r = results[n]["systems"].get("smc", {})
            one = r.get("one_thread")
            if not one or "median_ms" not in r:
                continue
            per_round = (" " + ", ".join(fmt_time(m) for m in r.get("round_medians_ms", [])) + " |"
                         if args.rounds > 1 else "")
            L.append(f"| {MODEL_LABEL[n]} | {fmt_time(one['median_ms'])} | "
                     f"{fmt_time(r['median_ms'])} | {one['median_ms'] / r['median_ms']:.2f}× |" +
                     per_round)
        L.append("")

    if "matmul_1024" in names:
        rs = results["matmul_1024"]["systems"]
        gflop = results["matmul_1024"]["meta"]["gflop"]
        blas = rs.get("openblas", {}).get("median_ms")
        L += ["## matmul 1024: GFLOP/s", "",
              "2·N³ = %.3f GFLOP per call (N = 1024) divided by the median time; the last column "
              "is the ratio to OpenBLAS's `cblas_sgemm` (%s)." % (gflop, threads_label(args.threads)), "",
              "| system | median | GFLOP/s | vs OpenBLAS |", "|---|---|---|---|"]
        for s in systems:
            r = rs.get(s)
            if not r or "median_ms" not in r:
                L.append(f"| {LABEL[s]} | {'fails' if r else '–'} | – | – |")
                continue
            g = gflop / (r["median_ms"] / 1e3)
            ratio = "%.2f×" % (blas / r["median_ms"]) if blas else "–"
            L.append(f"| {LABEL[s]} | {fmt_time(r['median_ms'])} | {g:.1f} | {ratio} |")
        ob = rs.get("openblas", {})
        how = "run with " + openblas_command(args.view, args.threads) + (
            ": its AVX2 kernels, the AVX2 view" if args.view == "avx2" else
            ": this workplace may export OPENBLAS_CORETYPE=Haswell, which selects AVX2 kernels "
            "at half the speed")
        L += ["", "OpenBLAS: `%s`, kernel `%s` (%s)." % (
                  ob.get("openblas_config", "?"), ob.get("openblas_core", "?"), how), ""]

    behind = []
    for n in names:
        rs = results[n]["systems"]
        mine = rs.get("smc", {}).get("median_ms")
        if mine is None:
            continue
        faster = [(rs[s]["median_ms"], s) for s in systems if s != "smc" and s in rs
                  and "median_ms" in rs[s] and rs[s]["median_ms"] < mine]
        if faster:
            behind.append(f"- {MODEL_LABEL[n]}: " + ", ".join(
                f"{LABEL[s]} {fmt_time(t)} against smc's {fmt_time(mine)} "
                f"(smc {mine / t:.2f}× its time)" for t, s in sorted(faster)))
    L += ["## Where smc is behind", ""]
    L += (["Models where another system's median is lower than smc's:", ""] + behind
          if behind else ["Nowhere: smc's median is the lowest on every model."])
    L.append("")

    ct = info.get("compile_times")
    if ct:
        def secs(runs):
            return "%.1f s" % statistics.median(runs) if runs else "–"
        L += ["## Compile time", "",
              "Wall time of `smc compile` with default flags (the back end on every core: "
              f"{info['cpus']} here) and with `-j 1` (one core), and of TensorFlow Lite's "
              "converter (`TFLiteConverter.from_saved_model` + `convert()`, float32, in a process "
              "that has already imported TensorFlow and converted a small model), on the same "
              "SavedModels; median of "
              f"{len(next(iter(ct.values())).get('all', [0]))} runs. The last three models are "
              "compiled only (bench/compile_models.py). smc's object is byte-identical for any "
              "`-j` (test/e2e/jobs.test).", "",
              "| model | smc (every core) | smc (`-j 1`) | TFLite converter |",
              "|---|---|---|---|"]
        for n, t in ct.items():
            label = MODEL_LABEL.get(n, n)
            if "error" in t:
                L.append(f"| {label} | fails: {cell_escape(t['error'])} | | |")
                continue
            L.append(f"| {label} | {secs(t.get('all'))} | {secs(t.get('one'))} | "
                     f"{secs(t.get('tflite'))} |")
        L.append("")

    fw = info.get("firmware")
    if fw:
        def fb(v):
            return "–" if v is None else f"{v:,} B"
        L += ["## Firmware: the digits CNN on microcontrollers", "",
              "examples/firmware (docs/firmware.md) built for each core with Debian's GCC "
              "(arm-none-eabi, riscv64-unknown-elf), `-nostdlib`, and run on QEMU's board for it: "
              "code (`.text` of smc's object), weights (its `.model_weights`), the arena and the "
              "stack bound the header states, the stack the 360 calls used on a painted stack, "
              "and how many of the 360 held-out digits got TensorFlow's class. QEMU does not "
              "model timing, so the speed column is the guest instructions executed per "
              "inference (a TCG plugin, bench/qemu_insn_count.c, counts every instruction of the "
              "run; divided by the 360 inferences, the set-up and printing included). "
              "TensorFlow Lite Micro (TFLM) is below, from a one-time build here (its build "
              "fetches its third-party sources, which this machine reaches only through our "
              "research tools, so no script that builds it is committed; docs/firmware.md "
              "records how it was built).", "",
              "| core | optimize | code | weights | arena | stack (stated) | stack (used) | "
              "instructions / inference | same class as TF |",
              "|---|---|---|---|---|---|---|---|---|"]
        for core, _, qemu in FIRMWARE_CORES:
            for goal in ("size", "speed"):
                r = fw.get(f"{core}/{goal}", {})
                if "error" in r:
                    L.append(f"| {core} ({qemu[2]}) | {goal} | {cell_escape(r['error'])} "
                             "| | | | | | |")
                    continue
                mark = "" if r.get("ok") else " ⚠"
                L.append(f"| {core} ({qemu[2]}) | {goal} | {fb(r.get('code'))} | "
                         f"{fb(r.get('weights'))} | {fb(r.get('arena'))} | {fb(r.get('stack'))} | "
                         f"{fb(r.get('stack_used'))} | "
                         f"{'–' if r.get('insns_per_inference') is None else format(r['insns_per_inference'], ',')} | "
                         f"{r.get('agree')}{mark} |")
        L.append("")
        L += ["TensorFlow Lite Micro, measured once here on " + TFLM_MEASURED["date"] + ": " +
              TFLM_MEASURED["how"], "",
              "| core | build | code (TFLM + libgcc/libc/libm) | model flatbuffer | arena | "
              "stack (used) | instructions / inference | same class as TF |",
              "|---|---|---|---|---|---|---|---|"]
        for row in TFLM_MEASURED["rows"]:
            L.append("| " + " | ".join(row) + " |")
        L.append("")

    if info.get("aarch64"):
        L += aarch64_section(info["aarch64"], names)

    L += ["## smc: compile time, object size, scratch arena", "",
          "Compile time: the wall time of `smc compile` as `smc_add_model` ran it in the harness's "
          f"build (`-j{args.jobs}`, default flags, host CPU). Code is the object's `.text`, "
          "weights its `.rodata` (`llvm-size -A`). Arena: the scratch bytes the generated header "
          "states; lower bound: `smc.arena_lower_bound` of the function printed by `smc compile "
          "--compile-to=bufferized` (smc's estimate of the least any schedule of that buffer plan "
          "needs); the ratio shows what the static plan loses to fragmentation.", "",
          "| model | compile | object | code (.text) | weights (.rodata) | arena | lower bound | "
          "arena / bound | max \\|smc − TF\\| |",
          "|---|---|---|---|---|---|---|---|---|"]
    for n in names:
        r = results[n]["smc"]
        if not r["ok"]:
            L.append(f"| {MODEL_LABEL[n]} | fails: {cell_escape(r['error'])} |" + "  |" * 7)
            continue
        sec = r.get("sections") or {}
        lb = r.get("bufferized_arena_lower_bound")
        arena = r.get("arena_bytes")
        ratio = "%.2f" % (arena / lb) if arena and lb else ("–" if not lb else "0")
        check = results[n]["systems"].get("smc", {}).get("check")
        diff = "%.2g" % check["max_abs_diff"] if check and "max_abs_diff" in check else "–"
        if check and not check["ok"]:
            diff += " ⚠"
        L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            MODEL_LABEL[n], "%.1f s" % r["compile_s"] if "compile_s" in r else "n/a",
            fmt_bytes(r.get("object_bytes")), fmt_bytes(sec.get("code")),
            fmt_bytes(sec.get("weights")), fmt_bytes(arena),
            fmt_bytes(lb) if lb is not None else "n/a", ratio, diff))
    L.append("")

    L += ["## Do the outputs agree?", "",
          "Each system's output on the benchmark input against TensorFlow's: the largest absolute "
          f"difference; ✓ when it is within {LOOSE_RTOL:g} × the largest reference value "
          "(float32 results summed in another order differ by about 1e-6 of it; a wrong kernel by "
          "far more), and for the classifiers whether the top-1 class is the same. A latency that "
          "comes with a differing output is flagged ⚠ in the table above.", "",
          "| model | " + " | ".join(LABEL[s] for s in systems if s != "tf") + " |",
          "|---|" + "---|" * (len(systems) - 1)]
    for n in names:
        cells = []
        for s in systems:
            if s == "tf":
                continue
            c = results[n]["systems"].get(s, {}).get("check")
            if not applicable(s, n):
                cells.append("–")
            elif not c:
                cells.append("n/a")
            elif "max_abs_diff" not in c:
                cells.append("✗ " + c["why"])
            else:
                top = "" if "top1_same" not in c else (", top-1 same" if c["top1_same"]
                                                       else ", top-1 differs")
                cells.append("%s %.2g%s" % ("✓" if c["ok"] else "✗", c["max_abs_diff"], top))
        L.append(f"| {MODEL_LABEL[n]} | " + " | ".join(cells) + " |")
    L.append("")

    L += ["## Machine and versions", "",
          f"- CPU: {info['cpu']} ({info['isa']}), {info['cpus']} cores, {info['memory_gib']} GiB; "
          f"/proc/cpuinfo gives {info['cpu_mhz']} MHz, the nominal (TSC) clock of this VM; the "
          "cores may run faster (the matmul's GFLOP/s above bound it from below)." +
          (f" smc's host target: {info['smc_target']}." if info.get("smc_target") else ""),
          f"- OS: {info['os']}",
          f"- smc: commit {info['smc_commit']} ({info['smc_commit_subject']}); "
          f"LLVM/MLIR {info['llvm']} (Debian llvm-19 {info['llvm_package']}); harness compiled "
          f"by {info['harness_cxx']}",
          "- Python packages (bench/requirements.txt, venv by bench/setup-venv.sh): " +
          ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
          f"- OpenBLAS: Debian libopenblas0-pthread {info['openblas_package']}", ""]

    L += ["## Method", "",
          "- Models (bench/models.py; weights seeded, built by the pinned TensorFlow, saved with "
          "`tf.saved_model.save`, batch 1):"]
    for n in names:
        L.append(f"  - {MODEL_LABEL[n]}: {results[n]['meta']['description']}; input "
                 f"`{results[n]['meta']['input']}` {results[n]['meta']['input_shape']}.")
    L += ["  The image models are saved with a static batch of 1; with keras.applications' "
          "default `[None, 224, 224, 3]` the LiteRT converter keeps "
          "Shape/StridedSlice/Pack/Reshape ops for the batch-dependent reshapes, which XNNPACK "
          "does not take, so LiteRT would run split partitions.",
          "- Inputs: one seeded input per model (`<name>.input.npy`), fed to every system.",
          "- Each system runs in a process of its own, one model after the other, the systems of "
          "a model back to back. Timed: the call alone (inputs bound and outputs allocated "
          "before), with a monotonic clock around each call. For TensorFlow, LiteRT and ONNX "
          "Runtime that call goes through their Python API, whose overhead (about a microsecond "
          "for LiteRT's `invoke()`, more for ONNX Runtime and far more for a TensorFlow function "
          "call) is part of the time: it matters for the MLP only.",
          "- TensorFlow: `tf.saved_model.load`, the `serving_default` signature function called "
          "with a `tf.Tensor`; `tf.config.threading.set_intra_op_parallelism_threads(%d)` and " % args.threads +
          "`set_inter_op_parallelism_threads(1)` before anything runs. Its output is the "
          "reference of the agreement check.",
          "- LiteRT: the SavedModel converted by `tf.lite.TFLiteConverter.from_saved_model` "
          "(float32, no optimizations, no quantization), run by `ai_edge_litert.interpreter."
          "Interpreter(num_threads=%d)`; `invoke()` timed. XNNPACK is LiteRT's default delegate; "
          "that it was applied is checked, not assumed: after `allocate_tensors()` the "
          "interpreter's node list holds a `DELEGATE` node per delegated partition, and walking "
          "back from each one's outputs to its inputs gives the model ops it replaced (LiteRT "
          "also logs \"Created TensorFlow Lite XNNPACK delegate for CPU\"):" % args.threads]
    for n in names:
        r = results[n]["systems"].get("litert", {})
        x = r.get("xnnpack")
        if x:
            left = ("; not delegated: " + ", ".join(x["not_delegated_op_types"])
                    if x["not_delegated_op_types"] else "")
            logged = ("" if "xnnpack_logged" not in r else
                      "; delegate creation logged" if r["xnnpack_logged"] else
                      "; NO delegate creation logged")
            L.append(f"  - {MODEL_LABEL[n]}: {x['delegated']} of {x['ops']} ops in "
                     f"{x['partitions']} delegated partition(s){left}{logged}.")
    L += ["- ONNX Runtime: the SavedModel converted by tf2onnx (opset %d; where the graph marks "
          "function calls `_XlaMustCompile` (tf_keras' grouped Conv2D, ConvNeXt's depthwise "
          "convolutions), tf2onnx reads a copy without the marks, so that it inlines the calls and "
          "converts the grouped convolutions to ONNX Conv with `group`; TensorFlow's Erfc, "
          "which tf2onnx copies through but ONNX lacks, rewritten as 1 - Erf: the exact gelu of "
          "the transformer and ConvNeXt); `InferenceSession` "
          "with the CPU execution provider, `intra_op_num_threads=%d`, `inter_op_num_threads=1`, "
          "`ORT_ENABLE_ALL`, `ORT_SEQUENTIAL`; `run_with_iobinding` with the input and a "
          "preallocated output bound once." % (bench_models.ONNX_OPSET, args.threads),
          "- OpenBLAS: bench/sgemm_openblas.c, `cblas_sgemm` row-major y = x·W on the same x "
          "and W as the matmul model, linked with Debian's libopenblas, run with " +
          openblas_command(args.view, args.threads) + (" (the AVX2 view)." if args.view == "avx2" else "."),
          "- smc: a CMake project that does what a user's does (`find_package(smc)` with "
          "`-Dsmc_DIR=<build>/lib/cmake/smc`, `smc_add_model(... INPUT_SHAPES key=1,...)`), "
          "linking each compiled model into bench/smc_harness.cpp, which calls the generated C "
          "function with 64-byte-aligned input, output and arena and times each call with "
          "`std::chrono::steady_clock`. " + (
              "With %d threads it calls the `_parallel` entry point with a `smc::ThreadPool(%d)` "
              "(smc/thread_pool.h: the caller and %d workers)." % (
                  args.threads, args.threads, args.threads - 1) if args.threads > 1 else
              "With one thread it calls the serial function, as an app without threads does."),
          "- Arena of LiteRT: not reported, because LiteRT's Python API does not expose it. "
          "`Interpreter` offers tensor details (shapes, types, indices) but neither the "
          "allocation type of a tensor nor the arena's size; the C++ library has them "
          "(`Subgraph::GetMemoryAllocInfo`, `tflite::PrintInterpreterState`), but the "
          "ai-edge-litert wheel exports no such symbol to call. Moreover with XNNPACK, tensors "
          "inside a delegated partition live in XNNPACK's own workspace, not in LiteRT's arena, "
          "so the arena alone would not be the comparable number. Likewise ONNX Runtime and "
          "TensorFlow allocate intermediates dynamically.", ""]

    failures = [(n, s, r["error"]) for n in names for s, r in results[n]["systems"].items()
                if "error" in r]
    if failures:
        L += ["## Failures", ""]
        L += [f"- {MODEL_LABEL[n]}, {LABEL[s]}: {cell_escape(e)}" for n, s, e in failures]
        L.append("")
    L += ["## Reproduce", "",
          "```sh",
          "make bench                                                 # all models: this page",
          "make bench BENCH_FLAGS='--models mobilenet,mlp --runs 30'  # a subset: build/bench/",
          "```", "",
          "`make bench` builds smc and runs `bench/run.py` (`--help` for its options), which "
          "installs libopenblas-dev (bench/setup-deps.sh) and runs in the pinned venv "
          "(bench/setup-venv.sh: ~/.cache/smc/bench-venv-<hash of bench/requirements.txt>). "
          "The raw times are in `build/bench/results.json`, the logs in `build/bench/logs/`.", ""]
    with open(doc, "w", encoding="utf-8") as f:
        f.write("\n".join(L))


# --- main -------------------------------------------------------------------------------------

def run_aarch64_only(names, out, args):
    """--aarch64-only: the models, TensorFlow's outputs as the reference (one call each) and
    the AArch64 counts, written as a page of their own."""
    started = time.time()
    mdir, metas = step_models(names, out, args.rebuild_models)
    once = argparse.Namespace(**vars(args))
    once.runs, once.warmup = 1, 0
    a64 = step_aarch64(names, metas, mdir, out, args.build)
    for n, r in a64.items():
        tf = run_system("tf", n, mdir, out, once, None, None)
        ref = tf.get("output")
        check_aarch64(r, ref)
    info = machine_info(args.build, out)
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    command = " ".join(["bench/run.py"] + sys.argv[1:])
    L = ["# Benchmarks: AArch64", "",
         "<!-- Generated by bench/run.py --aarch64-only; do not edit: run it again. -->", "",
         f"Generated {date} in {(time.time() - started) / 60:.1f} min by `{command}` on "
         f"{info['cpu']} (the counts do not depend on the host or its load). smc: commit "
         f"{info.get('smc_commit', '')}; LLVM {info.get('llvm', '')}; "
         f"{first_line(cmd_output(['qemu-aarch64', '--version'])).split(' Copyright')[0]}.", ""]
    L += aarch64_section(a64, names)
    with open(args.doc, "w", encoding="utf-8") as f:
        f.write("\n".join(L).rstrip() + "\n")
    with open(os.path.join(out, "aarch64.json"), "w", encoding="utf-8") as f:
        json.dump(a64, f, indent=1)
    log(f"wrote {args.doc}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n", 2)[2])
    ap.add_argument("--models", default=",".join(bench_models.MODELS),
                    help="comma-separated subset of: " + ", ".join(bench_models.MODELS))
    ap.add_argument("--runs", type=int, default=50, help="timed calls per system (>= 30)")
    ap.add_argument("--rounds", type=int, default=1,
                    help="processes per system and model, each timing RUNS calls, the systems "
                    "of a model in turn; the report pools their calls (for times that differ "
                    "from process to process, as several threads on a VM's cores do)")
    ap.add_argument("--warmup", type=int, default=5, help="untimed calls first")
    ap.add_argument("--build", default=os.path.join(REPO, "build"), help="smc's build tree")
    ap.add_argument("--out", help="work directory (default: <build>/bench)")
    ap.add_argument("--doc", help="the report (default: docs/benchmarks.md for all models, "
                    "<out>/benchmarks.md for a subset); the chart goes next to it as .png")
    ap.add_argument("--jobs", type=int, default=1, help="parallel jobs of the smc build")
    ap.add_argument("--rebuild-models", action="store_true",
                    help="build the SavedModels and conversions again even if up to date")
    ap.add_argument("--view", choices=sorted(VIEWS),
                    help="avx2: the AVX2 view of an AVX-512 machine (smc --cpu haswell; every "
                    "system under bench/cpuid_avx2.so, which hides AVX-512 from CPUID, so that "
                    "XNNPACK, MLAS, oneDNN and OpenBLAS take their AVX2 kernels)")
    ap.add_argument("--threads", type=int, default=1,
                    help="threads of every system (default 1); N > 1 also skips the firmware "
                    "and compile-time tables, which do not depend on it")
    ap.add_argument("--compile-repeats", type=int, default=3,
                    help="runs of each compile-time measurement (the median is reported)")
    ap.add_argument("--no-compile-models", dest="compile_models", action="store_false",
                    help="leave out the compile-only models (DenseNet121, NASNetMobile, "
                    "Xception: bench/compile_models.py)")
    ap.add_argument("--aarch64", action="store_true",
                    help="add the AArch64 table (instructions and fmla per inference of smc's "
                         "code under qemu-aarch64; ~13 min) to this report; --aarch64-only "
                         "writes it as a page of its own")
    ap.add_argument("--aarch64-only", action="store_true",
                    help="only the AArch64 table (counts under QEMU, which do not depend on "
                         "this machine's load), as its own page (default: "
                         "docs/benchmarks-aarch64.md)")
    ap.add_argument("--no-firmware", dest="firmware", action="store_false",
                    help="leave out the firmware table (examples/firmware on each core's QEMU "
                    "board)")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite the report from <out>/results.json without measuring")
    args = ap.parse_args()
    names = args.models.split(",")
    for n in names:
        if n not in bench_models.MODELS:
            ap.error(f"unknown model {n!r}; known: {', '.join(bench_models.MODELS)}")
    names = [n for n in bench_models.MODELS if n in names]  # table order
    if args.runs < 30:
        ap.error("--runs must be at least 30")
    if args.rounds < 1:
        ap.error("--rounds must be at least 1")
    if args.threads < 1:
        ap.error("--threads must be at least 1")
    if args.threads > 1:  # the firmware and compile-time tables do not depend on it
        args.firmware = args.compile_models = False
    args.build = os.path.abspath(args.build)
    out = os.path.abspath(args.out or os.path.join(args.build, "bench"))
    results_file = os.path.join(out, "results.json")
    saved = None
    if args.report_only:
        with open(results_file, encoding="utf-8") as f:
            saved = json.load(f)
        names = saved["names"]
        for k in ("runs", "warmup", "jobs"):
            setattr(args, k, saved["args"][k])
        args.rounds = saved["args"].get("rounds", 1)
        args.view = saved["args"].get("view")
        args.threads = saved["args"].get("threads", 1)
    if args.aarch64_only and not args.doc:
        args.doc = os.path.join(REPO, "docs", "benchmarks-aarch64.md")
    doc = args.doc or (os.path.join(REPO, "docs", "benchmarks.md")
                       if set(names) == set(bench_models.MODELS)
                       else os.path.join(out, "benchmarks.md"))
    png = os.path.splitext(doc)[0] + ".png"

    if saved:
        write_chart(saved["results"], names, png, saved["info"])
        write_doc(saved["results"], names, saved["info"], args, doc, png, saved["elapsed_s"])
        log(f"wrote {doc} and {png}")
        return

    subprocess.run([os.path.join(BENCH, "setup-deps.sh")], check=True)  # OpenBLAS
    if args.aarch64_only:
        run_aarch64_only(names, out, args)
        return
    smc = os.path.join(args.build, "bin", "smc")
    if not os.path.exists(smc) or not os.path.isdir(os.path.join(args.build, "lib", "cmake",
                                                                  "smc")):
        raise SystemExit(f"bench: no smc in {args.build} (build it first: make build)")
    started = time.time()
    load_before = os.getloadavg()[0]
    shutil.rmtree(os.path.join(out, "logs"), ignore_errors=True)

    mdir, metas = step_models(names, out, args.rebuild_models)
    view = VIEWS.get(args.view, {})
    smc_options = host_cache_options(args.build) if view.get("host_caches") else []
    smc_results = step_smc(names, metas, mdir, out, args.build, args.jobs, view.get("smc_cpu"),
                           smc_options)
    openblas_exe = step_openblas(out) if "matmul_1024" in names else None
    cpuid_mask = (step_cpuid_mask(out) if VIEWS.get(args.view, {}).get("cpuid_mask") else None)
    compile_models = {n: (os.path.join(mdir, n), metas[n]) for n in names}
    if args.compile_models:
        cdir, cmetas = step_compile_models(out, args.rebuild_models)
        compile_models.update({n: (os.path.join(cdir, n), m) for n, m in cmetas.items()})
    compile_times = (step_compile_times(compile_models, out, args.build, args.compile_repeats)
                     if args.threads == 1 else None)
    firmware = step_firmware(out, args.build) if args.firmware else None
    aarch64 = step_aarch64(names, metas, mdir, out, args.build) if args.aarch64 else None

    results = {n: {"meta": metas[n], "smc": smc_results[n], "systems": {}} for n in names}
    for n in names:
        rounds = {}
        for k in range(args.rounds):  # the systems of a model in turn, round after round
            for s, _ in SYSTEMS:
                if not applicable(s, n):
                    continue
                log(f"timing {n} on {LABEL[s]}" +
                    (f" (round {k + 1} of {args.rounds})" if args.rounds > 1 else ""))
                r = run_system(s, n, mdir, out, args, smc_results[n], openblas_exe, cpuid_mask)
                rounds.setdefault(s, []).append(r)
                if "error" in r:
                    log(f"  fails: {r['error']}")
                else:
                    log(f"  median {fmt_time(r['median_ms'])} (p10 {fmt_time(r['p10_ms'])}, "
                        f"p90 {fmt_time(r['p90_ms'])})")
        for s, rs in rounds.items():
            results[n]["systems"][s] = pool_rounds(rs)
    compare(results, names)
    for n, r in (aarch64 or {}).items():  # the AArch64 outputs against TensorFlow's, likewise
        ref = results[n]["systems"].get("tf", {}).get("output")
        check_aarch64(r, ref)

    info = machine_info(args.build, out)
    info["compile_times"] = compile_times
    info["firmware"] = firmware
    info["aarch64"] = aarch64
    info["load_before"], info["load_after"] = load_before, os.getloadavg()[0]
    info["date"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    info["command"] = " ".join(["bench/run.py"] + sys.argv[1:])
    info["threads"] = args.threads
    elapsed = time.time() - started
    with open(results_file, "w", encoding="utf-8") as f:
        json.dump({"names": names, "info": info, "elapsed_s": elapsed, "results": results,
                   "args": {"runs": args.runs, "warmup": args.warmup, "jobs": args.jobs,
                            "view": args.view, "threads": args.threads,
                            "rounds": args.rounds}}, f,
                  indent=1)
    os.makedirs(os.path.dirname(doc), exist_ok=True)
    write_chart(results, names, png, info)
    write_doc(results, names, info, args, doc, png, elapsed)
    log(f"wrote {doc} and {png} ({elapsed / 60:.1f} min)")
    bad = [(n, s) for n in names for s, r in results[n]["systems"].items()
           if r.get("check") and not r["check"]["ok"]]
    for n, s in bad:
        log(f"WARNING: {LABEL[s]}'s output on {n} differs from TensorFlow's")


if __name__ == "__main__":
    main()
