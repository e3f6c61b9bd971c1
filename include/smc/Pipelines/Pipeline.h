//===- Pipeline.h - From the smc dialect to an object file -----*- C++ -*-===//
//
// The compiler's phases after import, as a pass pipeline plus LLVM code generation. The driver
// can stop after any phase (--compile-to) so that each is testable through the product binary.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_PIPELINES_PIPELINE_H
#define SMC_PIPELINES_PIPELINE_H

#include "smc/Pipelines/TargetFacts.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/LogicalResult.h"

#include "llvm/Target/TargetMachine.h"

#include <memory>
#include <optional>
#include <map>
#include <string>

namespace smc {

/// The phases, in order. `--compile-to=<name>` stops after one and prints its IR.
enum class Phase {
  Import,     // "import": the smc dialect as imported
  Smc,        // "smc": variables frozen, folded, cleaned
  Linalg,     // "linalg": linalg on tensors, elementwise ops fused
  Bufferized, // "bufferized": memrefs, caller-owned inputs/outputs, the static arena plan
  Loops,      // "loops": scf loops, math approximated
  LLVMDialect,// "llvm": the LLVM dialect
  LLVMIR,     // "llvm-ir": LLVM IR after O2
  Asm,        // "asm": target assembly
  Object,     // "obj": the object file
};
std::optional<Phase> parsePhase(const std::string &name);

struct CompileOptions {
  std::string triple;   // empty: the host
  std::string cpu;      // empty: the host CPU for host builds, "generic" for cross builds
  std::string features; // LLVM target features, e.g. "+avx2,+fma"
  /// Cache sizes in bytes overriding the target family's defaults (0: keep the default).
  int64_t l1CacheBytes = 0;
  int64_t l2CacheBytes = 0;
  bool fastMath = false;
  /// --optimize=size: LLVM's Oz pipeline and minsize code generation (no unrolling or
  /// vectorising by LLVM), for flash-bound firmware; else O2 for speed.
  bool optimizeSize = false;
  /// --sanitize=thread: ThreadSanitizer instrumentation of every function (the object then
  /// calls the TSan runtime: link with -fsanitize=thread). For testing the parallel entry points.
  bool sanitizeThread = false;
  bool timing = false;  // -v: print phase timings
  /// --print-ir-before / --print-ir-after: the module before / after each run of these passes
  /// (their smc-opt names, e.g. one-shot-bufferize), on stderr, for debugging the compiler.
  std::vector<std::string> printIrBefore, printIrAfter;
  /// Threads of the LLVM back end (-j; 0: every core). The object does not depend on it.
  unsigned jobs = 0;
  /// Also export `<symbol>_packed(void **args)` per function, taking the C arguments (inputs,
  /// outputs, arena) as an array of pointers: what a JIT or a generic harness calls.
  bool packedEntryPoints = false;
  /// The ELF section of the model's constants (its weights), e.g. ".extflash" for a linker
  /// script that places it in external flash; empty: the target's read-only data (.rodata).
  std::string weightsSection;
};

/// Registers every dialect and interface the pipeline needs.
void registerPipelineDialects(mlir::DialectRegistry &registry);

/// The target machine for `options` (host or cross); null with `error` set (unknown target,
/// CPU or feature).
std::unique_ptr<llvm::TargetMachine> createTargetMachine(const CompileOptions &options,
                                                         std::string &error);

/// What the MLIR pipeline depends on: facts about the target, no TargetMachine.
struct PipelineOptions {
  TargetFacts target;
};

/// Adds the passes from the import phase up to and including `stopAfter` (at most
/// LLVMDialect) to `pm`. `smc-opt --smc-pipeline` builds the same (registerSmcPipeline).
void buildPipeline(mlir::OpPassManager &pm, const PipelineOptions &options, Phase stopAfter);

/// Runs buildPipeline's passes on `module`; `timing` prints pass timings (-v); the module is
/// printed to stderr before the passes named in `printBefore` and after those in `printAfter`
/// (an error names a pass the pipeline does not have).
mlir::LogicalResult runPipeline(mlir::ModuleOp module, const PipelineOptions &options,
                                Phase stopAfter, bool timing = false,
                                llvm::ArrayRef<std::string> printBefore = {},
                                llvm::ArrayRef<std::string> printAfter = {});

/// Registers `smc-pipeline` for smc-opt: the facts of TargetFacts as options (vector-bits,
/// vector-registers, fpu, fma, index-bits, data-layout, l1-bytes, l2-bytes) and stop-after=<phase>.
void registerSmcPipeline();

/// Translates an LLVM-dialect module to LLVM IR, optimises at O2 and emits `phase` (LLVMIR,
/// Asm or Object) into `out`. For Asm and Object, `stackBytes` (if given) receives, per
/// function the module defines, the most stack a call of it takes: its frame and those of the
/// functions it calls in the module, the deepest path (and the return addresses a call
/// pushes, on x86), each function counted as also calling one outside the module (memcpy,
/// memset, a float helper the code generator may bring in), which takes 16 words.
mlir::LogicalResult emitCode(mlir::ModuleOp module, llvm::TargetMachine &tm,
                             const CompileOptions &options, Phase phase, std::string &out,
                             std::map<std::string, uint64_t> *stackBytes = nullptr);

} // namespace smc

#endif // SMC_PIPELINES_PIPELINE_H
