//===- ScanToLinalg.cpp - scan (Cumsum, Cumprod) --------------------------===//
//
// A scan is sequential along its axis: an scf.for over the axis carries the running slice
// (the input's shape with the axis of size 1) and the result; each step combines the running
// slice with one slice of the input in an elementwise linalg.generic and inserts the running
// slice (before the step if exclusive, after it otherwise) into the result. That is the order
// of TF's CPU kernels (Eigen's scan), so float results are TF's bit for bit.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

using namespace mlir;
using namespace mlir::smc;

namespace {

/// `acc + x` or `acc * x` in the (signless) element type of both.
Value combine(OpBuilder &b, Location loc, bool sum, Value acc, Value x) {
  bool isFloat = isa<FloatType>(acc.getType());
  if (sum)
    return isFloat ? b.create<arith::AddFOp>(loc, acc, x).getResult()
                   : b.create<arith::AddIOp>(loc, acc, x).getResult();
  return isFloat ? b.create<arith::MulFOp>(loc, acc, x).getResult()
                 : b.create<arith::MulIOp>(loc, acc, x).getResult();
}

struct ScanLowering : OpConversionPattern<ScanOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(ScanOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    Value x = adaptor.getX();
    int64_t axis = op.getAxis(), rank = type.getRank(), n = type.getDimSize(axis);
    if (type.getNumElements() == 0) {
      rewriter.replaceOp(op, x);
      return success();
    }
    Type elem = type.getElementType();
    bool sum = op.getKind() == ScanKind::sum;
    bool exclusive = op.getExclusive(), reverse = op.getReverse();
    SmallVector<int64_t> sliceShape(type.getShape());
    sliceShape[axis] = 1;
    auto sliceType = RankedTensorType::get(sliceShape, elem);
    Value identity = scalarConstant(rewriter, loc, elem, sum ? 0.0 : 1.0);
    Value running = filledTensor(rewriter, loc, sliceType, identity);
    Value init = emptyTensor(rewriter, loc, type);

    Value lb = rewriter.create<arith::ConstantIndexOp>(loc, 0);
    Value ub = rewriter.create<arith::ConstantIndexOp>(loc, n);
    Value step = rewriter.create<arith::ConstantIndexOp>(loc, 1);
    auto loop = rewriter.create<scf::ForOp>(
        loc, lb, ub, step, ValueRange{running, init},
        [&](OpBuilder &b, Location l, Value k, ValueRange carried) {
          Value at = k;
          if (reverse)
            at = b.create<arith::SubIOp>(l, b.create<arith::ConstantIndexOp>(l, n - 1), k);
          SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0)), sizes,
              strides(rank, b.getIndexAttr(1));
          offsets[axis] = at;
          for (int64_t d : sliceShape)
            sizes.push_back(b.getIndexAttr(d));
          Value acc = carried[0], out = carried[1];
          if (exclusive)
            out = b.create<tensor::InsertSliceOp>(l, acc, out, offsets, sizes, strides);
          Value slice = b.create<tensor::ExtractSliceOp>(l, sliceType, x, offsets, sizes, strides);
          AffineMap id = b.getMultiDimIdentityMap(rank);
          SmallVector<utils::IteratorType> iterators(rank, utils::IteratorType::parallel);
          // acc op x, in place of the running slice.
          auto body = [&](OpBuilder &g, Location gl, ValueRange args) {
            g.create<linalg::YieldOp>(gl, combine(g, gl, sum, args[1], args[0]));
          };
          auto generic = b.create<linalg::GenericOp>(l, TypeRange{sliceType}, ValueRange{slice},
                                                     ValueRange{acc}, ArrayRef<AffineMap>{id, id},
                                                     iterators, body);
          Value next = generic.getResult(0);
          if (!exclusive)
            out = b.create<tensor::InsertSliceOp>(l, next, out, offsets, sizes, strides);
          b.create<scf::YieldOp>(l, ValueRange{next, out});
        });
    rewriter.replaceOp(op, loop.getResult(1));
    return success();
  }
};

} // namespace

void mlir::smc::populateScanToLinalgPatterns(SmcTypeConverter &converter,
                                             RewritePatternSet &patterns) {
  patterns.add<ScanLowering>(converter, patterns.getContext());
}
