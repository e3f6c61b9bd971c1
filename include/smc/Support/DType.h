//===- DType.h - TensorFlow dtypes: the one table --------------*- C++ -*-===//
//
// Everything smc knows about a TF dtype, keyed by the proto's own enum (types.proto):
// how its elements are read (kind, bit width, bytes in a host tensor), how the generated
// header spells it in C and C++, and its NumPy descriptor and name. The reader, the importer
// (which makes the MLIR type from kind and width: lib/Import/Types.cpp), the header emitter and
// `smc run` all look dtypes up here. Names come from the proto (DataType_Name/DataType_Parse).
//
//===----------------------------------------------------------------------===//
#ifndef SMC_SUPPORT_DTYPE_H
#define SMC_SUPPORT_DTYPE_H

#include "types.pb.h"

#include <optional>
#include <string>
#include <vector>

namespace smc {

/// How the bits of an element are read.
enum class DTypeKind {
  Float,     // IEEE binary16/32/64
  BFloat,    // bfloat16
  Float8,    // the 8-bit float formats (float8_e5m2, ...)
  Signed,    // two's-complement integers of 8 to 64 bits
  Unsigned,  // unsigned integers of 8 to 64 bits
  Bool,      // one byte, 0 or 1
  Complex,   // two floats
  Quantized, // integers with a scale held elsewhere (qint8, ...)
  SubByte    // int4, uint4, int2, uint2, float4_e2m1fn: one byte per element in host tensors
};

/// One row of the table.
struct DTypeInfo {
  tensorflow::DataType dtype;
  DTypeKind kind;
  int bits;            // bits of one element (the MLIR element type's width; 1 for bool)
  int bytes;           // bytes of one element in a host tensor (sub-byte types take one)
  const char *cType;   // the generated header's C element type; null: not in the header ABI
  const char *cppType; // ... and its C++ element type
  const char *note;    // how a C/C++ user reads it, when the type does not say; else null
  const char *npy;     // NumPy's .npy descriptor ("<f4"); null: no NumPy equivalent
  const char *numpy;   // NumPy's dtype name ("float32"); null: none
};

/// Every row, in the table's order (the order the generated header lists element types in).
const std::vector<DTypeInfo> &dtypeTable();

/// The row of `dtype`; null for DT_INVALID, DT_STRING, DT_RESOURCE, DT_VARIANT, the `_REF`
/// values (see baseDType) and values the enum does not name.
const DTypeInfo *dtypeInfo(int dtype);

/// The dtype a TF1 reference dtype refers to (DT_FLOAT_REF -> DT_FLOAT); others unchanged.
int baseDType(int dtype);

/// The dtype whose row has `kind` and `bits` (the way back from an MLIR element type); unique
/// except for Float8, Quantized and SubByte, which have several rows of one width.
std::optional<tensorflow::DataType> dtypeOf(DTypeKind kind, int bits);

/// "DT_FLOAT" etc. (DataType_Name); "DT_<n>" for values the enum does not name.
std::string dtypeName(int dtype);

/// The dtype named `name` ("DT_FLOAT"; DataType_Parse).
std::optional<tensorflow::DataType> parseDTypeName(const std::string &name);

} // namespace smc

#endif // SMC_SUPPORT_DTYPE_H
