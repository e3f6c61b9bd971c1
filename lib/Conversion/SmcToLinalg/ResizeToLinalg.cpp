//===- ResizeToLinalg.cpp - smc.resize ------------------------------------===//
//
// A resize is a linalg.generic over the output whose source rows and columns (and, bilinear,
// weights) are constant tensors computed at compile time from the static shapes
// (mlir::smc::resizeTaps, TF's float32 arithmetic): indexed by the output row (d1) or column
// (d2), they tell each output pixel which input pixels to read; no division at run time.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

using namespace mlir;
using namespace mlir::smc;

namespace {

/// A 1-D constant of the taps' `lo` or `hi` indices (i32), or their weights (f32).
Value tapTensor(OpBuilder &b, Location loc, ArrayRef<ResizeTap> taps, int field) {
  auto n = static_cast<int64_t>(taps.size());
  if (field == 2) {
    SmallVector<float> v;
    for (const ResizeTap &t : taps)
      v.push_back(t.lerp);
    return b.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(RankedTensorType::get({n}, b.getF32Type()), ArrayRef(v)));
  }
  SmallVector<int32_t> v;
  for (const ResizeTap &t : taps)
    v.push_back(static_cast<int32_t>(field == 0 ? t.lo : t.hi));
  return b.create<arith::ConstantOp>(
      loc, DenseElementsAttr::get(RankedTensorType::get({n}, b.getI32Type()), ArrayRef(v)));
}

/// `v` (an element of TF type `tfType`, signless here) as float32.
Value toF32(OpBuilder &b, Location loc, Value v, Type tfType) {
  Type f32 = b.getF32Type();
  if (v.getType() == f32)
    return v;
  if (auto ft = dyn_cast<FloatType>(v.getType()))
    return ft.getWidth() > 32 ? b.create<arith::TruncFOp>(loc, f32, v).getResult()
                              : b.create<arith::ExtFOp>(loc, f32, v).getResult();
  if (tfType.isUnsignedInteger())
    return b.create<arith::UIToFPOp>(loc, f32, v);
  return b.create<arith::SIToFPOp>(loc, f32, v);
}

struct ResizeLowering : OpConversionPattern<ResizeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ResizeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Value x = adaptor.getInput();
    auto in = tensorTypeOf(x);
    Type tfElem = tensorTypeOf(op.getInput()).getElementType();
    bool bilinear = op.getMode() == ResizeMode::bilinear;
    int64_t ih = in.getDimSize(1), iw = in.getDimSize(2);
    int64_t oh = type.getDimSize(1), ow = type.getDimSize(2);

    AffineMap id = AffineMap::getMultiDimIdentityMap(4, ctx);
    SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
    if (bilinear && ih == oh && iw == ow) {
      // TF's ResizeBilinear returns the image converted to float32 (no interpolation, so
      // infinities stay infinite).
      auto generic = rewriter.create<linalg::GenericOp>(
          loc, TypeRange{type}, ValueRange{x}, ValueRange{emptyTensor(rewriter, loc, type)},
          ArrayRef<AffineMap>{id, id}, iterators, [&](OpBuilder &b, Location l, ValueRange args) {
            b.create<linalg::YieldOp>(l, toF32(b, l, args[0], tfElem));
          });
      rewriter.replaceOp(op, generic.getResult(0));
      return success();
    }

    auto ys = resizeTaps(op.getMode(), ih, oh, op.getAlignCorners(), op.getHalfPixelCenters());
    auto xs = resizeTaps(op.getMode(), iw, ow, op.getAlignCorners(), op.getHalfPixelCenters());
    AffineMap row = AffineMap::get(4, 0, {getAffineDimExpr(1, ctx)}, ctx);
    AffineMap col = AffineMap::get(4, 0, {getAffineDimExpr(2, ctx)}, ctx);
    SmallVector<Value> inputs;
    SmallVector<AffineMap> maps;
    for (int field = 0; field < (bilinear ? 3 : 1); ++field) {
      inputs.push_back(tapTensor(rewriter, loc, ys, field));
      maps.push_back(row);
      inputs.push_back(tapTensor(rewriter, loc, xs, field));
      maps.push_back(col);
    }
    maps.push_back(id);
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{type}, inputs, ValueRange{emptyTensor(rewriter, loc, type)}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value n = b.create<linalg::IndexOp>(l, 0), c = b.create<linalg::IndexOp>(l, 3);
          auto index = [&](Value i32) {
            return b.create<arith::IndexCastOp>(l, b.getIndexType(), i32).getResult();
          };
          auto read = [&](Value y, Value xi) {
            return b.create<tensor::ExtractOp>(l, x, ValueRange{n, index(y), index(xi), c})
                .getResult();
          };
          if (!bilinear) {
            b.create<linalg::YieldOp>(l, read(args[0], args[1]));
            return;
          }
          // args: y_lo, x_lo, y_hi, x_hi, y_lerp, x_lerp (TF's compute_lerp).
          auto f = [&](Value y, Value xi) { return toF32(b, l, read(y, xi), tfElem); };
          auto lerp = [&](Value a, Value z, Value t) {
            Value d = b.create<arith::SubFOp>(l, z, a);
            return b.create<arith::AddFOp>(l, a, b.create<arith::MulFOp>(l, d, t)).getResult();
          };
          Value top = lerp(f(args[0], args[1]), f(args[0], args[3]), args[5]);
          Value bottom = lerp(f(args[2], args[1]), f(args[2], args[3]), args[5]);
          b.create<linalg::YieldOp>(l, lerp(top, bottom, args[4]));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void mlir::smc::populateResizeToLinalgPatterns(SmcTypeConverter &converter,
                                               RewritePatternSet &patterns) {
  patterns.add<ResizeLowering>(converter, patterns.getContext());
}
