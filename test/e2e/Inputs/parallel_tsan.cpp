// Under ThreadSanitizer: smc::ThreadPool on its own (tasks writing their own slots, the caller
// reading them all after parallelFor returns), then the digits CNN's `_parallel` entry point,
// compiled with `smc compile --sanitize=thread` so that the generated tasks' loads and stores
// are checked too, on pools of 2, 3 and 8 threads against the serial call, byte for byte.
#include "cnn.h"

#include <smc/thread_pool.h>

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

} // namespace

int main() {
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
