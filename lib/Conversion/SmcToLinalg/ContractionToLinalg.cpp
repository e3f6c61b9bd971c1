//===- ContractionToLinalg.cpp - matmul, batch_matmul, softmax ------------===//

#include "Utils.h"

using namespace mlir;
using namespace mlir::smc;

namespace {

struct MatMulLowering : OpConversionPattern<MatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(MatMulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Value a = adaptor.getA(), b = adaptor.getB();
    Value init = filledTensor(rewriter, loc, type,
                              scalarConstant(rewriter, loc, type.getElementType(), 0.0, 0));
    bool ta = op.getTransposeA(), tb = op.getTransposeB();
    if (ta && tb) {
      // a^T b^T: transpose a explicitly, then a b^T.
      auto at = tensorTypeOf(a);
      auto tt = RankedTensorType::get({at.getDimSize(1), at.getDimSize(0)}, at.getElementType());
      a = rewriter
              .create<linalg::TransposeOp>(loc, a, emptyTensor(rewriter, loc, tt),
                                           ArrayRef<int64_t>{1, 0})
              .getResult()[0];
      ta = false;
    }
    Value r;
    if (ta)
      r = rewriter.create<linalg::MatmulTransposeAOp>(loc, type, ValueRange{a, b}, init).getResult(0);
    else if (tb)
      r = rewriter.create<linalg::MatmulTransposeBOp>(loc, type, ValueRange{a, b}, init).getResult(0);
    else
      r = rewriter.create<linalg::MatmulOp>(loc, type, ValueRange{a, b}, init).getResult(0);
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// A float batched matmul without adjoints whose operands have the result's batch dims (no
/// broadcasting) as one linalg.batch_matmul over the batch dims collapsed into one, which the
/// tiling recognises; null otherwise.
Value asBatchMatmul(OpBuilder &b, Location loc, RankedTensorType type, Value x, Value y,
                    bool adjoint) {
  auto xt = tensorTypeOf(x), yt = tensorTypeOf(y);
  int64_t rank = type.getRank();
  if (adjoint || !isa<FloatType>(type.getElementType()) || xt.getRank() != rank ||
      yt.getRank() != rank || rank < 3)
    return nullptr;
  auto batchDims = type.getShape().drop_back(2);
  if (xt.getShape().drop_back(2) != batchDims || yt.getShape().drop_back(2) != batchDims)
    return nullptr;
  int64_t batch = 1;
  for (int64_t d : batchDims)
    batch *= d;
  SmallVector<ReassociationIndices> groups{{}};
  for (int64_t d = 0; d < rank - 2; ++d)
    groups[0].push_back(d);
  groups.push_back({rank - 2});
  groups.push_back({rank - 1});
  auto collapse = [&](Value v) -> Value {
    if (rank == 3)
      return v;
    return b.create<tensor::CollapseShapeOp>(loc, v, groups);
  };
  auto outType = RankedTensorType::get({batch, type.getDimSize(rank - 2), type.getDimSize(rank - 1)},
                                       type.getElementType());
  Value init = filledTensor(b, loc, outType, scalarConstant(b, loc, type.getElementType(), 0.0, 0));
  Value r = b.create<linalg::BatchMatmulOp>(loc, TypeRange{outType}, ValueRange{collapse(x), collapse(y)},
                                            ValueRange{init})
                .getResult(0);
  if (rank == 3)
    return r;
  return b.create<tensor::ExpandShapeOp>(loc, type, r, groups);
}

/// Batched matmul with broadcast batch dims and adjoints: one linalg.generic over
/// (batch..., m, n, k).
struct BatchMatMulLowering : OpConversionPattern<BatchMatMulOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(BatchMatMulOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Value x = adaptor.getX(), y = adaptor.getY();
    int64_t rank = type.getRank(), batch = rank - 2;
    int64_t loops = rank + 1; // batch..., m, n, k
    AffineExpr m = getAffineDimExpr(batch, ctx), n = getAffineDimExpr(batch + 1, ctx),
               k = getAffineDimExpr(batch + 2, ctx);
    auto operandMap = [&](Value v, AffineExpr r0, AffineExpr r1) {
      auto shape = tensorTypeOf(v).getShape();
      int64_t vb = shape.size() - 2;
      SmallVector<AffineExpr> exprs;
      for (int64_t i = 0; i < vb; ++i) {
        int64_t d = batch - vb + i;
        exprs.push_back(shape[i] == 1 && type.getDimSize(d) != 1 ? getAffineConstantExpr(0, ctx)
                                                                 : getAffineDimExpr(d, ctx));
      }
      exprs.push_back(r0);
      exprs.push_back(r1);
      return AffineMap::get(loops, 0, exprs, ctx);
    };
    if (Value named = asBatchMatmul(rewriter, loc, type, x, y, op.getAdjX() || op.getAdjY())) {
      rewriter.replaceOp(op, named);
      return success();
    }
    AffineMap xMap = op.getAdjX() ? operandMap(x, k, m) : operandMap(x, m, k);
    AffineMap yMap = op.getAdjY() ? operandMap(y, n, k) : operandMap(y, k, n);
    SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < rank; ++i)
      outExprs.push_back(getAffineDimExpr(i, ctx));
    AffineMap outMap = AffineMap::get(loops, 0, outExprs, ctx);
    SmallVector<utils::IteratorType> iterators(loops, utils::IteratorType::parallel);
    iterators.back() = utils::IteratorType::reduction;
    Type elem = type.getElementType();
    bool isFloat = isa<FloatType>(elem);
    Value init = filledTensor(rewriter, loc, type, scalarConstant(rewriter, loc, elem, 0.0, 0));
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{type}, ValueRange{x, y}, ValueRange{init},
        ArrayRef<AffineMap>{xMap, yMap, outMap}, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value p = isFloat ? b.create<arith::MulFOp>(l, args[0], args[1]).getResult()
                            : b.create<arith::MulIOp>(l, args[0], args[1]).getResult();
          Value s = isFloat ? b.create<arith::AddFOp>(l, args[2], p).getResult()
                            : b.create<arith::AddIOp>(l, args[2], p).getResult();
          b.create<linalg::YieldOp>(l, s);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Reduces `x` over its last dim with `combine`, starting from `initValue`.
Value reduceLast(OpBuilder &b, Location loc, Value x, Value initValue,
                 function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto t = tensorTypeOf(x);
  SmallVector<int64_t> shape(t.getShape().drop_back());
  auto outType = RankedTensorType::get(shape, t.getElementType());
  Value init = filledTensor(b, loc, outType, initValue);
  auto reduce = b.create<linalg::ReduceOp>(
      loc, ValueRange{x}, ValueRange{init}, ArrayRef<int64_t>{t.getRank() - 1},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        nb.create<linalg::YieldOp>(l, combine(nb, l, args[0], args[1]));
      });
  return reduce.getResult(0);
}

/// A generic over `x`'s shape reading `x` and a tensor `r` reduced over the last dim.
Value mapWithReduced(OpBuilder &b, Location loc, Value x, Value r,
                     function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  MLIRContext *ctx = b.getContext();
  auto t = tensorTypeOf(x);
  int64_t rank = t.getRank();
  AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
  AffineMap dropLast = AffineMap::getMultiDimIdentityMap(rank, ctx).dropResult(rank - 1);
  SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{t}, ValueRange{x, r}, ValueRange{emptyTensor(b, loc, t)},
      ArrayRef<AffineMap>{id, dropLast, id}, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        nb.create<linalg::YieldOp>(l, body(nb, l, args[0], args[1]));
      });
  return generic.getResult(0);
}

