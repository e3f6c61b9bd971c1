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
// thread runs tasks too. Each thread starts on a contiguous share of the tasks, the same
// share of every call (thread t of T: tasks t*n/T .. (t+1)*n/T - 1, in order), and when its
// share is done takes tasks from the end of the others': consecutive layers split alike (rows
// of one image) then find most of their input in the cache of the core that wrote it, which
// a shared counter handing out tasks in turn (row 0 here, row 1 there) defeats. Workers spin
// for a while after their last task (a model's layers come one right after the other), then
// sleep on a condition variable. No allocation per call. Do not call the pool from inside one
// of its tasks.
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
    shares_ = std::vector<Share>(threads);
    for (unsigned i = 1; i < threads; ++i)
      workers_.emplace_back([this, i] { work(i); });
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
  // A thread's share of the current job: the job's epoch (32 bits) and the share's unclaimed
  // tasks, first (16) .. last (16) exclusive. The owner claims from the front, (e, f, l) ->
  // (e, f + 1, l); the others from the back, (e, f, l) -> (e, f, l - 1); both only while
  // f < l. The epoch in the same word makes a claim on a finished job's share fail even after
  // the caller has rewritten the share for the next job.
  static constexpr size_t kMaxTasks = 0xffff;
  static uint64_t pack(uint32_t epoch, size_t first, size_t last) {
    return static_cast<uint64_t>(epoch) << 32 | static_cast<uint64_t>(first) << 16 | last;
  }
  static uint32_t epochOf(uint64_t s) { return static_cast<uint32_t>(s >> 32); }
  static size_t firstOf(uint64_t s) { return static_cast<size_t>(s >> 16 & 0xffff); }
  static size_t lastOf(uint64_t s) { return static_cast<size_t>(s & 0xffff); }
  struct alignas(64) Share {
    std::atomic<uint64_t> word{0};
  };

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
    // The job's fields and shares first, then the word that publishes them (release).
    task_.store(task, std::memory_order_relaxed);
    ctx_.store(ctx, std::memory_order_relaxed);
    base_.store(base, std::memory_order_relaxed);
    done_.store(0, std::memory_order_relaxed);
    uint32_t epoch = state_.load(std::memory_order_relaxed) + 1;
    size_t count = shares_.size();
    for (size_t t = 0; t < count; ++t)
      shares_[t].word.store(pack(epoch, t * n / count, (t + 1) * n / count),
                            std::memory_order_relaxed);
    state_.store(epoch); // seq_cst: see work()
    if (sleeping_.load() > 0) {
      std::lock_guard<std::mutex> lock(sleep_);
      wake_.notify_all();
    }
    runTasks(epoch, 0);
    while (done_.load(std::memory_order_acquire) < n)
      pause();
  }

  /// Runs tasks of job `epoch` as thread `self`: its own share from the front, then the
  /// others' from the back, until none is left. The fields are read before each claim: a
  /// successful claim shows that the job was not finished then, so the caller had not yet
  /// written the next job's fields over them.
  void runTasks(uint32_t epoch, unsigned self) noexcept {
    size_t count = shares_.size();
    for (size_t k = 0; k < count; ++k) {
      size_t t = (self + k) % count;
      bool own = k == 0;
      std::atomic<uint64_t> &word = shares_[t].word;
      uint64_t s = word.load(std::memory_order_acquire);
      for (;;) {
        size_t first = firstOf(s), last = lastOf(s);
        if (epochOf(s) != epoch || first >= last)
          break;
        smc_task_fn task = task_.load(std::memory_order_relaxed);
        void *ctx = ctx_.load(std::memory_order_relaxed);
        size_t base = base_.load(std::memory_order_relaxed);
        uint64_t claimed = own ? pack(epoch, first + 1, last) : pack(epoch, first, last - 1);
        if (word.compare_exchange_weak(s, claimed, std::memory_order_acq_rel,
                                       std::memory_order_acquire)) {
          task(ctx, base + (own ? first : last - 1));
          done_.fetch_add(1, std::memory_order_release);
          s = word.load(std::memory_order_acquire);
        }
      }
    }
  }

  void work(unsigned self) noexcept {
    uint32_t seen = state_.load();
    for (;;) {
      auto current = [this] { return state_.load(); };
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
      runTasks(seen, self);
    }
  }

  smc_parallel hook_{};
  std::chrono::microseconds spin_;
  std::vector<std::thread> workers_;
  std::mutex callers_; // one job at a time

  // The current job: its epoch, each thread's share (pack()) and its fields.
  std::atomic<uint32_t> state_{0};
  std::vector<Share> shares_; // one per thread, the caller's first
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
