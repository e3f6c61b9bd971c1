//===- NNToLinalg.cpp - conv2d, depthwise_conv2d, pool, pad ---------------===//
//
// The convolutions map onto linalg's named NHWC ops, whose filter layouts are TF's (HWIO is
// linalg's HWCF, HWCM is HWCM); padding becomes a tensor.pad in front of them.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

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

/// A depthwise convolution of the padded NHWC input `padded` with `filter`, HWCM (output
/// channel c*M + m, TF's DepthwiseConv2dNative) or HWC (M = 1): M = 1 uses the multiplier-free
/// op.
Value depthwise(OpBuilder &b, Location loc, RankedTensorType type, Value padded, Value filter,
                ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations) {
  auto f = tensorTypeOf(filter);
  Type elem = type.getElementType();
  Value zero = floatConstant(b, loc, elem, false);
  auto stridesAttr = b.getI64TensorAttr(strides), dilationsAttr = b.getI64TensorAttr(dilations);
  if (f.getRank() == 4 && f.getDimSize(3) == 1) // HWC1 -> HWC
    filter = b.create<tensor::CollapseShapeOp>(loc, filter,
                                               ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  if (tensorTypeOf(filter).getRank() == 3) {
    Value init = filledTensor(b, loc, type, zero);
    return b
        .create<linalg::DepthwiseConv2DNhwcHwcOp>(loc, TypeRange{type}, ValueRange{padded, filter},
                                                  ValueRange{init}, stridesAttr, dilationsAttr)
        .getResult(0);
  }
  int64_t c = f.getDimSize(2), m = f.getDimSize(3);
  auto wide = RankedTensorType::get(
      {type.getDimSize(0), type.getDimSize(1), type.getDimSize(2), c, m}, elem);
  Value init = filledTensor(b, loc, wide, zero);
  Value r =
      b.create<linalg::DepthwiseConv2DNhwcHwcmOp>(loc, TypeRange{wide}, ValueRange{padded, filter},
                                                  ValueRange{init}, stridesAttr, dilationsAttr)
          .getResult(0);
  return b.create<tensor::CollapseShapeOp>(loc, type, r,
                                           ArrayRef<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
}

/// smc.conv2d with G = C / I groups (input channels C, filter HWIO with I = C / G input and O
/// output channels): output channel o belongs to group g = o / (O / G), which reads input
/// channels [g*I, (g+1)*I) (TF's grouped Conv2D; Keras' Conv2D(groups=G)).
///   G = 1:  linalg.conv_2d_nhwc_hwcf.
///   I = 1:  a depthwise convolution with multiplier M = O / C: group c's M outputs are
///           channels c*M + m, as DepthwiseConv2dNative's, so the filter [H, W, 1, C*M] is
///           reshaped to HWCM and lowered exactly like smc.depthwise_conv2d (ConvNeXt's 7x7).
///   else:   an scf.for over the groups (smc.group_loop) whose body is one group's
///           conv_2d_nhwc_hwcf: the group's channel slices of the padded input and of the
///           filter, accumulated into its slice of the carried result (in place);
///           smc-tile-and-vectorize tiles that body like any other convolution (RegNet's
///           groups of 8 channels).
struct Conv2DLowering : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = tensorTypeOf(op.getResult());
    auto in = tensorTypeOf(adaptor.getInput()), f = tensorTypeOf(adaptor.getFilter());
    int64_t kh = f.getDimSize(0), kw = f.getDimSize(1), perGroup = f.getDimSize(2),
            channels = in.getDimSize(3), outs = f.getDimSize(3);
    int64_t groups = channels / perGroup;
    Type elem = type.getElementType();
    Value zero = floatConstant(rewriter, loc, elem, false);
    Value padded = padSpatial(rewriter, loc, adaptor.getInput(), op.getPadding(), zero);
    auto strides = rewriter.getI64TensorAttr(op.getStrides());
    auto dilations = rewriter.getI64TensorAttr(op.getDilations());
    if (groups > 1 && perGroup == 1) {
      // [H, W, 1, C*M] -> [H, W, C*M], then [H, W, C, M] unless M = 1 (views; folded for
      // constants)
      SmallVector<ReassociationIndices> lastTwo = {{0}, {1}, {2, 3}};
      Value filter = rewriter.create<tensor::CollapseShapeOp>(loc, adaptor.getFilter(), lastTwo);
      if (outs != channels)
        filter = rewriter.create<tensor::ExpandShapeOp>(
            loc, RankedTensorType::get({kh, kw, channels, outs / channels}, elem), filter, lastTwo);
      rewriter.replaceOp(
          op, depthwise(rewriter, loc, type, padded, filter, op.getStrides(), op.getDilations()));
      return success();
    }
    Value result = filledTensor(rewriter, loc, type, zero);
    if (groups == 1) {
      result = rewriter
                   .create<linalg::Conv2DNhwcHwcfOp>(loc, TypeRange{type},
                                                     ValueRange{padded, adaptor.getFilter()},
                                                     ValueRange{result}, strides, dilations)
                   .getResult(0);
      rewriter.replaceOp(op, result);
      return success();
    }
    // for g: result[..., g*F : (g+1)*F] = conv(padded[..., g*I : (g+1)*I], filter[..., g*F :
    // (g+1)*F]), one loop whatever the number of groups (RegNet has dozens per layer).
    auto pt = tensorTypeOf(padded);
    int64_t perGroupOut = outs / groups;
    auto index = [&](OpBuilder &b, int64_t v) -> Value {
      return b.create<arith::ConstantIndexOp>(loc, v);
    };
    auto loop = rewriter.create<scf::ForOp>(
        loc, index(rewriter, 0), index(rewriter, groups), index(rewriter, 1), ValueRange{result},
        [&](OpBuilder &b, Location l, Value g, ValueRange carried) {
          auto at = [&](Value channel) {
            SmallVector<OpFoldResult> offsets(3, b.getIndexAttr(0));
            offsets.push_back(channel);
            return offsets;
          };
          auto sizes = [&](ArrayRef<int64_t> v) {
            return getAsIndexOpFoldResult(b.getContext(), v);
          };
          SmallVector<OpFoldResult> ones(4, b.getIndexAttr(1));
          Value inAt = b.create<arith::MulIOp>(l, g, index(b, perGroup));
          Value outAt = b.create<arith::MulIOp>(l, g, index(b, perGroupOut));
          Value x = b.create<tensor::ExtractSliceOp>(
              l, padded, at(inAt),
              sizes({pt.getDimSize(0), pt.getDimSize(1), pt.getDimSize(2), perGroup}), ones);
          Value w = b.create<tensor::ExtractSliceOp>(l, adaptor.getFilter(), at(outAt),
                                                     sizes({kh, kw, perGroup, perGroupOut}), ones);
          auto outSizes =
              sizes({type.getDimSize(0), type.getDimSize(1), type.getDimSize(2), perGroupOut});
          Value acc = b.create<tensor::ExtractSliceOp>(l, carried[0], at(outAt), outSizes, ones);
          Value y =
              b.create<linalg::Conv2DNhwcHwcfOp>(l, TypeRange{acc.getType()}, ValueRange{x, w},
                                                 ValueRange{acc}, strides, dilations)
                  .getResult(0);
          Value next = b.create<tensor::InsertSliceOp>(l, y, carried[0], at(outAt), outSizes, ones);
          b.create<scf::YieldOp>(l, next);
        });
    // The body is one group's convolution, to be tiled like a top-level one.
    SmcDialect::GroupLoopAttrHelper(rewriter.getContext()).setAttr(loop, rewriter.getUnitAttr());
    rewriter.replaceOp(op, loop.getResult(0));
    return success();
  }
};

struct DepthwiseLowering : OpConversionPattern<DepthwiseConv2DOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(DepthwiseConv2DOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = tensorTypeOf(op.getResult());
    Value zero = floatConstant(rewriter, loc, type.getElementType(), false);
    Value padded = padSpatial(rewriter, loc, adaptor.getInput(), op.getPadding(), zero);
    rewriter.replaceOp(op, depthwise(rewriter, loc, type, padded, adaptor.getFilter(),
                                     op.getStrides(), op.getDilations()));
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
