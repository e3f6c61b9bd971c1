//===- OpsShape.cpp - Shapes, slices, concatenation -----------------------===//
//
// Shapes are static in smc: `Shape`, `Size`, `Rank` become constants, and the shape operands of
// `Reshape`, `Fill`, `ExpandDims`, ... must fold to constants.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace ::smc::import;

namespace {

LogicalResult reshapeOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto dims = c.constantInts(1, "the target shape");
  if (failed(dims))
    return failure();
  int64_t total = typeOf(x).getNumElements(), known = 1, unknown = -1;
  bool overflow = false; // the known dimensions' product does not fit in 64 bits
  SmallVector<int64_t> shape(dims->begin(), dims->end());
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == -1) {
      if (unknown >= 0)
        return c.error() << "the target shape has more than one -1";
      unknown = i;
    } else if (shape[i] < 0) {
      return c.error() << "invalid target dimension " << shape[i];
    } else {
      overflow |= llvm::MulOverflow(known, shape[i], known);
    }
  }
  // Without a -1 the product is not needed: reshape() checks the result's size itself.
  if (unknown >= 0 && overflow)
    return c.error() << "cannot reshape " << typeOf(x)
                     << ": the target shape's known dimensions multiply beyond 2^63";
  if (unknown >= 0) {
    if (known == 0 || total % known != 0)
      return c.error() << "cannot reshape " << typeOf(x) << " to a shape with "
                       << known << " x -1 elements";
    shape[unknown] = total / known;
  }
  Value r = reshape(c, x, shape);
  if (!r)
    return failure();
  c.output(r);
  return success();
}

LogicalResult transposeOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto perm = c.constantInts(1, "the permutation");
  if (failed(perm))
    return failure();
  auto op = c.createOrFold<mlir::smc::TransposeOp>(nullptr, x, *perm);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

/// ConcatV2 (axis last) and Concat (axis first).
template <bool AxisFirst> LogicalResult concatOp(NodeContext &c) {
  size_t n = c.numInputs();
  if (n < 2)
    return c.error() << "needs the values and an axis";
  auto axisV = c.constantInts(AxisFirst ? 0 : n - 1, "the axis");
  if (failed(axisV))
    return failure();
  SmallVector<Value> values;
  for (size_t i = AxisFirst ? 1 : 0; i < (AxisFirst ? n : n - 1); ++i) {
    Value v = c.input(i);
    if (!v)
      return failure();
    values.push_back(v);
  }
  int64_t rank = typeOf(values[0]).getRank();
  int64_t axis = (*axisV)[0] < 0 ? (*axisV)[0] + rank : (*axisV)[0];
  auto op = c.createOrFold<mlir::smc::ConcatOp>(nullptr, values, axis);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

LogicalResult packOp(NodeContext &c) {
  SmallVector<Value> values;
  for (size_t i = 0; i < c.numInputs(); ++i) {
    Value v = c.input(i);
    if (!v)
      return failure();
    values.push_back(v);
  }
  if (values.empty())
    return c.error() << "needs at least one input";
  auto first = typeOf(values[0]);
  int64_t rank = first.getRank() + 1;
  int64_t axis = c.intAttr("axis");
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return c.error() << "axis " << c.intAttr("axis") << " is out of range";
  SmallVector<int64_t> shape(first.getShape());
  shape.insert(shape.begin() + axis, 1);
  for (Value &v : values) {
    if (typeOf(v).getShape() != first.getShape())
      return c.error() << "inputs have different shapes (" << typeOf(v) << " vs " << first << ")";
    v = reshape(c, v, shape);
    if (!v)
      return failure();
  }
  auto op = c.createOrFold<mlir::smc::ConcatOp>(nullptr, values, axis);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

LogicalResult unpackOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto t = typeOf(x);
  int64_t axis = c.intAttr("axis");
  if (axis < 0)
    axis += t.getRank();
  if (axis < 0 || axis >= t.getRank())
    return c.error() << "axis out of range";
  SmallVector<int64_t> start(t.getRank(), 0), size(t.getShape()), stride(t.getRank(), 1);
  size[axis] = 1;
  SmallVector<int64_t> outShape(t.getShape());
  outShape.erase(outShape.begin() + axis);
  for (int64_t i = 0; i < t.getDimSize(axis); ++i) {
    start[axis] = i;
    auto s = c.createOrFold<mlir::smc::SliceOp>(nullptr, x, start, size, stride);
    if (!s)
      return failure();
    Value r = reshape(c, s, outShape);
    if (!r)
      return failure();
    c.output(r);
  }
  return success();
}

LogicalResult squeezeOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto t = typeOf(x);
  std::vector<int64_t> dims = c.intListAttr("squeeze_dims");
  SmallVector<bool> drop(t.getRank(), false);
  if (dims.empty()) {
    for (int64_t d = 0; d < t.getRank(); ++d)
      drop[d] = t.getDimSize(d) == 1;
  }
  for (int64_t d : dims) {
    int64_t w = d < 0 ? d + t.getRank() : d;
    if (w < 0 || w >= t.getRank() || t.getDimSize(w) != 1)
      return c.error() << "cannot squeeze dimension " << d << " of " << t;
    drop[w] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < t.getRank(); ++d)
    if (!drop[d])
      shape.push_back(t.getDimSize(d));
  Value r = reshape(c, x, shape);
  if (!r)
    return failure();
  c.output(r);
  return success();
}

