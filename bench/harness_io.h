// The compiled model's serving_default I/O, for bench/smc_harness.cpp and bench/task_profile.cpp:
// built with SMC_BENCH_HEADER, SMC_BENCH_NS, SMC_BENCH_IN and SMC_BENCH_OUT defined (see there).
#ifndef SMC_BENCH_HARNESS_IO_H
#define SMC_BENCH_HARNESS_IO_H

#include SMC_BENCH_HEADER

#include <cstddef>

#define SMC_BENCH_CAT2(a, b) a##b
#define SMC_BENCH_CAT(a, b) SMC_BENCH_CAT2(a, b)

namespace bench_io {
namespace io = SMC_BENCH_NS::serving_default_io;
constexpr std::size_t kInSize = io::SMC_BENCH_CAT(SMC_BENCH_IN, _size);
constexpr std::size_t kOutSize = io::SMC_BENCH_CAT(SMC_BENCH_OUT, _size);
} // namespace bench_io

#endif // SMC_BENCH_HARNESS_IO_H
