//===- SmcOps.cpp - The smc dialect's operations --------------------------===//
//
// Type inference, verifiers and constant folders. Folding exists so that the shape arithmetic
// of Keras graphs (Shape -> StridedSlice -> Pack -> Reshape) becomes constants at import; it is
// limited to small tensors, except for the pure data movement folds (reshape, transpose,
// slice, concat) which are linear in the data.
//
//===----------------------------------------------------------------------===//

#include "smc/Dialect/Smc/IR/SmcOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"

#include "llvm/ADT/APSInt.h"

#include <cmath>

using namespace mlir;
using namespace mlir::smc;

#include "smc/Dialect/Smc/IR/SmcOpsEnums.cpp.inc"

#define GET_OP_CLASSES
#include "smc/Dialect/Smc/IR/SmcOps.cpp.inc"

namespace {

/// Arithmetic folds stop at this many result elements (shape math is tiny; weights are not
/// folded elementwise here).
constexpr int64_t kMaxArithFoldElements = 1 << 16;

RankedTensorType tensorType(Value v) { return cast<RankedTensorType>(v.getType()); }

/// Row-major strides of a static shape.
SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

/// Builds `type` from the elements of `sources` picked by `index`: result element i is
/// element index[i].second of source index[i].first. Raw bytes for byte-sized types, APInt
/// values for i1.
Attribute gather(ShapedType type, ArrayRef<DenseElementsAttr> sources,
                 ArrayRef<std::pair<int, int64_t>> index) {
  Type elem = type.getElementType();
  if (elem.isInteger(1)) {
    SmallVector<SmallVector<APInt>> values;
    for (auto s : sources)
      values.emplace_back(s.getValues<APInt>().begin(), s.getValues<APInt>().end());
    SmallVector<APInt> out;
    out.reserve(index.size());
    for (auto [s, i] : index)
      out.push_back(values[s][i]);
    return DenseElementsAttr::get(type, out);
  }
  int64_t bytes = (elem.getIntOrFloatBitWidth() + 7) / 8;
  SmallVector<ArrayRef<char>> raw;
  SmallVector<bool> splat;
  for (auto s : sources) {
    raw.push_back(s.getRawData());
    splat.push_back(s.isSplat());
  }
  std::vector<char> out(index.size() * bytes);
  for (size_t k = 0; k < index.size(); ++k) {
    auto [s, i] = index[k];
    const char *src = raw[s].data() + (splat[s] ? 0 : i * bytes);
    std::memcpy(out.data() + k * bytes, src, bytes);
  }
  return DenseElementsAttr::getFromRawBuffer(type, out);
}

/// Source element of each result element when broadcasting `from` to `to`.
SmallVector<int64_t> broadcastIndex(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  int64_t n = ShapedType::getNumElements(to);
  SmallVector<int64_t> fromStrides = stridesOf(from), toStrides = stridesOf(to);
  int64_t offset = to.size() - from.size();
  SmallVector<int64_t> result(n);
  for (int64_t i = 0; i < n; ++i) {
    int64_t rem = i, src = 0;
    for (size_t d = 0; d < to.size(); ++d) {
      int64_t coord = rem / toStrides[d];
      rem %= toStrides[d];
      int64_t fd = static_cast<int64_t>(d) - offset;
      if (fd >= 0 && from[fd] != 1)
        src += coord * fromStrides[fd];
    }
    result[i] = src;
  }
  return result;
}

template <typename T> SmallVector<T> valuesOf(DenseElementsAttr a) {
  return SmallVector<T>(a.getValues<T>().begin(), a.getValues<T>().end());
}

/// Folds a broadcasting binary op over constant operands. `IntFn(APInt, APInt, isUnsigned)`
/// and `FloatFn(APFloat, APFloat)` return the result element (APInt or APFloat), or nullopt to
/// give up (division by zero).
template <typename IntFn, typename FloatFn>
Attribute foldBinary(Operation *op, ArrayRef<Attribute> operands, IntFn intFn, FloatFn floatFn) {
  auto lhs = dyn_cast_or_null<DenseElementsAttr>(operands[0]);
  auto rhs = dyn_cast_or_null<DenseElementsAttr>(operands[1]);
  if (!lhs || !rhs)
    return {};
  auto resultType = cast<ShapedType>(op->getResult(0).getType());
  bool bothSplat = lhs.isSplat() && rhs.isSplat();
  if (!bothSplat && resultType.getNumElements() > kMaxArithFoldElements)
    return {};
  Type elem = lhs.getElementType();
  auto idxL = broadcastIndex(lhs.getType().getShape(), resultType.getShape());
  auto idxR = broadcastIndex(rhs.getType().getShape(), resultType.getShape());
  auto build = [&](auto &results) -> Attribute {
    return DenseElementsAttr::get(resultType, llvm::ArrayRef(results));
  };
  if (isa<FloatType>(elem)) {
    auto a = valuesOf<APFloat>(lhs), b = valuesOf<APFloat>(rhs);
    using R = std::decay_t<decltype(*floatFn(a[0], b[0]))>;
    SmallVector<R> results;
    for (size_t i = 0; i < idxL.size(); ++i) {
      auto r = floatFn(a[lhs.isSplat() ? 0 : idxL[i]], b[rhs.isSplat() ? 0 : idxR[i]]);
      if (!r)
        return {};
      results.push_back(*r);
    }
    return build(results);
  }
  bool isUnsigned = elem.isUnsignedInteger();
  auto a = valuesOf<APInt>(lhs), b = valuesOf<APInt>(rhs);
  SmallVector<APInt> results;
  for (size_t i = 0; i < idxL.size(); ++i) {
    auto r = intFn(a[lhs.isSplat() ? 0 : idxL[i]], b[rhs.isSplat() ? 0 : idxR[i]], isUnsigned);
    if (!r)
      return {};
    results.push_back(*r);
  }
  return build(results);
}

/// Folds an op whose int and float rules return the same kind as their operands.
template <typename IntFn, typename FloatFn>
Attribute foldArith(Operation *op, ArrayRef<Attribute> operands, IntFn intFn, FloatFn floatFn) {
  return foldBinary(
      op, operands,
      [&](const APInt &a, const APInt &b, bool u) -> std::optional<APInt> { return intFn(a, b, u); },
      [&](const APFloat &a, const APFloat &b) -> std::optional<APFloat> { return floatFn(a, b); });
}

/// Folds a comparison: `pred(cmp)` where cmp is -1, 0, 1, or nullopt for unordered floats.
template <typename Pred>
Attribute foldCompare(Operation *op, ArrayRef<Attribute> operands, Pred pred) {
  return foldBinary(
      op, operands,
      [&](const APInt &a, const APInt &b, bool u) -> std::optional<APInt> {
        int c = u ? (a.ult(b) ? -1 : a == b ? 0 : 1) : (a.slt(b) ? -1 : a == b ? 0 : 1);
        return APInt(1, pred(std::optional<int>(c)));
      },
      [&](const APFloat &a, const APFloat &b) -> std::optional<APInt> {
        auto r = a.compare(b);
        std::optional<int> c;
        if (r == APFloat::cmpLessThan)
          c = -1;
        else if (r == APFloat::cmpEqual)
          c = 0;
        else if (r == APFloat::cmpGreaterThan)
          c = 1;
        return APInt(1, pred(c));
      });
}

template <typename OpTy>
LogicalResult inferBroadcast(std::optional<Location> loc, ValueRange operands, Type elementType,
                             SmallVectorImpl<Type> &types) {
  if (operands.size() != 2)
    return failure();
  auto a = dyn_cast<RankedTensorType>(operands[0].getType());
  auto b = dyn_cast<RankedTensorType>(operands[1].getType());
  if (!a || !b)
    return failure();
  auto shape = broadcastShapes(a.getShape(), b.getShape());
  if (failed(shape)) {
    if (loc)
      mlir::emitError(*loc) << "'" << OpTy::getOperationName() << "': operand shapes " << a
                      << " and " << b << " do not broadcast";
    return failure();
  }
  types.push_back(RankedTensorType::get(*shape, elementType ? elementType : a.getElementType()));
  return success();
}

} // namespace

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

