//===- SmcOps.h - The smc dialect's operations -----------------*- C++ -*-===//
#ifndef SMC_DIALECT_SMC_IR_SMCOPS_H
#define SMC_DIALECT_SMC_IR_SMCOPS_H

#include "smc/Dialect/Smc/IR/SmcDialect.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "smc/Dialect/Smc/IR/SmcOpsEnums.h.inc"

#define GET_OP_CLASSES
#include "smc/Dialect/Smc/IR/SmcOps.h.inc"

namespace mlir::smc {

/// Numpy broadcasting of two static shapes; failure if they do not broadcast.
FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a, ArrayRef<int64_t> b);

/// The shape of a batched matmul result, or failure with `error` set.
FailureOr<SmallVector<int64_t>> batchMatMulShape(ArrayRef<int64_t> x, ArrayRef<int64_t> y,
                                                 bool adjX, bool adjY, std::string &error);

/// The shape after reducing `axes` of `shape`.
SmallVector<int64_t> reducedShape(ArrayRef<int64_t> shape, ArrayRef<int64_t> axes, bool keepDims);

/// The shape of a gather (TF GatherV2 with `batch_dims`) of `params` at `indices` along `axis`:
/// params[:axis] + indices[batchDims:] + params[axis+1:], or failure with `error` set.
FailureOr<SmallVector<int64_t>> gatherShape(ArrayRef<int64_t> params, ArrayRef<int64_t> indices,
                                            int64_t axis, int64_t batchDims, std::string &error);

/// The shape of a GatherNd (batch_dims 0) of `params` at `indices`: indices[:-1] + params[K:]
/// with K = indices[-1], or failure with `error` set.
FailureOr<SmallVector<int64_t>> gatherNdShape(ArrayRef<int64_t> params, ArrayRef<int64_t> indices,
                                              std::string &error);

/// Spatial output size of a window op along one dimension: input `in`, total padding `pad`,
/// window `k`, stride `s`, dilation `d`; failure when the window does not fit.
FailureOr<int64_t> windowOutputSize(int64_t in, int64_t pad, int64_t k, int64_t s, int64_t d);

/// TF's SAME padding for one dimension: {before, after}.
std::pair<int64_t, int64_t> samePadding(int64_t in, int64_t k, int64_t s, int64_t d);

/// The shape of smc.top_k's results: `x` with its last dimension replaced by `k`.
SmallVector<int64_t> topKShape(ArrayRef<int64_t> x, int64_t k);

/// Where one output position of a resize reads along one dimension (TF's float32 arithmetic):
/// bilinear blends `lo` and `hi` with weight `lerp` on `hi`; nearest reads `lo`.
struct ResizeTap {
  int64_t lo, hi;
  float lerp;
};

/// The taps of each of the `out` positions of a dimension of size `in` resized by `mode`.
SmallVector<ResizeTap> resizeTaps(ResizeMode mode, int64_t in, int64_t out, bool alignCorners,
                                  bool halfPixelCenters);

} // namespace mlir::smc

#endif // SMC_DIALECT_SMC_IR_SMCOPS_H
