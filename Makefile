# The README's entry points. Each target installs what it needs and is quick when it is there.
#   make demo   build smc, compile the digits model with it into an app, run the app
#   make test   build everything and run every test (lit + GoogleTest + the TensorFlow tier)
#   make bench  time smc next to TensorFlow, LiteRT, ONNX Runtime, OpenBLAS: docs/benchmarks.md
#   make fuzz   libFuzzer campaigns of the fuzz targets (fuzz/; docs/robustness.md)
# make test SANITIZE=1: the same suite on a build with AddressSanitizer and UndefinedBehaviorSanitizer
# (in build-asan unless BUILD is given); docs/robustness.md.
ifeq ($(SANITIZE),1)
BUILD ?= build-asan
CMAKE_FLAGS += -DSMC_SANITIZE=ON
endif
BUILD ?= build
JOBS ?= 2
CMAKE_FLAGS ?=
BENCH_FLAGS ?=

.PHONY: demo test bench fuzz build deps venv configure clean

deps:
	@scripts/setup-deps.sh

venv: deps
	@scripts/setup-venv.sh >/dev/null

$(BUILD)/build.ninja:
	@$(MAKE) --no-print-directory configure

configure: deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir \
	  -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-19/build/utils/lit/lit.py \
	  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
	  -DLLVM_USE_LINKER=lld \
	  -DSMC_PYTHON=$$(scripts/setup-venv.sh) $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target smc

# The digits demo (examples/digits): a standalone CMake project that finds smc in the build tree,
# compiles the committed Keras CNN (examples/digits/cnn) with smc_add_model and runs the app.
demo: build
	cmake -S examples/digits -B $(BUILD)/digits -G Ninja -Dsmc_DIR=$(abspath $(BUILD))/lib/cmake/smc >/dev/null
	cmake --build $(BUILD)/digits -j $(JOBS)
	$(BUILD)/digits/digits

test: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS) --target check-smc

# The benchmarks (bench/run.py --help): every system on the same inputs, one thread each, in one
# run; writes docs/benchmarks.md + .png. It installs libopenblas-dev and its venv (bench/setup-*).
# A subset, reported in $(BUILD)/bench/: make bench BENCH_FLAGS='--models mobilenet,mlp --runs 30'.
bench: build
	bench/run.py --build $(BUILD) $(BENCH_FLAGS)

# libFuzzer campaigns (scripts/fuzz.sh): clang-19 builds the fuzz targets with libFuzzer, ASan,
# UBSan and coverage in $(FUZZ_BUILD); each runs FUZZ_SECONDS, as many at once as there are cores.
# make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS='npy compile'
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 3600
FUZZ_TARGETS ?= npy input-exprs tensorbundle savedmodel compile
fuzz: deps
	@scripts/setup-deps.sh clang-19 libclang-rt-19-dev
	cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
	  -DMLIR_DIR=/usr/lib/llvm-19/lib/cmake/mlir \
	  -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-19/build/utils/lit/lit.py \
	  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
	  -DLLVM_USE_LINKER=lld -DSMC_ENABLE_TF_TESTS=OFF -DSMC_SANITIZE=ON -DSMC_LIBFUZZER=ON >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target smc-fuzz-targets
	scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf $(BUILD)
