//===- Types.cpp - TF dtypes and tensors as MLIR types and attributes -----===//
//
// The one mapping between TF dtypes and MLIR element types, made from the dtype table's kind
// and width (smc/Support/DType.h): floats, bfloat16, bool as i1, signed integers as signless
// iN, unsigned ones as uiN (the lowering picks signed or unsigned arithmetic from them).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "smc/Import/Import.h"
#include "smc/Support/DType.h"

using namespace mlir;

namespace smc::import {

Type elementTypeFor(MLIRContext *ctx, int dtype) {
  const DTypeInfo *info = dtypeInfo(baseDType(dtype)); // TF1 reference types: their base
  switch (info ? info->kind : DTypeKind::Complex) {
  case DTypeKind::Float:
    if (info->bits == 16)
      return Float16Type::get(ctx);
    return info->bits == 32 ? Type(Float32Type::get(ctx)) : Float64Type::get(ctx);
  case DTypeKind::BFloat:
    return BFloat16Type::get(ctx);
  case DTypeKind::Bool:
    return IntegerType::get(ctx, 1);
  case DTypeKind::Signed:
    return IntegerType::get(ctx, info->bits);
  case DTypeKind::Unsigned:
    return IntegerType::get(ctx, info->bits, IntegerType::Unsigned);
  default:
    return nullptr;
  }
}

} // namespace smc::import

namespace smc {
tensorflow::DataType dtypeForElementType(Type type) {
  std::optional<tensorflow::DataType> dtype;
  if (isa<BFloat16Type>(type))
    dtype = dtypeOf(DTypeKind::BFloat, 16);
  else if (auto f = dyn_cast<FloatType>(type))
    dtype = dtypeOf(DTypeKind::Float, f.getWidth());
  else if (type.isInteger(1))
    dtype = tensorflow::DT_BOOL;
  else if (auto i = dyn_cast<IntegerType>(type))
    dtype = dtypeOf(i.isUnsigned() ? DTypeKind::Unsigned : DTypeKind::Signed, i.getWidth());
  return dtype.value_or(tensorflow::DT_INVALID);
}
} // namespace smc

namespace smc::import {

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