LogicalResult expandDimsOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto dim = c.constantInts(1, "the dimension");
  if (failed(dim))
    return failure();
  auto t = typeOf(x);
  int64_t rank = t.getRank() + 1;
  if (dim->size() != 1 || (*dim)[0] < -rank || (*dim)[0] >= rank)
    return c.error() << "dimension out of range for " << t;
  int64_t d = (*dim)[0] < 0 ? (*dim)[0] + rank : (*dim)[0];
  SmallVector<int64_t> shape(t.getShape());
  shape.insert(shape.begin() + d, 1);
  Value r = reshape(c, x, shape);
  if (!r)
    return failure();
  c.output(r);
  return success();
}

/// A constant of `type` made of `values` (ints).
Value intConstant(NodeContext &c, RankedTensorType type, ArrayRef<int64_t> values) {
  SmallVector<APInt> ints;
  unsigned width = type.getElementTypeBitWidth();
  for (int64_t v : values)
    ints.push_back(APInt(width, v, /*isSigned=*/true));
  return c.builder().create<arith::ConstantOp>(c.loc, DenseElementsAttr::get(type, ints));
}

Type outIntType(NodeContext &c) {
  int t = c.typeAttr("out_type");
  return elementTypeFor(c.ctx(), t ? t : tensorflow::DT_INT32);
}

LogicalResult shapeOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto t = typeOf(x);
  auto type = RankedTensorType::get({t.getRank()}, outIntType(c));
  c.output(intConstant(c, type, t.getShape()));
  return success();
}

LogicalResult sizeOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  c.output(intConstant(c, RankedTensorType::get({}, outIntType(c)), {typeOf(x).getNumElements()}));
  return success();
}

LogicalResult rankOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  c.output(intConstant(c, RankedTensorType::get({}, c.builder().getI32Type()),
                       {typeOf(x).getRank()}));
  return success();
}

LogicalResult fillOp(NodeContext &c) {
  auto dims = c.constantInts(0, "the dims");
  if (failed(dims))
    return failure();
  Value v = c.input(1);
  if (!v)
    return failure();
  auto value = c.constantInput(1);
  if (!value || !value->isSplat())
    return c.error() << "the fill value must be a compile-time constant";
  for (int64_t d : *dims)
    if (d < 0)
      return c.error() << "the dims hold " << d << "; dimensions cannot be negative";
  auto type = RankedTensorType::get(*dims, value->getElementType());
  if (std::string problem = tensorTypeProblem(type, c.state.maxTensorBytes); !problem.empty())
    return c.error() << "the filled tensor: " << problem;
  c.output(c.builder().create<arith::ConstantOp>(
      c.loc, DenseElementsAttr::get(type, value->getSplatValue<Attribute>())));
  return success();
}

