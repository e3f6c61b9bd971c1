//===- smc/thread_pool.h - A parallel_for for the _parallel entry points --===//
//
// Header-only C++17 (std::thread, no other dependency): a pool of worker threads that
// implements struct smc_parallel (smc/runtime.h) for the `<symbol>_parallel` entry points of
// objects smc compiled for a target with threads. Apps that already have a scheduler (OpenMP,
// Grand Central Dispatch, an RTOS, their own pool) implement the hook with it instead:
// docs/header-abi.md shows how.
//
//   smc::ThreadPool pool(4);                            // 4 threads: the caller and 3 workers
//   model::serving_default(x, y, arena.data(), pool.hook());
//
// One call at a time runs its tasks on the pool; concurrent callers take turns. The calling
// thread runs tasks too. Workers spin for a while after their last task (a model's layers come
// one right after the other), then sleep on a condition variable. No allocation per call.
// Do not call the pool from inside one of its tasks.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_THREAD_POOL_H
#define SMC_THREAD_POOL_H

#include <smc/runtime.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
#include <immintrin.h>
#endif

namespace smc {

class ThreadPool {
public:
  /// A pool of `threads` threads in all, the calling thread included (so threads - 1 workers);
  /// 0 means one per hardware thread. Idle workers spin for `spin` before they sleep.
  explicit ThreadPool(unsigned threads = 0,
                      std::chrono::microseconds spin = std::chrono::microseconds(200))
      : spin_(spin) {
    if (threads == 0)
      threads = std::thread::hardware_concurrency();
    hook_.parallel_for = &ThreadPool::entry;
    hook_.user = this;
    for (unsigned i = 1; i < threads; ++i)
      workers_.emplace_back([this] { work(); });
  }

  ~ThreadPool() {
    {
      std::lock_guard<std::mutex> lock(sleep_);
      stop_.store(true);
    }
    wake_.notify_all();
    for (std::thread &t : workers_)
      t.join();
  }

  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  /// What a `_parallel` entry point takes; valid as long as the pool.
  const smc_parallel *hook() const noexcept { return &hook_; }

  /// The threads that run tasks, the caller's included.
  unsigned threads() const noexcept { return static_cast<unsigned>(workers_.size()) + 1; }

  /// Calls task(ctx, i) for every i < n on the workers and the calling thread; returns when
  /// all have returned.
  void parallelFor(size_t n, smc_task_fn task, void *ctx) noexcept {
    if (n == 0)
      return;
    if (workers_.empty() || n == 1 || n > kMaxTasks) {
      for (size_t i = 0; i < n; ++i)
        task(ctx, i);
      return;
    }
    std::lock_guard<std::mutex> turn(callers_);
    // The job's fields first, then the epoch that publishes them (release).
    task_.store(task, std::memory_order_relaxed);
    ctx_.store(ctx, std::memory_order_relaxed);
    n_.store(n, std::memory_order_relaxed);
    done_.store(0, std::memory_order_relaxed);
    uint32_t epoch = static_cast<uint32_t>(state_.load(std::memory_order_relaxed) >> 32) + 1;
    state_.store(static_cast<uint64_t>(epoch) << 32); // seq_cst: see work()
    if (sleeping_.load() > 0) {
      std::lock_guard<std::mutex> lock(sleep_);
      wake_.notify_all();
    }
    runTasks(epoch);
    while (done_.load(std::memory_order_acquire) < n)
      pause();
  }

private:
  static constexpr size_t kMaxTasks = 0xffffffffu; // task indices share a word with the epoch

  static void entry(void *user, size_t n, smc_task_fn task, void *ctx) {
    static_cast<ThreadPool *>(user)->parallelFor(n, task, ctx);
  }

  static void pause() noexcept {
#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
    _mm_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield");
#else
    std::this_thread::yield();
#endif
  }

  /// Claims and runs tasks of job `epoch` until none is left. A task is claimed by moving the
  /// state word from (epoch, i) to (epoch, i + 1): a thread that read the fields of a job that
  /// has since ended cannot claim anything with them, because the job's epoch is gone.
  void runTasks(uint32_t epoch) noexcept {
    uint64_t s = state_.load(std::memory_order_acquire);
    for (;;) {
      if (static_cast<uint32_t>(s >> 32) != epoch)
        return;
      size_t n = n_.load(std::memory_order_relaxed);
      size_t i = static_cast<uint32_t>(s);
      if (i >= n)
        return;
      smc_task_fn task = task_.load(std::memory_order_relaxed);
      void *ctx = ctx_.load(std::memory_order_relaxed);
      if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel,
                                       std::memory_order_acquire)) {
        task(ctx, i);
        done_.fetch_add(1, std::memory_order_release);
      }
    }
  }

  void work() noexcept {
    uint32_t seen = static_cast<uint32_t>(state_.load() >> 32);
    for (;;) {
      auto epochOf = [this] { return static_cast<uint32_t>(state_.load() >> 32); };
      auto until = std::chrono::steady_clock::now() + spin_;
      for (unsigned spins = 0; epochOf() == seen; ++spins) {
        if (stop_.load(std::memory_order_relaxed))
          return;
        pause();
        if ((spins & 255) != 255 || std::chrono::steady_clock::now() < until)
          continue;
        // Sleep. A caller publishes the epoch, then reads sleeping_; this thread counts
        // itself in sleeping_, then reads the epoch (all seq_cst): one of them sees the other.
        std::unique_lock<std::mutex> lock(sleep_);
        sleeping_.fetch_add(1);
        wake_.wait(lock, [&] { return stop_.load() || epochOf() != seen; });
        sleeping_.fetch_sub(1);
        until = std::chrono::steady_clock::now() + spin_;
      }
      if (stop_.load())
        return;
      seen = epochOf();
      runTasks(seen);
    }
  }

  smc_parallel hook_{};
  std::chrono::microseconds spin_;
  std::vector<std::thread> workers_;
  std::mutex callers_; // one job at a time

  // The current job: (epoch << 32) | the next unclaimed task, and its fields.
  std::atomic<uint64_t> state_{0};
  std::atomic<smc_task_fn> task_{nullptr};
  std::atomic<void *> ctx_{nullptr};
  std::atomic<size_t> n_{0};
  std::atomic<size_t> done_{0};

  std::mutex sleep_;
  std::condition_variable wake_;
  std::atomic<unsigned> sleeping_{0};
  std::atomic<bool> stop_{false};
};

} // namespace smc

#endif // SMC_THREAD_POOL_H
