//===- PadInPlace.cpp - Padded tensors without a copy ---------------------===//
//
// pad(x, v) = insert_slice(x, into: B) where B has only its border slabs filled with v. B is
// built right before the top-level op that computes x, so that empty-tensor elimination can
// make that op's destination the interior of B.
//
//===----------------------------------------------------------------------===//

#include "smc/Dialect/Smc/Transforms/Passes.h"
#include "smc/Dialect/Smc/Transforms/EmptyTensors.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"

namespace mlir::smc {
#define GEN_PASS_DEF_PADINPLACE
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;

namespace {

void rewritePad(IRRewriter &rewriter, tensor::PadOp pad) {
  RankedTensorType type = pad.getResultType();
  Value source = pad.getSource();
  auto sourceType = cast<RankedTensorType>(source.getType());
  if (!type.hasStaticShape() || !sourceType.hasStaticShape() || pad.getNofold())
    return;
  Value value = pad.getConstantPaddingValue();
  if (!value || !matchPattern(value, m_Constant()))
    return;
  std::optional<SmallVector<int64_t>> lowPad = getConstantIntValues(pad.getMixedLowPad());
  std::optional<SmallVector<int64_t>> highPad = getConstantIntValues(pad.getMixedHighPad());
  if (!lowPad || !highPad)
    return;
  ArrayRef<int64_t> low = *lowPad, high = *highPad;

  // Build B before the top-level op that computes the source (or at the pad for an argument).
  // A source assembled from parts (a convolution's row split in two: insert_slice(part 2,
  // insert_slice(part 1, E))) needs B before the first part (and the empty tensor it is
  // computed in), and before the first use of E.
  Operation *anchor = pad;
  Block *block = pad->getBlock();
  auto consider = [&](Operation *op) {
    if (Operation *top = op ? block->findAncestorOpInBlock(*op) : nullptr)
      if (top->isBeforeInBlock(anchor))
        anchor = top;
  };
  Value part = source;
  consider(part.getDefiningOp());
  while (auto insert = part.getDefiningOp<tensor::InsertSliceOp>()) {
    consider(insert.getSource().getDefiningOp());
    if (tensor::EmptyOp own = mlir::smc::rootEmpty(insert.getSource()))
      consider(own);
    part = insert.getDest();
  }
  if (part != source)
    if (auto whole = part.getDefiningOp<tensor::EmptyOp>())
      for (Operation *user : whole->getUsers())
        consider(user);
  Location loc = pad.getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(anchor);
  Value padValue = rewriter.clone(*value.getDefiningOp())->getResult(0);
  Value buffer = rewriter.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
  // The border as slabs: for dimension d, the low and high pad of d, within the interior of
  // the dimensions before d and across the whole of those after it.
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rank = type.getRank();
  for (int64_t d = 0; d < rank; ++d) {
    for (bool isLow : {true, false}) {
      int64_t width = isLow ? low[d] : high[d];
      if (width == 0)
        continue;
      SmallVector<int64_t> offsets(rank, 0), sizes(shape);
      for (int64_t e = 0; e < d; ++e) {
        offsets[e] = low[e];
        sizes[e] = sourceType.getDimSize(e);
      }
      offsets[d] = isLow ? 0 : low[d] + sourceType.getDimSize(d);
      sizes[d] = width;
      Value slab = rewriter.create<tensor::EmptyOp>(loc, sizes, type.getElementType());
      slab = rewriter.create<linalg::FillOp>(loc, padValue, slab).getResult(0);
      buffer = rewriter.create<tensor::InsertSliceOp>(
          loc, slab, buffer, getAsIndexOpFoldResult(rewriter.getContext(), offsets),
          getAsIndexOpFoldResult(rewriter.getContext(), sizes),
          getAsIndexOpFoldResult(rewriter.getContext(), SmallVector<int64_t>(rank, 1)));
    }
  }
  rewriter.setInsertionPoint(pad);
  Value result = rewriter.create<tensor::InsertSliceOp>(
      loc, source, buffer, getAsIndexOpFoldResult(rewriter.getContext(), low),
      getAsIndexOpFoldResult(rewriter.getContext(), sourceType.getShape()),
      getAsIndexOpFoldResult(rewriter.getContext(), SmallVector<int64_t>(rank, 1)));
  rewriter.replaceOp(pad, result);
}

struct PadInPlacePass : mlir::smc::impl::PadInPlaceBase<PadInPlacePass> {
  void runOnOperation() override {
    SmallVector<tensor::PadOp> pads;
    getOperation().walk([&](tensor::PadOp pad) {
      if (isa<func::FuncOp>(pad->getParentOp()))
        pads.push_back(pad);
    });
    IRRewriter rewriter(&getContext());
    for (tensor::PadOp pad : pads)
      rewritePad(rewriter, pad);
  }
};

} // namespace
