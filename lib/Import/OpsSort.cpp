//===- OpsSort.cpp - Top-k and sorting ------------------------------------===//
//
// TopKV2 (k an input) and TopK (k an attribute) become smc.top_k, with k a compile-time
// constant. tf.sort and tf.argsort emit a TopKV2 with k = n (after a negation for ascending
// order), so they need nothing more. `sorted = false` lets TF return the k elements in any
// order; smc returns them sorted all the same.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "smc/Support/DType.h"

using namespace mlir;
using namespace ::smc::import;

namespace {

template <bool V2> LogicalResult topK(NodeContext &c) {
  Value x = c.input(0);
  if (!x)
    return failure();
  int64_t k = 0;
  if constexpr (V2) {
    auto ks = c.constantInts(1, "k");
    if (failed(ks))
      return failure();
    if (ks->size() != 1)
      return c.error() << "k must be a scalar, got " << ks->size() << " values";
    k = ks->front();
  } else {
    k = c.intAttr("k");
  }
  auto type = typeOf(x);
  Type elem = type.getElementType();
  if (type.getRank() < 1)
    return c.error() << "input must have at least one dimension, got " << type;
  if (!isa<FloatType>(elem) && (!isa<IntegerType>(elem) || elem.isInteger(1)))
    return c.error() << "input must hold numbers, not " << type;
  int64_t n = type.getShape().back();
  if (k < 0 || k > n)
    return c.error() << "k = " << k << " must be in [0, " << n
                     << "] (the size of the input's last dimension)";
  int dtype = c.typeAttr("index_type");
  Type indexElem = dtype ? elementTypeFor(c.ctx(), dtype) : c.builder().getI32Type();
  if (!indexElem || !indexElem.isSignlessInteger() || indexElem.isInteger(1) ||
      indexElem.isInteger(8))
    return c.error() << "index_type " << ::smc::dtypeName(dtype)
                     << " is not supported (int16, int32 or int64)";
  SmallVector<int64_t> shape = mlir::smc::topKShape(type.getShape(), k);
  auto results = c.createOrFoldResults<mlir::smc::TopKOp>(
      RankedTensorType::get(shape, elem), RankedTensorType::get(shape, indexElem), x, k);
  if (results.empty())
    return failure();
  c.output(results[0]);
  c.output(results[1]);
  return success();
}

} // namespace

void ::smc::import::registerSortOps(std::map<std::string, Handler> &t) {
  t["TopKV2"] = topK<true>;
  t["TopK"] = topK<false>;
}
