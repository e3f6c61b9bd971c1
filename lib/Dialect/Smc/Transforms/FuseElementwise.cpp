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

/// Whether the bodies of `a` and `b` together hold more than `limit` operations (terminators
/// not counted); stops counting there, so that the check costs O(limit), not O(body).
bool bodiesExceed(Operation *a, Operation *b, int64_t limit) {
  int64_t count = 0;
  for (Operation *op : {a, b}) {
    if (!isa_and_nonnull<linalg::LinalgOp>(op))
      continue;
    WalkResult walk = op->getRegion(0).walk([&](Operation *inner) {
      if (!inner->hasTrait<OpTrait::IsTerminator>() && ++count > limit)
        return WalkResult::interrupt();
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return true;
  }
  return false;
}

struct FuseElementwise : public mlir::smc::impl::FuseElementwiseBase<FuseElementwise> {
  using FuseElementwiseBase::FuseElementwiseBase;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // As upstream: fuse a producer into its consumer when it has no other user; but not into a
    // contraction (a reduction with two or more inputs), which would recompute the producer
    // for every output it contributes to.
    // Nor into a consumer that broadcasts it (a per-row softmax reciprocal, a layer norm's
    // mean or rsqrt(variance + eps)), which would recompute each producer value (a division, a
    // square root) for every element of the broadcast dimensions.
    // Nor when the fused body would hold more than max-body-ops operations: each fusion clones
    // both bodies into a new op, so fusing a chain of N elementwise ops into one body cloned
    // N^2/2 operations (4,000 ops took 6 s, 20,000 would take minutes); capped, a chain costs
    // N * max-body-ops / 2 and splits into ops of at most max-body-ops each.
    int64_t maxOps = maxBodyOps;
    linalg::ControlFusionFn singleUse = [maxOps](OpOperand *fused) {
      Operation *producer = fused->get().getDefiningOp();
      auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
      if (consumer && consumer.getNumReductionLoops() > 0 && consumer.getNumDpsInputs() > 1)
        return false;
      if (consumer && broadcastFactor(consumer, fused) > 1)
        return false;
      if (!producer || !producer->hasOneUse())
        return false;
      return maxOps <= 0 || !bodiesExceed(producer, fused->getOwner(), maxOps);
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
