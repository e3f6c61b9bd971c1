//===- Utils.cpp - Helpers shared by the smc-to-linalg patterns -----------===//

#include "Utils.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

using namespace mlir;
using namespace mlir::smc;

Value mlir::smc::scalarConstant(OpBuilder &b, Location loc, Type type, double f, int64_t i) {
  if (auto ft = dyn_cast<FloatType>(type))
    return b.create<arith::ConstantOp>(loc, b.getFloatAttr(ft, f));
  return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(type, i));
}

Value mlir::smc::filledTensor(OpBuilder &b, Location loc, RankedTensorType type, Value scalar) {
  Value empty = emptyTensor(b, loc, type);
  return b.create<linalg::FillOp>(loc, scalar, empty).getResult(0);
}

AffineMap mlir::smc::broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> operandShape,
                                  ArrayRef<int64_t> resultShape) {
  int64_t rank = resultShape.size();
  int64_t offset = rank - static_cast<int64_t>(operandShape.size());
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0, e = operandShape.size(); i < e; ++i) {
    // A size-1 dim broadcasts, unless the result has size 1 there too.
    bool broadcast = operandShape[i] == 1 && resultShape[i + offset] != 1;
    exprs.push_back(broadcast ? getAffineConstantExpr(0, ctx) : getAffineDimExpr(i + offset, ctx));
  }
  return AffineMap::get(rank, 0, exprs, ctx);
}

Value mlir::smc::buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                                  ValueRange inputs,
                                  function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(ctx, tensorTypeOf(in).getShape(), resultType.getShape()));
  maps.push_back(AffineMap::getMultiDimIdentityMap(rank, ctx));
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  Value init = emptyTensor(b, loc, resultType);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value r = body(nb, nloc, args.drop_back());
        nb.create<linalg::YieldOp>(nloc, r);
      });
  return generic.getResult(0);
}

/// Reshapes `v` (static shape) to `shape` through collapse/expand, which bufferize to views.
Value mlir::smc::reshapeTo(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> shape) {
  auto t = tensorTypeOf(v);
  auto target = RankedTensorType::get(shape, t.getElementType());
  if (t == target)
    return v;
  if (t.getRank() > 1 || (t.getRank() == 1 && target.getRank() == 0)) {
    // Collapse to 1-D (or to a scalar).
    int64_t rank = target.getRank() == 0 ? 0 : 1;
    SmallVector<ReassociationIndices> groups;
    if (rank == 1) {
      ReassociationIndices all;
      for (int64_t i = 0; i < t.getRank(); ++i)
        all.push_back(i);
      groups.push_back(all);
    }
    SmallVector<int64_t> flat = rank == 1 ? SmallVector<int64_t>{t.getNumElements()}
                                          : SmallVector<int64_t>{};
    auto flatType = RankedTensorType::get(flat, t.getElementType());
    v = b.create<tensor::CollapseShapeOp>(loc, flatType, v, groups);
    t = flatType;
    if (t == target)
      return v;
  }
  SmallVector<ReassociationIndices> groups;
  if (t.getRank() == 1) {
    ReassociationIndices all;
    for (int64_t i = 0; i < target.getRank(); ++i)
      all.push_back(i);
    groups.push_back(all);
  }
  if (target.getRank() == 1 && t.getRank() == 1)
    return v;
  if (target.getRank() == 0)
    return b.create<tensor::CollapseShapeOp>(loc, target, v, groups);
  return b.create<tensor::ExpandShapeOp>(loc, target, v, groups);
}