#define SMC_ARITH_INFER(OP)                                                                    \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location> loc,               \
                                     ValueRange operands, DictionaryAttr, OpaqueProperties,    \
                                     RegionRange, SmallVectorImpl<Type> &types) {              \
    return inferBroadcast<OP>(loc, operands, nullptr, types);                                  \
  }
#define SMC_BOOL_INFER(OP)                                                                     \
  LogicalResult OP::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,            \
                                     ValueRange operands, DictionaryAttr, OpaqueProperties,    \
                                     RegionRange, SmallVectorImpl<Type> &types) {              \
    return inferBroadcast<OP>(loc, operands, IntegerType::get(ctx, 1), types);                 \
  }
SMC_ARITH_INFER(AddOp)
SMC_ARITH_INFER(SubOp)
SMC_ARITH_INFER(MulOp)
SMC_ARITH_INFER(DivOp)
SMC_ARITH_INFER(FloorDivOp)
SMC_ARITH_INFER(FloorModOp)
SMC_ARITH_INFER(MaximumOp)
SMC_ARITH_INFER(MinimumOp)
SMC_ARITH_INFER(PowOp)
SMC_ARITH_INFER(SquaredDifferenceOp)
SMC_BOOL_INFER(EqualOp)
SMC_BOOL_INFER(NotEqualOp)
SMC_BOOL_INFER(LessOp)
SMC_BOOL_INFER(LessEqualOp)
SMC_BOOL_INFER(GreaterOp)
SMC_BOOL_INFER(GreaterEqualOp)
SMC_BOOL_INFER(LogicalAndOp)
SMC_BOOL_INFER(LogicalOrOp)
#undef SMC_ARITH_INFER
#undef SMC_BOOL_INFER

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  return foldArith(
      *this, adaptor.getOperands(), [](const APInt &a, const APInt &b, bool) { return a + b; },
      [](const APFloat &a, const APFloat &b) { return a + b; });
}
OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  return foldArith(
      *this, adaptor.getOperands(), [](const APInt &a, const APInt &b, bool) { return a - b; },
      [](const APFloat &a, const APFloat &b) { return a - b; });
}
OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  return foldArith(
      *this, adaptor.getOperands(), [](const APInt &a, const APInt &b, bool) { return a * b; },
      [](const APFloat &a, const APFloat &b) { return a * b; });
}
OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool u) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        return u ? a.udiv(b) : a.sdiv(b);
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> { return a / b; });
}
OpFoldResult FloorDivOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool u) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        if (u)
          return a.udiv(b);
        APInt q = a.sdiv(b), r = a.srem(b);
        if (!r.isZero() && (r.isNegative() != b.isNegative()))
          q -= 1;
        return q;
      },
      [](const APFloat &a, const APFloat &b) -> std::optional<APFloat> {
        APFloat q = a / b;
        q.roundToIntegral(APFloat::rmTowardNegative);
        return q;
      });
}
OpFoldResult FloorModOp::fold(FoldAdaptor adaptor) {
  return foldBinary(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool u) -> std::optional<APInt> {
        if (b.isZero())
          return std::nullopt;
        if (u)
          return a.urem(b);
        APInt r = a.srem(b);
        if (!r.isZero() && (r.isNegative() != b.isNegative()))
          r += b;
        return r;
      },
      [](const APFloat &, const APFloat &) -> std::optional<APFloat> { return std::nullopt; });
}
OpFoldResult MaximumOp::fold(FoldAdaptor adaptor) {
  return foldArith(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool u) { return (u ? a.ugt(b) : a.sgt(b)) ? a : b; },
      [](const APFloat &a, const APFloat &b) { return llvm::maximum(a, b); });
}
OpFoldResult MinimumOp::fold(FoldAdaptor adaptor) {
  return foldArith(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool u) { return (u ? a.ult(b) : a.slt(b)) ? a : b; },
      [](const APFloat &a, const APFloat &b) { return llvm::minimum(a, b); });
}
OpFoldResult PowOp::fold(FoldAdaptor) { return {}; }
OpFoldResult SquaredDifferenceOp::fold(FoldAdaptor adaptor) {
  return foldArith(
      *this, adaptor.getOperands(),
      [](const APInt &a, const APInt &b, bool) { return (a - b) * (a - b); },
      [](const APFloat &a, const APFloat &b) {
        APFloat d = a - b;
        return d * d;
      });
}
OpFoldResult EqualOp::fold(FoldAdaptor adaptor) {
  return foldCompare(*this, adaptor.getOperands(), [](std::optional<int> c) { return c && *c == 0; });
}
OpFoldResult NotEqualOp::fold(FoldAdaptor adaptor) {
  return foldCompare(*this, adaptor.getOperands(), [](std::optional<int> c) { return !c || *c != 0; });
}
OpFoldResult LessOp::fold(FoldAdaptor adaptor) {
  return foldCompare(*this, adaptor.getOperands(), [](std::optional<int> c) { return c && *c < 0; });
}
OpFoldResult LessEqualOp::fold(FoldAdaptor adaptor) {
  return foldCompare(*this, adaptor.getOperands(), [](std::optional<int> c) { return c && *c <= 0; });
}
OpFoldResult GreaterOp::fold(FoldAdaptor adaptor) {
  return foldCompare(*this, adaptor.getOperands(), [](std::optional<int> c) { return c && *c > 0; });
}
OpFoldResult GreaterEqualOp::fold(FoldAdaptor adaptor) {
  return foldCompare(*this, adaptor.getOperands(), [](std::optional<int> c) { return c && *c >= 0; });
}
OpFoldResult LogicalAndOp::fold(FoldAdaptor adaptor) {
  return foldArith(
      *this, adaptor.getOperands(), [](const APInt &a, const APInt &b, bool) { return a & b; },
      [](const APFloat &a, const APFloat &) { return a; });
}
OpFoldResult LogicalOrOp::fold(FoldAdaptor adaptor) {
  return foldArith(
      *this, adaptor.getOperands(), [](const APInt &a, const APInt &b, bool) { return a | b; },
      [](const APFloat &a, const APFloat &) { return a; });
}

