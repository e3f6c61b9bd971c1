//===- DType.cpp - TensorFlow dtypes: the one table -----------------------===//

#include "smc/Support/DType.h"

#include <iterator>

namespace smc {
namespace {

using K = DTypeKind;
using namespace tensorflow;

// clang-format off
constexpr DTypeInfo kTable[] = {
  // dtype               kind         bits bytes  C           C++         note                                        npy     numpy
  {DT_FLOAT,             K::Float,     32, 4, "float",    "float",    nullptr,                                    "<f4",  "float32"},
  {DT_DOUBLE,            K::Float,     64, 8, "double",   "double",   nullptr,                                    "<f8",  "float64"},
  {DT_HALF,              K::Float,     16, 2, "uint16_t", "uint16_t", "raw IEEE binary16 bits",                   "<f2",  "float16"},
  {DT_BFLOAT16,          K::BFloat,    16, 2, "uint16_t", "uint16_t", "raw bfloat16 bits",                        nullptr, nullptr},
  {DT_INT8,              K::Signed,     8, 1, "int8_t",   "int8_t",   nullptr,                                    "|i1",  "int8"},
  {DT_INT16,             K::Signed,    16, 2, "int16_t",  "int16_t",  nullptr,                                    "<i2",  "int16"},
  {DT_INT32,             K::Signed,    32, 4, "int32_t",  "int32_t",  nullptr,                                    "<i4",  "int32"},
  {DT_INT64,             K::Signed,    64, 8, "int64_t",  "int64_t",  nullptr,                                    "<i8",  "int64"},
  {DT_UINT8,             K::Unsigned,   8, 1, "uint8_t",  "uint8_t",  nullptr,                                    "|u1",  "uint8"},
  {DT_UINT16,            K::Unsigned,  16, 2, "uint16_t", "uint16_t", nullptr,                                    "<u2",  "uint16"},
  {DT_UINT32,            K::Unsigned,  32, 4, "uint32_t", "uint32_t", nullptr,                                    "<u4",  "uint32"},
  {DT_UINT64,            K::Unsigned,  64, 8, "uint64_t", "uint64_t", nullptr,                                    "<u8",  "uint64"},
  {DT_BOOL,              K::Bool,       1, 1, "uint8_t",  "bool",     "bool in C++, uint8_t holding 0 or 1 in C", "|b1",  "bool"},
  {DT_COMPLEX64,         K::Complex,   64, 8, nullptr,    nullptr,    nullptr,                                    "<c8",  "complex64"},
  {DT_COMPLEX128,        K::Complex,  128, 16, nullptr,   nullptr,    nullptr,                                    "<c16", "complex128"},
  {DT_QINT8,             K::Quantized,  8, 1, nullptr,    nullptr,    nullptr,                                    nullptr, nullptr},
  {DT_QUINT8,            K::Quantized,  8, 1, nullptr,    nullptr,    nullptr,                                    nullptr, nullptr},
  {DT_QINT16,            K::Quantized, 16, 2, nullptr,    nullptr,    nullptr,                                    nullptr, nullptr},
  {DT_QUINT16,           K::Quantized, 16, 2, nullptr,    nullptr,    nullptr,                                    nullptr, nullptr},
  {DT_QINT32,            K::Quantized, 32, 4, nullptr,    nullptr,    nullptr,                                    nullptr, nullptr},
  {DT_FLOAT8_E5M2,       K::Float8,    8, 1, nullptr,    nullptr,    nullptr,                                    nullptr, nullptr},
  {DT_FLOAT8_E4M3FN,     K::Float8,    8, 1, nullptr,    nullptr,    nullptr,                                    nullptr, nullptr},
  {DT_FLOAT8_E4M3FNUZ,   K::Float8,    8, 1, nullptr,    nullptr,    nullptr,                                    nullptr, nullptr},
  {DT_FLOAT8_E4M3B11FNUZ,K::Float8,    8, 1, nullptr,    nullptr,    nullptr,                                    nullptr, nullptr},
  {DT_FLOAT8_E5M2FNUZ,   K::Float8,    8, 1, nullptr,    nullptr,    nullptr,                                    nullptr, nullptr},
  {DT_FLOAT4_E2M1FN,     K::SubByte,   4, 1, nullptr,    nullptr,    nullptr,                                    nullptr, nullptr},
  {DT_INT4,              K::SubByte,   4, 1, nullptr,    nullptr,    nullptr,                                    nullptr, nullptr},
  {DT_UINT4,             K::SubByte,   4, 1, nullptr,    nullptr,    nullptr,                                    nullptr, nullptr},
  {DT_INT2,              K::SubByte,   2, 1, nullptr,    nullptr,    nullptr,                                    nullptr, nullptr},
  {DT_UINT2,             K::SubByte,   2, 1, nullptr,    nullptr,    nullptr,                                    nullptr, nullptr},
};
// clang-format on

} // namespace

const std::vector<DTypeInfo> &dtypeTable() {
  static const std::vector<DTypeInfo> table(std::begin(kTable), std::end(kTable));
  return table;
}

int baseDType(int dtype) { return dtype > 100 ? dtype - 100 : dtype; }

const DTypeInfo *dtypeInfo(int dtype) {
  for (const DTypeInfo &d : dtypeTable())
    if (d.dtype == dtype)
      return &d;
  return nullptr;
}

std::optional<tensorflow::DataType> dtypeOf(DTypeKind kind, int bits) {
  for (const DTypeInfo &d : kTable)
    if (d.kind == kind && d.bits == bits)
      return d.dtype;
  return std::nullopt;
}

std::string dtypeName(int dtype) {
  if (tensorflow::DataType_IsValid(dtype))
    return tensorflow::DataType_Name(static_cast<tensorflow::DataType>(dtype));
  return "DT_" + std::to_string(dtype);
}

std::optional<tensorflow::DataType> parseDTypeName(const std::string &name) {
  tensorflow::DataType dtype;
  if (!tensorflow::DataType_Parse(name, &dtype))
    return std::nullopt;
  return dtype;
}

} // namespace smc
