//===- FoldIntoWeights.cpp - Per-channel scales into conv/matmul weights --===//

#include "smc/Dialect/Smc/IR/SmcOps.h"
#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::smc {
#define GEN_PASS_DEF_FOLDINTOWEIGHTS
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;
using namespace mlir::smc;

namespace {

/// The f32 values of a constant `v`, or nothing.
std::optional<std::vector<float>> f32Values(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) || !attr.getElementType().isF32())
    return std::nullopt;
  std::vector<float> out;
  out.reserve(attr.getNumElements());
  for (const APFloat &f : attr.getValues<APFloat>())
    out.push_back(f.convertToFloat());
  return out;
}

/// Per-channel values of a constant that broadcasts only along the last of `rank` dims onto
/// `channels` channels: shape [], [1], [C], [1, ..., 1, C]. Expanded to `channels` entries.
std::optional<std::vector<float>> perChannel(Value v, int64_t channels) {
  auto t = dyn_cast<RankedTensorType>(v.getType());
  if (!t)
    return std::nullopt;
  for (int64_t d = 0; d + 1 < t.getRank(); ++d)
    if (t.getDimSize(d) != 1)
      return std::nullopt;
  int64_t n = t.getRank() == 0 ? 1 : t.getDimSize(t.getRank() - 1);
  if (n != 1 && n != channels)
    return std::nullopt;
  auto values = f32Values(v);
  if (!values)
    return std::nullopt;
  if (n == 1)
    values->assign(channels, (*values)[0]);
  return values;
}

DenseElementsAttr f32Attr(RankedTensorType type, ArrayRef<float> values) {
  return DenseElementsAttr::get(type, values);
}

/// Replaces the weights operand `weights` of `op` by its values scaled along the output
/// channel: element i of the flattened weights belongs to channel (i / inner) % channels.
LogicalResult scaleWeights(PatternRewriter &rewriter, Operation *op, OpOperand &weights,
                           ArrayRef<float> scale, int64_t inner) {
  auto w = f32Values(weights.get());
  if (!w)
    return failure();
  int64_t channels = scale.size();
  for (size_t i = 0; i < w->size(); ++i)
    (*w)[i] *= scale[(i / inner) % channels];
  auto type = cast<RankedTensorType>(weights.get().getType());
  rewriter.setInsertionPoint(op);
  Value c = rewriter.create<arith::ConstantOp>(op->getLoc(), f32Attr(type, *w));
  rewriter.modifyOpInPlace(op, [&] { weights.set(c); });
  return success();
}

/// mul(producer, a) with a per-output-channel constant: scale the producer's weights instead.
struct FoldScaleIntoProducer : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rewriter) const override {
    for (int side = 0; side < 2; ++side) {
      Value x = mul->getOperand(side), a = mul->getOperand(1 - side);
      Operation *producer = x.getDefiningOp();
      if (!producer || !x.hasOneUse() || x.getType() != mul.getType())
        continue;
      auto type = cast<RankedTensorType>(x.getType());
      if (type.getRank() == 0)
        continue;
      int64_t channels = type.getDimSize(type.getRank() - 1);
      auto scale = perChannel(a, channels);
      if (!scale)
        continue;
      LogicalResult ok = failure();
      if (isa<Conv2DOp, DepthwiseConv2DOp>(producer)) {
        // HWIO / HWCM: the output channel is the flattened last dim(s), innermost.
        ok = scaleWeights(rewriter, producer, producer->getOpOperand(1), *scale, 1);
      } else if (auto mm = dyn_cast<MatMulOp>(producer)) {
        // b is [K, N] (channel innermost) or, transposed, [N, K] (channel outermost).
        int64_t k = cast<RankedTensorType>(mm.getB().getType()).getDimSize(1);
        ok = scaleWeights(rewriter, producer, producer->getOpOperand(1), *scale,
                          mm.getTransposeB() ? k : 1);
      }
      if (failed(ok))
        continue;
      rewriter.replaceOp(mul, x);
      return success();
    }
    return failure();
  }
};

/// mul(add(y, b), a) -> add(mul(y, a), b * a) for per-channel constants a and b, so that the
/// scale reaches the producer of y (conv -> bias -> batch norm).
struct PushScaleThroughBias : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rewriter) const override {
    for (int side = 0; side < 2; ++side) {
      Value s = mul->getOperand(side), a = mul->getOperand(1 - side);
      Operation *addOp = s.getDefiningOp();
      if (!addOp || !s.hasOneUse() || !isa<AddOp, BiasAddOp>(addOp) || s.getType() != mul.getType())
        continue;
      auto type = cast<RankedTensorType>(s.getType());
      if (type.getRank() == 0)
        continue;
      int64_t channels = type.getDimSize(type.getRank() - 1);
      auto scale = perChannel(a, channels);
      if (!scale)
        continue;
      for (int bside = 0; bside < 2; ++bside) {
        Value y = addOp->getOperand(bside), b = addOp->getOperand(1 - bside);
        if (y.getType() != type)
          continue;
        auto bias = perChannel(b, channels);
        if (!bias)
          continue;
        for (int64_t c = 0; c < channels; ++c)
          (*bias)[c] *= (*scale)[c];
        Location loc = mul.getLoc();
        auto vecType = RankedTensorType::get({channels}, type.getElementType());
        Value aConst = rewriter.create<arith::ConstantOp>(loc, f32Attr(vecType, *scale));
        Value bConst = rewriter.create<arith::ConstantOp>(loc, f32Attr(vecType, *bias));
        Value scaled = rewriter.create<MulOp>(loc, type, y, aConst);
        rewriter.replaceOpWithNewOp<AddOp>(mul, type, scaled, bConst);
        return success();
      }
    }
    return failure();
  }
};

struct FoldIntoWeightsPass : mlir::smc::impl::FoldIntoWeightsBase<FoldIntoWeightsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldScaleIntoProducer, PushScaleThroughBias>(&getContext());
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
