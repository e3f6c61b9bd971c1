//===- SortToLinalg.cpp - smc.top_k ---------------------------------------===//
//
// smc.top_k as loops on tensors (scf.for): for each row of the input seen as [rows, n], output j
// is the first element, in TF's order, among those that come after output j - 1. The order
// (value descending, NaN above every number, then position ascending) is total, so each step
// is one pass over the row and no working copy of the row is needed: the input is only read,
// the two results are the only tensors written (in place, through the loops' iter_args). O(k n)
// comparisons per row; no allocation inside the loops and no library call.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::smc;

namespace {

/// `a > b` in TF's order of values: signed or unsigned integers (from the TF type), or floats
/// where a NaN is above every number and equal to another NaN.
Value greater(OpBuilder &b, Location loc, Value a, Value bv, Type tfElem) {
  if (!isa<FloatType>(a.getType()))
    return b.create<arith::CmpIOp>(
        loc, tfElem.isUnsignedInteger() ? arith::CmpIPredicate::ugt : arith::CmpIPredicate::sgt, a,
        bv);
  Value gt = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, a, bv);
  Value aNan = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNO, a, a);
  Value bNum = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::ORD, bv, bv);
  return b.create<arith::OrIOp>(loc, gt, b.create<arith::AndIOp>(loc, aNan, bNum));
}

/// Whether element (a, ia) comes before (b, ib) in top_k's output: a larger value, or an equal
/// one at a lower position.
Value before(OpBuilder &b, Location loc, Value a, Value ia, Value bv, Value ib, Type tfElem) {
  Value t = b.create<arith::ConstantIntOp>(loc, 1, 1);
  Value notLess = b.create<arith::XOrIOp>(loc, greater(b, loc, bv, a, tfElem), t);
  Value lower = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, ia, ib);
  return b.create<arith::OrIOp>(loc, greater(b, loc, a, bv, tfElem),
                                b.create<arith::AndIOp>(loc, notLess, lower));
}

struct TopKLowering : OpConversionPattern<TopKOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(TopKOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getX();
    auto xType = tensorTypeOf(x);
    Type tfElem = tensorTypeOf(op.getX()).getElementType();
    Type elem = xType.getElementType();
    Type indexElem = tensorTypeOf(op.getIndices()).getElementType();
    int64_t n = xType.getShape().back(), k = op.getK();
    int64_t rows = ShapedType::getNumElements(xType.getShape().drop_back());

    Value values = emptyTensor(rewriter, loc, RankedTensorType::get({rows, k}, elem));
    Value indices = emptyTensor(rewriter, loc, RankedTensorType::get({rows, k}, indexElem));
    if (rows > 0 && k > 0) {
      Value rowsX = reshapeTo(rewriter, loc, x, {rows, n});
      auto c = [&](int64_t v) { return rewriter.create<arith::ConstantIndexOp>(loc, v); };
      Value c0 = c(0), c1 = c(1), none = c(-1), cRows = c(rows), cK = c(k), cN = c(n);
      auto rowLoop = rewriter.create<scf::ForOp>(
          loc, c0, cRows, c1, ValueRange{values, indices},
          [&](OpBuilder &b, Location l, Value r, ValueRange outs) {
            Value x0 = b.create<tensor::ExtractOp>(l, rowsX, ValueRange{r, c0});
            // Output j, after output j - 1 = (prev, prevAt).
            auto outLoop = b.create<scf::ForOp>(
                l, c0, cK, c1, ValueRange{outs[0], outs[1], x0, none},
                [&](OpBuilder &b, Location l, Value j, ValueRange it) {
                  Value prev = it[2], prevAt = it[3];
                  Value first = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, j, c0);
                  // The first element, in top_k's order, that comes after (prev, prevAt).
                  auto scan = b.create<scf::ForOp>(
                      l, c0, cN, c1, ValueRange{x0, none},
                      [&](OpBuilder &b, Location l, Value p, ValueRange best) {
                        Value v = b.create<tensor::ExtractOp>(l, rowsX, ValueRange{r, p});
                        Value after = b.create<arith::OrIOp>(
                            l, first, before(b, l, prev, prevAt, v, p, tfElem));
                        Value noBest =
                            b.create<arith::CmpIOp>(l, arith::CmpIPredicate::slt, best[1], c0);
                        Value better = b.create<arith::OrIOp>(
                            l, noBest, before(b, l, v, p, best[0], best[1], tfElem));
                        Value take = b.create<arith::AndIOp>(l, after, better);
                        b.create<scf::YieldOp>(
                            l, ValueRange{b.create<arith::SelectOp>(l, take, v, best[0]),
                                          b.create<arith::SelectOp>(l, take, p, best[1])});
                      });
                  Value v = scan.getResult(0), at = scan.getResult(1);
                  Value vals = b.create<tensor::InsertOp>(l, v, it[0], ValueRange{r, j});
                  Value atInt = b.create<arith::IndexCastOp>(l, indexElem, at);
                  Value idxs = b.create<tensor::InsertOp>(l, atInt, it[1], ValueRange{r, j});
                  b.create<scf::YieldOp>(l, ValueRange{vals, idxs, v, at});
                });
            b.create<scf::YieldOp>(l, ValueRange{outLoop.getResult(0), outLoop.getResult(1)});
          });
      values = rowLoop.getResult(0);
      indices = rowLoop.getResult(1);
    }
    SmallVector<int64_t> shape = topKShape(xType.getShape(), k);
    rewriter.replaceOp(op, ValueRange{reshapeTo(rewriter, loc, values, shape),
                                      reshapeTo(rewriter, loc, indices, shape)});
    return success();
  }
};

} // namespace

void mlir::smc::populateSortToLinalgPatterns(SmcTypeConverter &converter,
                                             RewritePatternSet &patterns) {
  patterns.add<TopKLowering>(converter, patterns.getContext());
}