//===----------------------------------------------------------------------===//
// Unary folds (per-channel statistics of batch norm)
//===----------------------------------------------------------------------===//

/// Folds a float unary op on a small constant through `fn` in double precision, rounded once
/// to the element type.
static Attribute foldFloatUnary(Operation *op, Attribute operand, double (*fn)(double)) {
  auto in = dyn_cast_or_null<DenseElementsAttr>(operand);
  if (!in || !isa<FloatType>(in.getElementType()) ||
      (!in.isSplat() && in.getNumElements() > kMaxArithFoldElements))
    return {};
  auto type = cast<ShapedType>(op->getResult(0).getType());
  const auto &sem = cast<FloatType>(in.getElementType()).getFloatSemantics();
  auto apply = [&](const APFloat &x) {
    APFloat r(fn(x.convertToDouble()));
    bool lost;
    r.convert(sem, APFloat::rmNearestTiesToEven, &lost);
    return r;
  };
  if (in.isSplat())
    return DenseElementsAttr::get(type, apply(in.getSplatValue<APFloat>()));
  SmallVector<APFloat> out;
  for (const APFloat &x : in.getValues<APFloat>())
    out.push_back(apply(x));
  return DenseElementsAttr::get(type, out);
}

OpFoldResult SqrtOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(*this, adaptor.getX(), [](double x) { return std::sqrt(x); });
}
OpFoldResult RsqrtOp::fold(FoldAdaptor adaptor) {
  return foldFloatUnary(*this, adaptor.getX(), [](double x) { return 1.0 / std::sqrt(x); });
}

