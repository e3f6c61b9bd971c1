//===- ElementwiseToLinalg.cpp - Elementwise smc ops -> linalg.generic ----===//
//
// Each elementwise op is one linalg.generic with numpy broadcasting maps; what it computes per
// element is the op's entry in the scalar table below (`Scalar<OpTy>::build`), given the
// operands' TF element type so that signed, unsigned and float semantics are chosen here.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

using namespace mlir;
using namespace mlir::smc;

namespace {

bool isFloat(Type t) { return isa<FloatType>(t); }
bool isUnsigned(Type t) { return t.isUnsignedInteger(); }

Value cmp(OpBuilder &b, Location loc, Type elem, arith::CmpFPredicate fp,
          arith::CmpIPredicate si, arith::CmpIPredicate ui, Value x, Value y) {
  if (isFloat(elem))
    return b.create<arith::CmpFOp>(loc, fp, x, y);
  return b.create<arith::CmpIOp>(loc, isUnsigned(elem) ? ui : si, x, y);
}

Value zeroOf(OpBuilder &b, Location loc, Type t) { return scalarConstant(b, loc, t, 0.0, 0); }
Value oneOf(OpBuilder &b, Location loc, Type t) { return scalarConstant(b, loc, t, 1.0, 1); }

/// The scalar table: Scalar<OpTy>::build(builder, loc, TF element type, operands).
template <typename OpTy> struct Scalar;

#define SCALAR(OP)                                                                             \
  template <> struct Scalar<OP> {                                                              \
    static Value build(OP op, OpBuilder &b, Location loc, Type e, ValueRange a);               \
  };                                                                                           \
  Value Scalar<OP>::build(OP op, OpBuilder &b, Location loc, Type e, ValueRange a)

SCALAR(AddOp) {
  if (isFloat(e))
    return b.create<arith::AddFOp>(loc, a[0], a[1]);
  return b.create<arith::AddIOp>(loc, a[0], a[1]);
}
SCALAR(BiasAddOp) { return Scalar<AddOp>::build(nullptr, b, loc, e, a); }
SCALAR(SubOp) {
  if (isFloat(e))
    return b.create<arith::SubFOp>(loc, a[0], a[1]);
  return b.create<arith::SubIOp>(loc, a[0], a[1]);
}
SCALAR(MulOp) {
  if (isFloat(e))
    return b.create<arith::MulFOp>(loc, a[0], a[1]);
  return b.create<arith::MulIOp>(loc, a[0], a[1]);
}
SCALAR(DivOp) {
  if (isFloat(e))
    return b.create<arith::DivFOp>(loc, a[0], a[1]);
  if (isUnsigned(e))
    return b.create<arith::DivUIOp>(loc, a[0], a[1]);
  return b.create<arith::DivSIOp>(loc, a[0], a[1]);
}
SCALAR(FloorDivOp) {
  if (isFloat(e))
    return b.create<math::FloorOp>(loc, b.create<arith::DivFOp>(loc, a[0], a[1]));
  if (isUnsigned(e))
    return b.create<arith::DivUIOp>(loc, a[0], a[1]);
  return b.create<arith::FloorDivSIOp>(loc, a[0], a[1]);
}
SCALAR(FloorModOp) {
  // The remainder takes the divisor's sign: r = rem(x, y); r != 0 && (r < 0) != (y < 0) ? r + y : r.
  if (isUnsigned(e))
    return b.create<arith::RemUIOp>(loc, a[0], a[1]);
  Value r, zero = zeroOf(b, loc, a[0].getType()), rNeg, yNeg, rNonZero, sum;
  if (isFloat(e)) {
    // fmod without libm: x - y * trunc(x / y) (exact up to the rounding of x / y).
    Value q = b.create<math::TruncOp>(loc, b.create<arith::DivFOp>(loc, a[0], a[1]));
    r = b.create<arith::SubFOp>(loc, a[0], b.create<arith::MulFOp>(loc, q, a[1]));
    rNeg = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, r, zero);
    yNeg = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, a[1], zero);
    rNonZero = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::ONE, r, zero);
    sum = b.create<arith::AddFOp>(loc, r, a[1]);
  } else {
    r = b.create<arith::RemSIOp>(loc, a[0], a[1]);
    rNeg = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, r, zero);
    yNeg = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, a[1], zero);
    rNonZero = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, r, zero);
    sum = b.create<arith::AddIOp>(loc, r, a[1]);
  }
  Value signsDiffer = b.create<arith::XOrIOp>(loc, rNeg, yNeg);
  Value adjust = b.create<arith::AndIOp>(loc, rNonZero, signsDiffer);
  return b.create<arith::SelectOp>(loc, adjust, sum, r);
}
SCALAR(MaximumOp) {
  if (isFloat(e))
    return b.create<arith::MaximumFOp>(loc, a[0], a[1]);
  if (isUnsigned(e))
    return b.create<arith::MaxUIOp>(loc, a[0], a[1]);
  return b.create<arith::MaxSIOp>(loc, a[0], a[1]);
}
SCALAR(MinimumOp) {
  if (isFloat(e))
    return b.create<arith::MinimumFOp>(loc, a[0], a[1]);
  if (isUnsigned(e))
    return b.create<arith::MinUIOp>(loc, a[0], a[1]);
  return b.create<arith::MinSIOp>(loc, a[0], a[1]);
}
SCALAR(PowOp) {
  if (isFloat(e))
    return b.create<math::PowFOp>(loc, a[0], a[1]);
  return b.create<math::IPowIOp>(loc, a[0], a[1]);
}
SCALAR(SquaredDifferenceOp) {
  Value d = Scalar<SubOp>::build(nullptr, b, loc, e, a);
  return Scalar<MulOp>::build(nullptr, b, loc, e, {d, d});
}
SCALAR(EqualOp) {
  return cmp(b, loc, e, arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq,
             arith::CmpIPredicate::eq, a[0], a[1]);
}
SCALAR(NotEqualOp) {
  return cmp(b, loc, e, arith::CmpFPredicate::UNE, arith::CmpIPredicate::ne,
             arith::CmpIPredicate::ne, a[0], a[1]);
}
SCALAR(LessOp) {
  return cmp(b, loc, e, arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt,
             arith::CmpIPredicate::ult, a[0], a[1]);
}
SCALAR(LessEqualOp) {
  return cmp(b, loc, e, arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle,
             arith::CmpIPredicate::ule, a[0], a[1]);
}
SCALAR(GreaterOp) {
  return cmp(b, loc, e, arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt,
             arith::CmpIPredicate::ugt, a[0], a[1]);
}
SCALAR(GreaterEqualOp) {
  return cmp(b, loc, e, arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge,
             arith::CmpIPredicate::uge, a[0], a[1]);
}
SCALAR(LogicalAndOp) { return b.create<arith::AndIOp>(loc, a[0], a[1]); }
SCALAR(LogicalOrOp) { return b.create<arith::OrIOp>(loc, a[0], a[1]); }
SCALAR(SelectOp) { return b.create<arith::SelectOp>(loc, a[0], a[1], a[2]); }

