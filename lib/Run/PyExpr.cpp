//===- PyExpr.cpp - Python literals and NumPy calls for --input_exprs -----===//
//
// A tokenizer and recursive-descent parser for the subset of Python expressions described in
// PyExpr.h, building a small tree that is then evaluated into a PyArray. Nothing is executed:
// names other than True/False/np.<dtype>/np.nan/np.inf/np.pi and the listed NumPy functions
// are errors.
//
//===----------------------------------------------------------------------===//

#include "smc/Run/PyExpr.h"
#include "smc/Run/NumpyFormat.h"

#include "types.pb.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>

namespace smc {
namespace {

/// The largest value smc run builds from an expression (elements).
constexpr int64_t kMaxElements = int64_t(1) << 24;

//===----------------------------------------------------------------------===//
// Syntax
//===----------------------------------------------------------------------===//

struct Node {
  enum class Kind { Number, String, Name, List, Tuple, Call, Neg, Pos } kind;
  size_t pos = 0;
  PyScalar number;                                  // Number
  std::string text;                                 // String value; Name / Call dotted name
  std::vector<Node> items;                          // List, Tuple, Call args; Neg/Pos operand
  std::vector<std::pair<std::string, Node>> kwargs; // Call
};

class Parser {
public:
  explicit Parser(std::string_view s) : s_(s) {}

