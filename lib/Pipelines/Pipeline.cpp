//===- Pipeline.cpp - The pass pipeline from smc to the LLVM dialect ------===//

#include "smc/Pipelines/Pipeline.h"

#include "smc/Conversion/Passes.h"
#include "smc/Dialect/Smc/IR/SmcDialect.h"
#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/MathToFuncs/MathToFuncs.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/FuncBufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Index/IR/IndexDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/Linalg/Transforms/AllInterfaces.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/IR/TensorTilingInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/SubsetInsertionOpInterfaceImpl.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/SubsetOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/IR/DataLayout.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/Regex.h"

using namespace mlir;

namespace smc {

static const char *const kPhaseNames[] = {"import", "smc",  "linalg",  "bufferized", "loops",
                                          "llvm",   "llvm-ir", "asm",  "obj"};

std::optional<Phase> parsePhase(const std::string &name) {
  for (int i = 0; i <= static_cast<int>(Phase::Object); ++i)
    if (name == kPhaseNames[i])
      return static_cast<Phase>(i);
  return std::nullopt;
}


void registerPipelineDialects(DialectRegistry &registry) {
  registry.insert<mlir::smc::SmcDialect, func::FuncDialect, arith::ArithDialect,
                  linalg::LinalgDialect, tensor::TensorDialect,
                  bufferization::BufferizationDialect, memref::MemRefDialect, scf::SCFDialect,
                  math::MathDialect, affine::AffineDialect, cf::ControlFlowDialect,
                  LLVM::LLVMDialect, vector::VectorDialect, index::IndexDialect, ub::UBDialect>();
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  arith::registerValueBoundsOpInterfaceExternalModels(registry);
  // Linalg: bufferization, tiling, subset and value-bounds models.
  linalg::registerAllDialectInterfaceImplementations(registry);
  memref::registerValueBoundsOpInterfaceExternalModels(registry);
  scf::registerValueBoundsOpInterfaceExternalModels(registry);
  tensor::registerTilingInterfaceExternalModels(registry);
  tensor::registerValueBoundsOpInterfaceExternalModels(registry);
  tensor::registerSubsetOpInterfaceExternalModels(registry);
  vector::registerBufferizableOpInterfaceExternalModels(registry);
  vector::registerSubsetOpInterfaceExternalModels(registry);
  vector::registerValueBoundsOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

namespace {

/// `smc-opt --smc-pipeline="..."`: the target facts (TargetFacts) as options, and the phase to
/// stop after. `smc compile --print-target` prints the options of a target.
struct SmcPipelineOptions : mlir::PassPipelineOptions<SmcPipelineOptions> {
  Option<int64_t> vectorBits{*this, "vector-bits",
                             llvm::cl::desc("Widest f32 vector register in bits (0: none)"),
                             llvm::cl::init(128)};
  Option<int64_t> vectorRegisters{*this, "vector-registers",
                                  llvm::cl::desc("Number of vector registers"), llvm::cl::init(16)};
  Option<bool> fpu{*this, "fpu", llvm::cl::desc("Hardware floating point"), llvm::cl::init(true)};
  Option<bool> fma{*this, "fma", llvm::cl::desc("Fused multiply-add instruction"),
                   llvm::cl::init(false)};
  Option<bool> floor{*this, "floor",
                     llvm::cl::desc("Instructions rounding f32 to integral values"),
                     llvm::cl::init(false)};
  Option<unsigned> indexBits{*this, "index-bits", llvm::cl::desc("Width of index: 32 or 64"),
                             llvm::cl::init(64)};
  Option<std::string> dataLayout{*this, "data-layout",
                                 llvm::cl::desc("LLVM data layout string (empty: LLVM's default)"),
                                 llvm::cl::init("")};
  Option<int64_t> l1Bytes{*this, "l1-bytes", llvm::cl::desc("L1 data cache bytes per core"),
                          llvm::cl::init(32 << 10)};
  Option<int64_t> l2Bytes{*this, "l2-bytes", llvm::cl::desc("L2 cache bytes per core"),
                          llvm::cl::init(256 << 10)};
  Option<bool> laneOperands{*this, "lane-operands",
                            llvm::cl::desc("Multiply-adds read their scalar from a vector lane "
                                           "(ARM): one register per row of a register block"),
                            llvm::cl::init(false)};
  Option<unsigned> fmaLatency{*this, "fma-latency",
                              llvm::cl::desc("Cycles of a vector multiply-add's latency (register "
                                             "blocks hold enough accumulators to cover it)"),
                              llvm::cl::init(4)};
  Option<bool> threads{*this, "threads",
                       llvm::cl::desc("The target has threads: `<symbol>_parallel` entry points "
                                      "run independent loops as tasks"),
                       llvm::cl::init(false)};
  Option<Phase> stopAfter{
      *this, "stop-after", llvm::cl::desc("The last phase to run"),
      llvm::cl::init(Phase::LLVMDialect),
      llvm::cl::values(clEnumValN(Phase::Import, "import", "nothing"),
                       clEnumValN(Phase::Smc, "smc", "variables frozen, folded"),
                       clEnumValN(Phase::Linalg, "linalg", "linalg on tensors"),
                       clEnumValN(Phase::Bufferized, "bufferized", "memrefs, arena planned"),
                       clEnumValN(Phase::Loops, "loops", "scf loops, math approximated"),
                       clEnumValN(Phase::LLVMDialect, "llvm", "the LLVM dialect"))};

  PipelineOptions toPipelineOptions() const {
    PipelineOptions o;
    o.target.vectorBits = vectorBits;
    o.target.vectorRegisters = vectorRegisters;
    o.target.hasFpu = fpu;
    o.target.hasFma = fma;
    o.target.hasFloor = floor;
    o.target.indexBits = indexBits;
    o.target.dataLayout = dataLayout;
    if (llvm::Expected<llvm::DataLayout> layout = llvm::DataLayout::parse(o.target.dataLayout))
      o.target.pointerBits = layout->getPointerSizeInBits(0);
    else
      llvm::consumeError(layout.takeError()); // verifyTargetFacts reports it
    o.target.l1Bytes = l1Bytes;
    o.target.l2Bytes = l2Bytes;
    o.target.laneOperands = laneOperands;
    o.target.fmaLatency = fmaLatency;
    o.target.threads = threads;
    return o;
  }
};

} // namespace

void buildPipeline(OpPassManager &pm, const PipelineOptions &options, Phase stopAfter) {
  const TargetFacts &target = options.target;
  auto cleanup = [&] {
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  };
  if (stopAfter == Phase::Import)
    return;

  pm.addPass(mlir::smc::createFreezeVariables());
  cleanup();
  pm.addPass(mlir::smc::createFoldIntoWeights());
  cleanup();
  // Recurrent loops: every step's input projection in one matmul before the loop, where its
  // T steps of scratch fit in L2 (and on targets with vector units: microcontrollers keep RAM).
  mlir::smc::HoistStepProjectionsOptions hoisting;
  hoisting.maxBytes = target.vectorBits > 0 ? target.l2Bytes : 0;
  pm.addPass(mlir::smc::createHoistStepProjections(hoisting));
  cleanup();
  if (stopAfter == Phase::Smc)
    return;

  pm.addPass(mlir::smc::createConvertSmcToLinalg());
  cleanup();
  pm.addPass(mlir::smc::createFuseElementwise());
  cleanup();
  if (stopAfter == Phase::Linalg)
    return;

  // Winograd trades 16/9 the filter bytes for 2.25x fewer multiplications: worth it where
  // there are vector units to feed; scalar targets (microcontrollers) keep their flash.
  mlir::smc::WinogradOptions winograd;
  winograd.minSize = target.vectorBits > 0 ? 14 : 0;
  pm.addPass(mlir::smc::createWinograd(winograd));
  cleanup();
  mlir::smc::PackWeightsOptions packing;
  packing.vectorBits = target.vectorBits;
  packing.vectorRegisters = target.vectorRegisters;
  packing.laneOperands = target.laneOperands;
  packing.fmaLatency = target.fmaLatency;
  pm.addPass(mlir::smc::createPackWeights(packing));
  mlir::smc::TileAndVectorizeOptions tiling;
  tiling.vectorBits = target.vectorBits;
  tiling.vectorRegisters = target.vectorRegisters;
  tiling.laneOperands = target.laneOperands;
  tiling.fmaLatency = target.fmaLatency;
  if (target.l1Bytes > 0)
    tiling.l1Bytes = target.l1Bytes;
  if (target.l2Bytes > 0)
    tiling.l2Bytes = target.l2Bytes;
  tiling.parallelTiles = target.threads;
  pm.addPass(mlir::smc::createTileAndVectorize(tiling));
  cleanup();
  pm.addPass(mlir::smc::createBufferAbi());
  pm.addPass(mlir::smc::createCarryInPlace());
  pm.addPass(mlir::smc::createPadInPlace());
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizationOptions bufferization;
  bufferization.bufferizeFunctionBoundaries = false;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferization));
  cleanup();
  // Hoisting in smc-lower-vectors needs distinct allocations (it cannot tell two views of the
  // arena apart), so it runs before the memory plan.
  pm.addPass(mlir::smc::createLowerVectors());
  cleanup();
  // Which layers may run as tasks: proven on the buffers, before the memory plan gives them
  // shared places in the arena.
  if (target.threads)
    pm.addPass(mlir::smc::createMarkParallel());
  pm.addPass(mlir::smc::createPlanMemory());
  if (stopAfter == Phase::Bufferized)
    return;

