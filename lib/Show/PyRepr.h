//===- PyRepr.h - Python's repr() of what a SavedModel holds ----*- C++ -*-===//
//
// Private to lib/Show: the Python spellings saved_model_cli prints (repr of strings, floats,
// dtypes, shapes, TensorSpecs and the decoded structured values of concrete functions).
//
//===----------------------------------------------------------------------===//
#ifndef SMC_LIB_SHOW_PYREPR_H
#define SMC_LIB_SHOW_PYREPR_H

#include <string>
#include <utility>
#include <vector>

namespace tensorflow {
class DictValue;
class StructuredValue;
} // namespace tensorflow

namespace smc::show {

/// Python's repr() of a str.
std::string pyStrRepr(const std::string &s);
/// Python's repr() of a decoded structured value.
std::string pyRepr(const tensorflow::StructuredValue &v);
/// Python's str() of a decoded structured value (repr except for a bare string).
std::string pyStr(const tensorflow::StructuredValue &v);
/// The Python type name of a decoded structured value (what `type(x).__name__` prints).
std::string pyTypeName(const tensorflow::StructuredValue &v);
/// Dict entries in the order Python sees them after decoding (sorted keys).
std::vector<std::pair<std::string, const tensorflow::StructuredValue *>>
sortedFields(const tensorflow::DictValue &d);

} // namespace smc::show

#endif // SMC_LIB_SHOW_PYREPR_H
