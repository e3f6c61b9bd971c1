// The smc side of the benchmark: times one compiled model's serving_default function.
//
// usage: bench_NAME INPUT.npy OUTPUT.npy RUNS WARMUP [THREADS]
//
// Built once per model by the CMake project that bench/run.py writes (smc_add_model, as a user's
// project would), with these definitions:
//   SMC_BENCH_HEADER  the generated header, e.g. "mobilenet_model.h"
//   SMC_BENCH_NS      the model's namespace (C symbol prefix), e.g. mobilenet
//   SMC_BENCH_IN      the identifier of the signature's only input key, e.g. image
//   SMC_BENCH_OUT     the identifier of its only output key, e.g. predictions
// Reads the input, copies it (and allocates the output and the arena) 64-byte aligned, makes
// WARMUP untimed calls, then RUNS calls each timed with std::chrono::steady_clock, writes the last
// output and prints one JSON object: {"times_ns": [...], "arena_bytes": N}. THREADS (default 1)
// above 1 calls the `_parallel` entry point with a smc::ThreadPool of that many threads (the
// caller included); 1 calls the serial function, as an app without threads would.
#include "harness_io.h"
#include "npy_io.h"

#include <smc/thread_pool.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

namespace io = bench_io::io;
using bench_io::kInSize;
using bench_io::kOutSize;
const auto &kOutShape = io::SMC_BENCH_CAT(SMC_BENCH_OUT, _shape);

void *alignedBuffer(std::size_t bytes) {
  std::size_t rounded = (bytes + 63) / 64 * 64;
  void *p = std::aligned_alloc(64, rounded > 0 ? rounded : 64);
  if (!p)
    npy::fail("out of memory");
  return p;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 5 && argc != 6)
    npy::fail("usage: bench_NAME INPUT.npy OUTPUT.npy RUNS WARMUP [THREADS]");
  int threads = argc == 6 ? std::atoi(argv[5]) : 1;
  if (threads < 1)
    npy::fail("THREADS must be at least 1");
  npy::Array input = npy::read(argv[1]);
  if (input.descr != "<f4" || input.bytes.size() != kInSize * sizeof(float))
    npy::fail(std::string(argv[1]) + ": not the compiled input's float32 shape");
  int runs = std::atoi(argv[3]), warmup = std::atoi(argv[4]);

  auto *x = static_cast<float *>(alignedBuffer(kInSize * sizeof(float)));
  std::memcpy(x, input.data(), kInSize * sizeof(float));
  auto *y = static_cast<float *>(alignedBuffer(kOutSize * sizeof(float)));
  void *arena = alignedBuffer(io::arena_size);

  smc::ThreadPool pool(static_cast<unsigned>(threads));
  std::vector<long long> times;
  times.reserve(runs);
  for (int i = 0; i < warmup + runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    if (threads > 1)
      SMC_BENCH_CAT(SMC_BENCH_NS, _serving_default_parallel)(x, y, arena, pool.hook());
    else
      SMC_BENCH_CAT(SMC_BENCH_NS, _serving_default)(x, y, arena);
    auto end = std::chrono::steady_clock::now();
    if (i >= warmup)
      times.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count());
  }

  npy::Array output = npy::like(
      "<f4", std::vector<int64_t>(std::begin(kOutShape), std::end(kOutShape)), sizeof(float));
  std::memcpy(output.data(), y, kOutSize * sizeof(float));
  npy::write(argv[2], output);

  std::printf("{\"times_ns\": [");
  for (std::size_t i = 0; i < times.size(); ++i)
    std::printf("%s%lld", i ? ", " : "", times[i]);
  std::printf("], \"arena_bytes\": %zu}\n", static_cast<std::size_t>(io::arena_size));
  std::free(x);
  std::free(y);
  std::free(arena);
  return 0;
}