  // One private function per kernel: LLVM's time grows faster than a function's size.
  mlir::smc::OutlineKernelsOptions outline;
  outline.parallelEntries = target.threads;
  pm.addPass(mlir::smc::createOutlineKernels(outline));
  pm.addPass(mlir::smc::createExpandCopies());
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  mlir::smc::LowerMathOptions math;
  math.expandFma = !target.hasFma;
  math.expandRounding = !target.hasFloor;
  // Without an FPU, LLVM cannot soften llvm.maximum/minimum: compares and selects instead.
  math.expandFloatMinMax = !target.hasFpu;
  pm.addPass(mlir::smc::createLowerMath(math));
  // Targets with caches (and vector units: not microcontrollers) stream the next weight panel
  // while a convolution or matmul reuses the current one.
  if (target.vectorBits > 0 && target.l1Bytes > 0) {
    mlir::smc::PrefetchPanelsOptions prefetch;
    prefetch.minBytes = target.l1Bytes;
    pm.addPass(mlir::smc::createPrefetchPanels(prefetch));
  }
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  cleanup();
  if (stopAfter == Phase::Loops)
    return;

  mlir::smc::ConvertSmcToLLVMOptions llvm;
  llvm.indexBitwidth = target.indexBits;
  llvm.dataLayout = target.dataLayout;
  pm.addPass(mlir::smc::createConvertSmcToLLVM(llvm));
  pm.addPass(createReconcileUnrealizedCastsPass());
  cleanup();
}

