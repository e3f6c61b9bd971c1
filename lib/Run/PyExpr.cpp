//===- PyExpr.cpp - Python literals and NumPy calls for --input_exprs -----===//
//
// Evaluates the tree PyExprParser.cpp builds into a PyArray. Nothing is executed: names other
// than True/False/np.<dtype>/np.nan/np.inf/np.pi and the NumPy functions listed in PyExpr.h
// are errors. NumPy's dtype rules are in PyExprDType.cpp.
//
//===----------------------------------------------------------------------===//

#include "smc/Run/PyExpr.h"

#include "PyExprInternal.h"
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

using pyexpr::asDtype;
using pyexpr::convertScalar;
using pyexpr::dtypeFromNode;
using pyexpr::inferDtype;
using pyexpr::Node;
using pyexpr::scalarArray;
using pyexpr::wrapInt;

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

std::string abbreviate(std::string_view text, size_t max) {
  if (text.size() <= max)
    return std::string(text);
  return std::string(text.substr(0, max)) + "... (" + std::to_string(text.size()) + " characters)";
}

absl::StatusOr<PyArray> evalPyExpr(std::string_view text, NumpyRandom &random) {
  auto tree = pyexpr::parse(text);
  if (!tree.ok())
    return tree.status();
  return Evaluator(random).eval(*tree);
}

} // namespace smc
