//===- TargetFacts.h - What the pipeline knows about the target -*- C++ -*-===//
//
// The target as the passes see it: facts computed once from the TargetMachine's subtarget
// (its feature bits, never its CPU name, cache sizes aside), so that the pipeline itself needs
// no TargetMachine and `smc-opt --smc-pipeline` can reproduce any target from options.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_PIPELINES_TARGETFACTS_H
#define SMC_PIPELINES_TARGETFACTS_H

#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <cstdint>
#include <string>

namespace smc {

struct TargetFacts {
  /// Width of the widest f32 vector register in bits: 512 (AVX-512), 256 (AVX), 128 (SSE,
  /// NEON, MVE); 0 when there is no vector unit (scalar code only).
  int64_t vectorBits = 0;
  /// Architectural vector registers of that width: 16 on x86-64 up to AVX2, 32 with AVX-512
  /// and on AArch64, 16 for ARM NEON, 8 for MVE and 32-bit x86; 0 without vectors.
  int64_t vectorRegisters = 0;
  /// Hardware floating point.
  bool hasFpu = false;
  /// A fused multiply-add instruction for f32 (else math.fma is expanded to mul + add).
  bool hasFma = false;
  /// Instructions that round f32 to an integral value (floor, ceil, round-to-even: SSE4.1's
  /// roundss, ARMv8's vrint/frint, RISC-V F's conversions): else they are expanded inline, as
  /// LLVM would call libm's floorf.
  bool hasFloor = false;
  unsigned pointerBits = 64;
  /// Width of `index` in the generated code (the pointer width).
  unsigned indexBits = 64;
  /// The target's LLVM data layout string.
  std::string dataLayout;
  /// Per-core data cache sizes in bytes, for the cache tiles of large matmuls: what the
  /// subtarget reports, else the CPU's from a table of known CPUs (znver3: 32 KiB, 512 KiB),
  /// else a default per target family; 0 for none (microcontrollers).
  /// `smc compile` replaces them with this machine's (or --l1-cache/--l2-cache).
  int64_t l1Bytes = 0;
  int64_t l2Bytes = 0;
  /// Multiply-adds take their scalar operand from a lane of a vector register (ARM's fmla by
  /// element) rather than from a broadcast reused by every row (x86's vbroadcastss or embedded
  /// broadcast): a register block then holds one such register per row.
  bool laneOperands = false;
  /// Cycles from one vector multiply-add to the next that reads its result, from the CPU's
  /// scheduling model in LLVM (Haswell 5, Skylake and later 4): a register block holds enough
  /// accumulators to keep the FMA units busy for that long. 4 where the model has none.
  unsigned fmaLatency = 4;
  /// The target runs an operating system (its triple names one), where apps have threads:
  /// the object gets `<symbol>_parallel` entry points that hand independent tasks to a
  /// caller-supplied parallel_for (docs/header-abi.md). Bare-metal targets do not.
  bool threads = false;
};

/// The facts of `tm`'s subtarget, from MCSubtargetInfo::checkFeatures on the architecture's
/// feature names (x86: avx512f/evex512, avx, sse, sse4.1, fma, fma4; AArch64: neon, fp-armv8;
/// ARM: neon, mve.fp, vfp2sp, vfp4d16sp, fp-armv8d16sp, mclass; RISC-V: f).
TargetFacts targetFactsFor(const llvm::TargetMachine &tm);

/// Empty if `facts` are usable by the pipeline, else what is wrong (a user may give them to
/// smc-opt --smc-pipeline).
std::string verifyTargetFacts(const TargetFacts &facts);

/// The facts as `smc-opt --smc-pipeline` options ("vector-bits=256 ... l2-bytes=262144").
std::string pipelineOptionsFor(const TargetFacts &facts);

/// `smc compile --print-target`: one "name: value" line per fact, then the smc-opt options.
void printTargetFacts(const llvm::TargetMachine &tm, const TargetFacts &facts,
                      llvm::raw_ostream &os);

} // namespace smc

#endif // SMC_PIPELINES_TARGETFACTS_H
