//===- SmcOpsElementwise.cpp - Elementwise, cast and select ops -----------===//
//
// Broadcasting type inference and constant folds of the binary, compare and logical ops; the
// unary folds batch-norm statistics need; cast and select.
//
//===----------------------------------------------------------------------===//

#include "SmcOpsUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"

#include "llvm/ADT/APSInt.h"

#include <cmath>
#include <cstring>

using namespace mlir;
using namespace mlir::smc;
using namespace mlir::smc::detail;

namespace {

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
      [&](const APInt &a, const APInt &b, bool u) -> std::optional<APInt> {
        return intFn(a, b, u);
      },
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

#define SMC_ARITH_INFER(OP)                                                                        \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location> loc,                   \
                                     ValueRange operands, DictionaryAttr, OpaqueProperties,        \
                                     RegionRange, SmallVectorImpl<Type> &types) {                  \
    return inferBroadcast<OP>(loc, operands, nullptr, types);                                      \
  }
#define SMC_BOOL_INFER(OP)                                                                         \
  LogicalResult OP::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,                \
                                     ValueRange operands, DictionaryAttr, OpaqueProperties,        \
                                     RegionRange, SmallVectorImpl<Type> &types) {                  \
    return inferBroadcast<OP>(loc, operands, IntegerType::get(ctx, 1), types);                     \
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
  return foldCompare(*this, adaptor.getOperands(),
                     [](std::optional<int> c) { return c && *c == 0; });
}
OpFoldResult NotEqualOp::fold(FoldAdaptor adaptor) {
  return foldCompare(*this, adaptor.getOperands(),
                     [](std::optional<int> c) { return !c || *c != 0; });
}
OpFoldResult LessOp::fold(FoldAdaptor adaptor) {
  return foldCompare(*this, adaptor.getOperands(),
                     [](std::optional<int> c) { return c && *c < 0; });
}
OpFoldResult LessEqualOp::fold(FoldAdaptor adaptor) {
  return foldCompare(*this, adaptor.getOperands(),
                     [](std::optional<int> c) { return c && *c <= 0; });
}
OpFoldResult GreaterOp::fold(FoldAdaptor adaptor) {
  return foldCompare(*this, adaptor.getOperands(),
                     [](std::optional<int> c) { return c && *c > 0; });
}
OpFoldResult GreaterEqualOp::fold(FoldAdaptor adaptor) {
  return foldCompare(*this, adaptor.getOperands(),
                     [](std::optional<int> c) { return c && *c >= 0; });
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

/// A constant condition picks a branch (broadcast when it is a constant); constant operands
/// fold elementwise. The branches' elements are copied, never computed with: a NaN or an
/// infinity in the branch not taken cannot leak into the result.
OpFoldResult SelectOp::fold(FoldAdaptor adaptor) {
  auto cond = dyn_cast_or_null<DenseElementsAttr>(adaptor.getCond());
  if (!cond)
    return {};
  auto resultType = cast<ShapedType>(getResult().getType());
  if (cond.isSplat()) {
    bool pick = cond.getSplatValue<bool>();
    Value branch = pick ? getOnTrue() : getOnFalse();
    if (branch.getType() == resultType)
      return branch;
    auto value =
        dyn_cast_or_null<DenseElementsAttr>(pick ? adaptor.getOnTrue() : adaptor.getOnFalse());
    if (value && value.isSplat())
      return DenseElementsAttr::get(resultType, value.getSplatValue<Attribute>());
  }
  auto t = dyn_cast_or_null<DenseElementsAttr>(adaptor.getOnTrue());
  auto f = dyn_cast_or_null<DenseElementsAttr>(adaptor.getOnFalse());
  if (!t || !f || resultType.getNumElements() > kMaxArithFoldElements)
    return {};
  auto idxC = broadcastIndex(cond.getType().getShape(), resultType.getShape());
  auto idxT = broadcastIndex(t.getType().getShape(), resultType.getShape());
  auto idxF = broadcastIndex(f.getType().getShape(), resultType.getShape());
  auto c = valuesOf<bool>(cond);
  auto tv = valuesOf<Attribute>(t), fv = valuesOf<Attribute>(f);
  SmallVector<Attribute> out;
  out.reserve(idxC.size());
  for (size_t i = 0; i < idxC.size(); ++i)
    out.push_back(c[cond.isSplat() ? 0 : idxC[i]] ? tv[t.isSplat() ? 0 : idxT[i]]
                                                  : fv[f.isSplat() ? 0 : idxF[i]]);
  return DenseElementsAttr::get(resultType, out);
}