//===----------------------------------------------------------------------===//
// Cast, select
//===----------------------------------------------------------------------===//

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getX().getType() == getY().getType())
    return getX();
  auto in = dyn_cast_or_null<DenseElementsAttr>(adaptor.getX());
  if (!in)
    return {};
  auto outType = cast<ShapedType>(getY().getType());
  if (!in.isSplat() && outType.getNumElements() > kMaxArithFoldElements)
    return {};
  Type from = in.getElementType(), to = outType.getElementType();
  auto convert = [&](Attribute value) -> Attribute {
    if (auto f = dyn_cast<FloatAttr>(value)) {
      APFloat v = f.getValue();
      if (to.isInteger(1))
        return IntegerAttr::get(to, !v.isZero());
      if (auto ft = dyn_cast<FloatType>(to)) {
        bool lost;
        v.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
        return FloatAttr::get(to, v);
      }
      llvm::APSInt i(to.getIntOrFloatBitWidth(), to.isUnsignedInteger());
      bool exact;
      v.convertToInteger(i, APFloat::rmTowardZero, &exact);
      return IntegerAttr::get(to, i);
    }
    APInt v = cast<IntegerAttr>(value).getValue();
    bool isSigned = !from.isUnsignedInteger() && !from.isInteger(1);
    if (to.isInteger(1))
      return IntegerAttr::get(to, !v.isZero());
    if (auto ft = dyn_cast<FloatType>(to)) {
      APFloat f(ft.getFloatSemantics());
      f.convertFromAPInt(v, isSigned, APFloat::rmNearestTiesToEven);
      return FloatAttr::get(to, f);
    }
    unsigned width = to.getIntOrFloatBitWidth();
    return IntegerAttr::get(to, isSigned ? v.sextOrTrunc(width) : v.zextOrTrunc(width));
  };
  if (in.isSplat())
    return DenseElementsAttr::get(outType, convert(in.getSplatValue<Attribute>()));
  SmallVector<Attribute> out;
  for (Attribute a : in.getValues<Attribute>())
    out.push_back(convert(a));
  return DenseElementsAttr::get(outType, out);
}

LogicalResult SelectOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         ValueRange operands, DictionaryAttr, OpaqueProperties,
                                         RegionRange, SmallVectorImpl<Type> &types) {
  if (operands.size() != 3)
    return failure();
  auto c = tensorType(operands[0]), t = tensorType(operands[1]), f = tensorType(operands[2]);
  if (t.getElementType() != f.getElementType()) {
    if (loc)
      mlir::emitError(*loc) << "'smc.select': branches have different element types";
    return failure();
  }
  auto tf = broadcastShapes(t.getShape(), f.getShape());
  FailureOr<SmallVector<int64_t>> all = failure();
  if (succeeded(tf))
    all = broadcastShapes(c.getShape(), *tf);
  if (failed(all)) {
    if (loc)
      mlir::emitError(*loc) << "'smc.select': shapes " << c << ", " << t << ", " << f
                      << " do not broadcast";
    return failure();
  }
  types.push_back(RankedTensorType::get(*all, t.getElementType()));
  return success();
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         ValueRange operands, DictionaryAttr attrs,
                                         OpaqueProperties props, RegionRange regions,
                                         SmallVectorImpl<Type> &types) {
  Adaptor adaptor(operands, attrs, props, regions);
  auto a = tensorType(adaptor.getA()), b = tensorType(adaptor.getB());
  if (a.getRank() != 2 || b.getRank() != 2) {
    if (loc)
      mlir::emitError(*loc) << "'smc.matmul': operands must be 2-D, got " << a << " and " << b;
    return failure();
  }
  bool ta = adaptor.getTransposeA(), tb = adaptor.getTransposeB();
  int64_t m = a.getDimSize(ta ? 1 : 0), ka = a.getDimSize(ta ? 0 : 1);
  int64_t kb = b.getDimSize(tb ? 1 : 0), n = b.getDimSize(tb ? 0 : 1);
  if (ka != kb) {
    if (loc)
      mlir::emitError(*loc) << "'smc.matmul': contracting dimensions differ (" << ka << " vs " << kb
                      << ")";
    return failure();
  }
  types.push_back(RankedTensorType::get({m, n}, a.getElementType()));
  return success();
}

