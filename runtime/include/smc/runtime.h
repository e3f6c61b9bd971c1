/*===- smc/runtime.h - What every smc-generated model header shares -------===*
 *
 * The headers `smc compile` writes include this file and nothing else of smc's. It is tiny and
 * dependency-free: valid C99 (and later) and C++17 (and later), including only <stddef.h> and
 * <stdint.h> (<cstddef> and <cstdint> in C++). It must never include LLVM, MLIR, protobuf or
 * abseil headers; a test checks that.
 *
 * Names: every macro here starts with SMC_, every C++ name lives in namespace smc. A generated
 * header never uses an identifier that starts with SMC_ for its own names (see docs/header-abi.md).
 *
 *===----------------------------------------------------------------------===*/
#ifndef SMC_RUNTIME_H
#define SMC_RUNTIME_H

/* The version of this file; raised when something is added. */
#define SMC_RUNTIME_VERSION 2

/* The calling convention of the generated functions (argument order, buffer layout, arena
 * rules). A generated header refuses to compile against a runtime.h of another ABI version.
 * 2: the `<symbol>_parallel` entry points and struct smc_parallel. */
#define SMC_ABI_VERSION 2

/* Every arena passed to a generated function must be aligned to this many bytes. */
#define SMC_ARENA_ALIGNMENT 64

#ifdef __cplusplus
#include <cstddef>
#include <cstdint>
#endif
#include <stddef.h>
#include <stdint.h>

/* SMC_ALIGNAS(n): put first in a declaration to align the declared object to n bytes:
 *   SMC_ALIGNAS(SMC_ARENA_ALIGNMENT) static unsigned char arena[...];
 * Left undefined for a C compiler that offers no way to do it (C99 without GNU or MSVC
 * extensions); align the arena by other means there. */
#if defined(__cplusplus)
#define SMC_ALIGNAS(n) alignas(n)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define SMC_ALIGNAS(n) _Alignas(n)
#elif defined(__GNUC__) || defined(__clang__)
#define SMC_ALIGNAS(n) __attribute__((aligned(n)))
#elif defined(_MSC_VER)
#define SMC_ALIGNAS(n) __declspec(align(n))
#endif

/* SMC_RESTRICT: C99 `restrict` where the language has it. The generated declarations mark every
 * buffer with it: no two buffers passed to one call (inputs, outputs, arena) may overlap. */
#if defined(__cplusplus) || !defined(__STDC_VERSION__) || __STDC_VERSION__ < 199901L
#if defined(__GNUC__) || defined(__clang__) || defined(_MSC_VER)
#define SMC_RESTRICT __restrict
#else
#define SMC_RESTRICT
#endif
#else
#define SMC_RESTRICT restrict
#endif

/* SMC_ARENA_ARRAY_SIZE(bytes): the length of an unsigned char array that can serve as an arena
 * of `bytes` bytes. Never 0, because C has no empty arrays (an arena of 0 bytes may also be a
 * null pointer). */
#define SMC_ARENA_ARRAY_SIZE(bytes) ((bytes) > 0 ? (bytes) : 1)

/* SMC_ARENA_IS_ALIGNED(p): nonzero when the pointer p is aligned enough to be an arena. */
#define SMC_ARENA_IS_ALIGNED(p) (((uintptr_t)(const void *)(p) % SMC_ARENA_ALIGNMENT) == 0)

/* How a `<symbol>_parallel` entry point runs work on several cores. The object never creates
 * threads: it hands independent tasks to `parallel_for`, which the caller implements (a thread
 * pool: smc/thread_pool.h, OpenMP, Grand Central Dispatch, an RTOS; docs/header-abi.md).
 *
 * parallel_for(user, n, task, ctx) must call task(ctx, i) exactly once for every i < n, in any
 * order and on any threads (the calling thread included), and return only when all n calls
 * have returned. The tasks write disjoint memory, so they need no locks; the results are
 * bit-identical to the serial call for any number of threads and any order. A null
 * `const smc_parallel *` (or a null parallel_for) runs everything on the calling thread. */
typedef void (*smc_task_fn)(void *ctx, size_t task);
typedef struct smc_parallel {
  void (*parallel_for)(void *user, size_t n, smc_task_fn task, void *ctx);
  void *user; /* passed back as parallel_for's first argument */
} smc_parallel;

/* The element types of the generated functions assume these sizes (see docs/header-abi.md). */
#if defined(__cplusplus)
static_assert(sizeof(float) == 4, "smc: float must be IEEE-754 binary32");
static_assert(sizeof(bool) == 1, "smc: bool must be one byte (DT_BOOL buffers hold 0 or 1)");
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(float) == 4, "smc: float must be IEEE-754 binary32");
#endif

#ifdef __cplusplus
namespace smc {

/// The alignment every arena needs, in bytes.
inline constexpr std::size_t kArenaAlignment = SMC_ARENA_ALIGNMENT;

/// The ABI version of the generated functions (SMC_ABI_VERSION).
inline constexpr int kAbiVersion = SMC_ABI_VERSION;

/// Storage for an arena of N bytes, suitably aligned. Use one per concurrent caller:
///   static smc::Arena<model::kArenaSize> arena;   // or a member, or on the stack if it fits
///   model::serving_default(x, y, arena.data());
template <std::size_t N> struct Arena {
  alignas(kArenaAlignment) unsigned char bytes[N > 0 ? N : 1];

  /// The arena size in bytes (N; the storage has at least one byte).
  static constexpr std::size_t size() noexcept { return N; }
  void *data() noexcept { return bytes; }
};

/// True when p is aligned enough to be an arena.
inline bool isArenaAligned(const void *p) noexcept {
  return reinterpret_cast<std::uintptr_t>(p) % kArenaAlignment == 0;
}

} // namespace smc
#endif

#endif /* SMC_RUNTIME_H */
