//===- Dragon4.cpp - Floating-point to decimal the way NumPy does it ------===//
//
// NumPy formats floats with Dragon4 (Steele & White; Burger & Dybvig's formulation) on exact
// big integers: the value and the half-gaps to its neighbours are scaled integers, digits come
// out one at a time, and generation stops when the digits identify the value uniquely (or at
// a cutoff), with IEEE unbiased rounding of the last digit. Its boundary rule matters for
// byte-identical output: a value whose mantissa is even may stop at a digit string lying
// exactly on the half-gap (round-half-even would read it back to the same value).
//
// The text layout (padding, trimming, exponent digits) follows numpy.format_float_positional
// and numpy.format_float_scientific, whose options FloatFormat mirrors.
//
//===----------------------------------------------------------------------===//

#include "smc/Run/NumpyFormat.h"

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

namespace smc {
namespace {

/// Unsigned big integer, 32-bit limbs, least significant first, no leading zero limbs.
class BigUInt {
public:
  explicit BigUInt(uint64_t v = 0) {
    while (v) {
      limbs_.push_back(static_cast<uint32_t>(v));
      v >>= 32;
    }
  }
  bool isZero() const { return limbs_.empty(); }

  void shiftLeft(unsigned n) {
    if (isZero() || n == 0)
      return;
    unsigned words = n / 32, bits = n % 32;
    std::vector<uint32_t> out(words, 0);
    uint32_t carry = 0;
    for (uint32_t l : limbs_) {
      out.push_back(bits ? (l << bits) | carry : l);
      carry = bits ? l >> (32 - bits) : 0;
    }
    if (carry)
      out.push_back(carry);
    limbs_ = std::move(out);
  }
  void mulSmall(uint32_t m) {
    uint64_t carry = 0;
    for (uint32_t &l : limbs_) {
      uint64_t p = uint64_t(l) * m + carry;
      l = static_cast<uint32_t>(p);
      carry = p >> 32;
    }
    if (carry)
      limbs_.push_back(static_cast<uint32_t>(carry));
    trim();
  }
  void mulPow10(unsigned n) {
    static const uint32_t kPow10[] = {1,      10,      100,      1000,      10000,
                                      100000, 1000000, 10000000, 100000000, 1000000000};
    for (; n >= 9; n -= 9)
      mulSmall(kPow10[9]);
    if (n)
      mulSmall(kPow10[n]);
  }
  void add(const BigUInt &o) {
    if (o.limbs_.size() > limbs_.size())
      limbs_.resize(o.limbs_.size(), 0);
    uint64_t carry = 0;
    for (size_t i = 0; i < limbs_.size(); ++i) {
      uint64_t s = uint64_t(limbs_[i]) + (i < o.limbs_.size() ? o.limbs_[i] : 0) + carry;
      limbs_[i] = static_cast<uint32_t>(s);
      carry = s >> 32;
    }
    if (carry)
      limbs_.push_back(static_cast<uint32_t>(carry));
  }
  /// *this -= o; requires *this >= o.
  void sub(const BigUInt &o) {
    int64_t borrow = 0;
    for (size_t i = 0; i < limbs_.size(); ++i) {
      int64_t d = int64_t(limbs_[i]) - (i < o.limbs_.size() ? o.limbs_[i] : 0) - borrow;
      borrow = d < 0;
      limbs_[i] = static_cast<uint32_t>(d + (borrow ? (int64_t(1) << 32) : 0));
    }
    trim();
  }
  friend int compare(const BigUInt &a, const BigUInt &b) {
    if (a.limbs_.size() != b.limbs_.size())
      return a.limbs_.size() < b.limbs_.size() ? -1 : 1;
    for (size_t i = a.limbs_.size(); i-- > 0;)
      if (a.limbs_[i] != b.limbs_[i])
        return a.limbs_[i] < b.limbs_[i] ? -1 : 1;
    return 0;
  }

private:
  void trim() {
    while (!limbs_.empty() && limbs_.back() == 0)
      limbs_.pop_back();
  }
  std::vector<uint32_t> limbs_;
};

/// value -= q * scale with q = floor(value / scale), which must be < 10; returns q.
unsigned divideDigit(BigUInt &value, const BigUInt &scale) {
  unsigned q = 0;
  while (compare(value, scale) >= 0) {
    value.sub(scale);
    ++q;
  }
  return q;
}

/// A finite IEEE value as mantissa * 2^exponent.
struct Decomposed {
  bool negative = false;
  bool inf = false, nan = false;
  uint64_t mantissa = 0;
  int exponent = 0;
  int mantissaBit = 0;         // index of the highest set bit of the mantissa
  bool unequalMargins = false; // the gap below is half the gap above (a power of two)
};

int highestBit(uint64_t v) {
  int b = -1;
  while (v) {
    ++b;
    v >>= 1;
  }
  return b;
}

Decomposed decompose(uint64_t bits, FloatWidth width) {
  int mantBits, expBits;
  switch (width) {
  case FloatWidth::Half:
    mantBits = 10, expBits = 5;
    break;
  case FloatWidth::Single:
    mantBits = 23, expBits = 8;
    break;
  default:
    mantBits = 52, expBits = 11;
    break;
  }
  int bias = (1 << (expBits - 1)) - 1;
  uint64_t frac = bits & ((uint64_t(1) << mantBits) - 1);
  uint64_t biased = (bits >> mantBits) & ((uint64_t(1) << expBits) - 1);
  Decomposed d;
  d.negative = (bits >> (mantBits + expBits)) & 1;
  if (biased == (uint64_t(1) << expBits) - 1) {
    (frac ? d.nan : d.inf) = true;
    return d;
  }
  if (biased != 0) {
    d.mantissa = (uint64_t(1) << mantBits) | frac;
    d.exponent = static_cast<int>(biased) - bias - mantBits;
    d.mantissaBit = mantBits;
    d.unequalMargins = biased != 1 && frac == 0;
  } else {
    d.mantissa = frac;
    d.exponent = 1 - bias - mantBits;
    d.mantissaBit = highestBit(frac);
  }
  return d;
}

enum class Cutoff { TotalLength, FractionLength };

/// The decimal digits of mantissa * 2^exponent; `exp10` receives the power of ten of the
/// first digit. cutoffMax/cutoffMin: at most / at least that many digits (total, or after the
/// decimal point), -1 for none.
std::string dragon4(const Decomposed &d, bool unique, Cutoff mode, int cutoffMax, int cutoffMin,
                    int &exp10) {
  if (d.mantissa == 0) {
    exp10 = 0;
    return "0";
  }
  const bool isEven = (d.mantissa & 1) == 0;
  // value/scale is the number; marginLow/scale and marginHigh/scale half the gaps to the
  // neighbours below and above. The extra factor 2 (4 with unequal margins) keeps them integral.
  unsigned shift = d.unequalMargins ? 2 : 1;
  BigUInt value(d.mantissa), scale(1), marginLow(1);
  if (d.exponent > 0) {
    value.shiftLeft(d.exponent + shift);
    scale.shiftLeft(shift);
    marginLow.shiftLeft(d.exponent);
  } else {
    value.shiftLeft(shift);
    scale.shiftLeft(-d.exponent + shift);
  }
  auto marginHigh = [&] {
    BigUInt h = marginLow;
    if (d.unequalMargins)
      h.shiftLeft(1);
    return h;
  };

  // Estimate of floor(log10(v)) + 1, exact or one too small (Burger & Dybvig, offset so the
  // estimate errs low).
  int digitExp = static_cast<int>(
      std::ceil(double(d.mantissaBit + d.exponent) * 0.30102999566398119521 - 0.69));
  // With a fraction cutoff, digits below it are never printed: start there at the latest.
  if (cutoffMax >= 0 && mode == Cutoff::FractionLength && digitExp <= -cutoffMax)
    digitExp = -cutoffMax + 1;
  if (digitExp > 0) {
    scale.mulPow10(digitExp);
  } else if (digitExp < 0) {
    value.mulPow10(-digitExp);
    marginLow.mulPow10(-digitExp);
  }
  if (compare(value, scale) >= 0) {
    ++digitExp; // the estimate was one too small
  } else {
    value.mulSmall(10);
    marginLow.mulSmall(10);
  }

  int cutoffMaxExp = digitExp - (1 << 20); // no cutoff
  if (cutoffMax >= 0) {
    int desired = mode == Cutoff::TotalLength ? digitExp - cutoffMax : -cutoffMax;
    if (desired > cutoffMaxExp)
      cutoffMaxExp = desired;
  }
  int cutoffMinExp = digitExp;
  if (cutoffMin >= 0) {
    int desired = mode == Cutoff::TotalLength ? digitExp - cutoffMin : -cutoffMin;
    if (desired < cutoffMinExp)
      cutoffMinExp = desired;
  }
  exp10 = digitExp - 1;

  std::string out;
  unsigned digit = 0;
  bool low = false, high = false;
  if (unique) {
    for (;;) {
      --digitExp;
      digit = divideDigit(value, scale);
      BigUInt valueHigh = value;
      valueHigh.add(marginHigh());
      int cmpLow = compare(value, marginLow);
      low = isEven ? cmpLow <= 0 : cmpLow < 0;
      int cmpHigh = compare(valueHigh, scale);
      high = isEven ? cmpHigh >= 0 : cmpHigh > 0;
      if (((low || high) && digitExp <= cutoffMinExp) || digitExp == cutoffMaxExp)
        break;
      out += static_cast<char>('0' + digit);
      value.mulSmall(10);
      marginLow.mulSmall(10);
    }
  } else {
    for (;;) {
      --digitExp;
      digit = divideDigit(value, scale);
      if (value.isZero() || digitExp == cutoffMaxExp)
        break;
      out += static_cast<char>('0' + digit);
      value.mulSmall(10);
    }
  }

  // Round the last digit: down if only rounding down stays unique, up if only rounding up
  // does, else to the nearer digit with ties to even.
  bool roundDown = low;
  if (low == high) {
    value.shiftLeft(1);
    int c = compare(value, scale);
    roundDown = c < 0 || (c == 0 && (digit & 1) == 0);
  }
  if (roundDown) {
    out += static_cast<char>('0' + digit);
  } else if (digit == 9) {
    while (!out.empty() && out.back() == '9')
      out.pop_back();
    if (out.empty()) {
      out = "1";
      ++exp10;
    } else {
      ++out.back();
    }
  } else {
    out += static_cast<char>('0' + digit + 1);
  }
  return out;
}

std::string infNan(const Decomposed &d, bool sign) {
  if (d.nan)
    return "nan";
  return std::string(d.negative ? "-" : sign ? "+" : "") + "inf";
}

using Trim = FloatFormat::Trim;

} // namespace

std::string formatFloatPositional(uint64_t bits, FloatWidth width, const FloatFormat &f) {
  Decomposed d = decompose(bits, width);
  if (d.inf || d.nan)
    return infNan(d, f.sign);
  std::string s;
  int hasSign = 0;
  if (d.negative || f.sign) {
    s += d.negative ? '-' : '+';
    hasSign = 1;
  }
  int exp10;
  std::string digits =
      dragon4(d, f.unique, Cutoff::FractionLength, f.precision, f.minDigits, exp10);
  int numDigits = static_cast<int>(digits.size());
  int wholeDigits, fracDigits = 0;
  if (exp10 >= 0) {
    wholeDigits = exp10 + 1;
    if (numDigits <= wholeDigits) {
      s += digits + std::string(wholeDigits - numDigits, '0');
    } else {
      fracDigits = numDigits - wholeDigits;
      s += digits.substr(0, wholeDigits) + "." + digits.substr(wholeDigits);
    }
  } else {
    int zeros = -(exp10 + 1);
    s += "0." + std::string(zeros, '0') + digits;
    fracDigits = zeros + numDigits;
    wholeDigits = 1;
  }
  if (f.trim != Trim::DptZeros && fracDigits == 0)
    s += '.';
  int addDigits = f.unique ? f.minDigits : f.precision;
  int desiredFrac = addDigits < 0 ? 0 : addDigits;
  if (f.trim == Trim::LeaveOneZero) {
    if (fracDigits == 0) {
      s += '0';
      ++fracDigits;
    }
  } else if (f.trim == Trim::Keep && desiredFrac > fracDigits) {
    s += std::string(desiredFrac - fracDigits, '0');
    fracDigits = desiredFrac;
  }
  if (f.trim != Trim::Keep && fracDigits > 0) {
    while (s.back() == '0') {
      s.pop_back();
      --fracDigits;
    }
    if (s.back() == '.') {
      if (f.trim == Trim::LeaveOneZero) {
        s += '0';
        ++fracDigits;
      } else if (f.trim == Trim::DptZeros) {
        s.pop_back();
      }
    }
  }
  if (f.padRight >= fracDigits) {
    if (f.trim == Trim::DptZeros && fracDigits == 0)
      s += ' ';
    s += std::string(f.padRight - fracDigits, ' ');
  }
  if (f.padLeft > wholeDigits + hasSign)
    s.insert(0, std::string(f.padLeft - wholeDigits - hasSign, ' '));
  return s;
}

std::string formatFloatScientific(uint64_t bits, FloatWidth width, const FloatFormat &f) {
  Decomposed d = decompose(bits, width);
  if (d.inf || d.nan)
    return infNan(d, f.sign);
  std::string s;
  int leftChars = 1 + ((d.negative || f.sign) ? 1 : 0);
  if (f.padLeft > leftChars)
    s += std::string(f.padLeft - leftChars, ' ');
  if (d.negative || f.sign)
    s += d.negative ? '-' : '+';
  int exp10;
  std::string digits =
      dragon4(d, f.unique, Cutoff::TotalLength, f.precision < 0 ? -1 : f.precision + 1,
              f.minDigits < 0 ? -1 : f.minDigits + 1, exp10);
  s += digits[0];
  int fracDigits = static_cast<int>(digits.size()) - 1;
  if (fracDigits > 0)
    s += "." + digits.substr(1);
  if (f.trim != Trim::DptZeros && fracDigits == 0)
    s += '.';
  int addDigits = f.unique ? f.minDigits : f.precision;
  if (addDigits < 0)
    addDigits = 0;
  if (f.trim == Trim::LeaveOneZero) {
    if (fracDigits == 0) {
      s += '0';
      ++fracDigits;
    }
  } else if (f.trim == Trim::Keep && addDigits > fracDigits) {
    s += std::string(addDigits - fracDigits, '0');
    fracDigits = addDigits;
  }
  if (f.trim != Trim::Keep && fracDigits > 0) {
    while (s.back() == '0') {
      s.pop_back();
      --fracDigits;
    }
    if (f.trim == Trim::LeaveOneZero && s.back() == '.') {
      s += '0';
      ++fracDigits;
    }
  }
  int expDigits = f.expDigits < 0 ? 2 : (f.expDigits > 5 ? 5 : f.expDigits);
  s += exp10 < 0 ? "e-" : "e+";
  std::string e = std::to_string(exp10 < 0 ? -exp10 : exp10);
  if (static_cast<int>(e.size()) < expDigits)
    e.insert(0, std::string(expDigits - e.size(), '0'));
  return s + e;
}

static uint64_t bitsOf(float v) {
  uint32_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}
static uint64_t bitsOf(double v) {
  uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}

std::string formatFloatPositional(float v, const FloatFormat &f) {
  return formatFloatPositional(bitsOf(v), FloatWidth::Single, f);
}
std::string formatFloatPositional(double v, const FloatFormat &f) {
  return formatFloatPositional(bitsOf(v), FloatWidth::Double, f);
}
std::string formatFloatScientific(float v, const FloatFormat &f) {
  return formatFloatScientific(bitsOf(v), FloatWidth::Single, f);
}
std::string formatFloatScientific(double v, const FloatFormat &f) {
  return formatFloatScientific(bitsOf(v), FloatWidth::Double, f);
}

double halfToDouble(uint16_t h) {
  int e = (h >> 10) & 0x1f;
  int m = h & 0x3ff;
  double v;
  if (e == 0x1f)
    v = m ? std::nan("") : INFINITY;
  else if (e == 0)
    v = std::ldexp(m, -24);
  else
    v = std::ldexp(m | 0x400, e - 25);
  return (h & 0x8000) ? -v : v;
}

uint16_t doubleToHalf(double v) {
  uint16_t sign = std::signbit(v) ? 0x8000 : 0;
  if (std::isnan(v))
    return sign | 0x7e00;
  double a = std::fabs(v);
  if (a >= 65520.0) // rounds to infinity
    return sign | 0x7c00;
  if (a < std::ldexp(1.0, -14)) {
    // Subnormal (or zero): multiples of 2^-24, rounded to nearest even by nearbyint.
    double q = std::nearbyint(std::ldexp(a, 24));
    return sign | static_cast<uint16_t>(q); // q == 1024 yields the smallest normal
  }
  int e;
  double frac = std::frexp(a, &e);                 // a = frac * 2^e, frac in [0.5, 1)
  double q = std::nearbyint(std::ldexp(frac, 11)); // 11 significant bits
  if (q == 2048.0) {
    q = 1024.0;
    ++e;
  }
  int biased = e - 1 + 15;
  if (biased >= 0x1f)
    return sign | 0x7c00;
  return sign | static_cast<uint16_t>((biased << 10) | (static_cast<int>(q) & 0x3ff));
}

std::string numpyScalarStr(uint64_t bits, FloatWidth width) {
  double v;
  if (width == FloatWidth::Double) {
    std::memcpy(&v, &bits, sizeof v);
  } else if (width == FloatWidth::Single) {
    float x;
    uint32_t b = static_cast<uint32_t>(bits);
    std::memcpy(&x, &b, sizeof x);
    v = x;
  } else {
    v = halfToDouble(static_cast<uint16_t>(bits));
  }
  FloatFormat f;
  double a = std::fabs(v);
  if (std::isnan(v) || v == 0 || (a < 1e16 && a >= 1e-4)) {
    f.trim = FloatFormat::Trim::LeaveOneZero;
    return formatFloatPositional(bits, width, f);
  }
  f.trim = FloatFormat::Trim::DptZeros;
  return formatFloatScientific(bits, width, f);
}

} // namespace smc
