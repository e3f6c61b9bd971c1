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
#include "mlir/Dialect/Arith/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Linalg/Transforms/AllInterfaces.h"
#include "mlir/Dialect/MemRef/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/SCF/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/TensorTilingInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/Transforms/SubsetInsertionOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/IR/ValueBoundsOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Vector/Transforms/SubsetOpInterfaceImpl.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/BufferizableOpInterfaceImpl.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>

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

const char *phaseName(Phase phase) { return kPhaseNames[static_cast<int>(phase)]; }

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

std::unique_ptr<llvm::TargetMachine> createTargetMachine(const CompileOptions &options,
                                                         std::string &error) {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    llvm::InitializeAllAsmParsers();
  });
  bool host = options.triple.empty();
  std::string triple =
      host ? llvm::sys::getDefaultTargetTriple() : llvm::Triple::normalize(options.triple);
  const llvm::Target *target = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target) {
    error = "unknown target '" + options.triple + "': " + error;
    return nullptr;
  }
  std::string cpu = options.cpu;
  std::string features = options.features;
  if (cpu.empty())
    cpu = host ? llvm::sys::getHostCPUName().str() : "generic";
  if (features.empty() && host && options.cpu.empty()) {
    llvm::StringMap<bool> hostFeatures = llvm::sys::getHostCPUFeatures();
    std::vector<std::string> list;
    for (const auto &f : hostFeatures)
      list.push_back((f.second ? "+" : "-") + f.first().str());
    std::sort(list.begin(), list.end());
    for (const auto &f : list)
      features += (features.empty() ? "" : ",") + f;
  }
  llvm::Triple t(triple);
  if (!target->getName() || cpu.empty()) {
    error = "cannot configure target '" + triple + "'";
    return nullptr;
  }
  llvm::TargetOptions to;
  if (t.getEnvironment() == llvm::Triple::EABIHF || t.getEnvironment() == llvm::Triple::GNUEABIHF)
    to.FloatABIType = llvm::FloatABI::Hard;
  auto reloc = t.getOS() == llvm::Triple::UnknownOS ? llvm::Reloc::Static : llvm::Reloc::PIC_;
  std::unique_ptr<llvm::TargetMachine> tm(target->createTargetMachine(
      triple, cpu, features, to, reloc, std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!tm) {
    error = "cannot create a target machine for '" + triple + "' (cpu '" + cpu + "')";
    return nullptr;
  }
  if (!tm->getMCSubtargetInfo()->isCPUStringValid(cpu)) {
    error = "unknown cpu '" + cpu + "' for target '" + triple + "'";
    return nullptr;
  }
  return tm;
}

/// Width of the target's vector registers for f32 code.
static int64_t vectorBitsFor(llvm::TargetMachine &tm) {
  const llvm::Triple &t = tm.getTargetTriple();
  llvm::StringRef features = tm.getTargetFeatureString();
  llvm::StringRef cpu = tm.getTargetCPU();
  if (t.isX86()) {
    bool avx512 = features.contains("+avx512f") ||
                  (features.empty() && (cpu.starts_with("skylake-avx512") || cpu.starts_with("znver4") ||
                                        cpu.starts_with("znver5") || cpu == "x86-64-v4"));
    bool avx = features.contains("+avx") || cpu == "x86-64-v3";
    return avx512 ? 512 : avx ? 256 : 128;
  }
  if (t.isAArch64())
    return 128;
  if (t.isARM() && !t.isThumb())
    return 128;
  return 0;
}

LogicalResult runPipeline(ModuleOp module, llvm::TargetMachine &tm, const CompileOptions &options,
                          Phase stopAfter) {
  MLIRContext *ctx = module.getContext();
  PassManager pm(ctx);
  if (options.timing)
    pm.enableTiming();
  auto cleanup = [&] {
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
  };
  if (stopAfter == Phase::Import)
    return success();

  pm.addPass(mlir::smc::createFreezeVariables());
  cleanup();
  pm.addPass(mlir::smc::createFoldIntoWeights());
  cleanup();
  if (stopAfter == Phase::Smc)
    return pm.run(module);

  pm.addPass(mlir::smc::createConvertSmcToLinalg());
  cleanup();
  pm.addPass(createLinalgElementwiseOpFusionPass());
  cleanup();
  if (stopAfter == Phase::Linalg)
    return pm.run(module);

  // Winograd trades 16/9 the filter bytes for 2.25x fewer multiplications: worth it where
  // there are vector units to feed; scalar targets (microcontrollers) keep their flash.
  mlir::smc::WinogradOptions winograd;
  winograd.minSize = vectorBitsFor(tm) > 0 ? 14 : 0;
  pm.addPass(mlir::smc::createWinograd(winograd));
  cleanup();
  mlir::smc::PackWeightsOptions packing;
  packing.block = std::max<int64_t>(2 * vectorBitsFor(tm) / 32, 0);
  pm.addPass(mlir::smc::createPackWeights(packing));
  mlir::smc::TileAndVectorizeOptions tiling;
  tiling.vectorBits = vectorBitsFor(tm);
  pm.addPass(mlir::smc::createTileAndVectorize(tiling));
  cleanup();
  pm.addPass(mlir::smc::createBufferAbi());
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
  pm.addPass(mlir::smc::createPlanMemory());
  if (stopAfter == Phase::Bufferized)
    return pm.run(module);

  pm.addPass(mlir::smc::createExpandCopies());
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createLowerAffinePass());
  mlir::smc::LowerMathOptions math;
  const llvm::Triple &triple = tm.getTargetTriple();
  math.expandFma = triple.isX86() && !tm.getTargetFeatureString().contains("+fma");
  pm.addPass(mlir::smc::createLowerMath(math));
  pm.addPass(createConvertMathToFuncs());
  pm.addPass(createConvertSCFToCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  cleanup();
  if (stopAfter == Phase::Loops)
    return pm.run(module);

  mlir::smc::ConvertSmcToLLVMOptions llvm;
  llvm.indexBitwidth = tm.getPointerSizeInBits(0);
  llvm.dataLayout = tm.createDataLayout().getStringRepresentation();
  pm.addPass(mlir::smc::createConvertSmcToLLVM(llvm));
  pm.addPass(createReconcileUnrealizedCastsPass());
  cleanup();
  return pm.run(module);
}

} // namespace smc