SCALAR(NegOp) {
  if (isFloat(e))
    return b.create<arith::NegFOp>(loc, a[0]);
  return b.create<arith::SubIOp>(loc, zeroOf(b, loc, a[0].getType()), a[0]);
}
SCALAR(AbsOp) {
  if (isFloat(e))
    return b.create<math::AbsFOp>(loc, a[0]);
  if (isUnsigned(e))
    return a[0];
  return b.create<math::AbsIOp>(loc, a[0]);
}
SCALAR(SignOp) {
  Type t = a[0].getType();
  Value zero = zeroOf(b, loc, t), one = oneOf(b, loc, t);
  if (isUnsigned(e)) {
    Value nz = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, a[0], zero);
    return b.create<arith::SelectOp>(loc, nz, one, zero);
  }
  Value minusOne = scalarConstant(b, loc, t, -1.0, -1);
  Value pos = cmp(b, loc, e, arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt,
                  arith::CmpIPredicate::ugt, a[0], zero);
  Value neg = cmp(b, loc, e, arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt,
                  arith::CmpIPredicate::ult, a[0], zero);
  // Zero and NaN map to themselves.
  Value r = b.create<arith::SelectOp>(loc, neg, minusOne, a[0]);
  return b.create<arith::SelectOp>(loc, pos, one, r);
}
SCALAR(SquareOp) { return Scalar<MulOp>::build(nullptr, b, loc, e, {a[0], a[0]}); }
SCALAR(ReluOp) {
  return Scalar<MaximumOp>::build(nullptr, b, loc, e, {a[0], zeroOf(b, loc, a[0].getType())});
}
SCALAR(Relu6Op) {
  Value r = Scalar<ReluOp>::build(nullptr, b, loc, e, a);
  return Scalar<MinimumOp>::build(nullptr, b, loc, e,
                                  {r, scalarConstant(b, loc, a[0].getType(), 6.0, 6)});
}
SCALAR(ExpOp) { return b.create<math::ExpOp>(loc, a[0]); }
SCALAR(Expm1Op) { return b.create<math::ExpM1Op>(loc, a[0]); }
SCALAR(LogOp) { return b.create<math::LogOp>(loc, a[0]); }
SCALAR(Log1pOp) { return b.create<math::Log1pOp>(loc, a[0]); }
SCALAR(SqrtOp) { return b.create<math::SqrtOp>(loc, a[0]); }
SCALAR(RsqrtOp) { return b.create<math::RsqrtOp>(loc, a[0]); }
SCALAR(ReciprocalOp) { return b.create<arith::DivFOp>(loc, oneOf(b, loc, a[0].getType()), a[0]); }
SCALAR(TanhOp) { return b.create<math::TanhOp>(loc, a[0]); }
SCALAR(SigmoidOp) {
  // 1 / (1 + exp(-x)); exp overflowing to inf for very negative x gives exactly 0.
  Type t = a[0].getType();
  Value e1 = b.create<math::ExpOp>(loc, b.create<arith::NegFOp>(loc, a[0]));
  return b.create<arith::DivFOp>(loc, oneOf(b, loc, t),
                                 b.create<arith::AddFOp>(loc, oneOf(b, loc, t), e1));
}
SCALAR(EluOp) {
  Value pos = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, a[0],
                                      zeroOf(b, loc, a[0].getType()));
  return b.create<arith::SelectOp>(loc, pos, a[0], b.create<math::ExpM1Op>(loc, a[0]));
}
SCALAR(SeluOp) {
  Type t = a[0].getType();
  Value pos = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, a[0], zeroOf(b, loc, t));
  Value neg = b.create<arith::MulFOp>(loc, scalarConstant(b, loc, t, 1.6732632423543772),
                                      b.create<math::ExpM1Op>(loc, a[0]));
  Value v = b.create<arith::SelectOp>(loc, pos, a[0], neg);
  return b.create<arith::MulFOp>(loc, scalarConstant(b, loc, t, 1.0507009873554805), v);
}
SCALAR(SoftplusOp) {
  // max(x, 0) + log1p(exp(-|x|)): no overflow for large |x|.
  Type t = a[0].getType();
  Value m = b.create<arith::MaximumFOp>(loc, a[0], zeroOf(b, loc, t));
  Value na = b.create<arith::NegFOp>(loc, b.create<math::AbsFOp>(loc, a[0]));
  return b.create<arith::AddFOp>(loc, m, b.create<math::Log1pOp>(loc, b.create<math::ExpOp>(loc, na)));
}
SCALAR(SoftsignOp) {
  Type t = a[0].getType();
  Value d = b.create<arith::AddFOp>(loc, oneOf(b, loc, t), b.create<math::AbsFOp>(loc, a[0]));
  return b.create<arith::DivFOp>(loc, a[0], d);
}
SCALAR(ErfOp) { return b.create<math::ErfOp>(loc, a[0]); }
SCALAR(SinOp) { return b.create<math::SinOp>(loc, a[0]); }
SCALAR(CosOp) { return b.create<math::CosOp>(loc, a[0]); }
SCALAR(FloorOp) { return b.create<math::FloorOp>(loc, a[0]); }
SCALAR(CeilOp) { return b.create<math::CeilOp>(loc, a[0]); }
SCALAR(RoundOp) { return b.create<math::RoundEvenOp>(loc, a[0]); }
SCALAR(LogicalNotOp) { return b.create<arith::XOrIOp>(loc, a[0], oneOf(b, loc, a[0].getType())); }
SCALAR(LeakyReluOp) {
  Type t = a[0].getType();
  Value pos = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, a[0], zeroOf(b, loc, t));
  Value alpha = scalarConstant(b, loc, t, op.getAlpha().convertToDouble());
  return b.create<arith::SelectOp>(loc, pos, a[0], b.create<arith::MulFOp>(loc, alpha, a[0]));
}
SCALAR(GeluOp) {
  Type t = a[0].getType();
  Value x = a[0];
  Value half = scalarConstant(b, loc, t, 0.5);
  Value inner;
  if (op.getApproximate()) {
    // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    Value x3 = b.create<arith::MulFOp>(loc, x, b.create<arith::MulFOp>(loc, x, x));
    Value s = b.create<arith::AddFOp>(
        loc, x, b.create<arith::MulFOp>(loc, scalarConstant(b, loc, t, 0.044715), x3));
    inner = b.create<math::TanhOp>(
        loc, b.create<arith::MulFOp>(loc, scalarConstant(b, loc, t, 0.7978845608028654), s));
  } else {
    // 0.5 x (1 + erf(x / sqrt(2)))
    inner = b.create<math::ErfOp>(
        loc, b.create<arith::MulFOp>(loc, x, scalarConstant(b, loc, t, 0.7071067811865476)));
  }
  Value onePlus = b.create<arith::AddFOp>(loc, oneOf(b, loc, t), inner);
  return b.create<arith::MulFOp>(loc, b.create<arith::MulFOp>(loc, half, x), onePlus);
}

