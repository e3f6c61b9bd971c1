//===- SmcOpsUtils.h - Helpers shared by the op families --------*- C++ -*-===//
//
// Private to lib/Dialect/Smc/IR: what the verifiers and folders of several op families
// (SmcOpsElementwise.cpp, SmcOpsShape.cpp, SmcOpsNN.cpp) share.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_LIB_DIALECT_SMC_IR_SMCOPSUTILS_H
#define SMC_LIB_DIALECT_SMC_IR_SMCOPSUTILS_H

#include "smc/Dialect/Smc/IR/SmcOps.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::smc::detail {

/// Arithmetic folds stop at this many result elements (shape math is tiny; weights are not
/// folded elementwise here).
inline constexpr int64_t kMaxArithFoldElements = 1 << 16;

/// The ranked tensor type of `v` (verified operands and results have one).
inline RankedTensorType tensorType(Value v) { return cast<RankedTensorType>(v.getType()); }

/// Row-major strides of a static shape.
inline SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// The elements of `a` as T values.
template <typename T> SmallVector<T> valuesOf(DenseElementsAttr a) {
  return SmallVector<T>(a.getValues<T>().begin(), a.getValues<T>().end());
}

} // namespace mlir::smc::detail

#endif // SMC_LIB_DIALECT_SMC_IR_SMCOPSUTILS_H
