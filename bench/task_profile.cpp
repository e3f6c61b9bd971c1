// Where a `_parallel` entry point's time goes: every parallel_for call timed, at 1 and N threads.
//
// usage: task_profile INPUT.npy RUNS THREADS
//
// Built by bench/task_profile.sh with the same definitions as bench/smc_harness.cpp. Calls the
// model's `_parallel` entry point through a hook that times each parallel_for of an
// smc::ThreadPool, first with a pool of 1 thread (each layer's serial time), then of THREADS,
// RUNS calls each after 5 untimed ones. Prints the wall time per call at 1 and N threads, the
// time inside and outside parallel_for, and one line per task function (a layer's kernel) and
// task count: its time at 1 and at N threads, the speed-up, the time lost against a perfect
// split (t_N - t_1 / N), and at N threads the time spent inside its tasks by all threads
// together (work: above t_1, the tasks themselves ran slower, e.g. on data in another core's
// cache) and by the busiest thread (busiest: well below t_N, threads waited for tasks or for
// each other), the layers losing most first. The script names the functions.
//
// With HOT=1 in the environment each parallel_for runs once untimed right before it is timed:
// the layer then finds its data where it left it, and the difference from a run without HOT is
// what the layer pays for the state the layers before it left the caches in.
#include "harness_io.h"
#include "npy_io.h"

#include <smc/thread_pool.h>

#include <algorithm>
#include <atomic>
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

constexpr int kMaxThreads = 64;

/// Per task function and task count: the time of its calls, of its tasks on all threads and on
/// the busiest thread of each call.
struct Times {
  double wall = 0, work = 0, busiest = 0;
};

/// The hook around a pool's.
struct Recorder {
  const smc_parallel *pool;
  std::map<std::pair<void *, std::size_t>, Times> times;
  double total = 0;
  long calls = 0;
};

/// The threads in the order they first ran a task (0 is the caller's, which runs first).
std::atomic<int> threadsSeen{0};
thread_local int threadIndex = -1;

/// Time in tasks of one thread (a cache line each: threads do not share it).
struct alignas(64) Busy {
  double micros = 0;
};

/// One call's tasks, each timed on the thread that runs it (its own Busy; the caller reads them
/// after parallel_for has returned).
struct Call {
  smc_task_fn task;
  void *ctx;
  Busy busy[kMaxThreads];
};

void timedTask(void *user, std::size_t i) {
  auto *call = static_cast<Call *>(user);
  if (threadIndex < 0)
    threadIndex = threadsSeen++ % kMaxThreads;
  auto start = Clock::now();
  call->task(call->ctx, i);
  double d = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  call->busy[threadIndex].micros += d;
}

void record(void *user, std::size_t n, smc_task_fn task, void *ctx) {
  auto *r = static_cast<Recorder *>(user);
  static const bool hot = std::getenv("HOT") != nullptr;
  if (hot)
    r->pool->parallel_for(r->pool->user, n, task, ctx);
  Call call{task, ctx, {}};
  auto start = Clock::now();
  r->pool->parallel_for(r->pool->user, n, &timedTask, &call);
  double d = std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  Times &t = r->times[{reinterpret_cast<void *>(task), n}];
  t.wall += d;
  double busiest = 0;
  for (const Busy &b : call.busy) {
    t.work += b.micros;
    busiest = std::max(busiest, b.micros);
  }
  t.busiest += busiest;
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
  if (runs < 1 || threads < 1 || threads > kMaxThreads)
    npy::fail("RUNS must be at least 1, THREADS from 1 to " + std::to_string(kMaxThreads));
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
    r.times.clear();
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
    double t1, tn, work, busiest;
  };
  std::vector<Row> rows;
  for (const auto &[key, t1] : recorders[0].times) {
    const Times &tn = recorders[1].times[key];
    rows.push_back({key.first, key.second, t1.wall / runs, tn.wall / runs, tn.work / runs,
                    tn.busiest / runs});
  }
  std::sort(rows.begin(), rows.end(), [&](const Row &a, const Row &b) {
    return a.tn - a.t1 / threads > b.tn - b.t1 / threads;
  });
  std::printf("%-18s %6s %10s %10s %8s %10s %10s %10s\n", "task", "tasks", "1 (us)", "N (us)",
              "speed-up", "lost (us)", "work (us)", "busiest");
  for (const Row &r : rows)
    std::printf("%-18p %6zu %10.1f %10.1f %8.2f %10.1f %10.1f %10.1f\n", r.task, r.n, r.t1, r.tn,
                r.t1 / r.tn, r.tn - r.t1 / threads, r.work, r.busiest);
  std::free(x);
  std::free(y);
  std::free(arena);
  return 0;
}