template <int Value> LogicalResult likeOp(NodeContext &c) {
  mlir::Value x = c.input(0);
  if (!x)
    return failure();
  auto t = typeOf(x);
  Attribute one;
  Type e = t.getElementType();
  if (isa<FloatType>(e))
    one = FloatAttr::get(e, Value);
  else
    one = IntegerAttr::get(e, Value);
  c.output(c.builder().create<arith::ConstantOp>(c.loc, DenseElementsAttr::get(t, one)));
  return success();
}

/// MatrixDiag (diagonal), MatrixDiagV2 and MatrixDiagV3 (diagonal, k, num_rows, num_cols,
/// padding_value; V3's `align` only places the diagonals of a band, so it does not matter here):
/// the main diagonal only (k = 0, a square [..., n, n] result; tf.eye emits this).
/// out[..., i, j] = i == j ? diagonal[..., i] : padding_value (0 for MatrixDiag): a select under
/// a constant identity mask between the diagonal as a column, broadcast along j, and the
/// padding. A constant diagonal and padding fold to a constant.
template <bool V1> LogicalResult matrixDiagOp(NodeContext &c) {
  Value diag = c.input(0);
  if (!diag)
    return failure();
  auto t = typeOf(diag);
  if (t.getRank() < 1)
    return c.error() << "the diagonal must have at least one dimension, not " << t;
  Type elem = t.getElementType();
  int64_t n = t.getDimSize(t.getRank() - 1);
  Value padding;
  if (V1) {
    TypedAttr zero = isa<FloatType>(elem) ? TypedAttr(c.builder().getFloatAttr(elem, 0.0))
                                          : TypedAttr(c.builder().getIntegerAttr(elem, 0));
    padding = c.builder().create<arith::ConstantOp>(
        c.loc, DenseElementsAttr::get(RankedTensorType::get({}, elem), zero));
  } else {
    auto k = c.constantInts(1, "k");
    auto rows = c.constantInts(2, "num_rows");
    auto cols = c.constantInts(3, "num_cols");
    if (failed(k) || failed(rows) || failed(cols))
      return failure();
    if (k->empty() || k->size() > 2)
      return c.error() << "k must be a scalar or a pair [lower, upper], not " << k->size()
                       << " values";
    if (k->size() == 2 && (*k)[0] != (*k)[1])
      return c.error() << "smc supports only the main diagonal (k = 0), not the band of "
                       << "diagonals k = [" << (*k)[0] << ", " << (*k)[1] << "]";
    if ((*k)[0] != 0)
      return c.error() << "smc supports only the main diagonal (k = 0), not k = " << (*k)[0];
    if (rows->size() != 1 || cols->size() != 1)
      return c.error() << "num_rows and num_cols must be scalars";
    int64_t r = (*rows)[0], cl = (*cols)[0];
    if ((r != -1 && r != n) || (cl != -1 && cl != n))
      return c.error() << "smc supports only the square " << n << "x" << n << " result of a "
                       << "diagonal of length " << n << " (num_rows and num_cols -1 or " << n
                       << "), not num_rows " << r << " and num_cols " << cl;
    padding = c.input(4);
    if (!padding)
      return failure();
    if (typeOf(padding).getRank() != 0)
      return c.error() << "padding_value must be a scalar, not " << typeOf(padding);
  }
  SmallVector<int64_t> shape(t.getShape());
  shape.push_back(n);
  auto type = RankedTensorType::get(shape, elem);

  auto constantDiag = c.constantInput(0);
  DenseElementsAttr constantPad;
  if (constantDiag && matchPattern(padding, m_Constant(&constantPad)) &&
      constantPad.getElementType() == elem) {
    auto d = constantDiag->getValues<Attribute>();
    Attribute pad = constantPad.getValues<Attribute>()[0];
    SmallVector<Attribute> values;
    values.reserve(type.getNumElements());
    int64_t batch = ShapedType::getNumElements(t.getShape().drop_back());
    for (int64_t b = 0; b < batch; ++b)
      for (int64_t i = 0; i < n; ++i)
        for (int64_t j = 0; j < n; ++j)
          values.push_back(i == j ? d[b * n + i] : pad);
    c.output(c.builder().create<arith::ConstantOp>(c.loc, DenseElementsAttr::get(type, values)));
    return success();
  }
  SmallVector<bool> identity(n * n, false);
  for (int64_t i = 0; i < n; ++i)
    identity[i * n + i] = true;
  auto maskType = RankedTensorType::get({n, n}, c.builder().getI1Type());
  Value mask = c.builder().create<arith::ConstantOp>(
      c.loc, DenseElementsAttr::get(maskType, ArrayRef<bool>(identity)));
  SmallVector<int64_t> column(t.getShape());
  column.push_back(1);
  Value col = reshape(c, diag, column);
  if (!col)
    return failure();
  auto op = c.createOrFold<mlir::smc::SelectOp>(nullptr, mask, col, padding);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

/// TF Slice: begin and size (size -1 = to the end).
LogicalResult sliceOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto begin = c.constantInts(1, "begin");
  auto size = c.constantInts(2, "size");
  if (failed(begin) || failed(size))
    return failure();
  auto t = typeOf(x);
  if (static_cast<int64_t>(begin->size()) != t.getRank() || size->size() != begin->size())
    return c.error() << "begin and size need one entry per dimension of " << t;
  SmallVector<int64_t> s(size->begin(), size->end()), stride(t.getRank(), 1);
  for (int64_t d = 0; d < t.getRank(); ++d)
    if (s[d] == -1)
      s[d] = t.getDimSize(d) - (*begin)[d];
  auto op = c.createOrFold<mlir::smc::SliceOp>(nullptr, x, *begin, s, stride);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

/// TF StridedSlice: resolves the masks into a dense per-dimension slice, then reshapes away
/// shrunk dimensions and inserts new ones.
LogicalResult stridedSliceOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  // A begin (and end) computed at run time is supported where it picks one index (x[i], a
  // shrunk dimension): that dimension's offset becomes a clamped run-time index.
  auto strides = c.constantInts(3, "strides");
  if (failed(strides))
    return failure();
  size_t n = strides->size();
  Value beginValue, endValue;
  FailureOr<std::vector<int64_t>> begin = std::vector<int64_t>(n, 0), end = begin;
  if (c.constantInput(1))
    begin = c.constantInts(1, "begin");
  else if (!(beginValue = c.input(1)))
    return failure();
  if (c.constantInput(2))
    end = c.constantInts(2, "end");
  else if (!(endValue = c.input(2)))
    return failure();
  if (failed(begin) || failed(end))
    return failure();
  if (beginValue && (typeOf(beginValue).getRank() != 1 ||
                     typeOf(beginValue).getDimSize(0) != static_cast<int64_t>(n)))
    return c.error() << "begin has type " << typeOf(beginValue) << ", not " << n << " entries";
  if (end->size() != n || strides->size() != n)
    return c.error() << "begin, end and strides have different lengths";
  int64_t beginMask = c.intAttr("begin_mask"), endMask = c.intAttr("end_mask");
  int64_t ellipsisMask = c.intAttr("ellipsis_mask"), newAxisMask = c.intAttr("new_axis_mask");
  int64_t shrinkMask = c.intAttr("shrink_axis_mask");
  auto t = typeOf(x);
  int64_t rank = t.getRank();

  // Sparse spec entries; without an ellipsis one is implied after the last entry.
  struct Entry {
    int64_t begin, end, stride;
    bool beginMasked, endMasked, ellipsis, newAxis, shrink;
    int64_t source = -1; // its index in begin/end/strides
  };
  std::vector<Entry> sparse;
  bool sawEllipsis = false;
  for (size_t i = 0; i < n; ++i) {
    bool ell = (ellipsisMask >> i) & 1;
    if (ell && sawEllipsis)
      return c.error() << "more than one ellipsis";
    sawEllipsis |= ell;
    sparse.push_back({(*begin)[i], (*end)[i], (*strides)[i], bool((beginMask >> i) & 1),
                      bool((endMask >> i) & 1), ell, !ell && ((newAxisMask >> i) & 1),
                      !ell && ((shrinkMask >> i) & 1), static_cast<int64_t>(i)});
    const Entry &e = sparse.back();
    if (!e.ellipsis && !e.newAxis && !e.shrink &&
        ((beginValue && !e.beginMasked) || (endValue && !e.endMasked)))
      return c.error() << "begin and end computed at run time are supported only where they "
                       << "pick one index (entry " << i << " is a range); smc compiles static "
                       << "shapes only";
  }
  if (!sawEllipsis)
    sparse.push_back({0, 0, 1, true, true, true, false, false});

  // Dense spec: one entry per input dimension; `finalShape` collects output dims (-1 marks a
  // new axis, -2 a shrunk one that disappears).
  int64_t realEntries = 0;
  for (const auto &e : sparse)
    if (!e.ellipsis && !e.newAxis)
      ++realEntries;
  if (realEntries > rank)
    return c.error() << "slices " << realEntries << " dimensions of a rank-" << rank << " tensor";
  std::vector<Entry> dense;
  std::vector<int64_t> outputDims; // index into dense, or -1 for a new axis
  for (const auto &e : sparse) {
    if (e.ellipsis) {
      int64_t cover = rank - realEntries;
      for (int64_t k = 0; k < cover; ++k) {
        outputDims.push_back(dense.size());
        dense.push_back({0, 0, 1, true, true, false, false, false});
      }
    } else if (e.newAxis) {
      outputDims.push_back(-1);
    } else {
      if (!e.shrink)
        outputDims.push_back(dense.size());
      dense.push_back(e);
    }
  }

  SmallVector<int64_t> start, size, stride;
  SmallVector<OpFoldResult> dynamicStart; // when begin is computed at run time
  for (int64_t d = 0; d < rank; ++d) {
    const Entry &e = dense[d];
    int64_t dim = t.getDimSize(d);
    if (e.stride == 0)
      return c.error() << "stride 0 in dimension " << d;
    if (beginValue && e.shrink) {
      OpBuilder &b = c.builder();
      Value k = b.create<arith::ConstantIndexOp>(c.loc, e.source);
      Value v = b.create<tensor::ExtractOp>(c.loc, beginValue, ValueRange{k});
      dynamicStart.push_back(clampedIndex(c, v, dim, /*wrapNegative=*/true));
      start.push_back(0);
      size.push_back(1);
      stride.push_back(1);
      continue;
    }
    if (e.shrink) {
      int64_t b = e.begin < 0 ? e.begin + dim : e.begin;
      if (b < 0 || b >= dim)
        return c.error() << "index " << e.begin << " is out of range for dimension " << d
                         << " of size " << dim;
      start.push_back(b);
      size.push_back(1);
      stride.push_back(1);
      continue;
    }
    int64_t s = e.stride;
    auto clampIndex = [&](int64_t v) {
      if (v < 0)
        v += dim;
      return s > 0 ? std::clamp<int64_t>(v, 0, dim) : std::clamp<int64_t>(v, -1, dim - 1);
    };
    int64_t b = e.beginMasked ? (s > 0 ? 0 : dim - 1) : clampIndex(e.begin);
    int64_t en = e.endMasked ? (s > 0 ? dim : -1) : clampIndex(e.end);
    int64_t count = s > 0 ? (en > b ? (en - b + s - 1) / s : 0)
                          : (b > en ? (b - en + (-s) - 1) / (-s) : 0);
    start.push_back(count > 0 ? b : 0);
    size.push_back(count);
    stride.push_back(count > 0 ? s : 1);
    dynamicStart.push_back(c.builder().getIndexAttr(start.back()));
  }
  Value sliced;
  if (beginValue) {
    OpBuilder &b = c.builder();
    auto type = RankedTensorType::get(size, t.getElementType());
    sliced = b.create<tensor::ExtractSliceOp>(
        c.loc, type, x, dynamicStart, getAsIndexOpFoldResult(c.ctx(), size),
        getAsIndexOpFoldResult(c.ctx(), stride));
  } else {
    sliced = c.createOrFold<mlir::smc::SliceOp>(nullptr, x, start, size, stride);
  }
  if (!sliced)
    return failure();
  SmallVector<int64_t> finalShape;
  for (int64_t d : outputDims)
    finalShape.push_back(d < 0 ? 1 : size[d]);
  Value r = reshape(c, sliced, finalShape);
  if (!r)
    return failure();
  c.output(r);
  return success();
}

