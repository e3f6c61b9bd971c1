//===- OpsIndex.cpp - Splitting, reversing, ranges and gathers ------------===//
//
// Ops that pick parts of a tensor by position: Split/SplitV and ReverseV2 as static slices,
// Range when its operands are known at compile time (the shape arithmetic of Keras graphs: RNNs'
// Range over the time steps), GatherV2 and ResourceGather (embedding lookups): a few constant
// indices as slices (Tensordot's GatherV2/Prod on a shape folds to a constant), otherwise
// smc.gather; GatherNd as smc.gather_nd; Cumsum and Cumprod as smc.scan.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/IR/Matchers.h"

#include "llvm/ADT/APFloat.h"

#include <cmath>

using namespace mlir;
using namespace ::smc::import;

namespace {

/// `axis` (negative counts from the end) as a dimension of a rank-`rank` tensor, or failure.
FailureOr<int64_t> dimension(NodeContext &c, int64_t axis, int64_t rank) {
  int64_t d = axis < 0 ? axis + rank : axis;
  if (d < 0 || d >= rank)
    return c.error() << "axis " << axis << " is out of range for rank " << rank;
  return d;
}

/// Split (axis, value; num_split equal parts) and SplitV (value, size_splits, axis; at most one
/// size -1, which takes the rest): consecutive slices along the axis.
template <bool V> LogicalResult splitOp(NodeContext &c) {
  Value x = c.input(V ? 0 : 1);
  auto axes = c.constantInts(V ? 2 : 0, "axis");
  if (!x || failed(axes))
    return failure();
  auto t = typeOf(x);
  if (axes->size() != 1)
    return c.error() << "axis must be a scalar";
  int64_t axis = (*axes)[0] < 0 ? (*axes)[0] + t.getRank() : (*axes)[0];
  if (axis < 0 || axis >= t.getRank())
    return c.error() << "axis " << (*axes)[0] << " is out of range for " << t;
  int64_t dim = t.getDimSize(axis);
  std::vector<int64_t> sizes;
  if (V) {
    auto given = c.constantInts(1, "size_splits");
    if (failed(given))
      return failure();
    sizes = *given;
    int64_t known = 0, unknown = -1;
    for (size_t i = 0; i < sizes.size(); ++i) {
      if (sizes[i] == -1 && unknown < 0)
        unknown = i;
      else if (sizes[i] < 0)
        return c.error() << "size_splits may hold one -1 and otherwise sizes >= 0";
      else
        known += sizes[i];
    }
    if (unknown >= 0 && known <= dim)
      sizes[unknown] = dim - known;
    else if (unknown >= 0 || known != dim)
      return c.error() << "size_splits add up to " << known << ", but dimension " << axis
                       << " of " << t << " has " << dim;
  } else {
    int64_t n = c.intAttr("num_split", 1);
    if (n <= 0 || dim % n != 0)
      return c.error() << "cannot split dimension " << axis << " of " << t << " into " << n
                       << " equal parts";
    sizes.assign(n, dim / n);
  }
  SmallVector<int64_t> start(t.getRank(), 0), size(t.getShape()), stride(t.getRank(), 1);
  for (int64_t part : sizes) {
    size[axis] = part;
    Value s = c.createOrFold<mlir::smc::SliceOp>(nullptr, x, start, size, stride);
    if (!s)
      return failure();
    c.output(s);
    start[axis] += part;
  }
  return success();
}

/// ReverseV2 (tensor, axes): a slice that walks the reversed dimensions backwards.
LogicalResult reverseOp(NodeContext &c) {
  Value x = c.input(0);
  auto axes = c.constantInts(1, "axis");
  if (!x || failed(axes))
    return failure();
  auto t = typeOf(x);
  SmallVector<int64_t> start(t.getRank(), 0), size(t.getShape()), stride(t.getRank(), 1);
  for (int64_t axis : *axes) {
    auto d = dimension(c, axis, t.getRank());
    if (failed(d))
      return failure();
    if (stride[*d] == -1)
      return c.error() << "axis " << axis << " is given twice";
    start[*d] = std::max<int64_t>(t.getDimSize(*d) - 1, 0);
    stride[*d] = -1;
  }
  Value r = c.createOrFold<mlir::smc::SliceOp>(nullptr, x, start, size, stride);
  if (!r)
    return failure();
  c.output(r);
  return success();
}

/// Range (start, limit, delta) with constant operands: a constant of Tidx.
LogicalResult rangeOp(NodeContext &c) {
  auto start = c.constantInput(0), limit = c.constantInput(1), delta = c.constantInput(2);
  if (!start || !limit || !delta)
    return c.error() << "smc does not support a Range whose start, limit and delta are not "
                        "known at compile time (its length would depend on run-time values)";
  auto scalar = [](DenseElementsAttr a) -> double {
    Type e = a.getElementType();
    if (isa<FloatType>(e))
      return (*a.value_begin<APFloat>()).convertToDouble();
    APInt v = *a.value_begin<APInt>();
    return e.isUnsignedInteger() ? static_cast<double>(v.getZExtValue())
                                 : static_cast<double>(v.getSExtValue());
  };
  for (auto a : {*start, *limit, *delta})
    if (a.getNumElements() != 1)
      return c.error() << "start, limit and delta must be scalars";
  double s = scalar(*start), l = scalar(*limit), d = scalar(*delta);
  if (d == 0 || (d > 0 && s > l) || (d < 0 && s < l))
    return c.error() << "delta " << d << " does not lead from " << s << " to " << l;
  double count = std::ceil(std::abs((l - s) / d));
  // A generous bound: a Range is shape arithmetic or an index list, not a data tensor.
  constexpr double kMaxElements = 1 << 24;
  if (!(count <= kMaxElements))
    return c.error() << "has " << count << " elements, more than smc materialises ("
                     << static_cast<int64_t>(kMaxElements) << ")";
  Type element = start->getElementType();
  auto type = RankedTensorType::get({static_cast<int64_t>(count)}, element);
  int64_t n = type.getDimSize(0);
  if (auto f = dyn_cast<FloatType>(element)) {
    SmallVector<APFloat> values;
    for (int64_t i = 0; i < n; ++i) {
      // TF computes start + i * delta in the output type.
      APFloat v(s + static_cast<double>(i) * d);
      bool lost;
      v.convert(f.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      values.push_back(v);
    }
    c.output(c.builder().create<arith::ConstantOp>(c.loc, DenseElementsAttr::get(type, values)));
    return success();
  }
  SmallVector<APInt> values;
  unsigned width = element.getIntOrFloatBitWidth();
  int64_t is = static_cast<int64_t>(s), id = static_cast<int64_t>(d);
  for (int64_t i = 0; i < n; ++i)
    values.push_back(APInt(width, is + i * id, /*isSigned=*/true));
  c.output(c.builder().create<arith::ConstantOp>(c.loc, DenseElementsAttr::get(type, values)));
  return success();
}

/// A gather with constant in-range indices and batch_dims 0, as slices: one slice of params per
/// index, concatenated and reshaped to params[:axis] + indices + params[axis+1:]. (Constant
/// params, as in shape arithmetic, fold to a constant.)
Value gatherBySlices(NodeContext &c, Value params, DenseElementsAttr indices, int64_t axis) {
  auto t = typeOf(params);
  SmallVector<Value> parts;
  SmallVector<int64_t> start(t.getRank(), 0), size(t.getShape()), stride(t.getRank(), 1);
  size[axis] = 1;
  for (APInt v : indices.getValues<APInt>()) {
    start[axis] = indices.getElementType().isUnsignedInteger() ? v.getZExtValue()
                                                               : v.getSExtValue();
    Value s = c.createOrFold<mlir::smc::SliceOp>(nullptr, params, start, size, stride);
    if (!s)
      return nullptr;
    parts.push_back(s);
  }
  SmallVector<int64_t> shape(t.getShape().take_front(axis));
  auto indexShape = indices.getType().getShape();
  shape.append(indexShape.begin(), indexShape.end());
  shape.append(t.getShape().begin() + axis + 1, t.getShape().end());
  if (parts.empty()) {
    auto type = RankedTensorType::get(shape, t.getElementType());
    return c.builder().create<arith::ConstantOp>(
        c.loc, DenseElementsAttr::get(type, ArrayRef<Attribute>()));
  }
  Value all = parts.size() == 1 ? parts[0]
                                : c.createOrFold<mlir::smc::ConcatOp>(nullptr, parts, axis);
  if (!all)
    return nullptr;
  return reshape(c, all, shape);
}

/// Constant indices taken apart into this many slices at most (more become one smc.gather).
constexpr int64_t kMaxSliceGather = 16;

/// params gathered at `indices` along `axis` (negative counts from the end) with `batchDims`
/// (negative counts from the end of the indices' rank), as TF's GatherV2 and ResourceGather:
/// a constant index out of range is an error; at run time one gives zeros for its slice.
LogicalResult gather(NodeContext &c, Value params, Value indices, int64_t axis,
                     int64_t batchDims) {
  auto t = typeOf(params), it = typeOf(indices);
  Type ie = it.getElementType();
  auto d = dimension(c, axis, t.getRank());
  if (failed(d))
    return failure();
  if (batchDims < 0)
    batchDims += it.getRank();
  int64_t dim = t.getDimSize(*d);
  auto constant = c.constantInput(1);
  if (constant) {
    for (APInt v : constant->getValues<APInt>()) {
      int64_t i = ie.isUnsignedInteger() ? v.getZExtValue() : v.getSExtValue();
      if (i < 0 || i >= dim)
        return c.error() << "index " << i << " is out of range [0, " << dim << ") of dimension "
                         << *d << " of " << t;
    }
  }
  bool paramsConstant = matchPattern(params, m_Constant());
  if (constant && batchDims == 0 &&
      (paramsConstant || constant->getNumElements() <= kMaxSliceGather)) {
    Value r = gatherBySlices(c, params, *constant, *d);
    if (!r)
      return failure();
    c.output(r);
    return success();
  }
  if (!ie.isSignlessInteger(32) && !ie.isSignlessInteger(64))
    return c.error() << "indices of type " << ie << " are not supported (int32 and int64 are)";
  std::string error;
  if (failed(mlir::smc::gatherShape(t.getShape(), it.getShape(), *d, batchDims, error)))
    return c.error() << error;
  Value r = c.createOrFold<mlir::smc::GatherOp>(nullptr, params, indices, *d, batchDims);
  if (!r)
    return failure();
  c.output(r);
  return success();
}

/// OneHot (indices, depth, on_value, off_value; axis): a new dimension of size depth at `axis`
/// (-1: last) holding on_value where it equals the index and off_value elsewhere; an index
/// outside [0, depth) gives a row of off_value, as in TF.
LogicalResult oneHotOp(NodeContext &c) {
  Value indices = c.input(0), on = c.input(2), off = c.input(3);
  auto depth = c.constantInts(1, "depth");
  if (!indices || !on || !off || failed(depth))
    return failure();
  auto t = typeOf(indices);
  auto e = dyn_cast<IntegerType>(t.getElementType());
  if (!e || e.getWidth() == 1)
    return c.error() << "indices must be integers, not " << t;
  if (depth->size() != 1 || (*depth)[0] < 0)
    return c.error() << "depth must be a non-negative scalar";
  if (typeOf(on).getRank() != 0 || typeOf(off).getRank() != 0 || on.getType() != off.getType())
    return c.error() << "on_value and off_value must be scalars of one type";
  int64_t rank = t.getRank(), n = (*depth)[0];
  int64_t axis = c.intAttr("axis", -1);
  if (axis < -1 || axis > rank)
    return c.error() << "axis " << axis << " is out of range for indices of rank " << rank;
  if (axis == -1)
    axis = rank;
  // indices with a unit dimension at `axis`, compared with 0..depth-1 along that dimension.
  SmallVector<int64_t> shape(t.getShape()), iotaShape(rank + 1, 1);
  shape.insert(shape.begin() + axis, 1);
  iotaShape[axis] = n;
  Value expanded = reshape(c, indices, shape);
  if (!expanded)
    return failure();
  SmallVector<APInt> iota;
  for (int64_t i = 0; i < n; ++i)
    iota.push_back(APInt(e.getWidth(), i));
  Value positions = c.builder().create<arith::ConstantOp>(
      c.loc, DenseElementsAttr::get(RankedTensorType::get(iotaShape, e), iota));
  Value hit = c.createOrFold<mlir::smc::EqualOp>(nullptr, expanded, positions);
  if (!hit)
    return failure();
  Value r = c.createOrFold<mlir::smc::SelectOp>(nullptr, hit, on, off);
  if (!r)
    return failure();
  c.output(r);
  return success();
}

/// GatherV2 (params, indices, axis; batch_dims).
LogicalResult gatherOp(NodeContext &c) {
  Value params = c.input(0), indices = c.input(1);
  auto axes = c.constantInts(2, "axis");
  if (!params || !indices || failed(axes))
    return failure();
  if (axes->size() != 1)
    return c.error() << "axis must be a scalar";
  return gather(c, params, indices, (*axes)[0], c.intAttr("batch_dims", 0));
}

/// ResourceGather (resource, indices; batch_dims, dtype): the variable's value gathered along
/// axis batch_dims (TF's embedding_lookup on a variable).
LogicalResult resourceGatherOp(NodeContext &c) {
  const Resource *r = c.resourceInput(0);
  Value indices = c.input(1);
  if (!r || !indices)
    return failure();
  auto global = c.state.module.lookupSymbol<mlir::smc::GlobalOp>(r->global);
  Value params =
      c.builder().create<mlir::smc::GlobalLoadOp>(c.loc, global.getType(), r->global);
  int64_t batchDims = c.intAttr("batch_dims", 0);
  if (batchDims < 0)
    batchDims += typeOf(indices).getRank();
  return gather(c, params, indices, batchDims, batchDims);
}

/// GatherNd (params, indices): params at the coordinates in the last dimension of indices
/// (smc.gather_nd). TF's batch_dims (an attribute of some versions) must be 0. A constant
/// coordinate out of range is an error; at run time one gives zeros for its slice.
LogicalResult gatherNdOp(NodeContext &c) {
  Value params = c.input(0), indices = c.input(1);
  if (!params || !indices)
    return failure();
  if (int64_t b = c.intAttr("batch_dims", 0))
    return c.error() << "batch_dims " << b << " is not supported (only 0 is)";
  auto t = typeOf(params), it = typeOf(indices);
  Type ie = it.getElementType();
  if (!ie.isSignlessInteger(32) && !ie.isSignlessInteger(64))
    return c.error() << "indices of type " << ie << " are not supported (int32 and int64 are)";
  std::string error;
  if (failed(mlir::smc::gatherNdShape(t.getShape(), it.getShape(), error)))
    return c.error() << error;
  if (auto constant = c.constantInput(1)) {
    int64_t k = it.getShape().back(), n = 0;
    for (APInt v : constant->getValues<APInt>()) {
      int64_t i = v.getSExtValue(), d = n++ % k;
      if (i < 0 || i >= t.getDimSize(d))
        return c.error() << "index " << i << " is out of range [0, " << t.getDimSize(d)
                         << ") of dimension " << d << " of " << t;
    }
  }
  Value r = c.createOrFold<mlir::smc::GatherNdOp>(nullptr, params, indices);
  if (!r)
    return failure();
  c.output(r);
  return success();
}

/// Cumsum and Cumprod (x, axis; exclusive, reverse): smc.scan along the axis (negative counts
/// from the end), numeric tensors only.
template <mlir::smc::ScanKind Kind> LogicalResult scanOp(NodeContext &c) {
  Value x = c.input(0);
  auto axes = c.constantInts(1, "axis");
  if (!x || failed(axes))
    return failure();
  auto t = typeOf(x);
  Type e = t.getElementType();
  if (e.isInteger(1))
    return c.error() << "bool elements are not supported (integers and floats are)";
  if (!isa<FloatType, IntegerType>(e))
    return c.error() << "elements of type " << e << " are not supported (integers and floats are)";
  if (axes->size() != 1)
    return c.error() << "axis must be a scalar";
  if (t.getRank() == 0)
    return c.error() << "x must have rank at least 1, not " << t;
  auto d = dimension(c, (*axes)[0], t.getRank());
  if (failed(d))
    return failure();
  Value r = c.createOrFold<mlir::smc::ScanOp>(nullptr, x, Kind, *d, c.boolAttr("exclusive"),
                                              c.boolAttr("reverse"));
  if (!r)
    return failure();
  c.output(r);
  return success();
}

} // namespace

void ::smc::import::registerIndexOps(std::map<std::string, Handler> &t) {
  t["Split"] = splitOp<false>;
  t["SplitV"] = splitOp<true>;
  t["ReverseV2"] = reverseOp;
  t["Range"] = rangeOp;
  t["GatherV2"] = gatherOp;
  t["OneHot"] = oneHotOp;
  t["ResourceGather"] = resourceGatherOp;
  t["GatherNd"] = gatherNdOp;
  t["Cumsum"] = scanOp<mlir::smc::ScanKind::sum>;
  t["Cumprod"] = scanOp<mlir::smc::ScanKind::prod>;
}
