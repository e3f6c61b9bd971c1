//===- Tensor.h - A host tensor read from a SavedModel ---------*- C++ -*-===//
//
// A dense tensor value as the reader produces it: a TensorFlow dtype, a shape and the
// element bytes (little-endian, row-major), or, for DT_STRING, one std::string per element.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_SAVEDMODEL_TENSOR_H
#define SMC_SAVEDMODEL_TENSOR_H

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

/// Bytes per element of a fixed-size dtype; 0 for DT_STRING, DT_RESOURCE, DT_VARIANT and
/// unknown values.
int dtypeSize(DType dtype);
/// "DT_FLOAT" etc.; "DT_<n>" for values the enum does not name.
std::string dtypeName(DType dtype);

struct Tensor {
  DType dtype = 0;
  std::vector<int64_t> shape;       // empty = scalar
  std::string data;                 // fixed-size dtypes: numElements() * dtypeSize(dtype) bytes
  std::vector<std::string> strings; // DT_STRING: numElements() entries

  int64_t numElements() const;
  template <typename T> T at(int64_t i) const {
    T v;
    std::memcpy(&v, data.data() + i * sizeof(T), sizeof(T));
    return v;
  }
};

/// Decodes a TensorProto the way TensorFlow does (tensor_content, else the typed repeated
/// field with its last value repeated to fill the shape, else zeros).
absl::StatusOr<Tensor> tensorFromProto(const tensorflow::TensorProto &proto);

/// Dims of a fully known shape; an error names the unknown dimension.
absl::StatusOr<std::vector<int64_t>> knownDims(const tensorflow::TensorShapeProto &shape);

} // namespace smc

#endif // SMC_SAVEDMODEL_TENSOR_H
