//===- Winograd.cpp - 3x3 convolutions as Winograd F(2x2, 3x3) ------------===//
//
// F(2x2, 3x3) with the usual matrices (Lavin & Gray, "Fast Algorithms for Convolutional
// Neural Networks", 2015):
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
//   G   = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]
//   A^T = [1 1 1 0; 0 1 -1 -1]
// Y = A^T [ (G g G^T) .* (B^T d B) ] A for each 4x4 input tile d (step 2) and 3x3 filter g.
//
//===----------------------------------------------------------------------===//

#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

namespace mlir::smc {
#define GEN_PASS_DEF_WINOGRAD
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;

namespace {

constexpr int kBT[4][4] = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
constexpr float kG[4][3] = {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
constexpr int kAT[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};

/// The coefficients of T X T^T for a 4x4 X, T with `rows` rows: result (r, s) takes X[a][b]
/// with factor T[r][a] * T[s][b]; results and inputs in row-major order.
SmallVector<SmallVector<int>> sandwich(const int (*t)[4], int rows) {
  SmallVector<SmallVector<int>> coefficients;
  for (int r = 0; r < rows; ++r)
    for (int s = 0; s < rows; ++s) {
      SmallVector<int> row;
      for (int a = 0; a < 4; ++a)
        for (int b = 0; b < 4; ++b)
          row.push_back(t[r][a] * t[s][b]);
      coefficients.push_back(row);
    }
  return coefficients;
}

bool isZeroFill(Value init) {
  auto fill = init.getDefiningOp<linalg::FillOp>();
  FloatAttr value;
  return fill && matchPattern(fill.getInputs()[0], m_Constant(&value)) &&
         value.getValue().isZero();
}

/// One elementwise linalg.generic over NHWC tensors of `shape`: result r is the sum of
/// coefficient * input over the nonzero `coefficients[r][input]` (all +-1).
SmallVector<Value> signedSums(OpBuilder &b, Location loc, ValueRange inputs,
                              ArrayRef<SmallVector<int>> coefficients, ArrayRef<int64_t> shape) {
  MLIRContext *ctx = b.getContext();
  size_t numOut = coefficients.size();
  SmallVector<Value> inits;
  for (size_t r = 0; r < numOut; ++r)
    inits.push_back(b.create<tensor::EmptyOp>(loc, shape, b.getF32Type()));
  SmallVector<AffineMap> maps(inputs.size() + numOut, AffineMap::getMultiDimIdentityMap(4, ctx));
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  auto op = b.create<linalg::GenericOp>(
      loc, TypeRange(ValueRange(inits)), inputs, inits, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        SmallVector<Value> results;
        for (size_t r = 0; r < numOut; ++r) {
          Value acc;
          // Positive terms first, so that each sum starts without a negation.
          for (int sign : {1, -1})
            for (size_t i = 0; i < inputs.size(); ++i) {
              if (coefficients[r][i] != sign)
                continue;
              if (!acc)
                acc = sign > 0 ? args[i] : nb.create<arith::NegFOp>(l, args[i]).getResult();
              else if (sign > 0)
                acc = nb.create<arith::AddFOp>(l, acc, args[i]);
              else
                acc = nb.create<arith::SubFOp>(l, acc, args[i]);
            }
          results.push_back(acc);
        }
        nb.create<linalg::YieldOp>(l, results);
      });
  return SmallVector<Value>(op->getResults());
}

LogicalResult rewrite(OpBuilder &b, linalg::Conv2DNhwcHwcfOp conv, int64_t minSize) {
  if (!conv.hasPureTensorSemantics())
    return failure();
  auto strides = conv.getStrides().getValues<int64_t>();
  auto dilations = conv.getDilations().getValues<int64_t>();
  if (llvm::any_of(strides, [](int64_t s) { return s != 1; }) ||
      llvm::any_of(dilations, [](int64_t d) { return d != 1; }))
    return failure();
  Value x = conv.getDpsInputOperand(0)->get(), w = conv.getDpsInputOperand(1)->get();
  Value init = conv.getDpsInitOperand(0)->get();
  auto xType = cast<RankedTensorType>(x.getType());
  auto wType = cast<RankedTensorType>(w.getType());
  auto yType = cast<RankedTensorType>(conv->getResult(0).getType());
  DenseElementsAttr weights;
  if (!xType.hasStaticShape() || !yType.hasStaticShape() || !xType.getElementType().isF32() ||
      !yType.getElementType().isF32() || !matchPattern(w, m_Constant(&weights)) ||
      !weights.getElementType().isF32() || wType.getDimSize(0) != 3 ||
      wType.getDimSize(1) != 3 || !isZeroFill(init))
    return failure();
  int64_t h = yType.getDimSize(1), wd = yType.getDimSize(2), c = wType.getDimSize(2),
          f = wType.getDimSize(3);
  int64_t n = xType.getDimSize(0);
  if (h % 2 || wd % 2 || h < minSize || wd < minSize)
    return failure();
  int64_t th = h / 2, tw = wd / 2, tiles = n * th * tw;
  Location loc = conv.getLoc();
  b.setInsertionPoint(conv);

  // U = G g G^T per (c, f), at compile time: 16 constants [C, F].
  SmallVector<float> g(weights.getValues<float>().begin(), weights.getValues<float>().end());
  if (weights.isSplat())
    g.assign(9 * c * f, weights.getSplatValue<float>());
  SmallVector<Value> u;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      std::vector<float> values(c * f, 0.0f);
      for (int a = 0; a < 3; ++a)
        for (int bb = 0; bb < 3; ++bb) {
          float k = kG[i][a] * kG[j][bb];
          if (k == 0)
            continue;
          const float *src = &g[(a * 3 + bb) * c * f];
          for (int64_t e = 0; e < c * f; ++e)
            values[e] += k * src[e];
        }
      auto type = RankedTensorType::get({c, f}, b.getF32Type());
      u.push_back(b.create<arith::ConstantOp>(
          loc, DenseElementsAttr::get(type, ArrayRef<float>(values))));
    }

