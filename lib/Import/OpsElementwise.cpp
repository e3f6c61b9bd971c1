//===- OpsElementwise.cpp - Elementwise TF ops ----------------------------===//
//
// One table row per TF op: the smc op it becomes. Binary ops broadcast (smc semantics are TF's).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace ::smc::import;

namespace {

template <typename OpTy> LogicalResult binary(NodeContext &c) {
  if (failed(c.checkInputs(2)))
    return failure();
  Value a = c.input(0), b = c.input(1);
  if (!a || !b)
    return failure();
  auto op = c.createOrFold<OpTy>(nullptr, a, b);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

template <typename OpTy> LogicalResult unary(NodeContext &c) {
  if (failed(c.checkInputs(1)))
    return failure();
  Value x = c.input(0);
  if (!x)
    return failure();
  auto op = c.createOrFold<OpTy>(x.getType(), x);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

LogicalResult leakyRelu(NodeContext &c) {
  if (failed(c.checkInputs(1)))
    return failure();
  Value x = c.input(0);
  if (!x)
    return failure();
  auto op = c.createOrFold<mlir::smc::LeakyReluOp>(
      x.getType(), x, c.builder().getF32FloatAttr(c.floatAttr("alpha", 0.2f)));
  if (!op)
    return failure();
  c.output(op);
  return success();
}

LogicalResult gelu(NodeContext &c) {
  if (failed(c.checkInputs(1)))
    return failure();
  Value x = c.input(0);
  if (!x)
    return failure();
  auto op = c.createOrFold<mlir::smc::GeluOp>(
      x.getType(), x, c.builder().getBoolAttr(c.boolAttr("approximate", true)));
  if (!op)
    return failure();
  c.output(op);
  return success();
}

/// Erfc(x) = 1 - erf(x).
LogicalResult erfc(NodeContext &c) {
  if (failed(c.checkInputs(1)))
    return failure();
  Value x = c.input(0);
  if (!x)
    return failure();
  auto type = cast<RankedTensorType>(x.getType());
  auto e = c.createOrFold<mlir::smc::ErfOp>(type, x);
  if (!e)
    return failure();
  Value one = c.builder().create<arith::ConstantOp>(
      c.loc, DenseElementsAttr::get(RankedTensorType::get({}, type.getElementType()),
                                    c.builder().getFloatAttr(type.getElementType(), 1.0)));
  auto r = c.createOrFold<mlir::smc::SubOp>(nullptr, one, e);
  if (!r)
    return failure();
  c.output(r);
  return success();
}

/// AddN: a chain of adds.
LogicalResult addN(NodeContext &c) {
  if (failed(c.checkInputs(std::max<size_t>(1, c.intAttr("N", c.numInputs())))))
    return failure();
  Value acc = c.input(0);
  if (!acc)
    return failure();
  for (size_t i = 1; i < c.numInputs(); ++i) {
    Value x = c.input(i);
    if (!x)
      return failure();
    auto op = c.createOrFold<mlir::smc::AddOp>(nullptr, acc, x);
    if (!op)
      return failure();
    acc = op;
  }
  c.output(acc);
  return success();
}

} // namespace

void ::smc::import::registerElementwiseOps(std::map<std::string, Handler> &t) {
  t["Add"] = binary<mlir::smc::AddOp>;
  t["AddV2"] = binary<mlir::smc::AddOp>;
  t["Sub"] = binary<mlir::smc::SubOp>;
  t["Mul"] = binary<mlir::smc::MulOp>;
  t["RealDiv"] = binary<mlir::smc::DivOp>;
  t["Div"] = binary<mlir::smc::DivOp>;
  t["FloorDiv"] = binary<mlir::smc::FloorDivOp>;
  t["FloorMod"] = binary<mlir::smc::FloorModOp>;
  t["Maximum"] = binary<mlir::smc::MaximumOp>;
  t["Minimum"] = binary<mlir::smc::MinimumOp>;
  t["Pow"] = binary<mlir::smc::PowOp>;
  t["SquaredDifference"] = binary<mlir::smc::SquaredDifferenceOp>;
  t["Equal"] = binary<mlir::smc::EqualOp>;
  t["NotEqual"] = binary<mlir::smc::NotEqualOp>;
  t["Less"] = binary<mlir::smc::LessOp>;
  t["LessEqual"] = binary<mlir::smc::LessEqualOp>;
  t["Greater"] = binary<mlir::smc::GreaterOp>;
  t["GreaterEqual"] = binary<mlir::smc::GreaterEqualOp>;
  t["LogicalAnd"] = binary<mlir::smc::LogicalAndOp>;
  t["LogicalOr"] = binary<mlir::smc::LogicalOrOp>;
  t["AddN"] = addN;

  t["Neg"] = unary<mlir::smc::NegOp>;
  t["Abs"] = unary<mlir::smc::AbsOp>;
  t["Sign"] = unary<mlir::smc::SignOp>;
  t["Square"] = unary<mlir::smc::SquareOp>;
  t["Relu"] = unary<mlir::smc::ReluOp>;
  t["Relu6"] = unary<mlir::smc::Relu6Op>;
  t["Exp"] = unary<mlir::smc::ExpOp>;
  t["Expm1"] = unary<mlir::smc::Expm1Op>;
  t["Log"] = unary<mlir::smc::LogOp>;
  t["Log1p"] = unary<mlir::smc::Log1pOp>;
  t["Sqrt"] = unary<mlir::smc::SqrtOp>;
  t["Rsqrt"] = unary<mlir::smc::RsqrtOp>;
  t["Reciprocal"] = unary<mlir::smc::ReciprocalOp>;
  t["Inv"] = unary<mlir::smc::ReciprocalOp>;
  t["Tanh"] = unary<mlir::smc::TanhOp>;
  t["Sigmoid"] = unary<mlir::smc::SigmoidOp>;
  t["Elu"] = unary<mlir::smc::EluOp>;
  t["Selu"] = unary<mlir::smc::SeluOp>;
  t["Softplus"] = unary<mlir::smc::SoftplusOp>;
  t["Softsign"] = unary<mlir::smc::SoftsignOp>;
  t["Erf"] = unary<mlir::smc::ErfOp>;
  t["Erfc"] = erfc;
  t["Sin"] = unary<mlir::smc::SinOp>;
  t["Cos"] = unary<mlir::smc::CosOp>;
  t["Floor"] = unary<mlir::smc::FloorOp>;
  t["Ceil"] = unary<mlir::smc::CeilOp>;
  t["Round"] = unary<mlir::smc::RoundOp>;
  t["Rint"] = unary<mlir::smc::RoundOp>;
  t["LogicalNot"] = unary<mlir::smc::LogicalNotOp>;
  t["LeakyRelu"] = leakyRelu;
  t["Gelu"] = gelu;
}
