//===- PyExprInternal.h - Pieces of the --input_exprs evaluator -*- C++ -*-===//
//
// Private to lib/Run: the tree PyExprParser.cpp builds and PyExpr.cpp evaluates, and NumPy's
// dtype rules (PyExprDType.cpp) the evaluator applies.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_LIB_RUN_PYEXPRINTERNAL_H
#define SMC_LIB_RUN_PYEXPRINTERNAL_H

#include "smc/Run/PyExpr.h"

#include "absl/status/statusor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace smc::pyexpr {

/// A parsed expression: a literal, a (dotted) name, a list/tuple, a call or a unary sign.
struct Node {
  enum class Kind { Number, String, Name, List, Tuple, Call, Neg, Pos } kind;
  size_t pos = 0;
  PyScalar number;                                  // Number
  std::string text;                                 // String value; Name / Call dotted name
  std::vector<Node> items;                          // List, Tuple, Call args; Neg/Pos operand
  std::vector<std::pair<std::string, Node>> kwargs; // Call
};

/// Parses a whole expression; errors name the offset and quote the text.
absl::StatusOr<Node> parse(std::string_view text);

/// float16, float32 or float64.
bool isFloatType(DType t);
/// A signed or unsigned integer dtype of 8 to 64 bits.
bool isIntType(DType t);
/// Two's-complement wrap of v to an integer dtype (C conversion, as NumPy's astype).
int64_t wrapInt(int64_t v, DType t);
/// np.asarray(python scalar, dtype) for one value; `typed`: the value is an element of an
/// array of another dtype (astype semantics).
absl::StatusOr<PyScalar> convertScalar(const PyScalar &s, DType t, bool typed);
/// The dtype a dtype argument names (np.float32, 'float32', float, ...).
absl::StatusOr<DType> dtypeFromNode(const Node &n);
/// A 0-d array of `s`, with `dtype` if given.
PyArray scalarArray(PyScalar s, std::optional<DType> dtype = std::nullopt);
/// `a` converted to dtype `t` (np.asarray(a, t), or astype for an array with a dtype).
absl::StatusOr<PyArray> asDtype(const PyArray &a, DType t);
/// NumPy's default dtype for a Python literal: bool, int64 or float64.
DType inferDtype(const PyArray &a);

} // namespace smc::pyexpr

#endif // SMC_LIB_RUN_PYEXPRINTERNAL_H