LogicalResult runPipeline(ModuleOp module, const PipelineOptions &options, Phase stopAfter,
                          bool timing, ArrayRef<std::string> printBefore,
                          ArrayRef<std::string> printAfter) {
  PassManager pm(module.getContext());
  if (timing)
    pm.enableTiming();
  buildPipeline(pm, options, stopAfter);
  if (!printBefore.empty() || !printAfter.empty()) {
    // Every name must be a pass of this pipeline (its textual form lists their names).
    std::string text;
    llvm::raw_string_ostream os(text);
    pm.printAsTextualPipeline(os);
    for (const std::string &name : llvm::concat<const std::string>(printBefore, printAfter)) {
      llvm::Regex pass("[(,]" + llvm::Regex::escape(name) + "[{,)]");
      if (!pass.match(text))
        return emitError(module.getLoc())
               << "the pipeline has no pass named '" << name
               << "' (smc-opt's names, e.g. one-shot-bufferize; smc-opt --smc-pipeline with "
                  "--dump-pass-pipeline lists them)";
    }
    // Whole-module printing needs the passes on one thread.
    module.getContext()->disableMultithreading();
    auto named = [](ArrayRef<std::string> names) {
      std::vector<std::string> copy(names.begin(), names.end());
      return [copy](Pass *p, Operation *) { return llvm::is_contained(copy, p->getArgument()); };
    };
    pm.enableIRPrinting(named(printBefore), named(printAfter), /*printModuleScope=*/true,
                        /*printAfterOnlyOnChange=*/false, /*printAfterOnlyOnFailure=*/false,
                        llvm::errs());
  }
  return pm.run(module);
}

void registerSmcPipeline() {
  mlir::registerPassPipeline(
      "smc-pipeline",
      "smc compile's passes from the import phase to the LLVM dialect, for the target given by "
      "its facts (smc compile --print-target prints a target's)",
      [](OpPassManager &pm, StringRef text,
         function_ref<LogicalResult(const Twine &)> errorHandler) -> LogicalResult {
        SmcPipelineOptions options;
        if (failed(options.parseFromString(text)))
          return failure();
        PipelineOptions pipeline = options.toPipelineOptions();
        if (std::string problem = verifyTargetFacts(pipeline.target); !problem.empty())
          return errorHandler("smc-pipeline: " + problem);
        buildPipeline(pm, pipeline, options.stopAfter);
        return success();
      },
      [](function_ref<void(const mlir::detail::PassOptions &)> optHandler) {
        optHandler(SmcPipelineOptions());
      });
}

} // namespace smc
