//===- SmcToLLVMPass.cpp - The convert-smc-to-llvm pass -------------------===//
//
// One full conversion to the LLVM dialect with a single type converter, so that the index
// width of 32-bit targets is the same everywhere, and the bare-pointer calling convention for
// the exported functions (static shapes only). An op without a lowering is an error naming it.
//
//===----------------------------------------------------------------------===//

#include "smc/Conversion/SmcToLLVM/SmcToLLVM.h"

#include "mlir/Conversion/LLVMCommon/ConversionTarget.h"
#include "mlir/Conversion/LLVMCommon/LoweringOptions.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/IR/DataLayout.h"
#include "llvm/Support/Error.h"

namespace mlir::smc {
#define GEN_PASS_DEF_CONVERTSMCTOLLVM
#include "smc/Conversion/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;

namespace {

struct ConvertSmcToLLVMPass : mlir::smc::impl::ConvertSmcToLLVMBase<ConvertSmcToLLVMPass> {
  using ConvertSmcToLLVMBase::ConvertSmcToLLVMBase;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ModuleOp module = getOperation();
    if (indexBitwidth != 0 && indexBitwidth != 32 && indexBitwidth != 64) {
      module.emitError() << "convert-smc-to-llvm: index-bitwidth must be 32 or 64 (or 0: the "
                            "data layout's pointer width), not "
                         << static_cast<unsigned>(indexBitwidth);
      return signalPassFailure();
    }
    llvm::Expected<llvm::DataLayout> layout = llvm::DataLayout::parse(dataLayout);
    if (!layout) {
      module.emitError() << "convert-smc-to-llvm: invalid data-layout '" << dataLayout
                         << "': " << llvm::toString(layout.takeError());
      return signalPassFailure();
    }
    {
      RewritePatternSet patterns(ctx);
      mlir::smc::populateSmcToLLVMPreparePatterns(patterns);
      if (failed(applyPatternsAndFoldGreedily(module, std::move(patterns))))
        return signalPassFailure();
    }
    LowerToLLVMOptions options(ctx);
    options.overrideIndexBitwidth(indexBitwidth != 0 ? indexBitwidth
                                                     : layout->getPointerSizeInBits(0));
    options.useBarePtrCallConv = true;
    options.dataLayout = *layout;
    LLVMTypeConverter converter(ctx, options);
    RewritePatternSet patterns(ctx);
    mlir::smc::populateSmcToLLVMConversionPatterns(converter, patterns);
    LLVMConversionTarget target(*ctx);
    target.addLegalOp<ModuleOp>();
    // Casts between the converted types are resolved by reconcile-unrealized-casts next.
    target.addLegalOp<UnrealizedConversionCastOp>();
    if (failed(applyFullConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
