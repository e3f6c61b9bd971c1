//===- LowerVectors.cpp - Vector ops down to 1-D, accumulators in registers -===//

#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::smc {
#define GEN_PASS_DEF_LOWERVECTORS
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;

namespace {

struct LowerVectorsPass : mlir::smc::impl::LowerVectorsBase<LowerVectorsPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ModuleOp module = getOperation();
    auto apply = [&](auto populate) -> LogicalResult {
      RewritePatternSet patterns(ctx);
      populate(patterns);
      return applyPatternsAndFoldGreedily(module, std::move(patterns));
    };
    // Transfers read through subviews directly, so that hoisting sees through them.
    if (failed(apply([&](RewritePatternSet &p) {
          memref::populateFoldMemRefAliasOpPatterns(p);
          for (auto *dialect : ctx->getLoadedDialects())
            dialect->getCanonicalizationPatterns(p);
          for (RegisteredOperationName op : ctx->getRegisteredOperations())
            op.getCanonicalizationPatterns(p, ctx);
        })))
      return signalPassFailure();
    for (auto func : module.getOps<func::FuncOp>())
      linalg::hoistRedundantVectorTransfers(func);

    vector::VectorTransformsOptions options;
    options.setVectorTransformsOptions(vector::VectorContractLowering::OuterProduct);
    options.setVectorTransposeLowering(vector::VectorTransposeLowering::Shuffle1D);
    if (failed(apply([&](RewritePatternSet &p) {
          vector::populateVectorContractLoweringPatterns(p, options);
          vector::populateVectorTransferPermutationMapLoweringPatterns(p);
          vector::populateVectorMultiReductionLoweringPatterns(
              p, vector::VectorMultiReductionLowering::InnerParallel);
        })))
      return signalPassFailure();
    if (failed(apply([&](RewritePatternSet &p) {
          VectorTransferToSCFOptions toScf;
          toScf.enableFullUnroll().setTargetRank(1);
          populateVectorToSCFConversionPatterns(p, toScf);
          vector::populateVectorTransferLoweringPatterns(p, /*maxTransferRank=*/1);
          vector::populateVectorShapeCastLoweringPatterns(p);
          vector::populateVectorTransposeLoweringPatterns(p, options);
          vector::populateVectorBroadcastLoweringPatterns(p);
          vector::populateVectorOuterProductLoweringPatterns(p);
          vector::populateVectorMaskOpLoweringPatterns(p);
        })))
      return signalPassFailure();
  }
};

} // namespace
