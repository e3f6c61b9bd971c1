//===- FuseElementwise.cpp - Elementwise fusion that keeps contractions ---===//

#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::smc {
#define GEN_PASS_DEF_FUSEELEMENTWISE
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;

namespace {

bool hasReduction(Operation *op) {
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumReductionLoops() > 0;
}

/// How many times `consumer` reads each element of `operand`: the product of the extents of
/// the loops its indexing map does not use (1 if none or if not static).
int64_t broadcastFactor(linalg::LinalgOp consumer, OpOperand *operand) {
  AffineMap map = consumer.getMatchingIndexingMap(operand);
  SmallVector<int64_t> ranges = consumer.getStaticLoopRanges();
  int64_t factor = 1;
  for (auto [d, extent] : llvm::enumerate(ranges))
    if (!map.isFunctionOfDim(d) && !ShapedType::isDynamic(extent))
      factor *= extent;
  return factor;
}

struct FuseElementwise : public mlir::smc::impl::FuseElementwiseBase<FuseElementwise> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // As upstream: fuse a producer into its consumer when it has no other user.
    // As upstream: fuse a producer into its consumer when it has no other user; but not into a
    // contraction (a reduction with two or more inputs), which would recompute the producer
    // for every output it contributes to.
    // Nor into a consumer that broadcasts it (a per-row softmax reciprocal, a layer norm's
    // mean or rsqrt(variance + eps)), which would recompute each producer value (a division, a
    // square root) for every element of the broadcast dimensions.
    linalg::ControlFusionFn singleUse = [](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
      if (consumer && consumer.getNumReductionLoops() > 0 && consumer.getNumDpsInputs() > 1)
        return false;
      if (consumer && broadcastFactor(consumer, fused) > 1)
        return false;
      return producer && producer->hasOneUse();
    };
    // Reshapes: never expand the loops of an op with a reduction (on either side of the
    // reshape), so that named contractions stay named.
    linalg::ControlFusionFn reshapes = [singleUse](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      Operation *consumer = fused->getOwner();
      if (hasReduction(producer) || hasReduction(consumer))
        return false;
      // The reshape's own producer or consumer (the op whose loops would be expanded).
      if (producer && isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp>(producer) &&
          hasReduction(producer->getOperand(0).getDefiningOp()))
        return false;
      return singleUse(fused);
    };
    RewritePatternSet patterns(ctx);
    linalg::populateElementwiseOpsFusionPatterns(patterns, singleUse);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, reshapes);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, ctx);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, ctx);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, ctx);
    ctx->getLoadedDialect<linalg::LinalgDialect>()->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, singleUse);
    GreedyRewriteConfig config;
    config.useTopDownTraversal = true;
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns), config)))
      return signalPassFailure();
  }
};

} // namespace
