//===- PackWeights.cpp - Constant matmul weights in the kernel's layout ---===//

#include "smc/Dialect/Smc/Transforms/Passes.h"
#include "smc/Dialect/Smc/Transforms/RegisterTiles.h"
#include "smc/Dialect/Smc/Transforms/WeightsStationary.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

namespace mlir::smc {
#define GEN_PASS_DEF_PACKWEIGHTS
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;
using mlir::smc::outerProductBlock;
using mlir::smc::RegisterBlock;
using mlir::smc::VectorUnit;

namespace {

/// Whether the only use of `op`'s result, through reshapes with one use each, is a
/// linalg.generic (which smc-tile-and-vectorize fuses the matmul into).
bool feedsElementwise(linalg::MatmulOp op) {
  Value v = op->getResult(0);
  while (v.hasOneUse()) {
    Operation *user = *v.getUsers().begin();
    if (isa<linalg::GenericOp>(user))
      return true;
    if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(user))
      return false;
    v = user->getResult(0);
  }
  return false;
}

/// The 1 x 1 convolution `conv` as a matmul of its pixels (PackWeights' description), where
/// that is worth it on `unit`. The filter must be a constant (the matmul is packed next).
void convolutionAsMatmul(linalg::Conv2DNhwcHwcfOp conv, const VectorUnit &unit) {
  // Measured on AVX2 (Zen 4, --cpu haswell): MobileNet's 7 x 7 layers as matmuls -3.3 %, its
  // 14 x 14 ones as well +6 % (the model rates 196 rows as it rates 49).
  constexpr int64_t kMaxPixels = 64;
  Value input = conv.getDpsInputOperand(0)->get(), filter = conv.getDpsInputOperand(1)->get();
  Value init = conv.getDpsInitOperand(0)->get();
  auto in = dyn_cast<RankedTensorType>(input.getType());
  auto out = dyn_cast<RankedTensorType>(init.getType());
  DenseElementsAttr weights;
  if (!in || !out || !in.hasStaticShape() || !out.hasStaticShape() ||
      !matchPattern(filter, m_Constant(&weights)) || !out.getElementType().isF32() ||
      !llvm::all_of(conv.getStrides().getValues<int64_t>(), [](int64_t s) { return s == 1; }))
    return;
  ArrayRef<int64_t> fs = weights.getType().getShape(); // [KH, KW, C, F]
  if (fs[0] != 1 || fs[1] != 1 || in.getShape().drop_back() != out.getShape().drop_back())
    return;
  int64_t pixels = out.getDimSize(0) * out.getDimSize(1) * out.getDimSize(2);
  int64_t c = fs[2], f = fs[3];
  if (pixels > kMaxPixels || pixels < 2)
    return;
  RegisterBlock asConv = outerProductBlock(out.getDimSize(2), f, unit, /*splitRows=*/false, c);
  // Rows of a weights-stationary convolution are never split (smc-tile-and-vectorize).
  if (!mlir::smc::weightsStationary(conv))
    asConv = mlir::smc::splitIfWorthIt(outerProductBlock(out.getDimSize(2), f, unit, true, c),
                                       asConv);
  RegisterBlock asMatmul = mlir::smc::splitIfWorthIt(outerProductBlock(pixels, f, unit, true),
                                                     outerProductBlock(pixels, f, unit, false));
  constexpr double kWorthIt = 0.9;
  if (!(asMatmul.cyclesPerFma < kWorthIt * asConv.cyclesPerFma))
    return;
  OpBuilder b(conv);
  Location loc = conv.getLoc();
  SmallVector<ReassociationIndices> rows = {{0, 1, 2}, {3}};
  Value a = b.create<tensor::CollapseShapeOp>(loc, input, rows);
  auto wType = RankedTensorType::get({c, f}, weights.getElementType());
  Value w = b.create<arith::ConstantOp>(loc, weights.reshape(wType));
  Value acc = b.create<tensor::CollapseShapeOp>(loc, init, rows);
  auto matmul = b.create<linalg::MatmulOp>(loc, TypeRange{acc.getType()}, ValueRange{a, w},
                                           ValueRange{acc});
  Value result = b.create<tensor::ExpandShapeOp>(loc, out, matmul.getResult(0), rows);
  conv->getResult(0).replaceAllUsesWith(result);
  conv.erase();
}

struct PackWeightsPass : mlir::smc::impl::PackWeightsBase<PackWeightsPass> {
  using PackWeightsBase::PackWeightsBase;

