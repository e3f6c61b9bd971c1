//===- ShapeToLinalg.cpp - reshape, transpose, concat, slice, gathers -----===//

#include "Utils.h"

using namespace mlir;
using namespace mlir::smc;

namespace {

struct ReshapeLowering : OpConversionPattern<ReshapeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ReshapeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    rewriter.replaceOp(op, reshapeTo(rewriter, op.getLoc(), adaptor.getX(), type.getShape()));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Value init = emptyTensor(rewriter, op.getLoc(), type);
    auto t = rewriter.create<linalg::TransposeOp>(op.getLoc(), adaptor.getX(), init, op.getPerm());
    rewriter.replaceOp(op, t.getResult()[0]);
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    int64_t axis = op.getAxis(), rank = type.getRank();
    Value result = emptyTensor(rewriter, loc, type);
    int64_t offset = 0;
    for (Value in : adaptor.getInputs()) {
      auto t = tensorTypeOf(in);
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes, strides(rank, rewriter.getIndexAttr(1));
      offsets[axis] = rewriter.getIndexAttr(offset);
      for (int64_t d : t.getShape())
        sizes.push_back(rewriter.getIndexAttr(d));
      result = rewriter.create<tensor::InsertSliceOp>(loc, in, result, offsets, sizes, strides);
      offset += t.getDimSize(axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    ArrayRef<int64_t> start = op.getStart(), stride = op.getStride();
    if (llvm::all_of(stride, [](int64_t s) { return s > 0; })) {
      SmallVector<OpFoldResult> offsets, sizes, strides;
      for (size_t d = 0; d < start.size(); ++d) {
        offsets.push_back(rewriter.getIndexAttr(start[d]));
        sizes.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
        strides.push_back(rewriter.getIndexAttr(stride[d]));
      }
      rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(op, type, adaptor.getX(), offsets, sizes,
                                                          strides);
      return success();
    }
    // Negative strides: a generic reading input[start + stride * i].
    int64_t rank = type.getRank();
    SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < rank; ++d)
      exprs.push_back(getAffineDimExpr(d, ctx) * stride[d] + start[d]);
    AffineMap in = AffineMap::get(rank, 0, exprs, ctx);
    AffineMap out = AffineMap::getMultiDimIdentityMap(rank, ctx);
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{type}, ValueRange{adaptor.getX()}, ValueRange{emptyTensor(rewriter, loc, type)},
        ArrayRef<AffineMap>{in, out}, iterators,
        [](OpBuilder &b, Location l, ValueRange args) { b.create<linalg::YieldOp>(l, args[0]); });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// A linalg.generic over the result that reads each index as an input and the params element it
/// names with tensor.extract (so the generic has index semantics, which keeps it out of
/// smc-tile-and-vectorize): an index outside [0, dim) reads element 0 and yields zero instead.
struct GatherLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Value params = adaptor.getParams(), indices = adaptor.getIndices();
    auto paramType = tensorTypeOf(params), indexType = tensorTypeOf(indices);
    Type elem = type.getElementType();
    int64_t axis = op.getAxis(), batchDims = op.getBatchDims(), rank = type.getRank();
    int64_t innerRank = indexType.getRank() - batchDims, dim = paramType.getDimSize(axis);
    if (paramType.getNumElements() == 0 || type.getNumElements() == 0) {
      // Nothing to read: every index is out of range (or there is no index).
      rewriter.replaceOp(op, filledTensor(rewriter, loc, type,
                                          scalarConstant(rewriter, loc, elem, 0)));
      return success();
    }
    SmallVector<AffineExpr> indexExprs;
    for (int64_t d = 0; d < batchDims; ++d)
      indexExprs.push_back(getAffineDimExpr(d, ctx));
    for (int64_t d = 0; d < innerRank; ++d)
      indexExprs.push_back(getAffineDimExpr(axis + d, ctx));
    AffineMap in = AffineMap::get(rank, 0, indexExprs, ctx);
    AffineMap out = AffineMap::getMultiDimIdentityMap(rank, ctx);
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{type}, ValueRange{indices}, ValueRange{emptyTensor(rewriter, loc, type)},
        ArrayRef<AffineMap>{in, out}, iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          // Compared in the indices' own type (an index may be narrower: 32-bit targets), where
          // a negative index is a huge unsigned one: one unsigned comparison checks both bounds.
          Type it = args[0].getType();
          Value inRange = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::ult, args[0],
                                                  scalarConstant(b, l, it, 0, dim));
          Value i = b.create<arith::SelectOp>(l, inRange, args[0], scalarConstant(b, l, it, 0));
          Value safe = b.create<arith::IndexCastOp>(l, b.getIndexType(), i);
          SmallVector<Value> at;
          for (int64_t d = 0; d < paramType.getRank(); ++d) {
            if (d < axis)
              at.push_back(b.create<linalg::IndexOp>(l, d));
            else if (d == axis)
              at.push_back(safe);
            else
              at.push_back(b.create<linalg::IndexOp>(l, d - 1 + innerRank));
          }
          Value v = b.create<tensor::ExtractOp>(l, params, at);
          Value zero = scalarConstant(b, l, elem, 0);
          b.create<linalg::YieldOp>(l, ValueRange{b.create<arith::SelectOp>(l, inRange, v, zero)});
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// GatherLowering's approach for GatherNd: a linalg.generic over the result (no inputs) that
/// reads the K coordinates of its slice from the indices with tensor.extract, each checked in
/// the indices' own type, and the params element behind them; a slice with any coordinate out
/// of range reads element 0 and yields zero instead.
struct GatherNdLowering : OpConversionPattern<GatherNdOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(GatherNdOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto type = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Value params = adaptor.getParams(), indices = adaptor.getIndices();
    auto paramType = tensorTypeOf(params), indexType = tensorTypeOf(indices);
    Type elem = type.getElementType();
    int64_t rank = type.getRank(), k = indexType.getShape().back();
    int64_t batch = indexType.getRank() - 1;
    if (paramType.getNumElements() == 0 || type.getNumElements() == 0) {
      rewriter.replaceOp(op,
                         filledTensor(rewriter, loc, type, scalarConstant(rewriter, loc, elem, 0)));
      return success();
    }
    AffineMap out = AffineMap::getMultiDimIdentityMap(rank, ctx);
    SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{type}, ValueRange{}, ValueRange{emptyTensor(rewriter, loc, type)},
        ArrayRef<AffineMap>{out}, iterators, [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> where;
          for (int64_t d = 0; d < batch; ++d)
            where.push_back(b.create<linalg::IndexOp>(l, d));
          where.push_back(Value());
          Value inRange;
          SmallVector<Value> at;
          for (int64_t c = 0; c < k; ++c) {
            where.back() = b.create<arith::ConstantIndexOp>(l, c);
            Value i = b.create<tensor::ExtractOp>(l, indices, where);
            // One unsigned comparison in the indices' type checks both bounds (as GatherLowering).
            Type it = i.getType();
            Value ok =
                b.create<arith::CmpIOp>(l, arith::CmpIPredicate::ult, i,
                                        scalarConstant(b, l, it, 0, paramType.getDimSize(c)));
            inRange = inRange ? b.create<arith::AndIOp>(l, inRange, ok).getResult() : ok;
            Value safe = b.create<arith::SelectOp>(l, ok, i, scalarConstant(b, l, it, 0));
            at.push_back(b.create<arith::IndexCastOp>(l, b.getIndexType(), safe));
          }
          for (int64_t d = k; d < paramType.getRank(); ++d)
            at.push_back(b.create<linalg::IndexOp>(l, batch + d - k));
          Value v = b.create<tensor::ExtractOp>(l, params, at);
          if (inRange)
            v = b.create<arith::SelectOp>(l, inRange, v, scalarConstant(b, l, elem, 0));
          b.create<linalg::YieldOp>(l, v);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void mlir::smc::populateShapeToLinalgPatterns(SmcTypeConverter &converter,
                                              RewritePatternSet &patterns) {
  patterns.add<ReshapeLowering, TransposeLowering, ConcatLowering, SliceLowering, GatherLowering,
               GatherNdLowering>(converter, patterns.getContext());
}
