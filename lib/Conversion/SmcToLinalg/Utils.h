//===- Utils.h - Helpers shared by the smc-to-linalg patterns --*- C++ -*-===//
#ifndef SMC_LIB_CONVERSION_SMCTOLINALG_UTILS_H
#define SMC_LIB_CONVERSION_SMCTOLINALG_UTILS_H

#include "smc/Conversion/SmcToLinalg/SmcToLinalg.h"
#include "smc/Dialect/Smc/IR/SmcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::smc {

inline RankedTensorType tensorTypeOf(Value v) { return cast<RankedTensorType>(v.getType()); }

/// An uninitialised tensor of `type` (linalg's "init" operand).
inline Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  return b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
}

/// A scalar constant of element type `type`: floats from `f`, integers from `i`.
Value scalarConstant(OpBuilder &b, Location loc, Type type, double f, int64_t i);
inline Value scalarConstant(OpBuilder &b, Location loc, Type type, double v) {
  return scalarConstant(b, loc, type, v, static_cast<int64_t>(v));
}

/// A tensor of `type` filled with `scalar`.
Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type, Value scalar);

/// The indexing map that reads an operand of `operandShape` broadcast (numpy rules, aligned at
/// the trailing end) to the iteration space `resultShape`.
AffineMap broadcastMap(MLIRContext *ctx, ArrayRef<int64_t> operandShape,
                       ArrayRef<int64_t> resultShape);

/// A linalg.generic over the shape of `resultType` that reads each input with its broadcast
/// map and computes each element with `body(builder, loc, scalars)`.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
                       function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// `v` with the same elements in `shape` (row-major), through tensor.collapse_shape /
/// expand_shape, which bufferize to views.
Value reshapeTo(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> shape);

} // namespace mlir::smc

#endif // SMC_LIB_CONVERSION_SMCTOLINALG_UTILS_H