  // V[i][j] = (B^T d B)[i][j] from the 16 strided views d[a][b] = X[a::2, b::2].
  SmallVector<int64_t> tileShape = {n, th, tw, c};
  SmallVector<Value> d;
  for (int a = 0; a < 4; ++a)
    for (int bb = 0; bb < 4; ++bb)
      d.push_back(b.create<tensor::ExtractSliceOp>(
          loc, RankedTensorType::get(tileShape, b.getF32Type()), x, ValueRange{}, ValueRange{},
          ValueRange{}, b.getDenseI64ArrayAttr({0, a, bb, 0}),
          b.getDenseI64ArrayAttr(tileShape), b.getDenseI64ArrayAttr({1, 2, 2, 1})));
  SmallVector<Value> v = signedSums(b, loc, d, sandwich(kBT, 4), tileShape);

  // M[k] = V[k] (tiles x C) * U[k] (C x F).
  SmallVector<ReassociationIndices> collapse = {{0, 1, 2}, {3}};
  Value zero = b.create<arith::ConstantOp>(loc, b.getF32FloatAttr(0.0f));
  SmallVector<Value> m;
  for (int k = 0; k < 16; ++k) {
    Value lhs = b.create<tensor::CollapseShapeOp>(loc, v[k], collapse);
    Value acc = b.create<tensor::EmptyOp>(loc, ArrayRef<int64_t>{tiles, f}, b.getF32Type());
    acc = b.create<linalg::FillOp>(loc, zero, acc).getResult(0);
    Value prod = b.create<linalg::MatmulOp>(loc, ValueRange{lhs, u[k]}, ValueRange{acc})
                     ->getResult(0);
    m.push_back(b.create<tensor::ExpandShapeOp>(
        loc, RankedTensorType::get({n, th, tw, f}, b.getF32Type()), prod, collapse));
  }

  // Y[p][q] = (A^T M A)[p][q], inserted at [p::2, q::2].
  SmallVector<Value> yq = signedSums(b, loc, m, sandwich(kAT, 2), {n, th, tw, f});
  Value y = b.create<tensor::EmptyOp>(loc, yType.getShape(), b.getF32Type());
  for (int p = 0; p < 2; ++p)
    for (int q = 0; q < 2; ++q)
      y = b.create<tensor::InsertSliceOp>(loc, yq[p * 2 + q], y, ValueRange{}, ValueRange{},
                                          ValueRange{}, b.getDenseI64ArrayAttr({0, p, q, 0}),
                                          b.getDenseI64ArrayAttr({n, th, tw, f}),
                                          b.getDenseI64ArrayAttr({1, 2, 2, 1}));
  conv->getResult(0).replaceAllUsesWith(y);
  conv->erase();
  return success();
}

struct WinogradPass : mlir::smc::impl::WinogradBase<WinogradPass> {
  using WinogradBase::WinogradBase;
  void runOnOperation() override {
    if (minSize <= 0)
      return;
    SmallVector<linalg::Conv2DNhwcHwcfOp> convs;
    getOperation().walk([&](linalg::Conv2DNhwcHwcfOp op) { convs.push_back(op); });
    OpBuilder b(&getContext());
    for (auto conv : convs)
      (void)rewrite(b, conv, minSize);
  }
};

} // namespace
