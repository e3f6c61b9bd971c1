//===- WeightsStationary.h - A convolution's loop order -------*- C++ -*-===//
//
// A convolution whose filter outweighs its input keeps a block of filters in cache while its
// spatial tiles sweep over it: smc-tile-and-vectorize puts its output-channel loop outermost
// and never splits its rows, and smc-pack-weights weighs a 1 x 1 convolution against a matmul
// of its pixels with that in mind. Both ask here.
//
//===----------------------------------------------------------------------===//

#ifndef SMC_DIALECT_SMC_TRANSFORMS_WEIGHTSSTATIONARY_H
#define SMC_DIALECT_SMC_TRANSFORMS_WEIGHTSSTATIONARY_H

#include "mlir/IR/Operation.h"

namespace mlir::smc {

/// Whether `op` is a convolution (linalg.conv_2d_nhwc_hwcf or depthwise) of static shapes whose
/// filter has more elements than its input.
bool weightsStationary(Operation *op);

} // namespace mlir::smc

#endif // SMC_DIALECT_SMC_TRANSFORMS_WEIGHTSSTATIONARY_H
