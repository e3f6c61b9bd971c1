//===- LowerMath.cpp - Math without libm ----------------------------------===//

#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <climits>

namespace mlir::smc {
#define GEN_PASS_DEF_LOWERMATH
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;

namespace {

/// erf on f32 as x P(x^2) / Q(x^2), x clamped to [-4, 4] (beyond, erf rounds to +-1): the
/// rational approximation of Eigen's generic_fast_erf_float (which TensorFlow's CPU kernels
/// used), max abs error 2.8e-7 over the floats (TensorFlow 2.21's own: 2.6e-7). It costs 13
/// multiply-adds and one division, against the upstream approximation's three intervals
/// whose coefficients are selected one by one (about 60 instructions per vector on AVX-512:
/// 4% of a transformer block's time in its gelu). The clamps keep NaN (compare and select,
/// not minnum/maxnum).
struct ErfAsRational : OpRewritePattern<math::ErfOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::ErfOp op, PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!getElementTypeOrSelf(type).isF32())
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    auto constant = [&](float value) -> Value {
      FloatAttr scalar = b.getF32FloatAttr(value);
      if (auto vector = dyn_cast<VectorType>(type))
        return b.create<arith::ConstantOp>(DenseElementsAttr::get(vector, scalar));
      return b.create<arith::ConstantOp>(scalar);
    };
    auto clamp = [&](Value v, float bound, arith::CmpFPredicate beyond) -> Value {
      Value c = constant(bound);
      return b.create<arith::SelectOp>(b.create<arith::CmpFOp>(beyond, v, c), c, v);
    };
    Value x = clamp(clamp(op.getOperand(), 4.0f, arith::CmpFPredicate::OGT), -4.0f,
                    arith::CmpFPredicate::OLT);
    Value x2 = b.create<arith::MulFOp>(x, x);
    auto horner = [&](ArrayRef<float> coefficients) { // highest degree first
      Value r = constant(coefficients[0]);
      for (float c : coefficients.drop_front())
        r = b.create<math::FmaOp>(x2, r, constant(c));
      return r;
    };
    Value p = b.create<arith::MulFOp>(
        x, horner({-2.72614225801306e-10f, 2.77068142495902e-08f, -2.10102402082508e-06f,
                   -5.69250639462346e-05f, -7.34990630326855e-04f, -2.95459980854025e-03f,
                   -1.60960333262415e-02f}));
    Value q = horner({-1.45660718464996e-05f, -2.13374055278905e-04f, -1.68282697438203e-03f,
                      -7.37332916720468e-03f, -1.42647390514189e-02f});
    rewriter.replaceOpWithNewOp<arith::DivFOp>(op, p, q);
    return success();
  }
};


