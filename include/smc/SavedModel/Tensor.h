//===- Tensor.h - A host tensor read from a SavedModel ---------*- C++ -*-===//
//
// A dense tensor value as the reader produces it: a TensorFlow dtype, a shape and the
// element bytes (little-endian, row-major), or, for DT_STRING, one std::string per element.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_SAVEDMODEL_TENSOR_H
#define SMC_SAVEDMODEL_TENSOR_H

#include "smc/Support/DType.h"

#include "absl/status/statusor.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace tensorflow {
class TensorProto;
class TensorShapeProto;
} // namespace tensorflow

namespace smc {

/// TensorFlow DataType enum value (types.proto); `_REF` values are never stored here.
using DType = int;

/// Bytes per element of a fixed-size dtype (the table's `bytes`); 0 for DT_STRING,
/// DT_RESOURCE, DT_VARIANT and unknown values (`_REF` values included: map them to their base
/// type first).
int dtypeSize(DType dtype);

struct Tensor {
  DType dtype = 0;
  std::vector<int64_t> shape;       // empty = scalar
  std::string data;                 // fixed-size dtypes: numElements() * dtypeSize(dtype) bytes
  std::vector<std::string> strings; // DT_STRING: numElements() entries

  /// Product of the dims (1 for a scalar); -1 if a dim is negative or the product overflows.
  int64_t numElements() const;
  template <typename T> T at(int64_t i) const {
    T v;
    std::memcpy(&v, data.data() + i * sizeof(T), sizeof(T));
    return v;
  }
};

/// Element count of `shape`: an error if a dimension is negative or the product overflows
/// int64.
absl::StatusOr<int64_t> checkedNumElements(const std::vector<int64_t> &shape);

/// "[2,3]", "[]" for a scalar.
std::string shapeToString(const std::vector<int64_t> &shape);

/// Upper bound on the bytes of one tensor that the reader materialises from a small encoding
/// (a TensorProto with one repeated value, a string tensor's element count): larger requests
/// are errors rather than allocations that could exhaust memory.
constexpr int64_t kMaxTensorBytes = int64_t(1) << 32;

/// Decodes a TensorProto the way TensorFlow does (tensor_content, else the typed repeated
/// field with its last value repeated to fill the shape, else zeros). DT_RESOURCE and
/// DT_VARIANT tensors are reported as unsupported.
absl::StatusOr<Tensor> tensorFromProto(const tensorflow::TensorProto &proto);

/// Dims of a fully known shape; an error names the unknown dimension.
absl::StatusOr<std::vector<int64_t>> knownDims(const tensorflow::TensorShapeProto &shape);

} // namespace smc

#endif // SMC_SAVEDMODEL_TENSOR_H
