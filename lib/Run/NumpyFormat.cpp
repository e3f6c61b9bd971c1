//===- NumpyFormat.cpp - str(ndarray) with NumPy's default options --------===//
//
// Follows numpy/_core/arrayprint.py (NumPy 2.x, legacy=False): one formatter per array chosen
// from the values that are shown (all of them, or the corners when the array has more than
// `threshold` elements and is summarised), then the nested-bracket layout of _formatArray with
// its line wrapping. Float formatters compare magnitudes in the array's own precision, as
// NumPy 2 does with Python float operands (NEP 50).
//
//===----------------------------------------------------------------------===//

#include "smc/Run/NumpyFormat.h"

#include "types.pb.h"

#include "absl/strings/str_cat.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

namespace smc {
namespace {

constexpr int kPrecision = 8;
constexpr int64_t kThreshold = 1000;
constexpr int64_t kEdgeItems = 3;
constexpr int kLineWidth = 75;

enum class Kind { Bool, Int, UInt, Float };

/// Typed access to the elements of a tensor.
struct Elements {
  const Tensor &t;
  Kind kind;
  FloatWidth width = FloatWidth::Double;
  int size;

  uint64_t raw(int64_t i) const {
    uint64_t v = 0;
    std::memcpy(&v, t.data.data() + i * size, size); // little-endian host
    return v;
  }
  int64_t asInt(int64_t i) const {
    uint64_t v = raw(i);
    int shift = 64 - 8 * size;
    return static_cast<int64_t>(v << shift) >> shift; // sign-extend
  }
  uint64_t asUInt(int64_t i) const { return raw(i); }
  double asDouble(int64_t i) const {
    uint64_t b = raw(i);
    if (width == FloatWidth::Half)
      return halfToDouble(static_cast<uint16_t>(b));
    if (width == FloatWidth::Single) {
      float f;
      uint32_t b32 = static_cast<uint32_t>(b);
      std::memcpy(&f, &b32, sizeof f);
      return f;
    }
    double d;
    std::memcpy(&d, &b, sizeof d);
    return d;
  }
};

using FormatFn = std::function<std::string(int64_t)>;

/// The flat indices of the elements arrayprint's _leading_trailing keeps.
std::vector<int64_t> shownIndices(const std::vector<int64_t> &shape, bool summarize) {
  std::vector<int64_t> out{0};
  for (int64_t n : shape) {
    std::vector<int64_t> keep;
    if (summarize && n > 2 * kEdgeItems) {
      for (int64_t i = 0; i < kEdgeItems; ++i)
        keep.push_back(i);
      for (int64_t i = n - kEdgeItems; i < n; ++i)
        keep.push_back(i);
    } else {
      for (int64_t i = 0; i < n; ++i)
        keep.push_back(i);
    }
    std::vector<int64_t> next;
    next.reserve(out.size() * keep.size());
    for (int64_t base : out)
      for (int64_t k : keep)
        next.push_back(base * n + k);
    out = std::move(next);
  }
  return out;
}

/// arrayprint.FloatingFormat with precision 8, floatmode 'maxprec', sign '-'.
FormatFn floatFormatter(const Elements &e, const std::vector<int64_t> &shown) {
  std::vector<int64_t> finite;
  bool anyNonFinite = false, negInf = false;
  for (int64_t i : shown) {
    double v = e.asDouble(i);
    if (std::isfinite(v)) {
      finite.push_back(i);
    } else {
      anyNonFinite = true;
      negInf |= std::isinf(v) && v < 0;
    }
  }
  // Exponential notation when the non-zero magnitudes span too much, compared in the array's
  // precision (a Python float operand takes the array's dtype under NEP 50).
  bool expFormat = false;
  double maxAbs = 0, minAbs = std::numeric_limits<double>::infinity();
  bool anyNonZero = false;
  for (int64_t i : finite) {
    double a = std::fabs(e.asDouble(i));
    if (a == 0)
      continue;
    anyNonZero = true;
    maxAbs = std::max(maxAbs, a);
    minAbs = std::min(minAbs, a);
  }
  if (anyNonZero) {
    switch (e.width) {
    case FloatWidth::Double:
      expFormat = maxAbs >= 1.e8 || minAbs < 0.0001 || maxAbs / minAbs > 1000.;
      break;
    case FloatWidth::Single: {
      float mx = static_cast<float>(maxAbs), mn = static_cast<float>(minAbs);
      float ratio = mx / mn;
      expFormat = mx >= 1.e8f || mn < 0.0001f || ratio > 1000.f;
      break;
    }
    case FloatWidth::Half: {
      // 1e8 is infinity in half precision; 0.0001 and the quotient round to half.
      double tiny = halfToDouble(doubleToHalf(0.0001));
      double ratio = halfToDouble(doubleToHalf(maxAbs / minAbs));
      expFormat = minAbs < tiny || ratio > 1000.;
      break;
    }
    }
  }

  FloatFormat fmt;
  fmt.unique = true;
  int padLeft = 0, padRight = 0;
  if (finite.empty()) {
    fmt.trim = FloatFormat::Trim::Zeros;
  } else if (expFormat) {
    FloatFormat first;
    first.precision = kPrecision;
    first.trim = FloatFormat::Trim::Zeros;
    int precision = 0, expSize = 0;
    for (int64_t i : finite) {
      std::string s = formatFloatScientific(e.raw(i), e.width, first);
      size_t ePos = s.find('e');
      size_t dot = s.find('.');
      padLeft = std::max(padLeft, static_cast<int>(dot));
      precision = std::max(precision, static_cast<int>(ePos - dot - 1));
      expSize = std::max(expSize, static_cast<int>(s.size() - ePos - 2));
    }
    fmt.precision = precision;
    fmt.minDigits = precision;
    fmt.trim = FloatFormat::Trim::Keep;
    fmt.expDigits = expSize;
    padRight = expSize + 2 + precision;
  } else {
    FloatFormat first;
    first.precision = kPrecision;
    first.trim = FloatFormat::Trim::Zeros;
    for (int64_t i : finite) {
      std::string s = formatFloatPositional(e.raw(i), e.width, first);
      size_t dot = s.find('.');
      padLeft = std::max(padLeft, static_cast<int>(dot));
      padRight = std::max(padRight, static_cast<int>(s.size() - dot - 1));
    }
    fmt.precision = kPrecision;
    fmt.minDigits = 0;
    fmt.trim = FloatFormat::Trim::Zeros;
  }
  if (anyNonFinite) {
    int offset = padRight + 1;
    padLeft = std::max({padLeft, 3 - offset, 3 + (negInf ? 1 : 0) - offset});
  }
  fmt.padLeft = padLeft;
  if (!expFormat)
    fmt.padRight = padRight;
  return [e, fmt, expFormat, padLeft, padRight](int64_t i) -> std::string {
    double v = e.asDouble(i);
    if (!std::isfinite(v)) {
      std::string r = std::isnan(v) ? "nan" : (v < 0 ? "-inf" : "inf");
      int pad = padLeft + padRight + 1 - static_cast<int>(r.size());
      return std::string(pad > 0 ? pad : 0, ' ') + r;
    }
    return expFormat ? formatFloatScientific(e.raw(i), e.width, fmt)
                     : formatFloatPositional(e.raw(i), e.width, fmt);
  };
}

/// arrayprint.IntegerFormat: right-aligned to the widest of str(max) and str(min).
FormatFn intFormatter(const Elements &e, const std::vector<int64_t> &shown) {
  auto str = [e](int64_t i) {
    return e.kind == Kind::UInt ? std::to_string(e.asUInt(i)) : std::to_string(e.asInt(i));
  };
  size_t width = 0;
  if (!shown.empty()) {
    int64_t maxI = shown[0], minI = shown[0];
    for (int64_t i : shown) {
      bool greater =
          e.kind == Kind::UInt ? e.asUInt(i) > e.asUInt(maxI) : e.asInt(i) > e.asInt(maxI);
      bool less = e.kind == Kind::UInt ? e.asUInt(i) < e.asUInt(minI) : e.asInt(i) < e.asInt(minI);
      if (greater)
        maxI = i;
      if (less)
        minI = i;
    }
    width = std::max(str(maxI).size(), str(minI).size());
  }
  return [str, width](int64_t i) {
    std::string s = str(i);
    return s.size() < width ? std::string(width - s.size(), ' ') + s : s;
  };
}

/// arrayprint._extendLine (legacy off): wrap before `word` if the line would get too long,
/// unless the line holds nothing but its indent.
void extendLine(std::string &s, std::string &line, const std::string &word, int lineWidth,
                const std::string &nextLinePrefix) {
  bool needsWrap = static_cast<int>(line.size() + word.size()) > lineWidth;
  if (line.size() <= nextLinePrefix.size())
    needsWrap = false;
  if (needsWrap) {
    size_t end = line.find_last_not_of(' ');
    s += (end == std::string::npos ? "" : line.substr(0, end + 1)) + "\n";
    line = nextLinePrefix;
  }
  line += word;
}

/// arrayprint._formatArray's recurser, separator ' '.
class Layout {
public:
  Layout(const std::vector<int64_t> &shape, bool summarize, FormatFn fmt)
      : shape_(shape), summarize_(summarize), fmt_(std::move(fmt)) {
    strides_.assign(shape.size(), 1);
    for (size_t i = shape.size(); i-- > 1;)
      strides_[i - 1] = strides_[i] * shape[i];
  }