/// SpaceToBatchND: zero-pad the M spatial dims, split each into (size / block, block), move the
/// block factors in front of the batch, merge them into it. (TF lowers dilated depthwise
/// convolutions through this pair.)
LogicalResult spaceToBatchOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto block = c.constantInts(1, "block_shape");
  auto pads = c.constantInts(2, "paddings");
  if (failed(block) || failed(pads))
    return failure();
  auto t = typeOf(x);
  int64_t m = block->size(), rank = t.getRank();
  if (m < 1 || m + 1 > rank || static_cast<int64_t>(pads->size()) != 2 * m)
    return c.error() << "block_shape and paddings do not fit " << t;
  SmallVector<int64_t> low(rank, 0), high(rank, 0);
  for (int64_t i = 0; i < m; ++i) {
    low[i + 1] = (*pads)[2 * i];
    high[i + 1] = (*pads)[2 * i + 1];
  }
  Type elem = t.getElementType();
  TypedAttr zero = isa<FloatType>(elem) ? TypedAttr(c.builder().getFloatAttr(elem, 0.0))
                                        : TypedAttr(c.builder().getIntegerAttr(elem, 0));
  Value padded = x;
  if (llvm::any_of(low, [](int64_t v) { return v; }) || llvm::any_of(high, [](int64_t v) { return v; })) {
    auto p =
        c.createOrFold<mlir::smc::PadOp>(nullptr, x, mlir::smc::PadMode::constant, low, high, zero);
    if (!p)
      return failure();
    padded = p;
  }
  auto pt = typeOf(padded);
  // [B, P1/b1, b1, ..., PM/bM, bM, rest...]
  SmallVector<int64_t> split = {pt.getDimSize(0)};
  for (int64_t i = 0; i < m; ++i) {
    int64_t b = (*block)[i], p = pt.getDimSize(i + 1);
    if (b <= 0 || p % b != 0)
      return c.error() << "padded dimension " << p << " is not a multiple of block " << b;
    split.push_back(p / b);
    split.push_back(b);
  }
  for (int64_t d = m + 1; d < rank; ++d)
    split.push_back(pt.getDimSize(d));
  Value r = reshape(c, padded, split);
  if (!r)
    return failure();
  // Blocks first: [b1..bM, B, P1/b1..PM/bM, rest...]
  SmallVector<int64_t> perm;
  for (int64_t i = 0; i < m; ++i)
    perm.push_back(2 + 2 * i);
  perm.push_back(0);
  for (int64_t i = 0; i < m; ++i)
    perm.push_back(1 + 2 * i);
  for (int64_t d = 2 * m + 1; d < static_cast<int64_t>(split.size()); ++d)
    perm.push_back(d);
  auto tr = c.createOrFold<mlir::smc::TransposeOp>(nullptr, r, perm);
  if (!tr)
    return failure();
  int64_t batch = pt.getDimSize(0);
  SmallVector<int64_t> out = {batch};
  for (int64_t i = 0; i < m; ++i) {
    out[0] *= (*block)[i];
    out.push_back(split[1 + 2 * i]);
  }
  for (int64_t d = m + 1; d < rank; ++d)
    out.push_back(pt.getDimSize(d));
  Value result = reshape(c, tr, out);
  if (!result)
    return failure();
  c.output(result);
  return success();
}

