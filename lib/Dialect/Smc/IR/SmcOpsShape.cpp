//===- SmcOpsShape.cpp - Shape manipulation and reductions ----------------===//
//
// reshape, transpose, concat, slice, gather (their folds move data without arithmetic), reduce,
// arg_max and top_k.
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

/// Builds `type` from the elements of `sources` picked by `index`: result element i is
/// element index[i].second of source index[i].first. Raw bytes for byte-sized types, APInt
/// values for i1.
static Attribute gather(ShapedType type, ArrayRef<DenseElementsAttr> sources,
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

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto in = tensorType(getX()), out = tensorType(getY());
  if (in.getElementType() != out.getElementType())
    return emitOpError("element types differ");
  if (in.getNumElements() != out.getNumElements())
    return emitOpError("cannot reshape ") << in << " (" << in.getNumElements() << " elements) to "
                                          << out << " (" << out.getNumElements() << " elements)";
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

LogicalResult GatherOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         ValueRange operands, DictionaryAttr attrs,
                                         OpaqueProperties props, RegionRange regions,
                                         SmallVectorImpl<Type> &types) {
  Adaptor adaptor(operands, attrs, props, regions);
  auto params = tensorType(adaptor.getParams());
  auto indices = tensorType(adaptor.getIndices());
  std::string error;
  auto shape = gatherShape(params.getShape(), indices.getShape(), adaptor.getAxis(),
                           adaptor.getBatchDims(), error);
  if (failed(shape)) {
    if (loc)
      mlir::emitError(*loc) << "'smc.gather': " << error;
    return failure();
  }
  types.push_back(RankedTensorType::get(*shape, params.getElementType()));
  return success();
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  auto params = dyn_cast_or_null<DenseElementsAttr>(adaptor.getParams());
  auto indices = dyn_cast_or_null<DenseElementsAttr>(adaptor.getIndices());
  if (!params || !indices)
    return {};
  auto outType = cast<ShapedType>(getResult().getType());
  auto paramShape = tensorType(getParams()).getShape();
  auto indexShape = tensorType(getIndices()).getShape();
  int64_t axis = getAxis(), batchDims = getBatchDims();
  int64_t dim = paramShape[axis];
  auto outShape = outType.getShape();
  auto outStrides = stridesOf(outShape);
  auto paramStrides = stridesOf(paramShape);
  auto indexStrides = stridesOf(indexShape);
  auto idx = valuesOf<APInt>(indices);
  // Source 1: one zero, for out-of-range indices.
  auto zeroType = RankedTensorType::get({1}, outType.getElementType());
  auto zero = DenseElementsAttr::get(zeroType, Builder(getContext()).getZeroAttr(
                                                   outType.getElementType()));
  int64_t innerRank = indexShape.size() - batchDims;
  int64_t n = outType.getNumElements();
  std::vector<std::pair<int, int64_t>> index(n);
  SmallVector<int64_t> coord(outShape.size());
  for (int64_t e = 0; e < n; ++e) {
    int64_t rem = e;
    for (size_t d = 0; d < outShape.size(); ++d) {
      coord[d] = rem / outStrides[d];
      rem %= outStrides[d];
    }
    int64_t at = 0;
    for (int64_t d = 0; d < batchDims; ++d)
      at += coord[d] * indexStrides[d];
    for (int64_t d = 0; d < innerRank; ++d)
      at += coord[axis + d] * indexStrides[batchDims + d];
    int64_t i = idx[indices.isSplat() ? 0 : at].getSExtValue();
    if (i < 0 || i >= dim) {
      index[e] = {1, 0};
      continue;
    }
    int64_t src = i * paramStrides[axis];
    for (int64_t d = 0; d < axis; ++d)
      src += coord[d] * paramStrides[d];
    for (int64_t d = axis + 1; d < static_cast<int64_t>(paramShape.size()); ++d)
      src += coord[d - 1 + innerRank] * paramStrides[d];
    index[e] = {0, src};
  }
  return gather(outType, {params, zero}, index);
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
// GatherNd and scans
//===----------------------------------------------------------------------===//

LogicalResult GatherNdOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                           ValueRange operands, DictionaryAttr attrs,
                                           OpaqueProperties props, RegionRange regions,
                                           SmallVectorImpl<Type> &types) {
  Adaptor adaptor(operands, attrs, props, regions);
  auto params = tensorType(adaptor.getParams());
  auto indices = tensorType(adaptor.getIndices());
  std::string error;
  auto shape = gatherNdShape(params.getShape(), indices.getShape(), error);
  if (failed(shape)) {
    if (loc)
      mlir::emitError(*loc) << "'smc.gather_nd': " << error;
    return failure();
  }
  types.push_back(RankedTensorType::get(*shape, params.getElementType()));
  return success();
}

