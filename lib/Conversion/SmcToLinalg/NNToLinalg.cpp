//===- NNToLinalg.cpp - conv2d, depthwise_conv2d, pool, pad ---------------===//
//
// The convolutions map onto linalg's named NHWC ops, whose filter layouts are TF's (HWIO is
// linalg's HWCF, HWCM is HWCM); padding becomes a tensor.pad in front of them.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

using namespace mlir;
using namespace mlir::smc;

namespace {

/// `x` (NHWC) with `padding = [top, bottom, left, right]` cells of `value` added.
Value padSpatial(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> padding, Value value) {
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return x;
  auto t = tensorTypeOf(x);
  SmallVector<int64_t> shape(t.getShape());
  shape[1] += padding[0] + padding[1];
  shape[2] += padding[2] + padding[3];
  SmallVector<OpFoldResult> low = {b.getIndexAttr(0), b.getIndexAttr(padding[0]),
                                   b.getIndexAttr(padding[2]), b.getIndexAttr(0)};
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(padding[1]),
                                    b.getIndexAttr(padding[3]), b.getIndexAttr(0)};
  return b.create<tensor::PadOp>(loc, RankedTensorType::get(shape, t.getElementType()), x, low,
                                 high, value);
}

Value floatConstant(OpBuilder &b, Location loc, Type elem, bool negInf) {
  auto ft = cast<FloatType>(elem);
  APFloat v = negInf ? APFloat::getInf(ft.getFloatSemantics(), true)
                     : APFloat::getZero(ft.getFloatSemantics());
  return b.create<arith::ConstantOp>(loc, b.getFloatAttr(ft, v));
}

struct Conv2DLowering : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = tensorTypeOf(op.getResult());
    auto in = tensorTypeOf(adaptor.getInput()), f = tensorTypeOf(adaptor.getFilter());
    if (f.getDimSize(2) != in.getDimSize(3))
      return op.emitError("grouped convolutions (filter input channels ")
             << f.getDimSize(2) << " < input channels " << in.getDimSize(3)
             << ") are not supported yet";
    Type elem = type.getElementType();
    Value zero = floatConstant(rewriter, loc, elem, false);
    Value padded = padSpatial(rewriter, loc, adaptor.getInput(), op.getPadding(), zero);
    Value init = filledTensor(rewriter, loc, type, zero);
    auto conv = rewriter.create<linalg::Conv2DNhwcHwcfOp>(
        loc, TypeRange{type}, ValueRange{padded, adaptor.getFilter()}, ValueRange{init},
        rewriter.getI64TensorAttr(op.getStrides()), rewriter.getI64TensorAttr(op.getDilations()));
    rewriter.replaceOp(op, conv.getResult(0));
    return success();
  }
};