  absl::StatusOr<Node> parseAll() {
    auto n = parseTupleOrItem(/*allowEmpty=*/false);
    if (!n.ok())
      return n;
    skipSpace();
    if (p_ != s_.size())
      return error("unexpected '" + std::string(1, s_[p_]) + "'");
    return n;
  }

private:
  absl::Status error(const std::string &what) const {
    if (p_ < s_.size() && std::strchr("+-*/%@<>&|^~", s_[p_]))
      return absl::InvalidArgumentError(
          absl::StrCat("operators are not supported (only literals and NumPy calls): '",
                       std::string(1, s_[p_]), "' at offset ", p_, " of '", std::string(s_), "'"));
    std::string where =
        p_ >= s_.size() ? std::string(" at the end") : absl::StrCat(" at offset ", p_);
    return absl::InvalidArgumentError(absl::StrCat(what, where, " of '", std::string(s_), "'"));
  }
  void skipSpace() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\n' || s_[p_] == '\r'))
      ++p_;
  }
  bool accept(char c) {
    skipSpace();
    if (p_ < s_.size() && s_[p_] == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool peek(char c) {
    skipSpace();
    return p_ < s_.size() && s_[p_] == c;
  }

  /// item (',' item)* [','] — a tuple if there is a comma (Python's top-level and parenthesised
  /// expression lists).
  absl::StatusOr<Node> parseTupleOrItem(bool allowEmpty, char close = 0) {
    size_t start = p_;
    if (allowEmpty && close && peek(close))
      return Node{Node::Kind::Tuple, start};
    auto first = parseItem();
    if (!first.ok())
      return first;
    if (!peek(','))
      return first;
    Node t{Node::Kind::Tuple, start};
    t.items.push_back(std::move(*first));
    while (accept(',')) {
      skipSpace();
      if (p_ == s_.size() || (close && peek(close)))
        break;
      auto next = parseItem();
      if (!next.ok())
        return next;
      t.items.push_back(std::move(*next));
    }
    return t;
  }

  absl::StatusOr<Node> parseItem() {
    skipSpace();
    size_t start = p_;
    if (accept('-') || accept('+')) {
      Node n{s_[start] == '-' ? Node::Kind::Neg : Node::Kind::Pos, start};
      auto operand = parseItem();
      if (!operand.ok())
        return operand;
      n.items.push_back(std::move(*operand));
      return n;
    }
    return parsePrimary();
  }

  absl::StatusOr<Node> parsePrimary() {
    skipSpace();
    size_t start = p_;
    if (p_ == s_.size())
      return error("unexpected end of expression");
    char c = s_[p_];
    if (c == '[') {
      ++p_;
      Node list{Node::Kind::List, start};
      while (!accept(']')) {
        auto item = parseItem();
        if (!item.ok())
          return item;
        list.items.push_back(std::move(*item));
        if (!accept(',') && !peek(']'))
          return error("expected ',' or ']'");
      }
      return list;
    }
    if (c == '(') {
      ++p_;
      auto inner = parseTupleOrItem(/*allowEmpty=*/true, ')');
      if (!inner.ok())
        return inner;
      if (!accept(')'))
        return error("expected ')'");
      return inner;
    }
    if (c == '\'' || c == '"')
      return parseString();
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && p_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[p_ + 1]))))
      return parseNumber();
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_')
      return parseNameOrCall();
    return error("unexpected '" + std::string(1, c) + "'");
  }

  absl::StatusOr<Node> parseString() {
    size_t start = p_;
    char q = s_[p_++];
    Node n{Node::Kind::String, start};
    while (p_ < s_.size() && s_[p_] != q) {
      if (s_[p_] == '\\')
        return error("escape sequences in strings are not supported");
      n.text += s_[p_++];
    }
    if (p_ == s_.size())
      return error("unterminated string");
    ++p_;
    return n;
  }

  /// Python's integer and float literals (underscores, 0x/0o/0b); imaginary ones are errors.
  absl::StatusOr<Node> parseNumber() {
    size_t start = p_;
    auto digitsOf = [&](auto isDigit) {
      std::string out;
      bool lastUnderscore = true; // no leading underscore
      while (p_ < s_.size() && (isDigit(s_[p_]) || (s_[p_] == '_' && !lastUnderscore))) {
        lastUnderscore = s_[p_] == '_';
        if (!lastUnderscore)
          out += s_[p_];
        ++p_;
      }
      if (lastUnderscore && !out.empty())
        --p_; // a trailing underscore is not part of the number
      return out;
    };
    auto isDec = [](char ch) { return ch >= '0' && ch <= '9'; };
    Node n{Node::Kind::Number, start};
    if (s_[p_] == '0' && p_ + 1 < s_.size() && std::strchr("xXoObB", s_[p_ + 1])) {
      char base = static_cast<char>(std::tolower(static_cast<unsigned char>(s_[p_ + 1])));
      p_ += 2;
      if (p_ < s_.size() && s_[p_] == '_')
        ++p_;
      int radix = base == 'x' ? 16 : base == 'o' ? 8 : 2;
      std::string digits = digitsOf([&](char ch) {
        int v = std::isdigit(static_cast<unsigned char>(ch)) ? ch - '0'
                : std::isxdigit(static_cast<unsigned char>(ch))
                    ? std::tolower(static_cast<unsigned char>(ch)) - 'a' + 10
                    : 99;
        return v < radix;
      });
      if (digits.empty())
        return error("invalid number");
      errno = 0;
      unsigned long long v = std::strtoull(digits.c_str(), nullptr, radix);
      if (errno == ERANGE || v > static_cast<unsigned long long>(INT64_MAX))
        return error("integer literal out of the int64 range");
      n.number = PyScalar::ofInt(static_cast<int64_t>(v));
      return finishNumber(n);
    }
    std::string text = digitsOf(isDec);
    bool isFloat = false;
    if (p_ < s_.size() && s_[p_] == '.') {
      ++p_;
      isFloat = true;
      text += '.';
      text += digitsOf(isDec);
    }
    if (p_ < s_.size() && (s_[p_] == 'e' || s_[p_] == 'E')) {
      size_t save = p_++;
      std::string exp = "e";
      if (p_ < s_.size() && (s_[p_] == '+' || s_[p_] == '-'))
        exp += s_[p_++];
      std::string digits = digitsOf(isDec);
      if (digits.empty()) {
        p_ = save;
      } else {
        isFloat = true;
        text += exp + digits;
      }
    }
    if (isFloat) {
      n.number = PyScalar::ofFloat(std::strtod(text.c_str(), nullptr)); // overflow: inf, as Python
      return finishNumber(n);
    }
    if (text.size() > 1 && text[0] == '0' && text.find_first_not_of('0') != std::string::npos)
      return error("leading zeros in decimal integer literals are not permitted");
    errno = 0;
    long long v = std::strtoll(text.c_str(), nullptr, 10);
    if (errno == ERANGE)
      return error("integer literal out of the int64 range");
    n.number = PyScalar::ofInt(v);
    return finishNumber(n);
  }

  absl::StatusOr<Node> finishNumber(Node n) {
    if (p_ < s_.size() && (s_[p_] == 'j' || s_[p_] == 'J'))
      return error("complex numbers are not supported");
    if (p_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[p_])) || s_[p_] == '_'))
      return error("invalid number");
    return n;
  }

  absl::StatusOr<Node> parseNameOrCall() {
    size_t start = p_;
    std::string name;
    for (;;) {
      size_t b = p_;
      while (p_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[p_])) || s_[p_] == '_'))
        ++p_;
      if (b == p_)
        return error("expected a name");
      name.append(s_.substr(b, p_ - b));
      skipSpace();
      if (p_ < s_.size() && s_[p_] == '.') {
        ++p_;
        skipSpace();
        name += '.';
        continue;
      }
      break;
    }
    if (!accept('('))
      return Node{Node::Kind::Name, start, {}, name};
    Node call{Node::Kind::Call, start, {}, name};
    while (!accept(')')) {
      // keyword argument: NAME '=' item (but not '==')
      skipSpace();
      size_t save = p_;
      std::string kw;
      while (p_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[p_])) || s_[p_] == '_'))
        kw += s_[p_++];
      skipSpace();
      if (!kw.empty() && !std::isdigit(static_cast<unsigned char>(kw[0])) && p_ < s_.size() &&
          s_[p_] == '=' && (p_ + 1 >= s_.size() || s_[p_ + 1] != '=')) {
        ++p_;
        auto value = parseItem();
        if (!value.ok())
          return value;
        call.kwargs.emplace_back(kw, std::move(*value));
      } else {
        p_ = save;
        if (!call.kwargs.empty())
          return error("positional argument follows keyword argument");
        auto value = parseItem();
        if (!value.ok())
          return value;
        call.items.push_back(std::move(*value));
      }
      if (!accept(',') && !peek(')'))
        return error("expected ',' or ')'");
    }
    return call;
  }

  std::string_view s_;
  size_t p_ = 0;
};

