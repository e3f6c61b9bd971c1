//===- SmcOpsNN.cpp - Contractions, convolution, pooling, padding ---------===//
//
// Result types of matmul and batch_matmul, bias_add and softmax checks, and the NHWC window
// ops, all through the shape helpers of SmcShapes.cpp.
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
  auto shape =
      batchMatMulShape(x.getShape(), y.getShape(), adaptor.getAdjX(), adaptor.getAdjY(), error);
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
    return emitOpError("bias size ")
           << b.getDimSize(0) << " does not match the last dimension of " << v;
  return success();
}

LogicalResult SoftmaxOp::verify() {
  if (tensorType(getX()).getRank() < 1)
    return emitOpError("needs an operand of rank >= 1");
  return success();
}

//===----------------------------------------------------------------------===//
// Convolution, pooling, padding
//===----------------------------------------------------------------------===//

/// The NHWC result type of a window op over `input` with a kh x kw window producing `channels`
/// output channels; diagnostics name `opName`.
static FailureOr<RankedTensorType> inferWindowType(std::optional<Location> loc, StringRef opName,
                                                   RankedTensorType input, int64_t kh, int64_t kw,
                                                   ArrayRef<int64_t> strides,
                                                   ArrayRef<int64_t> dilations,
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
  auto h =
      windowOutputSize(input.getDimSize(1), padding[0] + padding[1], kh, strides[0], dilations[0]);
  auto w =
      windowOutputSize(input.getDimSize(2), padding[2] + padding[3], kw, strides[1], dilations[1]);
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
      mlir::emitError(*loc) << "'smc.conv2d': filter " << f << " (HWIO) does not fit input " << in
                            << " (NHWC)";
    return failure();
  }
  if (int64_t groups = in.getDimSize(3) / f.getDimSize(2); f.getDimSize(3) % groups != 0) {
    if (loc)
      mlir::emitError(*loc) << "'smc.conv2d': filter " << f << " gives " << f.getDimSize(3)
                            << " output channels, not a multiple of its " << groups
                            << " groups (input " << in << ")";
    return failure();
  }
  auto t =
      inferWindowType(loc, "smc.conv2d", in, f.getDimSize(0), f.getDimSize(1), adaptor.getStrides(),
                      adaptor.getDilations(), adaptor.getPadding(), f.getDimSize(3));
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

//===----------------------------------------------------------------------===//
// Resizing
//===----------------------------------------------------------------------===//

LogicalResult ResizeOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc,
                                         ValueRange operands, DictionaryAttr attrs,
                                         OpaqueProperties props, RegionRange regions,
                                         SmallVectorImpl<Type> &types) {
  Adaptor adaptor(operands, attrs, props, regions);
  auto in = tensorType(adaptor.getInput());
  ArrayRef<int64_t> size = adaptor.getSize();
  auto fail = [&](const Twine &msg) {
    if (loc)
      mlir::emitError(*loc) << "'smc.resize': " << msg;
    return failure();
  };
  if (in.getRank() != 4 || in.getDimSize(1) <= 0 || in.getDimSize(2) <= 0)
    return fail("input must be 4-D NHWC with non-empty images");
  if (size.size() != 2 || size[0] <= 0 || size[1] <= 0)
    return fail("size must hold 2 positive entries (height, width)");
  if (adaptor.getAlignCorners() && adaptor.getHalfPixelCenters())
    return fail("align_corners and half_pixel_centers cannot both be set");
  Type elem = in.getElementType();
  if (adaptor.getMode() == ResizeMode::bilinear) {
    if (elem.isInteger(1))
      return fail("bilinear resizing needs a numeric input");
    elem = Float32Type::get(ctx);
  }
  types.push_back(
      RankedTensorType::get({in.getDimSize(0), size[0], size[1], in.getDimSize(3)}, elem));
  return success();
}
