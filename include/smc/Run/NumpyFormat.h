//===- NumpyFormat.h - NumPy's text form of arrays -------------*- C++ -*-===//
//
// `print(ndarray)` as NumPy prints it with its default print options (precision 8, threshold
// 1000, edge items 3, line width 75, floatmode 'maxprec', sign '-', legacy off): what
// saved_model_cli shows after "Result for output key K:". Floats go through a Dragon4
// implementation with NumPy's rounding rules (shortest unique digits, IEEE unbiased rounding,
// cutoffs, trimming and padding), so the text is byte-identical to NumPy's for the same values.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_RUN_NUMPYFORMAT_H
#define SMC_RUN_NUMPYFORMAT_H

#include "smc/SavedModel/Tensor.h"

#include "absl/status/statusor.h"

#include <cstdint>
#include <string>

namespace smc {

/// The arguments of numpy.format_float_positional / format_float_scientific (-1: unset).
struct FloatFormat {
  enum class Trim {
    Keep,         // 'k': keep trailing zeros and the decimal point
    Zeros,        // '.': trim trailing zeros, keep the decimal point
    LeaveOneZero, // '0': trim trailing zeros but leave one after the point
    DptZeros,     // '-': trim trailing zeros and the decimal point
  };
  int precision = -1; // positional: digits after the point; scientific: after the first digit
  int minDigits = -1;
  bool unique = true; // shortest digits that identify the value (else exact digits)
  Trim trim = Trim::Keep;
  bool sign = false; // '+' on positive values
  int padLeft = -1;
  int padRight = -1;  // positional only
  int expDigits = -1; // scientific only: at least this many exponent digits (default 2)
};

/// IEEE binary16/32/64 value, by its bits.
enum class FloatWidth { Half, Single, Double };

std::string formatFloatPositional(uint64_t bits, FloatWidth width, const FloatFormat &f);
std::string formatFloatScientific(uint64_t bits, FloatWidth width, const FloatFormat &f);
std::string formatFloatPositional(float v, const FloatFormat &f);
std::string formatFloatPositional(double v, const FloatFormat &f);
std::string formatFloatScientific(float v, const FloatFormat &f);
std::string formatFloatScientific(double v, const FloatFormat &f);

/// str() of a NumPy float scalar: positional when 1e-4 <= |x| < 1e16 (or 0, nan), else
/// scientific; shortest digits ("2.5", "3.0", "1e+16", "1.5e-05", "nan", "-inf").
std::string numpyScalarStr(uint64_t bits, FloatWidth width);

/// IEEE half <-> double (round to nearest even).
uint16_t doubleToHalf(double v);
double halfToDouble(uint16_t h);

/// str(ndarray) of `t` with NumPy's default print options. Supports the bool, integer and
/// float (half, float, double) dtypes; others are an error.
absl::StatusOr<std::string> numpyStr(const Tensor &t);

} // namespace smc

#endif // SMC_RUN_NUMPYFORMAT_H