  void runOnOperation() override {
    if (block <= 0 && vectorBits <= 0)
      return;
    if (vectorBits > 0) {
      VectorUnit unit{std::max<int64_t>(vectorBits / 32, 1), vectorRegisters, laneOperands,
                      fmaLatency};
      SmallVector<linalg::Conv2DNhwcHwcfOp> convs;
      getOperation().walk([&](linalg::Conv2DNhwcHwcfOp op) {
        if (op.hasPureTensorSemantics())
          convs.push_back(op);
      });
      for (auto conv : convs)
        convolutionAsMatmul(conv, unit);
    }
    SmallVector<linalg::MatmulOp> matmuls;
    getOperation().walk([&](linalg::MatmulOp op) {
      if (op.hasPureTensorSemantics())
        matmuls.push_back(op);
    });
    for (auto op : matmuls)
      pack(op);
  }

  void pack(linalg::MatmulOp op) {
    MLIRContext *ctx = op.getContext();
    Value a = op.getDpsInputOperand(0)->get(), b = op.getDpsInputOperand(1)->get();
    Value c = op.getDpsInitOperand(0)->get();
    auto bType = cast<RankedTensorType>(b.getType());
    auto cType = cast<RankedTensorType>(c.getType());
    DenseElementsAttr weights;
    if (!matchPattern(b, m_Constant(&weights)) || !bType.getElementType().isF32() ||
        !bType.hasStaticShape() || !cType.hasStaticShape())
      return;
    int64_t k = bType.getDimSize(0), n = bType.getDimSize(1), m = cType.getDimSize(0);
    // The register block's width, as the tiling will choose it (RegisterTiles.h).
    int64_t block = this->block;
    if (block <= 0) {
      VectorUnit unit{std::max<int64_t>(vectorBits / 32, 1), vectorRegisters, laneOperands,
                       fmaLatency};
      // A matmul whose result an elementwise op reads (bias, activation) is computed inside
      // that op's tiles, split with them only where that is clearly worth it
      // (smc-tile-and-vectorize decides it by the same rule).
      RegisterBlock b = outerProductBlock(m, n, unit, /*splitRows=*/true);
      if (feedsElementwise(op))
        b = mlir::smc::splitIfWorthIt(b, outerProductBlock(m, n, unit, /*splitRows=*/false));
      block = b.columns;
      if (b.vectors * unit.lanes != block) // narrower than a vector: nothing to gain
        return;
    }
    if (n % block != 0 || n == block || m * n * k < minVolume)
      return;
    // Bp[j, kk, jj] = B[kk, j * block + jj]
    int64_t blocks = n / block;
    std::vector<float> packed(k * n);
    auto values = weights.getValues<float>();
    for (int64_t kk = 0; kk < k; ++kk)
      for (int64_t col = 0; col < n; ++col)
        packed[((col / block) * k + kk) * block + col % block] =
            weights.isSplat() ? values[0] : values[kk * n + col];
    OpBuilder b2(op);
    Location loc = op.getLoc();
    auto packedType = RankedTensorType::get({blocks, k, block}, b2.getF32Type());
    Value bp = b2.create<arith::ConstantOp>(loc, DenseElementsAttr::get(packedType, ArrayRef<float>(packed)));
    auto c3Type = RankedTensorType::get({m, blocks, block}, cType.getElementType());
    Value c3 = b2.create<tensor::ExpandShapeOp>(loc, c3Type, c,
                                                ArrayRef<ReassociationIndices>{{0}, {1, 2}});
    // Loops (m, j, jj, kk): C3[m, j, jj] += A[m, kk] * Bp[j, kk, jj].
    AffineExpr dm = getAffineDimExpr(0, ctx), dj = getAffineDimExpr(1, ctx),
               djj = getAffineDimExpr(2, ctx), dk = getAffineDimExpr(3, ctx);
    SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {dm, dk}, ctx),
                                   AffineMap::get(4, 0, {dj, dk, djj}, ctx),
                                   AffineMap::get(4, 0, {dm, dj, djj}, ctx)};
    SmallVector<utils::IteratorType> iterators = {
        utils::IteratorType::parallel, utils::IteratorType::parallel,
        utils::IteratorType::parallel, utils::IteratorType::reduction};
    auto generic = b2.create<linalg::GenericOp>(
        loc, TypeRange{c3Type}, ValueRange{a, bp}, ValueRange{c3}, maps, iterators,
        [](OpBuilder &nb, Location l, ValueRange args) {
          Value p = nb.create<arith::MulFOp>(l, args[0], args[1]);
          nb.create<linalg::YieldOp>(l, nb.create<arith::AddFOp>(l, args[2], p).getResult());
        });
    mlir::smc::SmcDialect::PackedMatmulAttrHelper(ctx).setAttr(generic, UnitAttr::get(ctx));
    Value r = b2.create<tensor::CollapseShapeOp>(loc, cType, generic.getResult(0),
                                                 ArrayRef<ReassociationIndices>{{0}, {1, 2}});
    op->getResult(0).replaceAllUsesWith(r);
    op.erase();
  }
};

} // namespace