//===----------------------------------------------------------------------===//
// dtypes
//===----------------------------------------------------------------------===//

bool hasKind(DType t, DTypeKind kind) {
  const DTypeInfo *info = dtypeInfo(t);
  return info && info->kind == kind;
}
bool isFloatType(DType t) { return hasKind(t, DTypeKind::Float); }
bool isIntType(DType t) { return hasKind(t, DTypeKind::Signed) || hasKind(t, DTypeKind::Unsigned); }
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

//===----------------------------------------------------------------------===//
// Evaluation
//===----------------------------------------------------------------------===//

PyArray scalarArray(PyScalar s, std::optional<DType> dtype = std::nullopt) {
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

class Evaluator {
public:
  explicit Evaluator(NumpyRandom &random) : random_(random) {}

  absl::StatusOr<PyArray> eval(const Node &n) {
    switch (n.kind) {
    case Node::Kind::Number:
      return scalarArray(n.number);
    case Node::Kind::String:
      return absl::UnimplementedError("string values are not supported ('" + n.text + "')");
    case Node::Kind::Neg:
    case Node::Kind::Pos: {
      auto v = eval(n.items[0]);
      if (!v.ok())
        return v;
      // ast.literal_eval allows signs on int and float literals only (not on True/False).
      if (!v->shape.empty() || v->values.size() != 1 || v->dtype ||
          v->values[0].kind == PyScalar::Kind::Bool)
        return absl::InvalidArgumentError(absl::StrCat(
            "unary '", n.kind == Node::Kind::Neg ? "-" : "+", "' applies to numbers only"));
      PyScalar s = v->values[0];
      if (n.kind == Node::Kind::Neg) {
        if (s.kind == PyScalar::Kind::Int) {
          if (s.i == INT64_MIN)
            return absl::OutOfRangeError("integer literal out of the int64 range");
          s = PyScalar::ofInt(-s.i);
        } else {
          s = PyScalar::ofFloat(-s.f);
        }
      }
      return scalarArray(s);
    }
    case Node::Kind::List:
    case Node::Kind::Tuple:
      return evalSequence(n);
    case Node::Kind::Name:
      return evalName(n);
    case Node::Kind::Call:
      return evalCall(n);
    }
    return absl::InternalError("bad expression");
  }

private:
  absl::StatusOr<PyArray> evalSequence(const Node &n) {
    PyArray out;
    out.shape.push_back(static_cast<int64_t>(n.items.size()));
    std::vector<int64_t> inner;
    bool first = true;
    for (const Node &item : n.items) {
      auto v = eval(item);
      if (!v.ok())
        return v;
      if (first) {
        inner = v->shape;
        first = false;
      } else if (v->shape != inner) {
        return absl::InvalidArgumentError(
            "the nested sequences have different lengths (NumPy: inhomogeneous shape)");
      }
      out.values.insert(out.values.end(), v->values.begin(), v->values.end());
      if (static_cast<int64_t>(out.values.size()) > kMaxElements)
        return tooLarge();
    }
    out.shape.insert(out.shape.end(), inner.begin(), inner.end());
    return out;
  }

  absl::StatusOr<PyArray> evalName(const Node &n) {
    std::string name = normalize(n.text);
    if (name == "True" || name == "False")
      return scalarArray(PyScalar::ofBool(name == "True"));
    if (name == "np.nan" || name == "np.NaN")
      return scalarArray(PyScalar::ofFloat(std::nan("")));
    if (name == "np.inf" || name == "np.Inf")
      return scalarArray(PyScalar::ofFloat(INFINITY));
    if (name == "np.pi")
      return scalarArray(PyScalar::ofFloat(M_PI));
    if (name == "np.e")
      return scalarArray(PyScalar::ofFloat(M_E));
    if (name == "None")
      return absl::UnimplementedError("None is not a supported value");
    return absl::InvalidArgumentError("unknown name '" + n.text +
                                      "' (only literals and a few NumPy calls are supported)");
  }

  static std::string normalize(const std::string &name) {
    if (name.rfind("numpy.", 0) == 0)
      return "np." + name.substr(6);
    return name;
  }

  static absl::Status tooLarge() {
    return absl::ResourceExhaustedError(
        absl::StrCat("the value has more than ", kMaxElements, " elements"));
  }

  /// Binds positional and keyword arguments to `params`; missing optional ones stay null.
  absl::StatusOr<std::vector<const Node *>> bind(const Node &call, const std::string &fn,
                                                 const std::vector<std::string> &params,
                                                 size_t required) {
    std::vector<const Node *> out(params.size(), nullptr);
    if (call.items.size() > params.size())
      return absl::InvalidArgumentError(absl::StrCat(fn, "() takes at most ", params.size(),
                                                     " arguments (", call.items.size(), " given)"));
    for (size_t i = 0; i < call.items.size(); ++i)
      out[i] = &call.items[i];
    for (const auto &[kw, value] : call.kwargs) {
      size_t i = 0;
      while (i < params.size() && params[i] != kw)
        ++i;
      if (i == params.size())
        return absl::InvalidArgumentError(fn + "() got an unexpected keyword argument '" + kw +
                                          "'");
      if (out[i])
        return absl::InvalidArgumentError(fn + "() got multiple values for argument '" + kw + "'");
      out[i] = &value;
    }
    for (size_t i = 0; i < required; ++i)
      if (!out[i])
        return absl::InvalidArgumentError(fn + "() missing required argument '" + params[i] + "'");
    return out;
  }

  absl::StatusOr<PyScalar> scalarArg(const Node &n, const std::string &what) {
    auto v = eval(n);
    if (!v.ok())
      return v.status();
    if (!v->shape.empty())
      return absl::InvalidArgumentError(what + " must be a number");
    return v->values[0];
  }

  absl::StatusOr<int64_t> intArg(const Node &n, const std::string &what) {
    auto s = scalarArg(n, what);
    if (!s.ok())
      return s.status();
    if (s->kind == PyScalar::Kind::Float)
      return absl::InvalidArgumentError(what +
                                        ": 'float' object cannot be interpreted as an integer");
    return s->kind == PyScalar::Kind::Bool ? (s->b ? 1 : 0) : s->i;
  }

  absl::StatusOr<std::vector<int64_t>> shapeArg(const Node &n) {
    std::vector<int64_t> dims;
    if (n.kind == Node::Kind::List || n.kind == Node::Kind::Tuple) {
      for (const Node &d : n.items) {
        auto v = intArg(d, "a dimension");
        if (!v.ok())
          return v.status();
        dims.push_back(*v);
      }
    } else {
      auto v = intArg(n, "the shape");
      if (!v.ok())
        return v.status();
      dims.push_back(*v);
    }
    int64_t count = 1;
    for (int64_t d : dims) {
      if (d < 0)
        return absl::InvalidArgumentError("negative dimensions are not allowed");
      if (d && count > kMaxElements / d)
        return tooLarge();
      count *= d;
    }
    return dims;
  }

  static int64_t product(const std::vector<int64_t> &shape) {
    int64_t c = 1;
    for (int64_t d : shape)
      c *= d;
    return c;
  }

  absl::StatusOr<PyArray> filled(const std::vector<int64_t> &shape, PyScalar value, DType dtype) {
    auto v = convertScalar(value, dtype, /*typed=*/false);
    if (!v.ok())
      return v.status();
    PyArray a;
    a.shape = shape;
    a.dtype = dtype;
    a.values.assign(product(shape), *v);
    return a;
  }

  absl::StatusOr<PyArray> evalCall(const Node &n) {
    std::string fn = normalize(n.text);
    if (fn == "np.ones" || fn == "np.zeros") {
      auto args = bind(n, fn, {"shape", "dtype"}, 1);
      if (!args.ok())
        return args.status();
      auto shape = shapeArg(*(*args)[0]);
      if (!shape.ok())
        return shape.status();
      DType dtype = tensorflow::DT_DOUBLE;
      if ((*args)[1]) {
        auto d = dtypeFromNode(*(*args)[1]);
        if (!d.ok())
          return d.status();
        dtype = *d;
      }
      return filled(*shape, PyScalar::ofInt(fn == "np.ones" ? 1 : 0), dtype);
    }
    if (fn == "np.full") {
      auto args = bind(n, fn, {"shape", "fill_value", "dtype"}, 2);
      if (!args.ok())
        return args.status();
      auto shape = shapeArg(*(*args)[0]);
      if (!shape.ok())
        return shape.status();
      auto fill = eval(*(*args)[1]);
      if (!fill.ok())
        return fill;
      if (!fill->shape.empty())
        return absl::UnimplementedError("np.full: only a scalar fill_value is supported");
      DType dtype = inferDtype(*fill);
      if ((*args)[2]) {
        auto d = dtypeFromNode(*(*args)[2]);
        if (!d.ok())
          return d.status();
        dtype = *d;
      }
      auto v = convertScalar(fill->values[0], dtype, fill->dtype.has_value());
      if (!v.ok())
        return v.status();
      PyArray a;
      a.shape = *shape;
      a.dtype = dtype;
      a.values.assign(product(*shape), *v);
      return a;
    }
    if (fn == "np.array" || fn == "np.asarray") {
      auto args = bind(n, fn, {"object", "dtype"}, 1);
      if (!args.ok())
        return args.status();
      auto v = eval(*(*args)[0]);
      if (!v.ok())
        return v;
      DType dtype = inferDtype(*v);
      if ((*args)[1]) {
        auto d = dtypeFromNode(*(*args)[1]);
        if (!d.ok())
          return d.status();
        dtype = *d;
      }
      return asDtype(*v, dtype);
    }
    if (fn == "np.arange")
      return evalArange(n);
    if (fn == "np.random.rand") {
      if (!n.kwargs.empty())
        return absl::InvalidArgumentError("np.random.rand() takes no keyword arguments");
      std::vector<int64_t> shape;
      int64_t count = 1;
      for (const Node &d : n.items) {
        auto v = intArg(d, "np.random.rand dimension");
        if (!v.ok())
          return v.status();
        if (*v < 0)
          return absl::InvalidArgumentError("negative dimensions are not allowed");
        if (*v && count > kMaxElements / *v)
          return tooLarge();
        count *= *v;
        shape.push_back(*v);
      }
      PyArray a;
      a.shape = shape;
      if (!shape.empty()) // rand() with no arguments is a Python float
        a.dtype = tensorflow::DT_DOUBLE;
      for (int64_t i = 0; i < count; ++i)
        a.values.push_back(PyScalar::ofFloat(random_.randomSample()));
      return a;
    }
    if (fn == "np.random.seed")
      return absl::InvalidArgumentError(
          "np.random.seed(N) must be an --input_exprs entry of its own, before the entries it "
          "seeds (e.g. 'np.random.seed(0);x=np.random.rand(2,3)')");
    if (fn.rfind("np.", 0) == 0) {
      // np.float32(x) etc.: the value as an array (a scalar) of that dtype.
      Node dtypeName{Node::Kind::Name, n.pos, {}, fn};
      auto d = dtypeFromNode(dtypeName);
      if (d.ok()) {
        auto args = bind(n, fn, {"value"}, 0);
        if (!args.ok())
          return args.status();
        if (!(*args)[0])
          return filled({}, PyScalar::ofInt(0), *d);
        auto v = eval(*(*args)[0]);
        if (!v.ok())
          return v;
        return asDtype(*v, *d);
      }
    }
    return absl::UnimplementedError(
        "unsupported call '" + n.text +
        "(...)': smc run understands np.ones, np.zeros, np.full, np.arange, np.array, "
        "np.asarray, np.random.rand and the dtype constructors such as np.float32");
  }

  /// np.arange as NumPy computes it: length ceil((stop - start) / step) in double, the first
  /// two values converted from Python arithmetic, then value[i] = first + i * (second - first)
  /// in the dtype's arithmetic (NumPy's fill functions).
  absl::StatusOr<PyArray> evalArange(const Node &n) {
    auto args = bind(n, "np.arange", {"start", "stop", "step", "dtype"}, 1);
    if (!args.ok())
      return args.status();
    std::vector<PyScalar> nums;
    for (int i = 0; i < 3; ++i) {
      if (!(*args)[i])
        break;
      auto s = scalarArg(*(*args)[i], "np.arange argument");
      if (!s.ok())
        return s.status();
      PyScalar v = *s;
      if (v.kind == PyScalar::Kind::Bool)
        v = PyScalar::ofInt(v.b ? 1 : 0);
      nums.push_back(v);
    }
    if (!(*args)[1] && (*args)[2])
      return absl::InvalidArgumentError("np.arange: step given without stop");
    PyScalar start = PyScalar::ofInt(0), stop, step = PyScalar::ofInt(1);
    if (nums.size() == 1) {
      stop = nums[0];
    } else {
      start = nums[0];
      stop = nums[1];
      if (nums.size() == 3)
        step = nums[2];
    }
    bool anyFloat = start.kind == PyScalar::Kind::Float || stop.kind == PyScalar::Kind::Float ||
                    step.kind == PyScalar::Kind::Float;
    DType dtype = anyFloat ? tensorflow::DT_DOUBLE : tensorflow::DT_INT64;
    if ((*args)[3]) {
      auto d = dtypeFromNode(*(*args)[3]);
      if (!d.ok())
        return d.status();
      dtype = *d;
    }
    auto asDouble = [](const PyScalar &s) {
      return s.kind == PyScalar::Kind::Float ? s.f : static_cast<double>(s.i);
    };
    if (asDouble(step) == 0)
      return absl::InvalidArgumentError("np.arange: step must not be zero");
    // Python arithmetic on the arguments (ints stay exact).
    double span;
    PyScalar second;
    if (!anyFloat) {
      __int128 d = static_cast<__int128>(stop.i) - start.i;
      span = static_cast<double>(d) / static_cast<double>(step.i);
      __int128 s2 = static_cast<__int128>(start.i) + step.i;
      if (s2 > INT64_MAX || s2 < INT64_MIN)
        return absl::OutOfRangeError("np.arange: values out of the int64 range");
      second = PyScalar::ofInt(static_cast<int64_t>(s2));
    } else {
      span = (asDouble(stop) - asDouble(start)) / asDouble(step);
      second = PyScalar::ofFloat(asDouble(start) + asDouble(step));
    }
    if (std::isnan(span) || span > static_cast<double>(kMaxElements))
      return span > 0 ? tooLarge() : absl::InvalidArgumentError("np.arange: invalid range");
    int64_t length = span <= 0 ? 0 : static_cast<int64_t>(std::ceil(span));
    PyArray a;
    a.shape = {length};
    a.dtype = dtype;
    if (length == 0)
      return a;
    auto first = convertScalar(start, dtype, false);
    if (!first.ok())
      return first.status();
    a.values.push_back(*first);
    if (length == 1)
      return a;
    auto next = convertScalar(second, dtype, false);
    if (!next.ok())
      return next.status();
    a.values.push_back(*next);
    if (length == 2)
      return a;
    if (dtype == tensorflow::DT_BOOL)
      return absl::InvalidArgumentError("np.arange: no fill-function for data-type bool");
    for (int64_t i = 2; i < length; ++i) {
      if (dtype == tensorflow::DT_DOUBLE) {
        double s0 = first->f, delta = next->f - s0;
        a.values.push_back(PyScalar::ofFloat(s0 + static_cast<double>(i) * delta));
      } else if (dtype == tensorflow::DT_FLOAT) {
        float s0 = static_cast<float>(first->f);
        float delta = static_cast<float>(next->f) - s0;
        float v = s0 + static_cast<float>(i) * delta;
        a.values.push_back(PyScalar::ofFloat(v));
      } else if (dtype == tensorflow::DT_HALF) {
        float s0 = static_cast<float>(first->f);
        float delta = static_cast<float>(next->f) - s0;
        float v = s0 + static_cast<float>(i) * delta;
        a.values.push_back(PyScalar::ofFloat(halfToDouble(doubleToHalf(v))));
      } else {
        int64_t s0 = first->i, delta = static_cast<int64_t>(static_cast<uint64_t>(next->i) -
                                                            static_cast<uint64_t>(s0));
        int64_t v = static_cast<int64_t>(static_cast<uint64_t>(s0) +
                                         static_cast<uint64_t>(i) * static_cast<uint64_t>(delta));
        a.values.push_back(PyScalar::ofInt(wrapInt(v, dtype)));
      }
    }
    return a;
  }

  NumpyRandom &random_;
};

} // namespace