  std::string format() { return recurse(0, 0, " ", kLineWidth); }

private:
  std::string recurse(size_t axis, int64_t offset, const std::string &hangingIndent,
                      int currWidth) {
    size_t axesLeft = shape_.size() - axis;
    if (axesLeft == 0)
      return fmt_(offset);
    std::string nextIndent = hangingIndent + " ";
    int nextWidth = currWidth - 1; // len(']')
    int64_t n = shape_[axis];
    bool showSummary = summarize_ && 2 * kEdgeItems < n;
    int64_t leading = showSummary ? kEdgeItems : 0;
    int64_t trailing = showSummary ? kEdgeItems : n;
    auto child = [&](int64_t i) {
      return recurse(axis + 1, offset + i * strides_[axis], nextIndent, nextWidth);
    };
    std::string s;
    if (axesLeft == 1) {
      int elemWidth = currWidth - 1; // max(len(separator.rstrip()), len(']'))
      std::string line = hangingIndent;
      for (int64_t i = 0; i < leading; ++i) {
        extendLine(s, line, child(i), elemWidth, hangingIndent);
        line += " ";
      }
      if (showSummary) {
        extendLine(s, line, "...", elemWidth, hangingIndent);
        line += " ";
      }
      for (int64_t i = trailing; i > 1; --i) {
        extendLine(s, line, child(n - i), elemWidth, hangingIndent);
        line += " ";
      }
      extendLine(s, line, child(n - 1), elemWidth, hangingIndent);
      s += line;
    } else {
      std::string lineSep(axesLeft - 1, '\n');
      for (int64_t i = 0; i < leading; ++i)
        s += hangingIndent + child(i) + lineSep;
      if (showSummary)
        s += hangingIndent + "..." + lineSep;
      for (int64_t i = trailing; i > 1; --i)
        s += hangingIndent + child(n - i) + lineSep;
      s += hangingIndent + child(n - 1);
    }
    return "[" + s.substr(hangingIndent.size()) + "]";
  }

