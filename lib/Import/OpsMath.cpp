//===- OpsMath.cpp - Linear algebra, reductions, casts --------------------===//

#include "Importer.h"

using namespace mlir;
using namespace ::smc::import;

namespace {

LogicalResult matmul(NodeContext &c) {
  Value a = c.input(0), b = c.input(1);
  if (!a || !b)
    return failure();
  auto op = c.createOrFold<mlir::smc::MatMulOp>(nullptr, a, b, c.boolAttr("transpose_a"),
                                                c.boolAttr("transpose_b"));
  if (!op)
    return failure();
  c.output(op);
  return success();
}

LogicalResult batchMatmul(NodeContext &c) {
  Value x = c.input(0), y = c.input(1);
  if (!x || !y)
    return failure();
  auto op = c.createOrFold<mlir::smc::BatchMatMulOp>(nullptr, x, y, c.boolAttr("adj_x"),
                                                     c.boolAttr("adj_y"));
  if (!op)
    return failure();
  c.output(op);
  return success();
}

LogicalResult biasAdd(NodeContext &c) {
  Value v = c.input(0), b = c.input(1);
  if (!v || !b)
    return failure();
  std::string format = c.strAttr("data_format", "NHWC");
  if (format != "NHWC")
    return c.error() << "data_format " << format << " is not supported (only NHWC)";
  auto op = c.createOrFold<mlir::smc::BiasAddOp>(v.getType(), v, b);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

template <bool Log> LogicalResult softmax(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto op = c.createOrFold<mlir::smc::SoftmaxOp>(x.getType(), x, Log);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

/// Reduction axes from input `i`: constant, negative ones wrapped, sorted, distinct.
FailureOr<std::vector<int64_t>> axesOf(NodeContext &c, size_t i, int64_t rank) {
  auto axes = c.constantInts(i, "the reduction axes");
  if (failed(axes))
    return failure();
  std::vector<int64_t> out;
  for (int64_t a : *axes) {
    int64_t w = a < 0 ? a + rank : a;
    if (w < 0 || w >= rank) {
      c.error() << "axis " << a << " is out of range for rank " << rank;
      return failure();
    }
    out.push_back(w);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

template <mlir::smc::ReduceKind Kind> LogicalResult reduce(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto axes = axesOf(c, 1, typeOf(x).getRank());
  if (failed(axes))
    return failure();
  auto op = c.createOrFold<mlir::smc::ReduceOp>(nullptr, x, Kind, *axes, c.boolAttr("keep_dims"));
  if (!op)
    return failure();
  c.output(op);
  return success();
}

template <bool Min> LogicalResult argMax(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  auto dim = c.constantInts(1, "the dimension");
  if (failed(dim))
    return failure();
  int64_t rank = typeOf(x).getRank();
  if (dim->size() != 1 || (*dim)[0] < -rank || (*dim)[0] >= rank)
    return c.error() << "dimension must be one value in [" << -rank << ", " << rank << ")";
  int64_t axis = (*dim)[0] < 0 ? (*dim)[0] + rank : (*dim)[0];
  int outType = c.typeAttr("output_type");
  Type elem = elementTypeFor(c.ctx(), outType ? outType : tensorflow::DT_INT64);
  auto shape = mlir::smc::reducedShape(typeOf(x).getShape(), {axis}, false);
  auto op = c.createOrFold<mlir::smc::ArgMaxOp>(RankedTensorType::get(shape, elem), x, axis, Min);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

LogicalResult castOp(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  int dst = c.typeAttr("DstT");
  Type elem = elementTypeFor(c.ctx(), dst);
  if (!elem)
    return c.error() << "cast to " << ::smc::dtypeName(dst) << " is not supported";
  auto op = c.createOrFold<mlir::smc::CastOp>(RankedTensorType::get(typeOf(x).getShape(), elem), x);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

template <bool V2> LogicalResult select(NodeContext &c) {
  Value cond = c.input(0), t = c.input(1), f = c.input(2);
  if (!cond || !t || !f)
    return failure();
  auto ct = typeOf(cond), tt = typeOf(t);
  if (!V2 && ct.getRank() == 1 && tt.getRank() > 1) {
    // Select (v1) with a vector condition picks whole rows of the first dimension.
    SmallVector<int64_t> shape(tt.getRank(), 1);
    shape[0] = ct.getDimSize(0);
    auto r = c.createOrFold<mlir::smc::ReshapeOp>(RankedTensorType::get(shape, ct.getElementType()),
                                                  cond);
    if (!r)
      return failure();
    cond = r;
  }
  auto op = c.createOrFold<mlir::smc::SelectOp>(nullptr, cond, t, f);
  if (!op)
    return failure();
  c.output(op);
  return success();
}

} // namespace

void ::smc::import::registerMathOps(std::map<std::string, Handler> &t) {
  t["MatMul"] = matmul;
  t["BatchMatMul"] = batchMatmul;
  t["BatchMatMulV2"] = batchMatmul;
  t["BatchMatMulV3"] = batchMatmul;
  t["BiasAdd"] = biasAdd;
  t["Softmax"] = softmax<false>;
  t["LogSoftmax"] = softmax<true>;
  t["Sum"] = reduce<mlir::smc::ReduceKind::sum>;
  t["Mean"] = reduce<mlir::smc::ReduceKind::mean>;
  t["Max"] = reduce<mlir::smc::ReduceKind::max>;
  t["Min"] = reduce<mlir::smc::ReduceKind::min>;
  t["Prod"] = reduce<mlir::smc::ReduceKind::prod>;
  t["All"] = reduce<mlir::smc::ReduceKind::all>;
  t["Any"] = reduce<mlir::smc::ReduceKind::any>;
  t["ArgMax"] = argMax<false>;
  t["ArgMin"] = argMax<true>;
  t["Cast"] = castOp;
  t["Select"] = select<false>;
  t["SelectV2"] = select<true>;
}