double NumpyRandom::randomSample() {
  uint32_t a = static_cast<uint32_t>(mt_()) >> 5, b = static_cast<uint32_t>(mt_()) >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

absl::StatusOr<PyArray> evalPyExpr(std::string_view text, NumpyRandom &random) {
  Parser parser(text);
  auto tree = parser.parseAll();
  if (!tree.ok())
    return tree.status();
  return Evaluator(random).eval(*tree);
}

absl::StatusOr<std::vector<InputExpr>> splitInputExprs(const std::string &flag) {
  std::vector<InputExpr> out;
  for (absl::string_view piece : absl::StrSplit(flag, ';', absl::SkipEmpty())) {
    std::string entry(piece);
    auto seed = parseSeedCall(entry);
    if (!seed.ok())
      return seed.status();
    if (*seed) {
      out.push_back({"", entry});
      continue;
    }
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0)
      return absl::InvalidArgumentError("--input_exprs \"" + entry +
                                        "\" format is incorrect: expected "
                                        "<input_key>=<python expression>");
    out.push_back({entry.substr(0, eq), entry.substr(eq + 1)});
  }
  return out;
}

absl::StatusOr<std::optional<uint32_t>> parseSeedCall(std::string_view expr) {
  // Only a whole entry that parses as a call of np.random.seed counts.
  Parser parser(expr);
  auto tree = parser.parseAll();
  if (!tree.ok() || tree->kind != Node::Kind::Call)
    return std::optional<uint32_t>();
  std::string fn = tree->text;
  if (fn != "np.random.seed" && fn != "numpy.random.seed")
    return std::optional<uint32_t>();
  if (tree->items.size() != 1 || !tree->kwargs.empty() ||
      tree->items[0].kind != Node::Kind::Number ||
      tree->items[0].number.kind != PyScalar::Kind::Int)
    return absl::InvalidArgumentError("np.random.seed takes one integer (got '" +
                                      std::string(expr) + "')");
  int64_t s = tree->items[0].number.i;
  if (s < 0 || s > int64_t(UINT32_MAX))
    return absl::InvalidArgumentError("Seed must be between 0 and 2**32 - 1");
  return std::optional<uint32_t>(static_cast<uint32_t>(s));
}

absl::StatusOr<Tensor> toTensor(const PyArray &value, DType dtype) {
  if (!isFloatType(dtype) && !isIntType(dtype) && dtype != tensorflow::DT_BOOL)
    return absl::UnimplementedError(
        absl::StrCat("cannot make ", dtypeName(dtype), " values from an expression"));
  Tensor t;
  t.dtype = dtype;
  t.shape = value.shape;
  int size = dtypeSize(dtype);
  t.data.resize(value.values.size() * size);
  char *p = t.data.data();
  for (const PyScalar &s : value.values) {
    auto c = convertScalar(s, dtype, value.dtype.has_value());
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