/// BatchToSpaceND: the inverse: split the batch into the block factors, interleave them with
/// the spatial dims, merge, crop.
LogicalResult batchToSpaceOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto block = c.constantInts(1, "block_shape");
  auto crops = c.constantInts(2, "crops");
  if (failed(block) || failed(crops))
    return failure();
  auto t = typeOf(x);
  int64_t m = block->size(), rank = t.getRank();
  if (m < 1 || m + 1 > rank || static_cast<int64_t>(crops->size()) != 2 * m)
    return c.error() << "block_shape and crops do not fit " << t;
  int64_t prod = 1;
  for (int64_t b : *block)
    prod *= b;
  if (prod <= 0 || t.getDimSize(0) % prod != 0)
    return c.error() << "batch " << t.getDimSize(0) << " is not a multiple of the block size";
  int64_t batch = t.getDimSize(0) / prod;
  // [b1..bM, B, S1..SM, rest...]
  SmallVector<int64_t> split(block->begin(), block->end());
  split.push_back(batch);
  for (int64_t d = 1; d < rank; ++d)
    split.push_back(t.getDimSize(d));
  Value r = reshape(c, x, split);
  if (!r)
    return failure();
  // [B, S1, b1, ..., SM, bM, rest...]
  SmallVector<int64_t> perm = {m};
  for (int64_t i = 0; i < m; ++i) {
    perm.push_back(m + 1 + i);
    perm.push_back(i);
  }
  for (int64_t d = 2 * m + 1; d < static_cast<int64_t>(split.size()); ++d)
    perm.push_back(d);
  auto tr = c.createOrFold<mlir::smc::TransposeOp>(nullptr, r, perm);
  if (!tr)
    return failure();
  SmallVector<int64_t> merged = {batch};
  for (int64_t i = 0; i < m; ++i)
    merged.push_back(t.getDimSize(i + 1) * (*block)[i]);
  for (int64_t d = m + 1; d < rank; ++d)
    merged.push_back(t.getDimSize(d));
  Value full = reshape(c, tr, merged);
  if (!full)
    return failure();
  SmallVector<int64_t> start(rank, 0), size(merged), stride(rank, 1);
  for (int64_t i = 0; i < m; ++i) {
    start[i + 1] = (*crops)[2 * i];
    size[i + 1] -= (*crops)[2 * i] + (*crops)[2 * i + 1];
  }
  auto s = c.createOrFold<mlir::smc::SliceOp>(nullptr, full, start, size, stride);
  if (!s)
    return failure();
  c.output(s);
  return success();
}