  std::vector<int64_t> shape_;
  std::vector<int64_t> strides_;
  bool summarize_;
  FormatFn fmt_;
};

} // namespace

absl::StatusOr<std::string> numpyStr(const Tensor &t) {
  Kind kind;
  FloatWidth width = FloatWidth::Double;
  const DTypeInfo *info = dtypeInfo(t.dtype);
  switch (info ? info->kind : DTypeKind::Complex) {
  case DTypeKind::Bool:
    kind = Kind::Bool;
    break;
  case DTypeKind::Signed:
    kind = Kind::Int;
    break;
  case DTypeKind::Unsigned:
    kind = Kind::UInt;
    break;
  case DTypeKind::Float:
    kind = Kind::Float;
    width = info->bits == 16   ? FloatWidth::Half
            : info->bits == 32 ? FloatWidth::Single
                               : FloatWidth::Double;
    break;
  default:
    return absl::UnimplementedError(
        absl::StrCat("printing ", dtypeName(t.dtype), " values is not supported"));
  }
  int64_t count = t.numElements();
  if (count < 0)
    return absl::InvalidArgumentError("bad tensor shape " + shapeToString(t.shape));
  Elements e{t, kind, width, dtypeSize(t.dtype)};
  if (static_cast<int64_t>(t.data.size()) != count * e.size)
    return absl::InvalidArgumentError("tensor data does not match its shape");

  if (t.shape.empty()) { // a 0-d array prints as its scalar
    switch (kind) {
    case Kind::Bool:
      return std::string(e.raw(0) ? "True" : "False");
    case Kind::Int:
      return std::to_string(e.asInt(0));
    case Kind::UInt:
      return std::to_string(e.asUInt(0));
    case Kind::Float:
      return numpyScalarStr(e.raw(0), width);
    }
  }
  if (count == 0)
    return std::string("[]");

  bool summarize = count > kThreshold;
  std::vector<int64_t> shown = shownIndices(t.shape, summarize);
  FormatFn fmt;
  switch (kind) {
  case Kind::Bool:
    fmt = [e](int64_t i) { return std::string(e.raw(i) ? " True" : "False"); };
    break;
  case Kind::Int:
  case Kind::UInt:
    fmt = intFormatter(e, shown);
    break;
  case Kind::Float:
    fmt = floatFormatter(e, shown);
    break;
  }
  return Layout(t.shape, summarize, std::move(fmt)).format();
}

} // namespace smc
