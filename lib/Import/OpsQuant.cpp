//===- OpsQuant.cpp - Quantisation-aware training's fake quantisation -----===//
//
// FakeQuantWithMinMaxArgs / Vars / VarsPerChannel in float, as TF computes them: the range
// [min, max] is nudged so that zero is exactly representable, then the input is clamped to the
// nudged range and rounded to its grid:
//
//   scale = (max - min) / (qmax - qmin)      inv = (qmax - qmin) / (max - min)
//   zp    = clamp(qmin - min / scale, qmin, qmax), rounded half away from zero
//   lo    = (qmin - zp) * scale              hi = (qmax - zp) * scale
//   y     = floor((clamp(x, lo, hi) - lo) * inv + 0.5) * scale + lo
//
// with qmin = narrow_range ? 1 : 0 and qmax = 2^num_bits - 1. The range is computed with smc
// ops, so min and max may be attributes, constants or variables (which smc-freeze-variables
// makes constants, and the folders then fold the range).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace ::smc::import;

namespace {

Value scalar(NodeContext &c, float v) { return floatScalar(c, c.builder().getF32Type(), v); }

/// y as above for input x and range [min, max] (scalars, or [C] vectors along x's last axis).
Value fakeQuant(NodeContext &c, Value x, Value min, Value max) {
  int64_t bits = c.intAttr("num_bits", 8);
  if (bits < 2 || bits > 16) {
    c.error() << "num_bits is " << bits << "; TF allows 2 to 16";
    return nullptr;
  }
  float qmin = c.boolAttr("narrow_range") ? 1.0f : 0.0f;
  float qmax = static_cast<float>((int64_t(1) << bits) - 1);
  using namespace mlir::smc;
  Value range = binaryOp<SubOp>(c, max, min);
  Value steps = scalar(c, qmax - qmin);
  Value scale = binaryOp<DivOp>(c, range, steps);
  Value inv = binaryOp<DivOp>(c, steps, range);
  Value fromMin = binaryOp<SubOp>(c, scalar(c, qmin), binaryOp<DivOp>(c, min, scale));
  // Rounding half away from zero is floor(v + 0.5) here: the clamp leaves v >= qmin >= 0.
  Value zp = binaryOp<MaximumOp>(c, binaryOp<MinimumOp>(c, fromMin, scalar(c, qmax)), scalar(c, qmin));
  if (!zp)
    return nullptr;
  zp = c.createOrFold<FloorOp>(zp.getType(), binaryOp<AddOp>(c, zp, scalar(c, 0.5f)));
  Value lo = binaryOp<MulOp>(c, binaryOp<SubOp>(c, scalar(c, qmin), zp), scale);
  Value hi = binaryOp<MulOp>(c, binaryOp<SubOp>(c, scalar(c, qmax), zp), scale);
  Value clamped = binaryOp<MaximumOp>(c, binaryOp<MinimumOp>(c, x, hi), lo);
  Value t = binaryOp<AddOp>(c, binaryOp<MulOp>(c, binaryOp<SubOp>(c, clamped, lo), inv), scalar(c, 0.5f));
  if (!t)
    return nullptr;
  Value grid = c.createOrFold<FloorOp>(t.getType(), t);
  return binaryOp<AddOp>(c, binaryOp<MulOp>(c, grid, scale), lo);
}

LogicalResult checkFloat(NodeContext &c, Value x) {
  if (!typeOf(x).getElementType().isF32())
    return c.error() << "smc supports fake quantisation of float32 tensors, not " << typeOf(x);
  return success();
}

/// FakeQuantWithMinMaxArgs (inputs; min, max, num_bits, narrow_range).
LogicalResult argsOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x || failed(checkFloat(c, x)))
    return failure();
  float min = c.floatAttr("min", -6.0f), max = c.floatAttr("max", 6.0f);
  if (!(min < max))
    return c.error() << "min " << min << " must be below max " << max;
  Value y = fakeQuant(c, x, scalar(c, min), scalar(c, max));
  if (!y)
    return failure();
  c.output(y);
  return success();
}

/// FakeQuantWithMinMaxVars (inputs, min, max) and ...PerChannel (min, max of shape [C], the
/// last dimension of inputs).
template <bool PerChannel> LogicalResult varsOp(NodeContext &c) {
  Value x = c.input(0), min = c.input(1), max = c.input(2);
  if (!x || !min || !max || failed(checkFloat(c, x)))
    return failure();
  auto t = typeOf(x);
  for (Value v : {min, max}) {
    auto vt = typeOf(v);
    bool ok = PerChannel ? (vt.getRank() == 1 && t.getRank() >= 1 &&
                            vt.getDimSize(0) == t.getDimSize(t.getRank() - 1))
                         : vt.getRank() == 0;
    if (!ok || !vt.getElementType().isF32())
      return c.error() << "min and max must be float32 "
                       << (PerChannel ? "vectors of the inputs' last dimension" : "scalars")
                       << ", not " << vt << " for inputs " << t;
  }
  Value y = fakeQuant(c, x, min, max);
  if (!y)
    return failure();
  c.output(y);
  return success();
}

} // namespace

void ::smc::import::registerQuantOps(std::map<std::string, Handler> &t) {
  t["FakeQuantWithMinMaxArgs"] = argsOp;
  t["FakeQuantWithMinMaxVars"] = varsOp<false>;
  t["FakeQuantWithMinMaxVarsPerChannel"] = varsOp<true>;
}
