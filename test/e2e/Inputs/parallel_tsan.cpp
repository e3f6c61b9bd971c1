// Under ThreadSanitizer: smc::ThreadPool on its own (tasks writing their own slots, the caller
// reading them all after parallelFor returns), then the digits CNN's `_parallel` entry point,
// compiled with `smc compile --sanitize=thread` so that the generated tasks' loads and stores
// are checked too, on pools of 2, 3 and 8 threads against the serial call, byte for byte.
#include "cnn.h"

#include <smc/thread_pool.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <vector>

namespace {

int failures = 0;

void check(bool ok, const char *what, unsigned threads) {
  if (!ok) {
    std::printf("FAIL %s (%u threads)\n", what, threads);
    ++failures;
  }
}

struct Slots {
  std::vector<long> values;
  long scale;
};

void fill(void *ctx, size_t i) {
  auto *s = static_cast<Slots *>(ctx);
  s->values[i] = static_cast<long>(i) * s->scale;
}

/// What the generated code does: one frame of arguments, rewritten by the caller before each
/// job, read by every task. (A pool that let a task of one job run into the next was caught
/// by this: the task read the frame while the caller wrote the next job's arguments.)
struct Frame {
  long base;
  long *out;
};

void fromFrame(void *ctx, size_t i) {
  auto *f = static_cast<Frame *>(ctx);
  f->out[i] = f->base + static_cast<long>(i);
}

/// Each task's run count: every task must run exactly once (the threads take contiguous shares
/// and then take from the ends of each other's).
struct Counts {
  std::vector<std::atomic<int>> runs;
};

void count(void *ctx, size_t i) {
  static_cast<Counts *>(ctx)->runs[i].fetch_add(1, std::memory_order_relaxed);
}

} // namespace

int main() {
  {
    smc::ThreadPool pool(3);
    std::vector<long> out(70000);
    Frame frame{0, out.data()};
    long wrong = 0;
    for (long round = 0; round < 20000; ++round) {
      size_t n = 2 + static_cast<size_t>(round % 13);
      frame.base = round * 100;
      pool.hook()->parallel_for(pool.hook()->user, n, fromFrame, &frame);
      for (size_t i = 0; i < n; ++i)
        wrong += out[i] != round * 100 + static_cast<long>(i);
    }
    // More tasks than one job holds (65535): run as jobs one after the other.
    frame.base = 7;
    pool.hook()->parallel_for(pool.hook()->user, out.size(), fromFrame, &frame);
    for (size_t i = 0; i < out.size(); ++i)
      wrong += out[i] != 7 + static_cast<long>(i);
    check(wrong == 0, "frame rewritten between jobs", 3);
  }

  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    smc::ThreadPool pool(threads, std::chrono::microseconds(threads == 3 ? 0 : 200));
    for (size_t n : {1u, 2u, 3u, 7u, 64u, 1000u}) {
      for (long round = 1; round <= 20; ++round) {
        Slots s{std::vector<long>(n, -1), round};
        pool.hook()->parallel_for(pool.hook()->user, n, fill, &s);
        long sum = 0;
        for (long v : s.values)
          sum += v;
        check(sum == round * static_cast<long>(n * (n - 1) / 2), "pool sums", threads);
        Counts c{std::vector<std::atomic<int>>(n)};
        pool.hook()->parallel_for(pool.hook()->user, n, count, &c);
        bool once = true;
        for (const std::atomic<int> &r : c.runs)
          once = once && r.load() == 1;
        check(once, "every task once", threads);
      }
    }
  }

  static float x[CNN_SERVING_DEFAULT_PIXELS_SIZE];
  static float serial[CNN_SERVING_DEFAULT_PROBABILITIES_SIZE], y[CNN_SERVING_DEFAULT_PROBABILITIES_SIZE];
  for (size_t i = 0; i < CNN_SERVING_DEFAULT_PIXELS_SIZE; ++i)
    x[i] = static_cast<float>((i * 2654435761u) % 1000) / 1000.0f;
  std::vector<unsigned char> arena(CNN_SERVING_DEFAULT_ARENA_SIZE + 64);
  void *a = arena.data() + (64 - reinterpret_cast<uintptr_t>(arena.data()) % 64) % 64;
  cnn_serving_default(x, serial, a);
  for (unsigned threads : {2u, 3u, 8u}) {
    smc::ThreadPool pool(threads);
    for (int round = 0; round < 3; ++round) {
      std::memset(y, 0, sizeof y);
      cnn_serving_default_parallel(x, y, a, pool.hook());
      check(std::memcmp(y, serial, sizeof y) == 0, "model output", threads);
    }
  }
  std::printf("tsan: %d failures\n", failures);
  return failures ? 1 : 0;
}