LogicalResult BatchMatMulOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                              ValueRange operands, DictionaryAttr attrs,
                                              OpaqueProperties props, RegionRange regions,
                                              SmallVectorImpl<Type> &types) {
  Adaptor adaptor(operands, attrs, props, regions);
  auto x = tensorType(adaptor.getX()), y = tensorType(adaptor.getY());
  std::string error;
  auto shape = batchMatMulShape(x.getShape(), y.getShape(), adaptor.getAdjX(),
                                adaptor.getAdjY(), error);
  if (failed(shape)) {
    if (loc)
      mlir::emitError(*loc) << "'smc.batch_matmul': " << error;
    return failure();
  }
  types.push_back(RankedTensorType::get(*shape, x.getElementType()));
  return success();
}

LogicalResult BiasAddOp::verify() {
  auto v = tensorType(getValue()), b = tensorType(getBias());
  if (b.getRank() != 1)
    return emitOpError("bias must be 1-D, got ") << b;
  if (v.getRank() < 1 || v.getDimSize(v.getRank() - 1) != b.getDimSize(0))
    return emitOpError("bias size ") << b.getDimSize(0)
                                     << " does not match the last dimension of " << v;
  return success();
}

LogicalResult SoftmaxOp::verify() {
  if (tensorType(getX()).getRank() < 1)
    return emitOpError("needs an operand of rank >= 1");
  return success();
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto in = tensorType(getX()), out = tensorType(getY());
  if (in.getElementType() != out.getElementType())
    return emitOpError("element types differ");
  if (in.getNumElements() != out.getNumElements())
    return emitOpError("cannot reshape ")
           << in << " (" << in.getNumElements() << " elements) to " << out << " ("
           << out.getNumElements() << " elements)";
  return success();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (getX().getType() == getY().getType())
    return getX();
  if (auto in = dyn_cast_or_null<DenseElementsAttr>(adaptor.getX()))
    return in.reshape(cast<ShapedType>(getY().getType()));
  // reshape(reshape(x)) folds to one reshape.
  if (auto inner = getX().getDefiningOp<ReshapeOp>()) {
    getXMutable().assign(inner.getX());
    return getResult();
  }
  return {};
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                            ValueRange operands, DictionaryAttr attrs,
                                            OpaqueProperties props, RegionRange regions,
                                            SmallVectorImpl<Type> &types) {
  Adaptor adaptor(operands, attrs, props, regions);
  auto x = tensorType(adaptor.getX());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  SmallVector<bool> seen(x.getRank(), false);
  if (static_cast<int64_t>(perm.size()) != x.getRank()) {
    if (loc)
      mlir::emitError(*loc) << "'smc.transpose': permutation has " << perm.size()
                      << " entries for a rank-" << x.getRank() << " operand";
    return failure();
  }
  SmallVector<int64_t> shape;
  for (int64_t p : perm) {
    if (p < 0 || p >= x.getRank() || seen[p]) {
      if (loc)
        mlir::emitError(*loc) << "'smc.transpose': invalid permutation";
      return failure();
    }
    seen[p] = true;
    shape.push_back(x.getDimSize(p));
  }
  types.push_back(RankedTensorType::get(shape, x.getElementType()));
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perm = getPerm();
  if (llvm::equal(perm, llvm::seq<int64_t>(0, perm.size())))
    return getX();
  auto in = dyn_cast_or_null<DenseElementsAttr>(adaptor.getX());
  if (!in)
    return {};
  auto outType = cast<ShapedType>(getY().getType());
  if (in.isSplat())
    return DenseElementsAttr::get(outType, in.getSplatValue<Attribute>());
  auto inStrides = stridesOf(in.getType().getShape());
  auto outShape = outType.getShape();
  auto outStrides = stridesOf(outShape);
  int64_t n = outType.getNumElements();
  std::vector<std::pair<int, int64_t>> index(n);
  for (int64_t i = 0; i < n; ++i) {
    int64_t rem = i, src = 0;
    for (size_t d = 0; d < outShape.size(); ++d) {
      src += (rem / outStrides[d]) * inStrides[perm[d]];
      rem %= outStrides[d];
    }
    index[i] = {0, src};
  }
  return gather(outType, {in}, index);
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         ValueRange operands, DictionaryAttr attrs,
                                         OpaqueProperties props, RegionRange regions,
                                         SmallVectorImpl<Type> &types) {
  Adaptor adaptor(operands, attrs, props, regions);
  if (operands.empty()) {
    if (loc)
      mlir::emitError(*loc) << "'smc.concat': needs at least one input";
    return failure();
  }
  auto first = tensorType(operands[0]);
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= first.getRank()) {
    if (loc)
      mlir::emitError(*loc) << "'smc.concat': axis " << axis << " out of range for " << first;
    return failure();
  }
  SmallVector<int64_t> shape(first.getShape());
  shape[axis] = 0;
  for (Value v : operands) {
    auto t = tensorType(v);
    for (int64_t d = 0; d < first.getRank(); ++d) {
      if (t.getRank() != first.getRank() || (d != axis && t.getDimSize(d) != shape[d])) {
        if (loc)
          mlir::emitError(*loc) << "'smc.concat': input " << t << " does not match " << first
                          << " outside axis " << axis;
        return failure();
      }
    }
    shape[axis] += t.getDimSize(axis);
  }
  types.push_back(RankedTensorType::get(shape, first.getElementType()));
  return success();
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1)
    return getInputs()[0];
  SmallVector<DenseElementsAttr> ins;
  for (Attribute a : adaptor.getInputs()) {
    auto d = dyn_cast_or_null<DenseElementsAttr>(a);
    if (!d)
      return {};
    ins.push_back(d);
  }
  auto outType = cast<ShapedType>(getResult().getType());
  int64_t axis = getAxis();
  auto shape = outType.getShape();
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  for (int64_t d = axis + 1; d < static_cast<int64_t>(shape.size()); ++d)
    inner *= shape[d];
  std::vector<std::pair<int, int64_t>> index;
  index.reserve(outType.getNumElements());
  for (int64_t o = 0; o < outer; ++o)
    for (size_t s = 0; s < ins.size(); ++s) {
      int64_t chunk = ins[s].getType().getDimSize(axis) * inner;
      for (int64_t k = 0; k < chunk; ++k)
        index.push_back({static_cast<int>(s), o * chunk + k});
    }
  return gather(outType, ins, index);
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                        ValueRange operands, DictionaryAttr attrs,
                                        OpaqueProperties props, RegionRange regions,
                                        SmallVectorImpl<Type> &types) {
  Adaptor adaptor(operands, attrs, props, regions);
  auto x = tensorType(adaptor.getX());
  ArrayRef<int64_t> start = adaptor.getStart(), size = adaptor.getSize(),
                    stride = adaptor.getStride();
  auto fail = [&](const Twine &msg) {
    if (loc)
      mlir::emitError(*loc) << "'smc.slice': " << msg;
    return failure();
  };
  if (static_cast<int64_t>(start.size()) != x.getRank() || size.size() != start.size() ||
      stride.size() != start.size())
    return fail("start/size/stride need one entry per dimension");
  for (int64_t d = 0; d < x.getRank(); ++d) {
    if (size[d] < 0 || stride[d] == 0)
      return fail("negative size or zero stride");
    if (size[d] == 0)
      continue;
    int64_t last = start[d] + (size[d] - 1) * stride[d];
    if (start[d] < 0 || start[d] >= x.getDimSize(d) || last < 0 || last >= x.getDimSize(d))
      return fail("reads outside the input in dimension " + Twine(d));
  }
  types.push_back(RankedTensorType::get(size, x.getElementType()));
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  auto xType = tensorType(getX());
  auto outType = cast<ShapedType>(getY().getType());
  bool identity = xType == outType && llvm::all_of(getStart(), [](int64_t s) { return s == 0; }) &&
                  llvm::all_of(getStride(), [](int64_t s) { return s == 1; });
  if (identity)
    return getX();
  auto in = dyn_cast_or_null<DenseElementsAttr>(adaptor.getX());
  if (!in)
    return {};
  if (in.isSplat())
    return DenseElementsAttr::get(outType, in.getSplatValue<Attribute>());
  auto inStrides = stridesOf(xType.getShape());
  auto outStrides = stridesOf(outType.getShape());
  int64_t n = outType.getNumElements();
  std::vector<std::pair<int, int64_t>> index(n);
  ArrayRef<int64_t> start = getStart(), stride = getStride();
  for (int64_t i = 0; i < n; ++i) {
    int64_t rem = i, src = 0;
    for (size_t d = 0; d < outStrides.size(); ++d) {
      src += (start[d] + (rem / outStrides[d]) * stride[d]) * inStrides[d];
      rem %= outStrides[d];
    }
    index[i] = {0, src};
  }
  return gather(outType, {in}, index);
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

LogicalResult ReduceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         ValueRange operands, DictionaryAttr attrs,
                                         OpaqueProperties props, RegionRange regions,
                                         SmallVectorImpl<Type> &types) {
  Adaptor adaptor(operands, attrs, props, regions);
  auto x = tensorType(adaptor.getX());
  ArrayRef<int64_t> axes = adaptor.getAxes();
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= x.getRank() || (i > 0 && axes[i] <= axes[i - 1])) {
      if (loc)
        mlir::emitError(*loc) << "'smc.reduce': axes must be sorted, distinct and in [0, "
                        << x.getRank() << ")";
      return failure();
    }
  }
  auto kind = adaptor.getKind();
  bool logical = kind == ReduceKind::all || kind == ReduceKind::any;
  if (logical != x.getElementType().isInteger(1)) {
    if (loc)
      mlir::emitError(*loc) << "'smc.reduce': " << stringifyReduceKind(kind)
                      << (logical ? " needs bool elements" : " needs numeric elements");
    return failure();
  }
  types.push_back(RankedTensorType::get(reducedShape(x.getShape(), axes, adaptor.getKeepDims()),
                                        x.getElementType()));
  return success();
}

