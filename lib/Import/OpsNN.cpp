//===- OpsNN.cpp - Convolutions, pooling, batch norm, padding -------------===//
//
// TF's padding strings (SAME, VALID, EXPLICIT) become explicit per-side padding here, so the
// smc ops carry numbers only. Inference batch norm becomes a per-channel multiply and add.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

using namespace mlir;
using namespace ::smc::import;

namespace {

/// Strides/dilations/padding of a 2-D window op from TF's NHWC attributes.
struct Window {
  SmallVector<int64_t> strides, dilations, padding;
};

FailureOr<Window> windowAttrs(NodeContext &c, RankedTensorType input, int64_t kh, int64_t kw,
                              bool hasDilations) {
  if (c.strAttr("data_format", "NHWC") != "NHWC")
    return c.error() << "data_format " << c.strAttr("data_format") << " is not supported (NHWC only)",
           failure();
  std::vector<int64_t> strides = c.intListAttr("strides");
  std::vector<int64_t> dilations = hasDilations ? c.intListAttr("dilations") : std::vector<int64_t>{};
  if (dilations.empty())
    dilations = {1, 1, 1, 1};
  if (strides.size() != 4 || dilations.size() != 4 || strides[0] != 1 || strides[3] != 1 ||
      dilations[0] != 1 || dilations[3] != 1)
    return c.error() << "strides and dilations must have 4 entries with 1 for batch and channels",
           failure();
  if (input.getRank() != 4)
    return c.error() << "input must be 4-D NHWC, got " << input, failure();
  Window w;
  w.strides = {strides[1], strides[2]};
  w.dilations = {dilations[1], dilations[2]};
  // Windows and paddings beyond any image keep every size computed from them small.
  constexpr int64_t kMaxExtent = int64_t(1) << 24;
  int64_t kernel[2] = {kh, kw};
  for (int i = 0; i < 2; ++i) {
    if (w.strides[i] < 1 || w.dilations[i] < 1)
      return c.error() << "strides and dilations must be at least 1 (got stride " << w.strides[i]
                       << ", dilation " << w.dilations[i] << ")",
             failure();
    if (w.strides[i] > kMaxExtent || w.dilations[i] > kMaxExtent ||
        (kernel[i] - 1) * w.dilations[i] + 1 > kMaxExtent)
      return c.error() << "a window of " << kernel[i] << " with stride " << w.strides[i]
                       << " and dilation " << w.dilations[i] << " spans more than " << kMaxExtent
                       << " pixels, smc's limit",
             failure();
  }
  std::string padding = c.strAttr("padding");
  if (padding == "VALID") {
    w.padding = {0, 0, 0, 0};
  } else if (padding == "SAME") {
    auto [t, b] = mlir::smc::samePadding(input.getDimSize(1), kh, w.strides[0], w.dilations[0]);
    auto [l, r] = mlir::smc::samePadding(input.getDimSize(2), kw, w.strides[1], w.dilations[1]);
    w.padding = {t, b, l, r};
  } else if (padding == "EXPLICIT") {
    std::vector<int64_t> e = c.intListAttr("explicit_paddings");
    if (e.size() != 8 || e[0] || e[1] || e[6] || e[7])
      return c.error() << "explicit_paddings must pad only the spatial dimensions", failure();
    w.padding = {e[2], e[3], e[4], e[5]};
    for (int64_t p : w.padding)
      if (p < 0 || p > kMaxExtent)
        return c.error() << "explicit padding " << p << " is negative or over " << kMaxExtent,
               failure();
  } else {
    return c.error() << "padding '" << padding << "' is not supported", failure();
  }
  return w;
}

template <bool Depthwise> LogicalResult conv(NodeContext &c) {
  Value x = c.input(0), f = c.input(1);
  if (!x || !f)
    return failure();
  auto ft = typeOf(f);
  if (ft.getRank() != 4)
    return c.error() << "the filter must be 4-D, got " << ft;
  auto w = windowAttrs(c, typeOf(x), ft.getDimSize(0), ft.getDimSize(1), true);
  if (failed(w))
    return failure();
  if (!Depthwise) {
    // Grouped when the filter has fewer input channels than x: TF's rules.
    int64_t depth = typeOf(x).getDimSize(3), perGroup = ft.getDimSize(2), outs = ft.getDimSize(3);
    if (perGroup <= 0 || depth % perGroup != 0)
      return c.error() << "input depth " << depth
                       << " is not a multiple of the filter's input depth " << perGroup;
    if (outs % (depth / perGroup) != 0)
      return c.error() << "output depth " << outs << " is not a multiple of the number of groups "
                       << depth / perGroup << " (input depth " << depth << " / filter input depth "
                       << perGroup << ")";
  }
  Value op;
  if (Depthwise)
    op = c.createOrFold<mlir::smc::DepthwiseConv2DOp>(nullptr, x, f, w->strides, w->dilations,
                                                      w->padding);
  else
    op = c.createOrFold<mlir::smc::Conv2DOp>(nullptr, x, f, w->strides, w->dilations, w->padding);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

/// Conv2DBackpropInput (input_sizes, filter, out_backprop), Keras' Conv2DTranspose: the
/// gradient of a convolution of an input of `input_sizes` with `filter` (HWIO) and these
/// strides/padding/dilations, as a stride-1 convolution. With the forward convolution
/// `y[o] = sum_k x[o*s - pad_before + k*d] * w[k]` along each spatial dimension,
/// `dx[i] = sum_k dy_z[i + pad_before - k*d] * w[k]`, where `dy_z` is `out_backprop` with
/// `s - 1` zeros after each element. So: zero-insert, pad (or crop) so that a window of the
/// flipped filter at every input position i reads exactly these cells, and convolve with the
/// filter flipped spatially and its channel axes swapped (HWOI; folded when constant).
LogicalResult convBackpropInput(NodeContext &c) {
  auto sizes = c.constantInts(0, "input_sizes");
  Value f = c.input(1), dy = c.input(2);
  if (failed(sizes) || !f || !dy)
    return failure();
  auto ft = typeOf(f), dt = typeOf(dy);
  if (ft.getRank() != 4 || dt.getRank() != 4)
    return c.error() << "filter and out_backprop must be 4-D, got " << ft << " and " << dt;
  if (!isa<FloatType>(dt.getElementType()))
    return c.error() << "only floating-point types are supported, got " << dt.getElementType();
  int64_t kh = ft.getDimSize(0), kw = ft.getDimSize(1), ci = ft.getDimSize(2),
          co = ft.getDimSize(3);
  SmallVector<int64_t> inShape;
  if (sizes->size() == 4)
    inShape.assign(sizes->begin(), sizes->end());
  else if (sizes->size() == 2)
    inShape = {dt.getDimSize(0), (*sizes)[0], (*sizes)[1], ci};
  else
    return c.error() << "input_sizes must hold 4 entries (or 2 spatial ones), got "
                     << sizes->size();
  if (inShape[0] != dt.getDimSize(0) || inShape[3] != ci || dt.getDimSize(3) != co)
    return c.error() << "input_sizes [" << inShape[0] << ", " << inShape[1] << ", " << inShape[2]
                     << ", " << inShape[3] << "], filter " << ft << " and out_backprop " << dt
                     << " do not fit (grouped convolutions are not supported)";
  auto inType = RankedTensorType::get(inShape, dt.getElementType());
  auto w = windowAttrs(c, inType, kh, kw, true);
  if (failed(w))
    return failure();
  int64_t k[] = {kh, kw};
  for (int d = 0; d < 2; ++d) {
    auto o = mlir::smc::windowOutputSize(inShape[1 + d], w->padding[2 * d] + w->padding[2 * d + 1],
                                         k[d], w->strides[d], w->dilations[d]);
    if (failed(o) || *o != dt.getDimSize(1 + d))
      return c.error() << "out_backprop " << dt << " is not the output size of a convolution of "
                       << inType << " with filter " << ft << " and these strides and padding";
  }
  int64_t n = dt.getDimSize(0), oh = dt.getDimSize(1), ow = dt.getDimSize(2);
  int64_t sh = w->strides[0], sw = w->strides[1];
  Value z = dy;
  if (sh > 1 || sw > 1) {
    // [N, OH, OW, F] -> [N, OH, 1, OW, 1, F] -> zeros after -> [N, OH*sh, OW*sw, F]
    Value e = reshape(c, dy, {n, oh, 1, ow, 1, co});
    Attribute zero = c.builder().getFloatAttr(dt.getElementType(), 0.0);
    Value p = e ? c.createOrFold<mlir::smc::PadOp>(
                      nullptr, e, mlir::smc::PadMode::constant,
                      ArrayRef<int64_t>{0, 0, 0, 0, 0, 0},
                      ArrayRef<int64_t>{0, 0, sh - 1, 0, sw - 1, 0}, cast<TypedAttr>(zero))
                : nullptr;
    z = p ? reshape(c, p, {n, oh * sh, ow * sw, co}) : nullptr;
    if (!z)
      return failure();
  }
  // Along each dimension the flipped window at input position i starts at padded cell i and
  // spans (k - 1) * d + 1 cells: `lo` cells before z, `hi` after (negative: cropped).
  SmallVector<int64_t> lo(4, 0), hi(4, 0);
  for (int d = 0; d < 2; ++d) {
    int64_t span = (k[d] - 1) * w->dilations[d];
    lo[1 + d] = span - w->padding[2 * d];
    hi[1 + d] = inShape[1 + d] + w->padding[2 * d] - typeOf(z).getDimSize(1 + d);
  }
  if (llvm::any_of(lo, [](int64_t v) { return v < 0; }) ||
      llvm::any_of(hi, [](int64_t v) { return v < 0; })) {
    auto zt = typeOf(z);
    SmallVector<int64_t> start(4, 0), size(zt.getShape()), stride(4, 1);
    for (int d = 1; d < 3; ++d) {
      start[d] = std::max<int64_t>(-lo[d], 0);
      size[d] -= start[d] + std::max<int64_t>(-hi[d], 0);
      lo[d] = std::max<int64_t>(lo[d], 0);
      hi[d] = std::max<int64_t>(hi[d], 0);
    }
    z = c.createOrFold<mlir::smc::SliceOp>(nullptr, z, start, size, stride);
    if (!z)
      return failure();
  }
  if (llvm::any_of(lo, [](int64_t v) { return v > 0; }) ||
      llvm::any_of(hi, [](int64_t v) { return v > 0; })) {
    Attribute zero = c.builder().getFloatAttr(dt.getElementType(), 0.0);
    z = c.createOrFold<mlir::smc::PadOp>(nullptr, z, mlir::smc::PadMode::constant, lo, hi,
                                         cast<TypedAttr>(zero));
    if (!z)
      return failure();
  }
  // The filter flipped spatially, HWIO -> HWOI.
  Value flipped = c.createOrFold<mlir::smc::SliceOp>(
      nullptr, f, ArrayRef<int64_t>{kh - 1, kw - 1, 0, 0}, ft.getShape(),
      ArrayRef<int64_t>{-1, -1, 1, 1});
  Value wt = flipped ? c.createOrFold<mlir::smc::TransposeOp>(nullptr, flipped,
                                                               ArrayRef<int64_t>{0, 1, 3, 2})
                     : nullptr;
  Value dx = wt ? c.createOrFold<mlir::smc::Conv2DOp>(nullptr, z, wt, ArrayRef<int64_t>{1, 1},
                                                      w->dilations,
                                                      ArrayRef<int64_t>{0, 0, 0, 0})
                : nullptr;
  if (!dx)
    return failure();
  if (dx.getType() != inType)
    return c.error() << "internal error: the transposed convolution gives " << dx.getType()
                     << ", expected " << inType;
  c.output(dx);
  return success();
}

template <mlir::smc::PoolKind Kind> LogicalResult pool(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  std::vector<int64_t> ksize = c.intListAttr("ksize");
  if (ksize.size() != 4 || ksize[0] != 1 || ksize[3] != 1)
    return c.error() << "ksize must be [1, kh, kw, 1]";
  auto w = windowAttrs(c, typeOf(x), ksize[1], ksize[2], false);
  if (failed(w))
    return failure();
  auto op = c.createOrFold<mlir::smc::PoolOp>(
      nullptr, x, Kind, ArrayRef<int64_t>{ksize[1], ksize[2]}, w->strides, w->padding);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

/// Inference batch norm: y = x * a + b, a = scale / sqrt(variance + epsilon),
/// b = offset - mean * a, computed per channel (constant-folded when the statistics are).
LogicalResult batchNorm(NodeContext &c);

/// Training-mode batch norm (what tf_keras' LayerNormalization runs, on its input reshaped so
/// that each row is a channel): the statistics are the batch's, over every axis but the last:
/// y = (x - mean) * rsqrt(var + epsilon) * scale + offset with the biased variance. Outputs 1
/// and 2 are the running statistics TF returns: the batch mean and the unbiased variance,
/// mixed into the given ones by exponential_avg_factor.
LogicalResult trainingBatchNorm(NodeContext &c) {
  Value x = c.input(0), scale = c.input(1), offset = c.input(2), oldMean = c.input(3),
        oldVar = c.input(4);
  if (!x || !scale || !offset || !oldMean || !oldVar)
    return failure();
  auto t = typeOf(x);
  Type elem = typeOf(scale).getElementType();
  bool nchw = c.strAttr("data_format", "NHWC") == "NCHW";
  if (t.getElementType() != elem || t.getRank() < (nchw ? 2 : 1))
    return c.error() << "training-mode batch normalization of " << t << " with " << elem
                     << " statistics is not supported";
  int64_t channelAxis = nchw ? 1 : t.getRank() - 1, channels = t.getDimSize(channelAxis);
  // Per-channel values are [1, .., C, .., 1] next to x, [C] as outputs.
  SmallVector<int64_t> axes, perChannel(t.getRank(), 1);
  perChannel[channelAxis] = channels;
  int64_t count = 1;
  for (int64_t d = 0; d < t.getRank(); ++d)
    if (d != channelAxis) {
      axes.push_back(d);
      count *= t.getDimSize(d);
    }
  auto scalar = [&](double v) { return floatScalar(c, elem, v); };
  auto asVector = [&](Value v) { return v ? reshape(c, v, {channels}) : nullptr; };
  using namespace mlir::smc;
  Value mean = c.createOrFold<ReduceOp>(nullptr, x, ReduceKind::mean, axes, true);
  Value centered = binaryOp<SubOp>(c, x, mean);
  Value var = centered ? c.createOrFold<ReduceOp>(nullptr, binaryOp<MulOp>(c, centered, centered),
                                                   ReduceKind::mean, axes, true)
                       : nullptr;
  Value ve = binaryOp<AddOp>(c, var, scalar(c.floatAttr("epsilon", 1e-4f)));
  Value rs = ve ? c.createOrFold<RsqrtOp>(ve.getType(), ve) : nullptr;
  Value y = binaryOp<AddOp>(c, binaryOp<MulOp>(c, binaryOp<MulOp>(c, centered, rs), reshape(c, scale, perChannel)),
                reshape(c, offset, perChannel));
  double f = c.floatAttr("exponential_avg_factor", 1.0f);
  Value batchMean = asVector(mean), batchVar = asVector(var);
  Value unbiased = binaryOp<MulOp>(c, batchVar, scalar(count > 1 ? double(count) / (count - 1) : 1.0));
  auto mix = [&](Value old, Value now) {
    return f == 1.0 ? now
                    : binaryOp<AddOp>(c, binaryOp<MulOp>(c, old, scalar(1.0 - f)), binaryOp<MulOp>(c, now, scalar(f)));
  };
  Value runMean = mix(oldMean, batchMean), runVar = mix(oldVar, unbiased);
  if (!y || !runMean || !runVar)
    return failure();
  c.output(y);
  c.output(runMean);
  c.output(runVar);
  c.output(batchMean);
  c.output(batchVar);
  c.output(batchMean);
  return success();
}

LogicalResult batchNorm(NodeContext &c) {
  if (c.boolAttr("is_training", true)) {
    std::string format = c.strAttr("data_format", "NHWC");
    if (format != "NHWC" && format != "NCHW")
      return c.error() << "data_format " << format << " is not supported in training mode";
    return trainingBatchNorm(c);
  }
  if (c.strAttr("data_format", "NHWC") != "NHWC" && c.strAttr("data_format") != "NDHWC")
    return c.error() << "data_format " << c.strAttr("data_format") << " is not supported";
  Value x = c.input(0), scale = c.input(1), offset = c.input(2), mean = c.input(3),
        var = c.input(4);
  if (!x || !scale || !offset || !mean || !var)
    return failure();
  Type elem = typeOf(scale).getElementType();
  auto scalarType = RankedTensorType::get({}, elem);
  Value eps = c.builder().create<arith::ConstantOp>(
      c.loc, DenseElementsAttr::get(scalarType, c.builder().getFloatAttr(elem, c.floatAttr("epsilon", 1e-4f))));
  auto add = [&](Value a, Value b) { return c.createOrFold<mlir::smc::AddOp>(nullptr, a, b); };
  auto mul = [&](Value a, Value b) { return c.createOrFold<mlir::smc::MulOp>(nullptr, a, b); };
  auto ve = add(var, eps);
  if (!ve)
    return failure();
  auto rs = c.createOrFold<mlir::smc::RsqrtOp>(ve.getType(), ve);
  auto a = rs ? mul(scale, rs) : nullptr;
  auto ma = a ? mul(mean, a) : nullptr;
  auto b = ma ? c.createOrFold<mlir::smc::SubOp>(nullptr, offset, ma) : nullptr;
  if (!b)
    return failure();
  Value xs = x;
  if (typeOf(x).getElementType() != elem) // half inputs with float statistics
    xs = c.createOrFold<mlir::smc::CastOp>(RankedTensorType::get(typeOf(x).getShape(), elem), x);
  auto y = xs ? mul(xs, a) : nullptr;
  auto yb = y ? add(y, b) : nullptr;
  if (!yb)
    return failure();
  Value out = yb;
  if (typeOf(x).getElementType() != elem)
    out = c.createOrFold<mlir::smc::CastOp>(typeOf(x), out);
  if (!out)
    return failure();
  c.output(out);
  // batch_mean, batch_variance and the reserve spaces: in inference, the inputs' statistics.
  c.output(mean);
  c.output(var);
  c.output(mean);
  c.output(var);
  c.output(mean);
  return success();
}

template <int Kind> LogicalResult pad(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto pads = c.constantInts(1, "the paddings");
  if (failed(pads))
    return failure();
  auto t = typeOf(x);
  if (static_cast<int64_t>(pads->size()) != 2 * t.getRank())
    return c.error() << "paddings must be [rank, 2] for " << t;
  SmallVector<int64_t> low, high;
  for (int64_t d = 0; d < t.getRank(); ++d) {
    low.push_back((*pads)[2 * d]);
    high.push_back((*pads)[2 * d + 1]);
  }
  Type elem = t.getElementType();
  TypedAttr value = isa<FloatType>(elem) ? TypedAttr(c.builder().getFloatAttr(elem, 0.0))
                                         : TypedAttr(c.builder().getIntegerAttr(elem, 0));
  auto mode = mlir::smc::PadMode::constant;
  if (Kind == 1) { // PadV2: a constant value
    auto v = c.constantInput(2);
    if (!v || v->getNumElements() != 1)
      return c.error() << "constant_values must be a compile-time scalar";
    value = cast<TypedAttr>(v->getSplatValue<Attribute>());
  } else if (Kind == 2) {
    std::string m = c.strAttr("mode");
    if (m == "REFLECT")
      mode = mlir::smc::PadMode::reflect;
    else if (m == "SYMMETRIC")
      mode = mlir::smc::PadMode::symmetric;
    else
      return c.error() << "mode '" << m << "' is not supported";
  }
  auto op = c.createOrFold<mlir::smc::PadOp>(nullptr, x, mode, low, high, value);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

} // namespace

void ::smc::import::registerNNOps(std::map<std::string, Handler> &t) {
  t["Conv2D"] = conv<false>;
  t["DepthwiseConv2dNative"] = conv<true>;
  t["Conv2DBackpropInput"] = convBackpropInput;
  t["MaxPool"] = pool<mlir::smc::PoolKind::max>;
  t["AvgPool"] = pool<mlir::smc::PoolKind::avg>;
  t["FusedBatchNorm"] = batchNorm;
  t["FusedBatchNormV2"] = batchNorm;
  t["FusedBatchNormV3"] = batchNorm;
  t["Pad"] = pad<0>;
  t["PadV2"] = pad<1>;
  t["MirrorPad"] = pad<2>;
}
