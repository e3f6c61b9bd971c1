// Where a `_parallel` entry point's time goes: every parallel_for call timed, at 1 and N threads.
//
// usage: task_profile INPUT.npy RUNS THREADS
//
// Built by bench/task_profile.sh with the same definitions as bench/smc_harness.cpp. Calls the
// model's `_parallel` entry point through a hook that times each parallel_for of an
// smc::ThreadPool, first with a pool of 1 thread (each layer's serial time), then of THREADS,
// RUNS calls each after 5 untimed ones. Prints the wall time per call at 1 and N threads, the
// time inside and outside parallel_for, and one line per task function (a layer's kernel) and
// task count: its time at 1 and at N threads, the speed-up and the time lost against a perfect
// split (t_N - t_1 / N), the layers losing most first. The script names the functions.
#include "harness_io.h"
#include "npy_io.h"

#include <smc/thread_pool.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace io = bench_io::io;
using bench_io::kInSize;
using bench_io::kOutSize;
using Clock = std::chrono::steady_clock;

/// The hook around a pool's: the time of each call, per task function and task count.
struct Recorder {
  const smc_parallel *pool;
  std::map<std::pair<void *, std::size_t>, double> micros;
  double total = 0;
  long calls = 0;
};

void record(void *user, std::size_t n, smc_task_fn task, void *ctx) {
  auto *r = static_cast<Recorder *>(user);
  auto start = Clock::now();
  r->pool->parallel_for(r->pool->user, n, task, ctx);
  double d = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  r->micros[{reinterpret_cast<void *>(task), n}] += d;
  r->total += d;
  ++r->calls;
}

void *alignedBuffer(std::size_t bytes) {
  void *p = std::aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
  if (!p)
    npy::fail("out of memory");
  return p;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 4)
    npy::fail("usage: task_profile INPUT.npy RUNS THREADS");
  npy::Array input = npy::read(argv[1]);
  if (input.descr != "<f4" || input.bytes.size() != kInSize * sizeof(float))
    npy::fail(std::string(argv[1]) + ": not the compiled input's float32 shape");
  int runs = std::atoi(argv[2]);
  int threads = std::atoi(argv[3]);
  if (runs < 1 || threads < 1)
    npy::fail("RUNS and THREADS must be at least 1");
  auto *x = static_cast<float *>(alignedBuffer(kInSize * sizeof(float)));
  std::memcpy(x, input.data(), kInSize * sizeof(float));
  auto *y = static_cast<float *>(alignedBuffer(kOutSize * sizeof(float)));
  void *arena = alignedBuffer(io::arena_size);

  Recorder recorders[2];
  double wall[2];
  for (int v = 0; v < 2; ++v) {
    smc::ThreadPool pool(v == 0 ? 1u : static_cast<unsigned>(threads));
    Recorder &r = recorders[v];
    r.pool = pool.hook();
    smc_parallel hook{&record, &r};
    for (int i = 0; i < 5; ++i)
      SMC_BENCH_CAT(SMC_BENCH_NS, _serving_default_parallel)(x, y, arena, &hook);
    r.micros.clear();
    r.total = 0;
    r.calls = 0;
    auto start = Clock::now();
    for (int i = 0; i < runs; ++i)
      SMC_BENCH_CAT(SMC_BENCH_NS, _serving_default_parallel)(x, y, arena, &hook);
    wall[v] = std::chrono::duration<double, std::micro>(Clock::now() - start).count() / runs;
  }

  std::printf("per call: 1 thread %.0f us, %d threads %.0f us (speed-up %.2f)\n", wall[0], threads,
              wall[1], wall[0] / wall[1]);
  for (int v = 0; v < 2; ++v)
    std::printf("  %d thread(s): %.0f us in %ld parallel_for calls, %.0f us outside\n",
                v ? threads : 1, recorders[v].total / runs, recorders[v].calls / runs,
                wall[v] - recorders[v].total / runs);
  struct Row {
    void *task;
    std::size_t n;
    double t1, tn;
  };
  std::vector<Row> rows;
  for (const auto &[key, t1] : recorders[0].micros)
    rows.push_back({key.first, key.second, t1 / runs, recorders[1].micros[key] / runs});
  std::sort(rows.begin(), rows.end(), [&](const Row &a, const Row &b) {
    return a.tn - a.t1 / threads > b.tn - b.t1 / threads;
  });
  std::printf("%-18s %6s %10s %10s %8s %10s\n", "task", "tasks", "1 (us)", "N (us)", "speed-up",
              "lost (us)");
  for (const Row &r : rows)
    std::printf("%-18p %6zu %10.1f %10.1f %8.2f %10.1f\n", r.task, r.n, r.t1, r.tn, r.t1 / r.tn,
                r.tn - r.t1 / threads);
  std::free(x);
  std::free(y);
  std::free(arena);
  return 0;
}