/// Tile: `multiples[d]` copies of the input along each dimension d, concatenated.
LogicalResult tileOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto multiples = c.constantInts(1, "multiples");
  if (failed(multiples))
    return failure();
  auto t = typeOf(x);
  if (static_cast<int64_t>(multiples->size()) != t.getRank())
    return c.error() << "multiples needs one value per dimension of " << t << ", it has "
                     << multiples->size();
  Value r = x;
  for (int64_t d = 0; d < t.getRank(); ++d) {
    int64_t m = (*multiples)[d];
    if (m < 0)
      return c.error() << "multiple " << m << " of dimension " << d << " is negative";
    if (m == 0)
      return c.error() << "multiple 0 of dimension " << d
                       << " gives an empty tensor, which smc does not support";
    if (m == 1)
      continue;
    SmallVector<Value> copies(m, r);
    r = c.createOrFold<mlir::smc::ConcatOp>(nullptr, copies, d);
    if (!r)
      return failure();
  }
  c.output(r);
  return success();
}

} // namespace

void ::smc::import::registerShapeOps(std::map<std::string, Handler> &t) {
  t["Reshape"] = reshapeOp;
  t["Transpose"] = transposeOp;
  t["ConcatV2"] = concatOp<false>;
  t["Concat"] = concatOp<true>;
  t["Pack"] = packOp;
  t["Unpack"] = unpackOp;
  t["Squeeze"] = squeezeOp;
  t["ExpandDims"] = expandDimsOp;
  t["Shape"] = shapeOp;
  t["Size"] = sizeOp;
  t["Rank"] = rankOp;
  t["Fill"] = fillOp;
  t["ZerosLike"] = likeOp<0>;
  t["OnesLike"] = likeOp<1>;
  t["MatrixDiag"] = matrixDiagOp<true>;
  t["MatrixDiagV2"] = matrixDiagOp<false>;
  t["MatrixDiagV3"] = matrixDiagOp<false>;
  t["Slice"] = sliceOp;
  t["StridedSlice"] = stridedSliceOp;
  t["SpaceToBatchND"] = spaceToBatchOp;
  t["BatchToSpaceND"] = batchToSpaceOp;
  t["Tile"] = tileOp;
}
