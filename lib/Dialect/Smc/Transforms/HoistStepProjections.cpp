//===- HoistStepProjections.cpp - x[t] @ W of every step before the loop ---===//

#include "smc/Dialect/Smc/IR/SmcOps.h"
#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

namespace mlir::smc {
#define GEN_PASS_DEF_HOISTSTEPPROJECTIONS
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;
using namespace mlir::smc;

namespace {

/// `slice` takes one whole row [1, B, F] of a [T, B, F] tensor at a run-time or constant offset
/// and drops the unit dimension; the offset of that row.
std::optional<OpFoldResult> rowOffset(tensor::ExtractSliceOp slice) {
  auto source = slice.getSourceType();
  if (source.getRank() != 3 || !source.hasStaticShape() ||
      slice.getResultType().getShape() != source.getShape().drop_front())
    return std::nullopt;
  SmallVector<OpFoldResult> offsets = slice.getMixedOffsets();
  auto sizes = slice.getStaticSizes(), strides = slice.getStaticStrides();
  for (int64_t d = 0; d < 3; ++d) {
    if (strides[d] != 1 || sizes[d] != (d == 0 ? 1 : source.getDimSize(d)))
      return std::nullopt;
    if (d > 0 && getConstantIntValue(offsets[d]) != std::optional<int64_t>(0))
      return std::nullopt;
  }
  return offsets[0];
}

bool definedOutside(Value v, Operation *loop) {
  return !loop->isAncestor(v.getParentRegion()->getParentOp());
}

struct HoistStepProjections
    : public mlir::smc::impl::HoistStepProjectionsBase<HoistStepProjections> {
  using HoistStepProjectionsBase::HoistStepProjectionsBase;

  void runOnOperation() override {
    if (maxBytes <= 0)
      return;
    SmallVector<MatMulOp> candidates;
    getOperation().walk([&](MatMulOp op) {
      auto loop = dyn_cast<scf::WhileOp>(op->getParentOp());
      if (!loop || op->getParentRegion() != &loop.getAfter() || op.getTransposeA())
        return;
      auto slice = op.getA().getDefiningOp<tensor::ExtractSliceOp>();
      if (!slice || !rowOffset(slice) || !definedOutside(slice.getSource(), loop) ||
          !definedOutside(op.getB(), loop))
        return;
      auto result = cast<RankedTensorType>(op.getType());
      int64_t steps = slice.getSourceType().getDimSize(0);
      int64_t bytes = steps * result.getNumElements() *
                      (result.getElementType().getIntOrFloatBitWidth() / 8);
      if (bytes > maxBytes)
        return;
      candidates.push_back(op);
    });
    for (MatMulOp op : candidates)
      hoist(op);
  }

  void hoist(MatMulOp op) {
    auto loop = cast<scf::WhileOp>(op->getParentOp());
    auto slice = op.getA().getDefiningOp<tensor::ExtractSliceOp>();
    OpFoldResult offset = *rowOffset(slice);
    auto x = slice.getSourceType(); // [T, B, F]
    auto result = cast<RankedTensorType>(op.getType()); // [B, N]
    int64_t steps = x.getDimSize(0), batch = x.getDimSize(1), n = result.getDimSize(1);
    Type e = result.getElementType();
    Location loc = op.getLoc();
    OpBuilder b(loop);
    Value rows = b.create<ReshapeOp>(
        loc, RankedTensorType::get({steps * batch, x.getDimSize(2)}, x.getElementType()),
        slice.getSource());
    Value all = b.create<MatMulOp>(loc, RankedTensorType::get({steps * batch, n}, e), rows,
                                   op.getB(), op.getTransposeAAttr(), op.getTransposeBAttr());
    // The step reads rows [t * B, (t + 1) * B) of the [T * B, N] product. (Slicing the 2-D
    // product directly keeps it a plain matmul: a reshape after it would be fused into it.)
    b.setInsertionPoint(op);
    Value first = getValueOrCreateConstantIndexOp(b, loc, offset);
    if (batch != 1)
      first = b.create<arith::MulIOp>(loc, first, b.create<arith::ConstantIndexOp>(loc, batch));
    SmallVector<OpFoldResult> offsets{first, b.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes{b.getIndexAttr(batch), b.getIndexAttr(n)};
    SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
    Value row = b.create<tensor::ExtractSliceOp>(loc, result, all, offsets, sizes, strides);
    op.replaceAllUsesWith(row);
    op.erase();
    if (slice->use_empty())
      slice.erase();
  }
};

} // namespace