OpFoldResult ReduceOp::fold(FoldAdaptor adaptor) {
  if (getAxes().empty() && getX().getType() == getY().getType() && getKind() != ReduceKind::mean)
    return getX();
  auto in = dyn_cast_or_null<DenseElementsAttr>(adaptor.getX());
  if (!in || !isa<IntegerType>(in.getElementType()) || in.getElementType().isInteger(1) ||
      in.getNumElements() > kMaxArithFoldElements)
    return {};
  // Integer reductions only: the shape arithmetic of imported graphs (Prod of a shape, ...).
  auto xType = tensorType(getX());
  auto outType = cast<ShapedType>(getY().getType());
  bool isUnsigned = in.getElementType().isUnsignedInteger();
  auto values = valuesOf<APInt>(in);
  auto shape = xType.getShape();
  auto strides = stridesOf(shape);
  auto noKeep = reducedShape(shape, getAxes(), false);
  auto outStrides = stridesOf(noKeep);
  unsigned width = in.getElementType().getIntOrFloatBitWidth();
  int64_t n = ShapedType::getNumElements(noKeep);
  int64_t count = xType.getNumElements() / std::max<int64_t>(n, 1);
  std::vector<std::optional<APInt>> acc(n);
  for (int64_t i = 0, e = xType.getNumElements(); i < e; ++i) {
    int64_t rem = i, o = 0, od = 0;
    for (size_t d = 0; d < shape.size(); ++d) {
      int64_t c = rem / strides[d];
      rem %= strides[d];
      if (!llvm::is_contained(getAxes(), static_cast<int64_t>(d)))
        o += c * outStrides[od++];
    }
    const APInt &v = values[in.isSplat() ? 0 : i];
    auto &a = acc[o];
    if (!a) {
      a = v;
      continue;
    }
    switch (getKind()) {
    case ReduceKind::sum:
    case ReduceKind::mean:
      *a += v;
      break;
    case ReduceKind::prod:
      *a *= v;
      break;
    case ReduceKind::max:
      if (isUnsigned ? v.ugt(*a) : v.sgt(*a))
        a = v;
      break;
    case ReduceKind::min:
      if (isUnsigned ? v.ult(*a) : v.slt(*a))
        a = v;
      break;
    default:
      return {};
    }
  }
  SmallVector<APInt> out;
  for (auto &a : acc) {
    APInt v = a ? *a : APInt(width, getKind() == ReduceKind::prod ? 1 : 0);
    if (getKind() == ReduceKind::mean && count > 0)
      v = isUnsigned ? v.udiv(APInt(width, count)) : v.sdiv(APInt(width, count));
    out.push_back(v);
  }
  return DenseElementsAttr::get(outType, out);
}

