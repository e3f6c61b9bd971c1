//===- LowerMath.cpp - Math without libm ----------------------------------===//

#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::smc {
#define GEN_PASS_DEF_LOWERMATH
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;

namespace {
struct LowerMathPass : mlir::smc::impl::LowerMathBase<LowerMathPass> {
  using LowerMathBase::LowerMathBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateExpandPowFPattern(patterns);
    populateExpandRsqrtPattern(patterns);
    MathPolynomialApproximationOptions options;
    options.enableAvx2 = false;
    populateMathPolynomialApproximationPatterns(patterns, options);
    if (expandFma)
      populateExpandFmaFPattern(patterns);
    if (failed(applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
