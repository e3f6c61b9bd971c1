//===- EmptyTensors.h - Where a tensor value is computed in place -*- C++ -*-===//
//
// Empty-tensor elimination gives a computation the place of the slice it is inserted into only
// where that destination dominates the empty tensor it was computed in. The passes that build
// or move destinations (smc-buffer-abi, smc-pad-in-place) find that empty tensor here.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_DIALECT_SMC_TRANSFORMS_EMPTYTENSORS_H
#define SMC_DIALECT_SMC_TRANSFORMS_EMPTYTENSORS_H

#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlir::smc {

/// The empty tensor `v` is computed in place of, if any: through loops' results (their inits),
/// destination-style ops (their inits), inserts (their destinations) and slices (their
/// sources).
tensor::EmptyOp rootEmpty(Value v);

} // namespace mlir::smc

#endif // SMC_DIALECT_SMC_TRANSFORMS_EMPTYTENSORS_H