struct SoftmaxLowering : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    Type elem = tensorTypeOf(x).getElementType();
    auto ft = cast<FloatType>(elem);
    Value negInf = rewriter.create<arith::ConstantOp>(
        loc, rewriter.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), true)));
    Value max = reduceLast(rewriter, loc, x, negInf, [](OpBuilder &b, Location l, Value a, Value c) {
      return b.create<arith::MaximumFOp>(l, a, c);
    });
    Value shifted = mapWithReduced(rewriter, loc, x, max, [](OpBuilder &b, Location l, Value a, Value m) {
      return b.create<arith::SubFOp>(l, a, m);
    });
    Value exps = buildElementwise(rewriter, loc, tensorTypeOf(x), ValueRange{shifted},
                                  [](OpBuilder &b, Location l, ValueRange a) -> Value {
                                    return b.create<math::ExpOp>(l, a[0]);
                                  });
    Value zero = scalarConstant(rewriter, loc, elem, 0.0);
    Value sum = reduceLast(rewriter, loc, exps, zero, [](OpBuilder &b, Location l, Value a, Value c) {
      return b.create<arith::AddFOp>(l, a, c);
    });
    Value r;
    if (op.getLog())
      r = mapWithReduced(rewriter, loc, shifted, sum, [](OpBuilder &b, Location l, Value s, Value t) {
        return b.create<arith::SubFOp>(l, s, b.create<math::LogOp>(l, t));
      });
    else {
      // exp * (1 / sum), as TensorFlow's kernel computes it: one division per row, not one per
      // element.
      Value one = scalarConstant(rewriter, loc, elem, 1.0);
      Value inverse = buildElementwise(rewriter, loc, tensorTypeOf(sum), ValueRange{sum},
                                       [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                                         return b.create<arith::DivFOp>(l, one, a[0]);
                                       });
      r = mapWithReduced(rewriter, loc, exps, inverse,
                         [](OpBuilder &b, Location l, Value e, Value t) {
                           return b.create<arith::MulFOp>(l, e, t);
                         });
    }
    rewriter.replaceOp(op, r);
    return success();
  }
};

} // namespace

void mlir::smc::populateContractionToLinalgPatterns(SmcTypeConverter &converter,
                                                    RewritePatternSet &patterns) {
  patterns.add<MatMulLowering, BatchMatMulLowering, SoftmaxLowering>(converter,
                                                                     patterns.getContext());
}
