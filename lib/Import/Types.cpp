//===- Types.cpp - TF dtypes and tensors as MLIR types and attributes -----===//

#include "Importer.h"

using namespace mlir;

namespace smc::import {

Type elementTypeFor(MLIRContext *ctx, int dtype) {
  if (dtype > 100)
    dtype -= 100; // TF1 reference types
  switch (dtype) {
  case 1:
    return Float32Type::get(ctx);
  case 2:
    return Float64Type::get(ctx);
  case 19:
    return Float16Type::get(ctx);
  case 14:
    return BFloat16Type::get(ctx);
  case 10:
    return IntegerType::get(ctx, 1);
  case 6:
    return IntegerType::get(ctx, 8);
  case 5:
    return IntegerType::get(ctx, 16);
  case 3:
    return IntegerType::get(ctx, 32);
  case 9:
    return IntegerType::get(ctx, 64);
  case 4:
    return IntegerType::get(ctx, 8, IntegerType::Unsigned);
  case 17:
    return IntegerType::get(ctx, 16, IntegerType::Unsigned);
  case 22:
    return IntegerType::get(ctx, 32, IntegerType::Unsigned);
  case 23:
    return IntegerType::get(ctx, 64, IntegerType::Unsigned);
  default:
    return nullptr;
  }
}

FailureOr<DenseElementsAttr> attrFromTensor(RankedTensorType type, const Tensor &tensor) {
  if (type.getElementType().isInteger(1)) {
    if (static_cast<int64_t>(tensor.data.size()) != type.getNumElements())
      return failure();
    SmallVector<bool> values;
    for (char c : tensor.data)
      values.push_back(c != 0);
    return DenseElementsAttr::get(type, values);
  }
  ArrayRef<char> raw(tensor.data.data(), tensor.data.size());
  int64_t bytes = (type.getElementTypeBitWidth() + 7) / 8;
  if (static_cast<int64_t>(raw.size()) != bytes * type.getNumElements())
    return failure();
  if (type.getNumElements() == 0)
    return DenseElementsAttr::get(type, ArrayRef<Attribute>());
  return DenseElementsAttr::getFromRawBuffer(type, raw);
}

} // namespace smc::import