#undef SCALAR

/// Cast: `from`/`to` are the TF element types.
Value castScalar(OpBuilder &b, Location loc, Type from, Type to, Type toSignless, Value x) {
  if (from == to)
    return x;
  bool fromBool = from.isInteger(1), toBool = to.isInteger(1);
  if (toBool) {
    Value zero = zeroOf(b, loc, x.getType());
    if (isFloat(from))
      return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::UNE, x, zero);
    return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, x, zero);
  }
  if (isFloat(from) && isFloat(to)) {
    unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
    if (fw < tw)
      return b.create<arith::ExtFOp>(loc, toSignless, x);
    if (fw > tw)
      return b.create<arith::TruncFOp>(loc, toSignless, x);
    // f16 <-> bf16: through f32.
    Value wide = b.create<arith::ExtFOp>(loc, b.getF32Type(), x);
    return b.create<arith::TruncFOp>(loc, toSignless, wide);
  }
  if (isFloat(from)) {
    if (isUnsigned(to))
      return b.create<arith::FPToUIOp>(loc, toSignless, x);
    return b.create<arith::FPToSIOp>(loc, toSignless, x);
  }
  bool fromSigned = !fromBool && !isUnsigned(from);
  if (isFloat(to)) {
    if (fromSigned)
      return b.create<arith::SIToFPOp>(loc, toSignless, x);
    return b.create<arith::UIToFPOp>(loc, toSignless, x);
  }
  unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
  if (fw == tw)
    return x;
  if (fw > tw)
    return b.create<arith::TruncIOp>(loc, toSignless, x);
  if (fromSigned)
    return b.create<arith::ExtSIOp>(loc, toSignless, x);
  return b.create<arith::ExtUIOp>(loc, toSignless, x);
}

