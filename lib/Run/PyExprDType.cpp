//===- PyExprDType.cpp - NumPy's dtype rules for --input_exprs values -----===//
//
// How NumPy converts Python scalars and arrays to a dtype (np.asarray, astype), the dtype
// arguments of NumPy calls, and the final conversion of a value to an input tensor.
//
//===----------------------------------------------------------------------===//

#include "PyExprInternal.h"
#include "smc/Run/NumpyFormat.h"

#include "types.pb.h"

#include "absl/strings/str_cat.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace smc {
namespace pyexpr {

bool hasKind(DType t, DTypeKind kind) {
  const DTypeInfo *info = dtypeInfo(t);
  return info && info->kind == kind;
}
bool isFloatType(DType t) { return hasKind(t, DTypeKind::Float); }
bool isIntType(DType t) { return hasKind(t, DTypeKind::Signed) || hasKind(t, DTypeKind::Unsigned); }
namespace {

bool isUnsigned(DType t) { return hasKind(t, DTypeKind::Unsigned); }

/// [lo, hi] of an integer dtype (uint64's upper end clipped to int64: larger values are not
/// representable in PyScalar).
void intRange(DType t, int64_t &lo, int64_t &hi) {
  int bits = dtypeSize(t) * 8;
  if (isUnsigned(t)) {
    lo = 0;
    hi = bits == 64 ? INT64_MAX : (int64_t(1) << bits) - 1;
  } else {
    lo = bits == 64 ? INT64_MIN : -(int64_t(1) << (bits - 1));
    hi = bits == 64 ? INT64_MAX : (int64_t(1) << (bits - 1)) - 1;
  }
}

double roundToFloat(double v, DType t) {
  if (t == tensorflow::DT_FLOAT)
    return static_cast<float>(v);
  if (t == tensorflow::DT_HALF)
    return halfToDouble(doubleToHalf(v));
  return v;
}

/// Python's spelling of a scalar in error messages.
std::string pyRepr(const PyScalar &s) {
  switch (s.kind) {
  case PyScalar::Kind::Bool:
    return s.b ? "True" : "False";
  case PyScalar::Kind::Int:
    return std::to_string(s.i);
  default: {
    uint64_t bits;
    std::memcpy(&bits, &s.f, sizeof bits);
    return numpyScalarStr(bits, FloatWidth::Double);
  }
  }
}

} // namespace

/// Two's-complement wrap of v to an integer dtype (C conversion, as NumPy's astype).
int64_t wrapInt(int64_t v, DType t) {
  int bits = dtypeSize(t) * 8;
  if (bits == 64)
    return v;
  uint64_t u = static_cast<uint64_t>(v) & ((uint64_t(1) << bits) - 1);
  if (!isUnsigned(t) && (u >> (bits - 1)))
    return static_cast<int64_t>(u | (~uint64_t(0) << bits));
  return static_cast<int64_t>(u);
}

/// np.asarray(python scalar, dtype) for one value; `typed`: the value is an element of an
/// array of another dtype (astype semantics).
absl::StatusOr<PyScalar> convertScalar(const PyScalar &s, DType t, bool typed) {
  if (t == tensorflow::DT_BOOL) {
    bool v = s.kind == PyScalar::Kind::Float ? s.f != 0 // NaN is true
             : s.kind == PyScalar::Kind::Int ? s.i != 0
                                             : s.b;
    return PyScalar::ofBool(v);
  }
  if (isFloatType(t)) {
    double v = s.kind == PyScalar::Kind::Float ? s.f
               : s.kind == PyScalar::Kind::Int ? static_cast<double>(s.i)
                                               : (s.b ? 1.0 : 0.0);
    if (s.kind == PyScalar::Kind::Int && t == tensorflow::DT_FLOAT)
      return PyScalar::ofFloat(static_cast<float>(s.i)); // one correctly rounded conversion
    return PyScalar::ofFloat(roundToFloat(v, t));
  }
  if (isIntType(t)) {
    int64_t lo, hi;
    intRange(t, lo, hi);
    if (s.kind == PyScalar::Kind::Bool)
      return PyScalar::ofInt(s.b ? 1 : 0);
    if (s.kind == PyScalar::Kind::Int) {
      if (typed)
        return PyScalar::ofInt(wrapInt(s.i, t));
      if (s.i < lo || s.i > hi)
        return absl::OutOfRangeError(
            absl::StrCat("Python integer ", s.i, " out of bounds for ", numpyDtypeName(t)));
      return PyScalar::ofInt(s.i);
    }
    double tr = std::trunc(s.f);
    // lo and hi as doubles: exact for 8..32-bit types; for 64-bit, hi rounds up to 2^63.
    if (std::isnan(s.f) || tr < static_cast<double>(lo) ||
        tr >= static_cast<double>(hi) + (dtypeSize(t) == 8 ? 0.0 : 1.0))
      return absl::OutOfRangeError(
          absl::StrCat("cannot convert ", pyRepr(s), " to ", numpyDtypeName(t), " (out of range)"));
    return PyScalar::ofInt(static_cast<int64_t>(tr));
  }
  return absl::UnimplementedError(
      absl::StrCat("cannot make ", dtypeName(t), " values from an expression"));
}

absl::StatusOr<DType> dtypeFromNode(const Node &n) {
  // NumPy's type names, as attributes of np (np.float32) or as strings ('float32', 'f4').
  static const std::map<std::string, DType> kNumpyNames = {
      {"float16", tensorflow::DT_HALF},   {"half", tensorflow::DT_HALF},
      {"float32", tensorflow::DT_FLOAT},  {"single", tensorflow::DT_FLOAT},
      {"float64", tensorflow::DT_DOUBLE}, {"double", tensorflow::DT_DOUBLE},
      {"int8", tensorflow::DT_INT8},      {"int16", tensorflow::DT_INT16},
      {"int32", tensorflow::DT_INT32},    {"int64", tensorflow::DT_INT64},
      {"uint8", tensorflow::DT_UINT8},    {"uint16", tensorflow::DT_UINT16},
      {"uint32", tensorflow::DT_UINT32},  {"uint64", tensorflow::DT_UINT64},
      {"bool_", tensorflow::DT_BOOL},     {"bool", tensorflow::DT_BOOL},
  };
  // Python's builtins, and the short codes of dtype strings.
  static const std::map<std::string, DType> kOtherNames = {
      {"float", tensorflow::DT_DOUBLE}, {"int", tensorflow::DT_INT64},
      {"bool", tensorflow::DT_BOOL},    {"f2", tensorflow::DT_HALF},
      {"f4", tensorflow::DT_FLOAT},     {"f8", tensorflow::DT_DOUBLE},
      {"i1", tensorflow::DT_INT8},      {"i2", tensorflow::DT_INT16},
      {"i4", tensorflow::DT_INT32},     {"i8", tensorflow::DT_INT64},
      {"u1", tensorflow::DT_UINT8},     {"u2", tensorflow::DT_UINT16},
      {"u4", tensorflow::DT_UINT32},    {"u8", tensorflow::DT_UINT64},
      {"?", tensorflow::DT_BOOL},       {"b1", tensorflow::DT_BOOL},
  };
  auto unknown = [&] {
    return absl::InvalidArgumentError("unknown or unsupported dtype '" + n.text + "'");
  };
  if (n.kind == Node::Kind::String) {
    std::string name = n.text;
    if (!name.empty() && (name[0] == '<' || name[0] == '=' || name[0] == '|'))
      name = name.substr(1);
    for (const auto *table : {&kNumpyNames, &kOtherNames})
      if (auto it = table->find(name); it != table->end())
        return it->second;
    return unknown();
  }
  if (n.kind != Node::Kind::Name)
    return absl::InvalidArgumentError("expected a dtype such as np.float32 or 'int64'");
  std::string name = n.text;
  for (const char *prefix : {"np.", "numpy."}) {
    if (name.rfind(prefix, 0) == 0) {
      auto it = kNumpyNames.find(name.substr(std::strlen(prefix)));
      if (it == kNumpyNames.end())
        return unknown();
      return it->second;
    }
  }
  if (name == "float" || name == "int" || name == "bool")
    return kOtherNames.at(name);
  return unknown();
}

PyArray scalarArray(PyScalar s, std::optional<DType> dtype) {
  PyArray a;
  a.dtype = dtype;
  a.values.push_back(s);
  return a;
}

absl::StatusOr<PyArray> asDtype(const PyArray &a, DType t) {
  PyArray out;
  out.shape = a.shape;
  out.dtype = t;
  out.values.reserve(a.values.size());
  for (const PyScalar &s : a.values) {
    auto c = convertScalar(s, t, a.dtype.has_value());
    if (!c.ok())
      return c.status();
    out.values.push_back(*c);
  }
  return out;
}

/// NumPy's default dtype for a Python literal: bool, int64 or float64.
DType inferDtype(const PyArray &a) {
  if (a.dtype)
    return *a.dtype;
  bool anyFloat = false, allBool = !a.values.empty();
  for (const PyScalar &s : a.values) {
    anyFloat |= s.kind == PyScalar::Kind::Float;
    allBool &= s.kind == PyScalar::Kind::Bool;
  }
  if (anyFloat || a.values.empty())
    return tensorflow::DT_DOUBLE;
  return allBool ? tensorflow::DT_BOOL : tensorflow::DT_INT64;
}

} // namespace pyexpr

