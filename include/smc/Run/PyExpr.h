//===- PyExpr.h - The expressions of `smc run --input_exprs` ---*- C++ -*-===//
//
// Parses, never evaluates as code, the Python expressions saved_model_cli accepts for
// --input_exprs: literals as ast.literal_eval reads them (nested lists and tuples of ints,
// floats and bools, with unary signs) and a few NumPy calls with literal arguments:
//
//   np.ones(shape[, dtype])   np.zeros(shape[, dtype])   np.full(shape, value[, dtype])
//   np.arange(stop) / np.arange(start, stop[, step])[, dtype=]
//   np.array(literal[, dtype]) / np.asarray(...)          np.float32(1.5) and the other types
//   np.random.rand(d0, d1, ...)                            (`numpy.` works as well as `np.`)
//
// dtypes are written np.float32, 'float32', float, int, bool, ... A NumPy call gives an array
// with NumPy's dtype (float64 by default, int64 for integer aranges); a literal has no dtype
// until it is converted. np.random.rand reproduces NumPy's legacy generator exactly (MT19937,
// 53-bit doubles), seeded by an `np.random.seed(N)` entry, else with seed 0.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_RUN_PYEXPR_H
#define SMC_RUN_PYEXPR_H

#include "smc/SavedModel/Tensor.h"

#include "absl/status/statusor.h"

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace smc {

/// A Python scalar: bool, int (within int64) or float.
struct PyScalar {
  enum class Kind { Bool, Int, Float } kind = Kind::Int;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  static PyScalar ofBool(bool v) { return {Kind::Bool, v, v ? 1 : 0, v ? 1.0 : 0.0}; }
  static PyScalar ofInt(int64_t v) { return {Kind::Int, v != 0, v, double(v)}; }
  static PyScalar ofFloat(double v) { return {Kind::Float, v != 0, 0, v}; }
};

/// The value of an expression: a (nested) Python literal, or a NumPy array with a dtype.
struct PyArray {
  std::vector<int64_t> shape;   // empty: a scalar
  std::optional<DType> dtype;   // NumPy's dtype; unset for Python literals
  std::vector<PyScalar> values; // row-major; for a dtype, already rounded/ranged to it
};

/// NumPy's legacy np.random generator (RandomState): MT19937 seeded like np.random.seed(N),
/// doubles as random_sample() makes them.
class NumpyRandom {
public:
  NumpyRandom() { seed(0); }
  void seed(uint32_t s) { mt_.seed(s); }
  /// ((a >> 5) * 67108864 + (b >> 6)) / 9007199254740992 from two 32-bit outputs.
  double randomSample();

private:
  std::mt19937 mt_;
};

/// `text` for an error message: as is up to `max` characters, else its first `max` and
/// "... (N characters)".
std::string abbreviate(std::string_view text, size_t max = 100);

/// Evaluates one expression. Errors say what is not supported, with the offending text.
absl::StatusOr<PyArray> evalPyExpr(std::string_view text, NumpyRandom &random);

/// Elements that all the values of one --input_exprs flag may have together (each value on its
/// own may have 2^24): a flag repeating a large expression would otherwise take minutes.
constexpr int64_t kMaxInputExprsElements = int64_t(1) << 25;

/// One `--input_exprs` entry: `key=expr`, or a bare `np.random.seed(N)` (key empty).
struct InputExpr {
  std::string key;
  std::string expr;
};
/// Splits --input_exprs at ';' (empty entries skipped) and each entry at its first '='.
absl::StatusOr<std::vector<InputExpr>> splitInputExprs(const std::string &flag);
/// The seed of a bare `np.random.seed(N)` entry, or nullopt if `expr` is not one.
absl::StatusOr<std::optional<uint32_t>> parseSeedCall(std::string_view expr);

/// numpy.asarray(value, dtype): what TensorFlow's session does with a fed value. Python ints
/// out of the dtype's range are errors (as in NumPy 2); NumPy arrays are cast like astype
/// (integers wrap; floats truncate toward zero, an error when NaN or out of range).
absl::StatusOr<Tensor> toTensor(const PyArray &value, DType dtype);

/// NumPy's name of a TF dtype ("float32", "int64", "bool", ...), or the TF name.
std::string numpyDtypeName(DType dtype);

} // namespace smc

#endif // SMC_RUN_PYEXPR_H
