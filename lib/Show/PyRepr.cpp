//===- PyRepr.cpp - Python's repr() of what a SavedModel holds ------------===//
//
// What saved_model_cli's Python prints for values: repr() of str and float (shortest
// round-trip), TensorFlow dtypes, TensorShapes, TensorSpecs, and the structured values
// (nested tuples, lists, dicts, named tuples, specs) of concrete function signatures.
//
//===----------------------------------------------------------------------===//

#include "PyRepr.h"

#include "saved_model.pb.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

using namespace smc;
using namespace smc::show;
using tensorflow::StructuredValue;

std::string smc::show::pyStrRepr(const std::string &s) {
  bool single = s.find('\'') != std::string::npos, dbl = s.find('"') != std::string::npos;
  char q = (single && !dbl) ? '"' : '\'';
  std::string out(1, q);
  for (unsigned char c : s) {
    if (c == q || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += q;
  return out;
}

/// Python's repr() of a float: the shortest text that reads back to the same double, in
/// scientific notation when the decimal exponent is < -4 or >= 16.
static std::string pyFloatRepr(double v) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v < 0 ? "-inf" : "inf";
  char buf[64];
  for (int prec = 1; prec <= 17; ++prec) {
    snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
    if (std::strtod(buf, nullptr) == v)
      break;
  }
  // buf is d.ddde±XX: split mantissa digits and exponent.
  std::string s = buf;
  bool neg = s[0] == '-';
  if (neg)
    s = s.substr(1);
  size_t e = s.find('e');
  int exp = std::atoi(s.c_str() + e + 1);
  std::string digits;
  for (size_t i = 0; i < e; ++i)
    if (s[i] != '.')
      digits += s[i];
  while (digits.size() > 1 && digits.back() == '0')
    digits.pop_back();
  std::string out;
  if (exp < -4 || exp >= 16) {
    out = digits.substr(0, 1);
    if (digits.size() > 1)
      out += "." + digits.substr(1);
    char eb[16];
    snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    out += eb;
  } else if (exp < 0) {
    out = "0." + std::string(-exp - 1, '0') + digits;
  } else if (static_cast<int>(digits.size()) <= exp + 1) {
    out = digits + std::string(exp + 1 - digits.size(), '0') + ".0";
  } else {
    out = digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
  }
  return neg ? "-" + out : out;
}

/// TensorFlow's Python name of a dtype, as in repr(tf.float32) == "tf.float32".
static std::string pyDtype(int dtype) {
  static const std::map<int, const char *> names = {{1, "float32"},
                                                    {2, "float64"},
                                                    {3, "int32"},
                                                    {4, "uint8"},
                                                    {5, "int16"},
                                                    {6, "int8"},
                                                    {7, "string"},
                                                    {8, "complex64"},
                                                    {9, "int64"},
                                                    {10, "bool"},
                                                    {11, "qint8"},
                                                    {12, "quint8"},
                                                    {13, "qint32"},
                                                    {14, "bfloat16"},
                                                    {15, "qint16"},
                                                    {16, "quint16"},
                                                    {17, "uint16"},
                                                    {18, "complex128"},
                                                    {19, "float16"},
                                                    {20, "resource"},
                                                    {21, "variant"},
                                                    {22, "uint32"},
                                                    {23, "uint64"},
                                                    {24, "float8_e5m2"},
                                                    {25, "float8_e4m3fn"},
                                                    {26, "float8_e4m3fnuz"},
                                                    {27, "float8_e4m3b11fnuz"},
                                                    {28, "float8_e5m2fnuz"},
                                                    {29, "int4"},
                                                    {30, "uint4"},
                                                    {31, "int2"},
                                                    {32, "uint2"}};
  auto it = names.find(dtype);
  return it == names.end() ? absl::StrCat("tf.dtype(", dtype, ")")
                           : absl::StrCat("tf.", it->second);
}

/// str(TensorShape) with TF2 behaviour.
static std::string pyShape(const tensorflow::TensorShapeProto &shape) {
  if (shape.unknown_rank())
    return "<unknown>";
  std::vector<std::string> dims;
  for (const auto &d : shape.dim())
    dims.push_back(d.size() < 0 ? "None" : std::to_string(d.size()));
  if (dims.size() == 1)
    return "(" + dims[0] + ",)";
  return "(" + absl::StrJoin(dims, ", ") + ")";
}

static std::string pyTensorSpec(const char *cls, const std::string &name,
                                const tensorflow::TensorShapeProto &shape, int dtype) {
  return absl::StrCat(cls, "(shape=", pyShape(shape), ", dtype=", pyDtype(dtype),
                      ", name=", name.empty() ? "None" : pyStrRepr(name), ")");
}

std::string smc::show::pyTypeName(const StructuredValue &v) {
  switch (v.kind_case()) {
  case StructuredValue::kNoneValue:
    return "NoneType";
  case StructuredValue::kFloat64Value:
    return "float";
  case StructuredValue::kInt64Value:
    return "int";
  case StructuredValue::kStringValue:
    return "str";
  case StructuredValue::kBoolValue:
    return "bool";
  case StructuredValue::kTensorShapeValue:
    return "TensorShape";
  case StructuredValue::kTensorDtypeValue:
    return "DType";
  case StructuredValue::kTensorSpecValue:
    return "TensorSpec";
  case StructuredValue::kBoundedTensorSpecValue:
    return "BoundedTensorSpec";
  case StructuredValue::kTypeSpecValue:
    return v.type_spec_value().type_spec_class_name().empty()
               ? "TypeSpec"
               : v.type_spec_value().type_spec_class_name();
  case StructuredValue::kListValue:
    return "list";
  case StructuredValue::kTupleValue:
    return "tuple";
  case StructuredValue::kDictValue:
    return "dict";
  case StructuredValue::kNamedTupleValue:
    return v.named_tuple_value().name();
  default:
    return "object";
  }
}

std::string smc::show::pyStr(const StructuredValue &v) {
  if (v.kind_case() == StructuredValue::kStringValue)
    return v.string_value();
  return pyRepr(v);
}

std::vector<std::pair<std::string, const StructuredValue *>>
smc::show::sortedFields(const tensorflow::DictValue &d) {
  std::vector<std::pair<std::string, const StructuredValue *>> fields;
  for (const auto &kv : d.fields())
    fields.emplace_back(kv.first, &kv.second);
  std::sort(fields.begin(), fields.end(),
            [](const auto &a, const auto &b) { return a.first < b.first; });
  return fields;
}

std::string smc::show::pyRepr(const StructuredValue &v) {
  switch (v.kind_case()) {
  case StructuredValue::kNoneValue:
    return "None";
  case StructuredValue::kFloat64Value:
    return pyFloatRepr(v.float64_value());
  case StructuredValue::kInt64Value:
    return std::to_string(v.int64_value());
  case StructuredValue::kStringValue:
    return pyStrRepr(v.string_value());
  case StructuredValue::kBoolValue:
    return v.bool_value() ? "True" : "False";
  case StructuredValue::kTensorShapeValue:
    return pyShape(v.tensor_shape_value());
  case StructuredValue::kTensorDtypeValue:
    return pyDtype(v.tensor_dtype_value());
  case StructuredValue::kTensorSpecValue: {
    const auto &s = v.tensor_spec_value();
    return pyTensorSpec("TensorSpec", s.name(), s.shape(), s.dtype());
  }
  case StructuredValue::kBoundedTensorSpecValue: {
    const auto &s = v.bounded_tensor_spec_value();
    return pyTensorSpec("BoundedTensorSpec", s.name(), s.shape(), s.dtype());
  }
  case StructuredValue::kListValue:
  case StructuredValue::kTupleValue: {
    bool list = v.kind_case() == StructuredValue::kListValue;
    const auto &values = list ? v.list_value().values() : v.tuple_value().values();
    std::vector<std::string> items;
    for (const auto &x : values)
      items.push_back(pyRepr(x));
    if (list)
      return "[" + absl::StrJoin(items, ", ") + "]";
    if (items.size() == 1)
      return "(" + items[0] + ",)";
    return "(" + absl::StrJoin(items, ", ") + ")";
  }
  case StructuredValue::kDictValue: {
    std::vector<std::string> items;
    for (const auto &[k, x] : sortedFields(v.dict_value()))
      items.push_back(pyStrRepr(k) + ": " + pyRepr(*x));
    return "{" + absl::StrJoin(items, ", ") + "}";
  }
  case StructuredValue::kNamedTupleValue: {
    std::vector<std::string> items;
    for (const auto &p : v.named_tuple_value().values())
      items.push_back(p.key() + "=" + pyRepr(p.value()));
    return v.named_tuple_value().name() + "(" + absl::StrJoin(items, ", ") + ")";
  }
  default:
    return "<" + pyTypeName(v) + ">";
  }
}