struct DepthwiseLowering : OpConversionPattern<DepthwiseConv2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(DepthwiseConv2DOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = tensorTypeOf(op.getResult());
    auto f = tensorTypeOf(adaptor.getFilter());
    Type elem = type.getElementType();
    Value zero = floatConstant(rewriter, loc, elem, false);
    Value padded = padSpatial(rewriter, loc, adaptor.getInput(), op.getPadding(), zero);
    auto strides = rewriter.getI64TensorAttr(op.getStrides());
    auto dilations = rewriter.getI64TensorAttr(op.getDilations());
    int64_t c = f.getDimSize(2), m = f.getDimSize(3);
    Value result;
    if (m == 1) {
      // HWC1 -> HWC, then the multiplier-free op.
      auto hwc = RankedTensorType::get({f.getDimSize(0), f.getDimSize(1), c}, elem);
      Value filter = rewriter.create<tensor::CollapseShapeOp>(
          loc, hwc, adaptor.getFilter(), ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
      Value init = filledTensor(rewriter, loc, type, zero);
      result = rewriter
                   .create<linalg::DepthwiseConv2DNhwcHwcOp>(
                       loc, TypeRange{type}, ValueRange{padded, filter}, ValueRange{init},
                       strides, dilations)
                   .getResult(0);
    } else {
      auto wide = RankedTensorType::get(
          {type.getDimSize(0), type.getDimSize(1), type.getDimSize(2), c, m}, elem);
      Value init = filledTensor(rewriter, loc, wide, zero);
      Value r = rewriter
                    .create<linalg::DepthwiseConv2DNhwcHwcmOp>(
                        loc, TypeRange{wide}, ValueRange{padded, adaptor.getFilter()},
                        ValueRange{init}, strides, dilations)
                    .getResult(0);
      result = rewriter.create<tensor::CollapseShapeOp>(
          loc, type, r, ArrayRef<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct PoolLowering : OpConversionPattern<PoolOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(PoolOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = tensorTypeOf(op.getResult());
    Type elem = type.getElementType();
    bool isMax = op.getKind() == PoolKind::max;
    ArrayRef<int64_t> window = op.getWindow(), strides = op.getStrides(),
                      padding = op.getPadding();
    Value fill = floatConstant(rewriter, loc, elem, isMax);
    Value padded = padSpatial(rewriter, loc, adaptor.getInput(), padding, fill);
    Value windowTensor = rewriter.create<tensor::EmptyOp>(loc, window, elem);
    Value init = filledTensor(rewriter, loc, type, fill);
    auto stridesAttr = rewriter.getI64TensorAttr(strides);
    auto dilationsAttr = rewriter.getI64TensorAttr({1, 1});
    Value pooled;
    if (isMax)
      pooled = rewriter
                   .create<linalg::PoolingNhwcMaxOp>(loc, TypeRange{type},
                                                     ValueRange{padded, windowTensor},
                                                     ValueRange{init}, stridesAttr, dilationsAttr)
                   .getResult(0);
    else
      pooled = rewriter
                   .create<linalg::PoolingNhwcSumOp>(loc, TypeRange{type},
                                                     ValueRange{padded, windowTensor},
                                                     ValueRange{init}, stridesAttr, dilationsAttr)
                   .getResult(0);
    if (isMax) {
      rewriter.replaceOp(op, pooled);
      return success();
    }
    // Average: divide by the number of window cells inside the input at each position.
    auto in = tensorTypeOf(op.getInput());
    int64_t oh = type.getDimSize(1), ow = type.getDimSize(2);
    auto inside = [](int64_t o, int64_t s, int64_t pad, int64_t k, int64_t dim) {
      int64_t n = 0;
      for (int64_t i = 0; i < k; ++i) {
        int64_t p = o * s - pad + i;
        n += p >= 0 && p < dim;
      }
      return n;
    };
    SmallVector<Attribute> counts;
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x)
        counts.push_back(rewriter.getFloatAttr(
            elem, double(inside(y, strides[0], padding[0], window[0], in.getDimSize(1)) *
                         inside(x, strides[1], padding[2], window[1], in.getDimSize(2)))));
    auto countType = RankedTensorType::get({oh, ow}, elem);
    Value countTensor =
        rewriter.create<arith::ConstantOp>(loc, DenseElementsAttr::get(countType, counts));
    AffineMap id = AffineMap::getMultiDimIdentityMap(4, ctx);
    AffineMap hw = AffineMap::get(4, 0, {getAffineDimExpr(1, ctx), getAffineDimExpr(2, ctx)}, ctx);
    SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
    auto avg = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{type}, ValueRange{pooled, countTensor},
        ValueRange{emptyTensor(rewriter, loc, type)}, ArrayRef<AffineMap>{id, hw, id}, iterators,
        [](OpBuilder &b, Location l, ValueRange args) {
          b.create<linalg::YieldOp>(l, b.create<arith::DivFOp>(l, args[0], args[1]).getResult());
        });
    rewriter.replaceOp(op, avg.getResult(0));
    return success();
  }
};

struct PadLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(PadOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    ArrayRef<int64_t> low = op.getLow(), high = op.getHigh();
    Value x = adaptor.getX();
    auto xt = tensorTypeOf(x);
    if (op.getMode() == PadMode::constant) {
      auto value = cast<TypedAttr>(op.getValue());
      Type elem = type.getElementType();
      Attribute v = isa<FloatType>(elem)
                        ? Attribute(rewriter.getFloatAttr(elem, cast<FloatAttr>(value).getValue()))
                        : Attribute(rewriter.getIntegerAttr(elem, cast<IntegerAttr>(value).getValue()));
      Value pv = rewriter.create<arith::ConstantOp>(loc, cast<TypedAttr>(v));
      SmallVector<OpFoldResult> lo, hi;
      for (size_t d = 0; d < low.size(); ++d) {
        lo.push_back(rewriter.getIndexAttr(low[d]));
        hi.push_back(rewriter.getIndexAttr(high[d]));
      }
      rewriter.replaceOpWithNewOp<tensor::PadOp>(op, type, x, lo, hi, pv);
      return success();
    }
    // Mirror padding: each output element reads the input at a reflected index.
    bool symmetric = op.getMode() == PadMode::symmetric;
    int64_t rank = type.getRank();
    AffineMap id = AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext());
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{type}, ValueRange{}, ValueRange{emptyTensor(rewriter, loc, type)},
        ArrayRef<AffineMap>{id}, iterators, [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> idx;
          for (int64_t d = 0; d < rank; ++d) {
            int64_t dim = xt.getDimSize(d);
            Value o = b.create<linalg::IndexOp>(l, d);
            Value i = b.create<arith::SubIOp>(l, o, b.create<arith::ConstantIndexOp>(l, low[d]));
            Value zero = b.create<arith::ConstantIndexOp>(l, 0);
            // below: reflect -i, symmetric -i-1; above: reflect 2(dim-1)-i, symmetric 2dim-1-i
            Value neg = b.create<arith::SubIOp>(
                l, b.create<arith::ConstantIndexOp>(l, symmetric ? -1 : 0), i);
            Value over = b.create<arith::SubIOp>(
                l, b.create<arith::ConstantIndexOp>(l, symmetric ? 2 * dim - 1 : 2 * (dim - 1)), i);
            Value isBelow = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, i, zero);
            Value isAbove = b.create<arith::CmpIOp>(
                l, arith::CmpIPredicate::sge, i, b.create<arith::ConstantIndexOp>(l, dim));
            Value r = b.create<arith::SelectOp>(l, isBelow, neg, i);
            idx.push_back(b.create<arith::SelectOp>(l, isAbove, over, r));
          }
          b.create<linalg::YieldOp>(l, b.create<tensor::ExtractOp>(l, x, idx).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void mlir::smc::populateNNToLinalgPatterns(SmcTypeConverter &converter,
                                           RewritePatternSet &patterns) {
  patterns.add<Conv2DLowering, DepthwiseLowering, PoolLowering, PadLowering>(
      converter, patterns.getContext());
}