OpFoldResult GatherNdOp::fold(FoldAdaptor adaptor) {
  auto params = dyn_cast_or_null<DenseElementsAttr>(adaptor.getParams());
  auto indices = dyn_cast_or_null<DenseElementsAttr>(adaptor.getIndices());
  auto outType = cast<ShapedType>(getResult().getType());
  if (!params || !indices || outType.getNumElements() > kMaxArithFoldElements)
    return {};
  auto paramShape = tensorType(getParams()).getShape();
  auto paramStrides = stridesOf(paramShape);
  int64_t k = tensorType(getIndices()).getShape().back();
  // Each slice is params[c0, ..., c(k-1), ...]: `inner` consecutive elements.
  int64_t inner = ShapedType::getNumElements(paramShape.drop_front(k));
  int64_t slices = inner == 0 ? 0 : outType.getNumElements() / inner;
  auto idx = valuesOf<APInt>(indices);
  auto zeroType = RankedTensorType::get({1}, outType.getElementType());
  auto zero =
      DenseElementsAttr::get(zeroType, Builder(getContext()).getZeroAttr(outType.getElementType()));
  std::vector<std::pair<int, int64_t>> index(outType.getNumElements());
  for (int64_t s = 0; s < slices; ++s) {
    int64_t src = 0;
    bool inRange = true;
    for (int64_t d = 0; d < k; ++d) {
      int64_t c = idx[indices.isSplat() ? 0 : s * k + d].getSExtValue();
      inRange &= c >= 0 && c < paramShape[d];
      src += c * paramStrides[d];
    }
    for (int64_t j = 0; j < inner; ++j)
      index[s * inner + j] =
          inRange ? std::pair<int, int64_t>{0, src + j} : std::pair<int, int64_t>{1, 0};
  }
  return gather(outType, {params, zero}, index);
}

LogicalResult ScanOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       ValueRange operands, DictionaryAttr attrs,
                                       OpaqueProperties props, RegionRange regions,
                                       SmallVectorImpl<Type> &types) {
  Adaptor adaptor(operands, attrs, props, regions);
  auto x = tensorType(adaptor.getX());
  int64_t axis = adaptor.getAxis();
  if (axis < 0 || axis >= x.getRank()) {
    if (loc)
      mlir::emitError(*loc) << "'smc.scan': axis " << axis << " is out of range [0, " << x.getRank()
                            << ")";
    return failure();
  }
  types.push_back(x);
  return success();
}

/// The scan of `values` (row-major `shape`) along `axis`, in the op's order from `identity`.
template <typename T>
static SmallVector<T> scanValues(ArrayRef<T> values, ArrayRef<int64_t> shape, int64_t axis,
                                 bool exclusive, bool reverse, const T &identity,
                                 function_ref<void(T &, const T &)> combine) {
  SmallVector<T> out(values.begin(), values.end());
  int64_t n = shape[axis], inner = stridesOf(shape)[axis];
  int64_t outer = ShapedType::getNumElements(shape.take_front(axis));
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      T acc = identity;
      for (int64_t s = 0; s < n; ++s) {
        int64_t at = (o * n + (reverse ? n - 1 - s : s)) * inner + i;
        if (exclusive)
          out[at] = acc;
        combine(acc, values[at]);
        if (!exclusive)
          out[at] = acc;
      }
    }
  }
  return out;
}

OpFoldResult ScanOp::fold(FoldAdaptor adaptor) {
  auto in = dyn_cast_or_null<DenseElementsAttr>(adaptor.getX());
  if (!in || in.getNumElements() > kMaxArithFoldElements)
    return {};
  auto type = tensorType(getX());
  bool sum = getKind() == ScanKind::sum;
  Type elem = type.getElementType();
  if (auto f = dyn_cast<FloatType>(elem)) {
    APFloat identity(f.getFloatSemantics(), sum ? 0 : 1);
    auto values = valuesOf<APFloat>(in);
    auto out = scanValues<APFloat>(values, type.getShape(), getAxis(), getExclusive(), getReverse(),
                                   identity, [&](APFloat &acc, const APFloat &v) {
                                     if (sum)
                                       acc.add(v, APFloat::rmNearestTiesToEven);
                                     else
                                       acc.multiply(v, APFloat::rmNearestTiesToEven);
                                   });
    return DenseElementsAttr::get(type, out);
  }
  APInt identity(elem.getIntOrFloatBitWidth(), sum ? 0 : 1);
  auto values = valuesOf<APInt>(in);
  auto out = scanValues<APInt>(values, type.getShape(), getAxis(), getExclusive(), getReverse(),
                               identity, [&](APInt &acc, const APInt &v) {
                                 if (sum)
                                   acc += v;
                                 else
                                   acc *= v;
                               });
  return DenseElementsAttr::get(type, out);
}
LogicalResult TopKOp::verify() {
  auto x = tensorType(getX()), values = tensorType(getValues()),
       indices = tensorType(getIndices());
  int64_t k = getK();
  if (x.getRank() < 1)
    return emitOpError("input must have at least one dimension");
  if (k < 0 || k > x.getShape().back())
    return emitOpError("k = ") << k << " must be in [0, " << x.getShape().back()
                               << "] (the size of the last dimension)";
  if (values.getElementType() != x.getElementType())
    return emitOpError("values must have the input's element type");
  SmallVector<int64_t> shape = topKShape(x.getShape(), k);
  if (values.getShape() != ArrayRef<int64_t>(shape) ||
      indices.getShape() != ArrayRef<int64_t>(shape))
    return emitOpError("values and indices must have the input's shape with the last "
                       "dimension replaced by k");
  return success();
}