/// floor, ceil, trunc, round and roundeven of f32 without a rounding instruction, exactly:
/// below 2^23 in magnitude a float converts to i32 and back exactly (its truncation t), and
/// frac = x - t is exact, so each rounding is t adjusted by one by frac's sign and size (and,
/// for roundeven, i's parity); from 2^23 on (and NaN, infinity) x is its own result. copysign
/// gives zeros x's sign, as floor(-0.0) and ceil(-0.5) = -0.0 require. i32, not i64: 32-bit
/// targets then need no 64-bit conversion helpers.
template <typename Op>
struct RoundingAsConversion : OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;
  LogicalResult matchAndRewrite(Op op, PatternRewriter &rewriter) const override {
    Type type = op.getType();
    if (!getElementTypeOrSelf(type).isF32())
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    Type intType = b.getI32Type();
    if (auto vec = dyn_cast<VectorType>(type))
      intType = vec.clone(intType);
    auto cst = [&](float v) {
      return createScalarOrSplatConstant(b, b.getLoc(), type, APFloat(v));
    };
    Value x = op.getOperand();
    Value i = b.create<arith::FPToSIOp>(intType, x);
    Value t = b.create<arith::SIToFPOp>(type, i);
    Value frac = b.create<arith::SubFOp>(x, t);
    Value one = cst(1.0f), zero = cst(0.0f);
    auto cmp = [&](arith::CmpFPredicate p, Value v, float c) {
      return b.create<arith::CmpFOp>(p, v, cst(c)).getResult();
    };
    auto plusIf = [&](Value r, Value cond, Value delta) -> Value {
      return b.create<arith::AddFOp>(r, b.create<arith::SelectOp>(cond, delta, zero));
    };
    Value minusOne = cst(-1.0f);
    Value r = t;
    if constexpr (std::is_same_v<Op, math::FloorOp>) {
      r = plusIf(t, cmp(arith::CmpFPredicate::OLT, frac, 0.0f), minusOne);
    } else if constexpr (std::is_same_v<Op, math::CeilOp>) {
      r = plusIf(t, cmp(arith::CmpFPredicate::OGT, frac, 0.0f), one);
    } else if constexpr (std::is_same_v<Op, math::RoundOp>) {
      r = plusIf(t, cmp(arith::CmpFPredicate::OGE, frac, 0.5f), one);
      r = plusIf(r, cmp(arith::CmpFPredicate::OLE, frac, -0.5f), minusOne);
    } else if constexpr (std::is_same_v<Op, math::RoundEvenOp>) {
      Value oneI = createScalarOrSplatConstant(b, b.getLoc(), intType, 1);
      Value odd = b.create<arith::CmpIOp>(arith::CmpIPredicate::eq,
                                          b.create<arith::AndIOp>(i, oneI), oneI);
      Value up = b.create<arith::OrIOp>(
          cmp(arith::CmpFPredicate::OGT, frac, 0.5f),
          b.create<arith::AndIOp>(cmp(arith::CmpFPredicate::OEQ, frac, 0.5f), odd));
      Value down = b.create<arith::OrIOp>(
          cmp(arith::CmpFPredicate::OLT, frac, -0.5f),
          b.create<arith::AndIOp>(cmp(arith::CmpFPredicate::OEQ, frac, -0.5f), odd));
      r = plusIf(plusIf(t, up, one), down, minusOne);
    }
    Value small = cmp(arith::CmpFPredicate::OLT, b.create<math::AbsFOp>(x), 8388608.0f);
    Value result = b.create<arith::SelectOp>(small, r, x);
    rewriter.replaceOpWithNewOp<math::CopySignOp>(op, result, x);
    return success();
  }
};

/// remf by a power of two (math.powf's expansion tests an exponent's parity with y rem 2):
/// x - c * trunc(x / c), exact for such c, where LLVM would call libm's fmodf.
struct RemByPowerOfTwo : OpRewritePattern<arith::RemFOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(arith::RemFOp op, PatternRewriter &rewriter) const override {
    FloatAttr c;
    Attribute attr;
    if (!matchPattern(op.getRhs(), m_Constant(&attr)))
      return failure();
    if (auto splat = dyn_cast<SplatElementsAttr>(attr))
      c = dyn_cast<FloatAttr>(splat.getSplatValue<Attribute>());
    else
      c = dyn_cast<FloatAttr>(attr);
    if (!c || c.getValue().isNegative() || !c.getValue().isNormal() ||
        c.getValue().getExactLog2Abs() == INT_MIN)
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    Value q = b.create<math::TruncOp>(b.create<arith::DivFOp>(op.getLhs(), op.getRhs()));
    rewriter.replaceOpWithNewOp<arith::SubFOp>(op, op.getLhs(),
                                               b.create<arith::MulFOp>(op.getRhs(), q));
    return success();
  }
};

struct LowerMathPass : mlir::smc::impl::LowerMathBase<LowerMathPass> {
  using LowerMathBase::LowerMathBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateExpandPowFPattern(patterns);
    populateExpandRsqrtPattern(patterns);
    patterns.add<ErfAsRational>(&getContext(), /*benefit=*/2);
    patterns.add<RemByPowerOfTwo>(&getContext());
    MathPolynomialApproximationOptions options;
    options.enableAvx2 = false;
    populateMathPolynomialApproximationPatterns(patterns, options);
    if (expandFma)
      populateExpandFmaFPattern(patterns);
    if (expandRounding)
      patterns.add<RoundingAsConversion<math::FloorOp>, RoundingAsConversion<math::CeilOp>,
                   RoundingAsConversion<math::TruncOp>, RoundingAsConversion<math::RoundOp>,
                   RoundingAsConversion<math::RoundEvenOp>>(&getContext());
    if (expandFloatMinMax)
      arith::populateArithExpandOpsPatterns(patterns);
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
