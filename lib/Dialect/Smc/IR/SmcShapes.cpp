//===- SmcShapes.cpp - Shape rules of the smc ops -------------------------===//
//
// One helper per op family. The same functions serve the ops' type inference and verifiers,
// the importer (which computes result types before it builds an op) and the lowering.
//
//===----------------------------------------------------------------------===//

#include "smc/Dialect/Smc/IR/SmcOps.h"

#include "mlir/Dialect/Traits.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::smc;

FailureOr<SmallVector<int64_t>> mlir::smc::broadcastShapes(ArrayRef<int64_t> a,
                                                           ArrayRef<int64_t> b) {
  SmallVector<int64_t> result;
  if (!OpTrait::util::getBroadcastedShape(a, b, result))
    return failure();
  return result;
}

FailureOr<SmallVector<int64_t>> mlir::smc::batchMatMulShape(ArrayRef<int64_t> x,
                                                            ArrayRef<int64_t> y, bool adjX,
                                                            bool adjY, std::string &error) {
  if (x.size() < 2 || y.size() < 2) {
    error = "batch_matmul operands need rank >= 2";
    return failure();
  }
  int64_t m = adjX ? x[x.size() - 1] : x[x.size() - 2];
  int64_t kx = adjX ? x[x.size() - 2] : x[x.size() - 1];
  int64_t ky = adjY ? y[y.size() - 1] : y[y.size() - 2];
  int64_t n = adjY ? y[y.size() - 2] : y[y.size() - 1];
  if (kx != ky) {
    error = "contracting dimensions differ (" + std::to_string(kx) + " vs " +
            std::to_string(ky) + ")";
    return failure();
  }
  auto batch = broadcastShapes(x.drop_back(2), y.drop_back(2));
  if (failed(batch)) {
    error = "batch dimensions do not broadcast";
    return failure();
  }
  SmallVector<int64_t> result = *batch;
  result.push_back(m);
  result.push_back(n);
  return result;
}

SmallVector<int64_t> mlir::smc::reducedShape(ArrayRef<int64_t> shape, ArrayRef<int64_t> axes,
                                             bool keepDims) {
  SmallVector<int64_t> result;
  for (int64_t i = 0, e = shape.size(); i < e; ++i) {
    if (llvm::is_contained(axes, i)) {
      if (keepDims)
        result.push_back(1);
    } else {
      result.push_back(shape[i]);
    }
  }
  return result;
}

FailureOr<int64_t> mlir::smc::windowOutputSize(int64_t in, int64_t pad, int64_t k, int64_t s,
                                               int64_t d) {
  if (s <= 0 || d <= 0 || k <= 0 || pad < 0)
    return failure();
  int64_t span = (k - 1) * d + 1;
  if (in + pad < span)
    return failure();
  return (in + pad - span) / s + 1;
}

std::pair<int64_t, int64_t> mlir::smc::samePadding(int64_t in, int64_t k, int64_t s, int64_t d) {
  int64_t out = (in + s - 1) / s;
  int64_t total = std::max<int64_t>((out - 1) * s + (k - 1) * d + 1 - in, 0);
  return {total / 2, total - total / 2};
}

FailureOr<SmallVector<int64_t>> mlir::smc::gatherShape(ArrayRef<int64_t> params,
                                                       ArrayRef<int64_t> indices, int64_t axis,
                                                       int64_t batchDims, std::string &error) {
  int64_t rank = params.size();
  if (axis < 0 || axis >= rank) {
    error = "axis " + std::to_string(axis) + " is out of range for params of rank " +
            std::to_string(rank);
    return failure();
  }
  if (batchDims < 0 || batchDims > axis ||
      batchDims > static_cast<int64_t>(indices.size())) {
    error = "batch_dims " + std::to_string(batchDims) + " must be in [0, min(axis " +
            std::to_string(axis) + ", rank of indices " + std::to_string(indices.size()) + ")]";
    return failure();
  }
  for (int64_t d = 0; d < batchDims; ++d) {
    if (params[d] != indices[d]) {
      error = "batch dimension " + std::to_string(d) + " differs between params (" +
              std::to_string(params[d]) + ") and indices (" + std::to_string(indices[d]) + ")";
      return failure();
    }
  }
  SmallVector<int64_t> result(params.take_front(axis));
  result.append(indices.begin() + batchDims, indices.end());
  result.append(params.begin() + axis + 1, params.end());
  return result;
}

SmallVector<int64_t> mlir::smc::topKShape(ArrayRef<int64_t> x, int64_t k) {
  SmallVector<int64_t> shape(x);
  if (!shape.empty())
    shape.back() = k;
  return shape;
}

SmallVector<ResizeTap> mlir::smc::resizeTaps(ResizeMode mode, int64_t in, int64_t out,
                                             bool alignCorners, bool halfPixelCenters) {
  // TF's CalculateResizeScale and its scalers (image_resizer_state.h), in float32 as TF
  // computes them; every product and sum is its own rounded step (no contraction into FMAs on
  // the hosts smc is built for: x86-64 without -mfma).
  float scale = alignCorners && out > 1 ? static_cast<float>(in - 1) / static_cast<float>(out - 1)
                                        : static_cast<float>(in) / static_cast<float>(out);
  SmallVector<ResizeTap> taps;
  for (int64_t i = 0; i < out; ++i) {
    float pos = halfPixelCenters ? (static_cast<float>(i) + 0.5f) * scale
                                 : static_cast<float>(i) * scale;
    if (mode == ResizeMode::nearest) {
      // ResizeNearestNeighbor: roundf (halves away from zero) with align_corners, else floorf.
      int64_t k = static_cast<int64_t>(alignCorners ? std::round(pos) : std::floor(pos));
      k = std::max<int64_t>(std::min(k, in - 1), 0);
      taps.push_back({k, k, 0.0f});
      continue;
    }
    if (halfPixelCenters)
      pos = pos - 0.5f;
    float below = std::floor(pos);
    int64_t lo = std::clamp<int64_t>(static_cast<int64_t>(below), 0, in - 1);
    int64_t hi = std::min<int64_t>(static_cast<int64_t>(std::ceil(pos)), in - 1);
    taps.push_back({lo, hi, pos - below});
  }
  return taps;
}

FailureOr<SmallVector<int64_t>>
mlir::smc::gatherNdShape(ArrayRef<int64_t> params, ArrayRef<int64_t> indices, std::string &error) {
  if (indices.empty()) {
    error = "indices must have rank at least 1 (the last dimension holds the coordinates)";
    return failure();
  }
  int64_t k = indices.back(), rank = params.size();
  if (k > rank) {
    error = "indices hold " + std::to_string(k) + " coordinates, more than the rank " +
            std::to_string(rank) + " of params";
    return failure();
  }
  SmallVector<int64_t> result(indices.drop_back());
  result.append(params.begin() + k, params.end());
  return result;
}