absl::StatusOr<Tensor> toTensor(const PyArray &value, DType dtype) {
  if (!pyexpr::isFloatType(dtype) && !pyexpr::isIntType(dtype) && dtype != tensorflow::DT_BOOL)
    return absl::UnimplementedError(
        absl::StrCat("cannot make ", dtypeName(dtype), " values from an expression"));
  Tensor t;
  t.dtype = dtype;
  t.shape = value.shape;
  int size = dtypeSize(dtype);
  t.data.resize(value.values.size() * size);
  char *p = t.data.data();
  for (const PyScalar &s : value.values) {
    auto c = pyexpr::convertScalar(s, dtype, value.dtype.has_value());
    if (!c.ok())
      return c.status();
    if (dtype == tensorflow::DT_BOOL) {
      *p = c->b ? 1 : 0;
    } else if (dtype == tensorflow::DT_DOUBLE) {
      std::memcpy(p, &c->f, 8);
    } else if (dtype == tensorflow::DT_FLOAT) {
      float f = static_cast<float>(c->f);
      std::memcpy(p, &f, 4);
    } else if (dtype == tensorflow::DT_HALF) {
      uint16_t h = doubleToHalf(c->f);
      std::memcpy(p, &h, 2);
    } else {
      uint64_t u = static_cast<uint64_t>(c->i);
      std::memcpy(p, &u, size); // little-endian host
    }
    p += size;
  }
  return t;
}

std::string numpyDtypeName(DType dtype) {
  const DTypeInfo *info = dtypeInfo(dtype);
  return info && info->numpy ? info->numpy : dtypeName(dtype);
}

} // namespace smc
