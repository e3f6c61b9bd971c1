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
    if (workers_.empty() || n == 1) {
      for (size_t i = 0; i < n; ++i)
        task(ctx, i);
      return;
    }
    std::lock_guard<std::mutex> turn(callers_);
    for (size_t base = 0; base < n; base += kMaxTasks)
      runJob(base, n - base < kMaxTasks ? n - base : kMaxTasks, task, ctx);
  }

private:
  // The state word: the job's epoch (32 bits), its task count (16) and the next unclaimed task
  // (16). A claim moves (epoch, n, i) to (epoch, n, i + 1) for i < n: it needs the count of the
  // same job, in the same word. (With the count in a field of its own, a thread that found a
  // finished job's word could read the next job's larger count before that job was published,
  // claim a task with it, and run it twice.)
  static constexpr size_t kMaxTasks = 0xffff;
  static uint64_t pack(uint32_t epoch, size_t n, size_t next) {
    return static_cast<uint64_t>(epoch) << 32 | static_cast<uint64_t>(n) << 16 | next;
  }
  static uint32_t epochOf(uint64_t s) { return static_cast<uint32_t>(s >> 32); }

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

  /// Runs tasks base .. base + n - 1 (n <= kMaxTasks) on the workers and this thread.
  void runJob(size_t base, size_t n, smc_task_fn task, void *ctx) noexcept {
    // The job's fields first, then the word that publishes them (release).
    task_.store(task, std::memory_order_relaxed);
    ctx_.store(ctx, std::memory_order_relaxed);
    base_.store(base, std::memory_order_relaxed);
    done_.store(0, std::memory_order_relaxed);
    uint32_t epoch = epochOf(state_.load(std::memory_order_relaxed)) + 1;
    state_.store(pack(epoch, n, 0)); // seq_cst: see work()
    if (sleeping_.load() > 0) {
      std::lock_guard<std::mutex> lock(sleep_);
      wake_.notify_all();
    }
    runTasks(epoch);
    while (done_.load(std::memory_order_acquire) < n)
      pause();
  }

  /// Claims and runs tasks of job `epoch` until none is left. The fields are read before the
  /// claim: a successful claim shows that the job was not finished then, so the caller had not
  /// yet written the next job's fields over them.
  void runTasks(uint32_t epoch) noexcept {
    uint64_t s = state_.load(std::memory_order_acquire);
    for (;;) {
      size_t n = static_cast<size_t>(s >> 16 & 0xffff), i = static_cast<size_t>(s & 0xffff);
      if (epochOf(s) != epoch || i >= n)
        return;
      smc_task_fn task = task_.load(std::memory_order_relaxed);
      void *ctx = ctx_.load(std::memory_order_relaxed);
      size_t base = base_.load(std::memory_order_relaxed);
      if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel,
                                       std::memory_order_acquire)) {
        task(ctx, base + i);
        done_.fetch_add(1, std::memory_order_release);
        s = state_.load(std::memory_order_acquire);
      }
    }
  }

  void work() noexcept {
    uint32_t seen = epochOf(state_.load());
    for (;;) {
      auto current = [this] { return epochOf(state_.load()); };
      auto until = std::chrono::steady_clock::now() + spin_;
      for (unsigned spins = 0; current() == seen; ++spins) {
        if (stop_.load(std::memory_order_relaxed))
          return;
        pause();
        if ((spins & 255) != 255 || std::chrono::steady_clock::now() < until)
          continue;
        // Sleep. A caller publishes the epoch, then reads sleeping_; this thread counts
        // itself in sleeping_, then reads the epoch (all seq_cst): one of them sees the other.
        std::unique_lock<std::mutex> lock(sleep_);
        sleeping_.fetch_add(1);
        wake_.wait(lock, [&] { return stop_.load() || current() != seen; });
        sleeping_.fetch_sub(1);
        until = std::chrono::steady_clock::now() + spin_;
      }
      if (stop_.load())
        return;
      seen = current();
      runTasks(seen);
    }
  }

  smc_parallel hook_{};
  std::chrono::microseconds spin_;
  std::vector<std::thread> workers_;
  std::mutex callers_; // one job at a time

  // The current job: its state word (pack()) and its fields.
  std::atomic<uint64_t> state_{0};
  std::atomic<smc_task_fn> task_{nullptr};
  std::atomic<void *> ctx_{nullptr};
  std::atomic<size_t> base_{0};
  std::atomic<size_t> done_{0};

  std::mutex sleep_;
  std::condition_variable wake_;
  std::atomic<unsigned> sleeping_{0};
  std::atomic<bool> stop_{false};
};

} // namespace smc

#endif // SMC_THREAD_POOL_H