LogicalResult ArgMaxOp::verify() {
  auto x = tensorType(getX()), y = tensorType(getY());
  int64_t axis = getAxis();
  if (axis < 0 || axis >= x.getRank())
    return emitOpError("axis ") << axis << " out of range for " << x;
  if (y.getShape() != ArrayRef<int64_t>(reducedShape(x.getShape(), {axis}, false)))
    return emitOpError("result shape must be the input shape without the axis");
  return success();
}

//===----------------------------------------------------------------------===//
// Variables
//===----------------------------------------------------------------------===//

LogicalResult GlobalOp::verify() {
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!type || !type.hasStaticShape())
    return emitOpError("type must be a statically shaped tensor");
  if (cast<ShapedType>(getInitialValue().getType()) != type)
    return emitOpError("initial value type ")
           << getInitialValue().getType() << " does not match " << type;
  return success();
}

static LogicalResult verifyGlobalUse(Operation *op, FlatSymbolRefAttr sym, Type type,
                                     SymbolTableCollection &symbolTable) {
  auto global = symbolTable.lookupNearestSymbolFrom<GlobalOp>(op, sym);
  if (!global)
    return op->emitOpError("refers to an unknown global ") << sym;
  if (global.getType() != type)
    return op->emitOpError("type ") << type << " does not match global " << sym << " of type "
                                    << global.getType();
  return success();
}

LogicalResult GlobalLoadOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  return verifyGlobalUse(*this, getGlobalAttr(), getValue().getType(), symbolTable);
}

LogicalResult GlobalStoreOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  return verifyGlobalUse(*this, getGlobalAttr(), getValue().getType(), symbolTable);
}

//===----------------------------------------------------------------------===//
// Convolution, pooling, padding
//===----------------------------------------------------------------------===//

