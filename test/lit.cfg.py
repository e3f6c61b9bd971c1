# lit configuration of the smc test suite.
import os
import shutil

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "smc"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["models", "Inputs", "CMakeLists.txt", "lit.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.smc_obj_root, "test")

llvm_config.use_default_substitutions()  # FileCheck, not, count, split-file
# smc and smc-opt run from PATH rather than through substitutions, which would also rewrite
# the word "smc" inside arguments such as --compile-to=smc.
llvm_config.with_environment("PATH", config.smc_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    [ToolSubst("llvm-nm", unresolved="fatal"), ToolSubst("llvm-readelf", unresolved="fatal"),
     ToolSubst("llvm-objdump", unresolved="fatal")],
    [config.llvm_tools_dir])

import sys
config.substitutions.append(("%expect-exit", sys.executable + " " +
                             os.path.join(config.smc_src_root, "test", "Inputs", "expect_exit.py")))
config.substitutions.append(("%corrupt", sys.executable + " " +
                             os.path.join(config.smc_src_root, "test", "Inputs", "corrupt.py")))
config.substitutions.append(("%examples", os.path.join(config.smc_src_root, "examples")))
config.substitutions.append(("%smc-bin", os.path.join(config.smc_tools_dir, "smc")))
config.substitutions.append(("%models", config.smc_models_dir))
config.substitutions.insert(0, ("%tfpython", config.smc_python))
config.substitutions.append(("%src", config.smc_src_root))
# The build directory, e.g. for -Dsmc_DIR=%smc-build/lib/cmake/smc (test/e2e/cmake-package.test).
config.substitutions.append(("%smc-build", config.smc_obj_root))
config.substitutions.append(("%unittests", os.path.join(config.smc_obj_root, "test", "unittests")))
if config.smc_python:
    config.substitutions.append(("%saved_model_cli",
                                 os.path.join(os.path.dirname(config.smc_python), "saved_model_cli")))
if config.smc_tf_tests:
    config.available_features.add("tensorflow")
# Under AddressSanitizer (make test SANITIZE=1) smc runs about three times slower: the hang
# limits of the hostile-input tests (`timeout N`) stretch as much. What they catch (a hang,
# exponential work) does not finish in three times the time either.
if getattr(config, "smc_sanitize", 0):
    config.available_features.add("sanitizer")
    for n in (120, 20, 10):
        config.substitutions.append((f"timeout {n} ", f"timeout {3 * n} "))
# The bare-metal toolchain and board emulator of the firmware tests (scripts/setup-deps.sh
# installs both).
if shutil.which("arm-none-eabi-gcc") and shutil.which("qemu-system-arm"):
    config.available_features.add("arm-firmware")
if shutil.which("riscv64-unknown-elf-gcc") and shutil.which("qemu-system-riscv32"):
    config.available_features.add("riscv-firmware")
# TensorFlow's start-up chatter goes to stderr; keep it quiet.
config.environment["TF_CPP_MIN_LOG_LEVEL"] = "3"
