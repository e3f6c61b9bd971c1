//===- SmcToLLVM.h - The pipeline's final conversion to LLVM ---*- C++ -*-===//
//
// What the pipeline leaves after the loops phase (func, arith, math, memref, vector, cf,
// index, ub) to the LLVM dialect, in one full conversion with one type converter.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_CONVERSION_SMCTOLLVM_SMCTOLLVM_H
#define SMC_CONVERSION_SMCTOLLVM_SMCTOLLVM_H

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Pass/Pass.h"

namespace mlir::smc {

/// Rewrites that leave only ops the conversion patterns handle: n-D vector broadcasts, shape
/// casts, transposes and strided-slice ops (which canonicalisation may re-create after
/// smc-lower-vectors) to 1-D vector ops, and floordivsi/ceildivsi (no LLVM lowering) to arith.
void populateSmcToLLVMPreparePatterns(RewritePatternSet &patterns);

/// The conversion patterns of every dialect the loops phase leaves.
void populateSmcToLLVMConversionPatterns(LLVMTypeConverter &converter, RewritePatternSet &patterns);

#define GEN_PASS_DECL_CONVERTSMCTOLLVM
#include "smc/Conversion/Passes.h.inc"

} // namespace mlir::smc

#endif // SMC_CONVERSION_SMCTOLLVM_SMCTOLLVM_H
