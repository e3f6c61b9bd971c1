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

/// A transpose of an n x n block (n a power of two; unit dimensions aside) as log2(n) stages of
/// n two-input shuffles of whole rows: the stage for bit h swaps bit h of the row index with
/// bit h of the column index. Each shuffle is one or two instructions on common targets
/// (AVX-512's vpermt2ps, AVX's unpck/shufps/vperm2f128, NEON's zip/trn), where the upstream
/// lowering either shuffles all n^2 elements at once (which LLVM splits into element moves) or
/// handles 16 x 16 only. The transposes come from reductions along rows (smc-tile-and-vectorize
/// blocks them as lanes x lanes).
struct TransposeInStages : OpRewritePattern<vector::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::TransposeOp op, PatternRewriter &rewriter) const override {
    VectorType source = op.getSourceVectorType();
    if (source.isScalable())
      return failure();
    SmallVector<int64_t> block; // the two dimensions with more than one element
    for (auto [d, size] : llvm::enumerate(source.getShape()))
      if (size > 1)
        block.push_back(d);
    if (block.size() != 2)
      return failure();
    int64_t n = source.getDimSize(block[0]);
    if (source.getDimSize(block[1]) != n || !llvm::isPowerOf2_64(n))
      return failure();
    ArrayRef<int64_t> perm = op.getPermutation();
    auto position = [&](int64_t d) { return llvm::find(perm, d) - perm.begin(); };
    if (position(block[0]) < position(block[1]))
      return failure(); // only unit dimensions move: a shape cast
    Location loc = op.getLoc();
    Type elem = source.getElementType();
    auto squareType = VectorType::get({n, n}, elem);
    Value square = rewriter.create<vector::ShapeCastOp>(loc, squareType, op.getVector());
    SmallVector<Value> rows;
    for (int64_t i = 0; i < n; ++i)
      rows.push_back(rewriter.create<vector::ExtractOp>(loc, square, i));
    for (int64_t h = 1; h < n; h *= 2) {
      // Rows i and i | h (bit h of i clear) exchange their elements whose column has bit h
      // set in row i and clear in row i | h.
      SmallVector<int64_t> low, high;
      for (int64_t j = 0; j < n; ++j) {
        low.push_back((j & h) ? n + (j ^ h) : j);
        high.push_back((j & h) ? n + j : (j | h));
      }
      for (int64_t i = 0; i < n; ++i) {
        if (i & h)
          continue;
        Value a = rows[i], b = rows[i | h];
        rows[i] = rewriter.create<vector::ShuffleOp>(loc, a, b, low);
        rows[i | h] = rewriter.create<vector::ShuffleOp>(loc, a, b, high);
      }
    }
    Value result = rewriter.create<arith::ConstantOp>(loc, squareType,
                                                      rewriter.getZeroAttr(squareType));
    for (int64_t i = 0; i < n; ++i)
      result = rewriter.create<vector::InsertOp>(loc, rows[i], result, i);
    rewriter.replaceOpWithNewOp<vector::ShapeCastOp>(op, op.getResultVectorType(), result);
    return success();
  }
};

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
    // Trailing unit dimensions of a transfer (a reduction over [.., n, 1]) are dropped through
    // a rank-reducing subview (not with the subview folding above, which would fold it back),
    // so that its innermost vector dimension is the contiguous one, not element loads.
    if (failed(apply([&](RewritePatternSet &p) {
          vector::populateVectorTransferCollapseInnerMostContiguousDimsPatterns(p);
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
          p.add<TransposeInStages>(ctx, /*benefit=*/2);
          vector::populateVectorTransposeLoweringPatterns(p, options);
          vector::populateVectorBroadcastLoweringPatterns(p);
          vector::populateVectorOuterProductLoweringPatterns(p);
          vector::populateVectorMaskOpLoweringPatterns(p);
        })))
      return signalPassFailure();
  }
};

} // namespace