template <typename OpTy> struct ElementwiseLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto resultType = dyn_cast_or_null<RankedTensorType>(
        this->getTypeConverter()->convertType(op->getResult(0).getType()));
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "unsupported result type");
    // The TF element type the op computes in: the last operand's (select's condition is i1).
    Type elem = tensorTypeOf(op->getOperand(op->getNumOperands() - 1)).getElementType();
    Value r = buildElementwise(rewriter, op.getLoc(), resultType, adaptor.getOperands(),
                               [&](OpBuilder &b, Location loc, ValueRange args) {
                                 return Scalar<OpTy>::build(op, b, loc, elem, args);
                               });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct CastLowering : OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(CastOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto resultType =
        dyn_cast_or_null<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "unsupported result type");
    Type from = tensorTypeOf(op.getX()).getElementType();
    Type to = tensorTypeOf(op.getY()).getElementType();
    Value r = buildElementwise(rewriter, op.getLoc(), resultType, adaptor.getOperands(),
                               [&](OpBuilder &b, Location loc, ValueRange args) {
                                 return castScalar(b, loc, from, to, resultType.getElementType(),
                                                   args[0]);
                               });
    rewriter.replaceOp(op, r);
    return success();
  }
};

template <typename... Ops>
void addElementwise(SmcTypeConverter &converter, RewritePatternSet &patterns) {
  (patterns.add<ElementwiseLowering<Ops>>(converter, patterns.getContext()), ...);
}

} // namespace

void mlir::smc::populateElementwiseToLinalgPatterns(SmcTypeConverter &converter,
                                                    RewritePatternSet &patterns) {
  addElementwise<AddOp, SubOp, MulOp, DivOp, FloorDivOp, FloorModOp, MaximumOp, MinimumOp, PowOp,
                 SquaredDifferenceOp, EqualOp, NotEqualOp, LessOp, LessEqualOp, GreaterOp,
                 GreaterEqualOp, LogicalAndOp, LogicalOrOp, SelectOp, BiasAddOp>(converter,
                                                                                 patterns);
  addElementwise<NegOp, AbsOp, SignOp, SquareOp, ReluOp, Relu6Op, ExpOp, Expm1Op, LogOp, Log1pOp,
                 SqrtOp, RsqrtOp, ReciprocalOp, TanhOp, SigmoidOp, EluOp, SeluOp, SoftplusOp,
                 SoftsignOp, ErfOp, SinOp, CosOp, FloorOp, CeilOp, RoundOp, LogicalNotOp,
                 LeakyReluOp, GeluOp>(converter, patterns);
  patterns.add<CastLowering>(converter, patterns.getContext());
}