/// The NHWC result type of a window op over `input` with a kh x kw window producing `channels`
/// output channels; diagnostics name `opName`.
static FailureOr<RankedTensorType>
inferWindowType(std::optional<Location> loc, StringRef opName, RankedTensorType input, int64_t kh,
                int64_t kw, ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations,
                ArrayRef<int64_t> padding, int64_t channels) {
  auto fail = [&](const Twine &msg) -> FailureOr<RankedTensorType> {
    if (loc)
      mlir::emitError(*loc) << "'" << opName << "': " << msg;
    return failure();
  };
  if (input.getRank() != 4)
    return fail("input must be 4-D NHWC");
  if (strides.size() != 2 || dilations.size() != 2 || padding.size() != 4)
    return fail("strides and dilations need 2 entries, padding 4 (top, bottom, left, right)");
  auto h = windowOutputSize(input.getDimSize(1), padding[0] + padding[1], kh, strides[0],
                            dilations[0]);
  auto w = windowOutputSize(input.getDimSize(2), padding[2] + padding[3], kw, strides[1],
                            dilations[1]);
  if (failed(h) || failed(w))
    return fail("the window does not fit the padded input (or a stride, dilation or padding is "
                "invalid)");
  return RankedTensorType::get({input.getDimSize(0), *h, *w, channels}, input.getElementType());
}

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         ValueRange operands, DictionaryAttr attrs,
                                         OpaqueProperties props, RegionRange regions,
                                         SmallVectorImpl<Type> &types) {
  Adaptor adaptor(operands, attrs, props, regions);
  auto in = tensorType(adaptor.getInput()), f = tensorType(adaptor.getFilter());
  if (f.getRank() != 4 || in.getRank() != 4 || f.getDimSize(2) <= 0 ||
      in.getDimSize(3) % f.getDimSize(2) != 0) {
    if (loc)
      mlir::emitError(*loc) << "'smc.conv2d': filter " << f << " (HWIO) does not fit input "
                            << in << " (NHWC)";
    return failure();
  }
  auto t = inferWindowType(loc, "smc.conv2d", in, f.getDimSize(0), f.getDimSize(1),
                           adaptor.getStrides(), adaptor.getDilations(), adaptor.getPadding(),
                           f.getDimSize(3));
  if (failed(t))
    return failure();
  types.push_back(*t);
  return success();
}

LogicalResult DepthwiseConv2DOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                                  ValueRange operands, DictionaryAttr attrs,
                                                  OpaqueProperties props, RegionRange regions,
                                                  SmallVectorImpl<Type> &types) {
  Adaptor adaptor(operands, attrs, props, regions);
  auto in = tensorType(adaptor.getInput()), f = tensorType(adaptor.getFilter());
  if (f.getRank() != 4 || in.getRank() != 4 || f.getDimSize(2) != in.getDimSize(3)) {
    if (loc)
      mlir::emitError(*loc) << "'smc.depthwise_conv2d': filter " << f
                            << " (HWCM) does not fit input " << in << " (NHWC)";
    return failure();
  }
  auto t = inferWindowType(loc, "smc.depthwise_conv2d", in, f.getDimSize(0), f.getDimSize(1),
                           adaptor.getStrides(), adaptor.getDilations(), adaptor.getPadding(),
                           f.getDimSize(2) * f.getDimSize(3));
  if (failed(t))
    return failure();
  types.push_back(*t);
  return success();
}

LogicalResult PoolOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       ValueRange operands, DictionaryAttr attrs,
                                       OpaqueProperties props, RegionRange regions,
                                       SmallVectorImpl<Type> &types) {
  Adaptor adaptor(operands, attrs, props, regions);
  auto in = tensorType(adaptor.getInput());
  ArrayRef<int64_t> window = adaptor.getWindow();
  if (window.size() != 2) {
    if (loc)
      mlir::emitError(*loc) << "'smc.pool': window needs 2 entries";
    return failure();
  }
  ArrayRef<int64_t> padding = adaptor.getPadding();
  if (padding.size() == 4 && (padding[0] >= window[0] || padding[1] >= window[0] ||
                              padding[2] >= window[1] || padding[3] >= window[1])) {
    if (loc)
      mlir::emitError(*loc) << "'smc.pool': padding must be smaller than the window";
    return failure();
  }
  int64_t dil[] = {1, 1};
  auto t = inferWindowType(loc, "smc.pool", in, window[0], window[1], adaptor.getStrides(), dil,
                           padding, in.getRank() == 4 ? in.getDimSize(3) : 0);
  if (failed(t))
    return failure();
  types.push_back(*t);
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      ValueRange operands, DictionaryAttr attrs,
                                      OpaqueProperties props, RegionRange regions,
                                      SmallVectorImpl<Type> &types) {
  Adaptor adaptor(operands, attrs, props, regions);
  auto x = tensorType(adaptor.getX());
  ArrayRef<int64_t> low = adaptor.getLow(), high = adaptor.getHigh();
  auto fail = [&](const Twine &msg) {
    if (loc)
      mlir::emitError(*loc) << "'smc.pad': " << msg;
    return failure();
  };
  if (static_cast<int64_t>(low.size()) != x.getRank() || high.size() != low.size())
    return fail("low and high need one entry per dimension");
  PadMode mode = adaptor.getMode();
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < x.getRank(); ++d) {
    int64_t dim = x.getDimSize(d);
    if (low[d] < 0 || high[d] < 0)
      return fail("negative padding");
    if (mode == PadMode::reflect && (low[d] >= dim || high[d] >= dim) && (low[d] || high[d]))
      return fail("reflect padding must be smaller than the dimension");
    if (mode == PadMode::symmetric && (low[d] > dim || high[d] > dim))
      return fail("symmetric padding must not exceed the dimension");
    shape.push_back(dim + low[d] + high[d]);
  }
  types.push_back(RankedTensorType::get(shape, x.getElementType()));
  return success();
}
