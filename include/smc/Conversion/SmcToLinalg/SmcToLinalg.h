//===- SmcToLinalg.h - Lowering smc to linalg on tensors -------*- C++ -*-===//
#ifndef SMC_CONVERSION_SMCTOLINALG_SMCTOLINALG_H
#define SMC_CONVERSION_SMCTOLINALG_SMCTOLINALG_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::smc {

/// smc's TF element types in signless form: ui8 -> i8 etc. (the signedness stays with the smc
/// op being lowered, which picks the signed or unsigned arith op).
class SmcTypeConverter : public TypeConverter {
public:
  SmcTypeConverter();
};

/// Patterns lowering every smc op except the variable ops to linalg/tensor/arith/math.
void populateSmcToLinalgPatterns(SmcTypeConverter &converter, RewritePatternSet &patterns);

// One function per op family (ElementwiseToLinalg.cpp, ...).
void populateElementwiseToLinalgPatterns(SmcTypeConverter &converter, RewritePatternSet &patterns);
void populateContractionToLinalgPatterns(SmcTypeConverter &converter, RewritePatternSet &patterns);
void populateReductionToLinalgPatterns(SmcTypeConverter &converter, RewritePatternSet &patterns);
void populateShapeToLinalgPatterns(SmcTypeConverter &converter, RewritePatternSet &patterns);
void populateNNToLinalgPatterns(SmcTypeConverter &converter, RewritePatternSet &patterns);
void populateResizeToLinalgPatterns(SmcTypeConverter &converter, RewritePatternSet &patterns);
void populateScanToLinalgPatterns(SmcTypeConverter &converter, RewritePatternSet &patterns);
void populateSortToLinalgPatterns(SmcTypeConverter &converter, RewritePatternSet &patterns);

#define GEN_PASS_DECL_CONVERTSMCTOLINALG
#include "smc/Conversion/Passes.h.inc"

} // namespace mlir::smc

#endif // SMC_CONVERSION_SMCTOLINALG_SMCTOLINALG_H
