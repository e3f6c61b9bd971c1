//===- ReductionToLinalg.cpp - reduce, arg_max ----------------------------===//

#include "Utils.h"


using namespace mlir;
using namespace mlir::smc;

namespace {

/// The identity element of `kind` for TF element type `tfElem` (as a signless scalar).
Value identityOf(OpBuilder &b, Location loc, ReduceKind kind, Type tfElem, Type elem) {
  if (auto ft = dyn_cast<FloatType>(elem)) {
    const auto &sem = ft.getFloatSemantics();
    switch (kind) {
    case ReduceKind::max:
      return b.create<arith::ConstantOp>(loc, b.getFloatAttr(ft, APFloat::getInf(sem, true)));
    case ReduceKind::min:
      return b.create<arith::ConstantOp>(loc, b.getFloatAttr(ft, APFloat::getInf(sem, false)));
    case ReduceKind::prod:
      return scalarConstant(b, loc, elem, 1.0);
    default:
      return scalarConstant(b, loc, elem, 0.0);
    }
  }
  unsigned w = elem.getIntOrFloatBitWidth();
  bool u = tfElem.isUnsignedInteger();
  APInt v;
  switch (kind) {
  case ReduceKind::max:
    v = u ? APInt::getMinValue(w) : APInt::getSignedMinValue(w);
    break;
  case ReduceKind::min:
    v = u ? APInt::getMaxValue(w) : APInt::getSignedMaxValue(w);
    break;
  case ReduceKind::prod:
  case ReduceKind::all:
    v = APInt(w, 1);
    break;
  default:
    v = APInt(w, 0);
  }
  return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(elem, v));
}

Value combine(OpBuilder &b, Location loc, ReduceKind kind, Type tfElem, Value x, Value acc) {
  bool f = isa<FloatType>(x.getType());
  bool u = tfElem.isUnsignedInteger();
  switch (kind) {
  case ReduceKind::sum:
  case ReduceKind::mean:
    return f ? b.create<arith::AddFOp>(loc, x, acc).getResult()
             : b.create<arith::AddIOp>(loc, x, acc).getResult();
  case ReduceKind::prod:
    return f ? b.create<arith::MulFOp>(loc, x, acc).getResult()
             : b.create<arith::MulIOp>(loc, x, acc).getResult();
  case ReduceKind::max:
    return f ? b.create<arith::MaximumFOp>(loc, x, acc).getResult()
           : u ? b.create<arith::MaxUIOp>(loc, x, acc).getResult()
               : b.create<arith::MaxSIOp>(loc, x, acc).getResult();
  case ReduceKind::min:
    return f ? b.create<arith::MinimumFOp>(loc, x, acc).getResult()
           : u ? b.create<arith::MinUIOp>(loc, x, acc).getResult()
               : b.create<arith::MinSIOp>(loc, x, acc).getResult();
  case ReduceKind::all:
    return b.create<arith::AndIOp>(loc, x, acc);
  case ReduceKind::any:
    return b.create<arith::OrIOp>(loc, x, acc);
  }
  return nullptr;
}

struct ReduceLowering : OpConversionPattern<ReduceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ReduceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xt = tensorTypeOf(x);
    Type elem = xt.getElementType();
    Type tfElem = tensorTypeOf(op.getX()).getElementType();
    ReduceKind kind = op.getKind();
    auto noKeep = reducedShape(xt.getShape(), op.getAxes(), false);
    auto outType = RankedTensorType::get(noKeep, elem);
    Value init = filledTensor(rewriter, loc, outType, identityOf(rewriter, loc, kind, tfElem, elem));
    Value r;
    if (op.getAxes().empty()) {
      r = x;
    } else {
      auto reduce = rewriter.create<linalg::ReduceOp>(
          loc, ValueRange{x}, ValueRange{init}, op.getAxes(),
          [&](OpBuilder &b, Location l, ValueRange args) {
            b.create<linalg::YieldOp>(l, combine(b, l, kind, tfElem, args[0], args[1]));
          });
      r = reduce.getResult(0);
    }
    if (kind == ReduceKind::mean) {
      int64_t count = 1;
      for (int64_t a : op.getAxes())
        count *= xt.getDimSize(a);
      r = buildElementwise(rewriter, loc, outType, ValueRange{r},
                           [&](OpBuilder &b, Location l, ValueRange a) -> Value {
                             Value c = scalarConstant(b, l, elem, double(count), count);
                             if (isa<FloatType>(elem))
                               return b.create<arith::DivFOp>(l, a[0], c);
                             if (tfElem.isUnsignedInteger())
                               return b.create<arith::DivUIOp>(l, a[0], c);
                             return b.create<arith::DivSIOp>(l, a[0], c);
                           });
    }
    auto resultType = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    rewriter.replaceOp(op, reshapeTo(rewriter, loc, r, resultType.getShape()));
    return success();
  }
};

struct ArgMaxLowering : OpConversionPattern<ArgMaxOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ArgMaxOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value x = adaptor.getX();
    auto xt = tensorTypeOf(x);
    Type elem = xt.getElementType();
    Type tfElem = tensorTypeOf(op.getX()).getElementType();
    auto idxType = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    int64_t axis = op.getAxis(), rank = xt.getRank();
    bool isMin = op.getMin();
    auto valType = RankedTensorType::get(idxType.getShape(), elem);
    Value startVal = identityOf(rewriter, loc, isMin ? ReduceKind::min : ReduceKind::max, tfElem, elem);
    Value valInit = filledTensor(rewriter, loc, valType, startVal);
    Value idxInit = filledTensor(rewriter, loc, idxType,
                                 scalarConstant(rewriter, loc, idxType.getElementType(), 0.0, 0));
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap drop = id.dropResult(axis);
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    iterators[axis] = utils::IteratorType::reduction;
    bool f = isa<FloatType>(elem), u = tfElem.isUnsignedInteger();
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{valType, idxType}, ValueRange{x}, ValueRange{valInit, idxInit},
        ArrayRef<AffineMap>{id, drop, drop}, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value v = args[0], best = args[1], bestIdx = args[2];
          Value better;
          if (f) {
            // Strictly better, or the first NaN (NaN wins, as in TF's kernels).
            better = b.create<arith::CmpFOp>(l, isMin ? arith::CmpFPredicate::OLT
                                                      : arith::CmpFPredicate::OGT,
                                             v, best);
            Value vNan = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::UNO, v, v);
            Value bestNotNan = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::ORD, best, best);
            better = b.create<arith::OrIOp>(l, better,
                                            b.create<arith::AndIOp>(l, vNan, bestNotNan));
          } else {
            auto pred = isMin ? (u ? arith::CmpIPredicate::ult : arith::CmpIPredicate::slt)
                              : (u ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt);
            better = b.create<arith::CmpIOp>(l, pred, v, best);
          }
          Value i = b.create<linalg::IndexOp>(l, axis);
          Value ii = b.create<arith::IndexCastOp>(l, idxType.getElementType(), i);
          Value nv = b.create<arith::SelectOp>(l, better, v, best);
          Value ni = b.create<arith::SelectOp>(l, better, ii, bestIdx);
          b.create<linalg::YieldOp>(l, ValueRange{nv, ni});
        });
    rewriter.replaceOp(op, generic.getResult(1));
    return success();
  }
};

} // namespace

void mlir::smc::populateReductionToLinalgPatterns(SmcTypeConverter &converter,
                                                  RewritePatternSet &patterns) {
  patterns.add<ReduceLowering, ArgMaxLowering>(converter, patterns.getContext());
}
