//===- NodeContext.cpp - What an op handler sees; the op table ------------===//
//
// A handler (Ops*.cpp) imports one TF node through a NodeContext: its attributes (with the
// OpDef's defaults), its inputs as tensors, variable handles or folded constants, and
// createOrFold() for the ops it builds. The op table maps each TF op type to its handler.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "smc/Import/Import.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Matchers.h"

#include <algorithm>

using namespace mlir;

namespace smc::import {

//===----------------------------------------------------------------------===//
// NodeContext
//===----------------------------------------------------------------------===//

OpBuilder &NodeContext::builder() { return state.builder; }
MLIRContext *NodeContext::ctx() { return state.module.getContext(); }

const tensorflow::AttrValue *NodeContext::attr(const std::string &name) const {
  auto it = node.attr().find(name);
  if (it != node.attr().end())
    return &it->second;
  if (const tensorflow::OpDef *def = state.opDef(node.op()))
    for (const auto &a : def->attr())
      if (a.name() == name && a.has_default_value())
        return &a.default_value();
  return nullptr;
}

bool NodeContext::boolAttr(const std::string &name, bool def) const {
  const auto *a = attr(name);
  return a ? a->b() : def;
}
int64_t NodeContext::intAttr(const std::string &name, int64_t def) const {
  const auto *a = attr(name);
  return a ? a->i() : def;
}
float NodeContext::floatAttr(const std::string &name, float def) const {
  const auto *a = attr(name);
  return a ? a->f() : def;
}
std::string NodeContext::strAttr(const std::string &name, const std::string &def) const {
  const auto *a = attr(name);
  return a ? a->s() : def;
}
int NodeContext::typeAttr(const std::string &name) const {
  const auto *a = attr(name);
  return a ? a->type() : 0;
}
std::vector<int64_t> NodeContext::intListAttr(const std::string &name) const {
  const auto *a = attr(name);
  if (!a)
    return {};
  return std::vector<int64_t>(a->list().i().begin(), a->list().i().end());
}

std::string NodeContext::describe() const {
  std::string s = node.op() + " node '" + node.name() + "'";
  if (!function_.empty())
    s += " in function '" + function_ + "'";
  return s;
}

InFlightDiagnostic NodeContext::error() {
  auto diag = mlir::emitError(loc);
  diag << describe() << ": ";
  return diag;
}

Value NodeContext::input(size_t i) {
  if (i >= inputs_.size()) {
    error() << "expected at least " << i + 1 << " inputs, got " << inputs_.size();
    return nullptr;
  }
  Val &v = inputs_[i];
  if (v.value)
    return v.value;
  if (v.resource && v.resource->isRef) {
    // A TF1 reference variable used as a tensor: read its current value here.
    auto global = state.module.lookupSymbol<mlir::smc::GlobalOp>(v.resource->global);
    return builder().create<mlir::smc::GlobalLoadOp>(loc, global.getType(), v.resource->global);
  }
  if (v.complex) {
    complexInputError(i);
    return nullptr;
  }
  error() << "input " << i << " ('" << node.input(i) << "') is "
          << (v.resource ? "a variable handle"
              : v.list   ? "a TensorList whose element shape is not known yet"
                         : "not a tensor")
          << ", expected a tensor";
  return nullptr;
}

std::string tensorTypeProblem(Type type, uint64_t maxBytes) {
  auto t = dyn_cast<RankedTensorType>(type);
  if (!t)
    return "";
  Type elem = t.getElementType();
  uint64_t bytes = elem.isIntOrFloat() ? std::max(1u, elem.getIntOrFloatBitWidth() / 8) : 8;
  for (int64_t d : t.getShape()) {
    if (d < 0)
      return "a dimension is negative (" + std::to_string(d) + ")";
    if (d != 0 && bytes > maxBytes / static_cast<uint64_t>(d))
      return "it would take more than " + std::to_string(maxBytes) +
             " bytes (smc's limit for one tensor; --max-tensor-bytes)";
    bytes *= static_cast<uint64_t>(d);
  }
  return "";
}

LogicalResult NodeContext::checkResultTypes(Operation *op) {
  for (Value r : op->getResults())
    if (std::string problem = tensorTypeProblem(r.getType(), state.maxTensorBytes);
        !problem.empty()) {
      // The type, printed, may be huge or odd: give the shape as TF would.
      std::string dims;
      for (int64_t d : cast<RankedTensorType>(r.getType()).getShape())
        dims += (dims.empty() ? "" : ", ") + std::to_string(d);
      return error() << "a result of shape [" << dims << "]: " << problem;
    }
  return success();
}

void NodeContext::complexInputError(size_t i) {
  error() << "input " << i << " ('" << node.input(i) << "') is a complex64 value (made by "
          << inputs_[i].complex->origin << "), which " << node.op()
          << " does not accept: smc takes complex values only into IRFFT, ComplexAbs, Real, "
          << "Imag and ops that only move elements (docs/ops.md)";
}

const ComplexVal *NodeContext::complexInput(size_t i) {
  if (i < inputs_.size() && inputs_[i].complex)
    return &*inputs_[i].complex;
  error() << "input " << i << " must be a complex64 value";
  return nullptr;
}

LogicalResult NodeContext::checkInputs(size_t count, const char *typeAttrName) {
  if (inputs_.size() != count)
    return error() << "has " << inputs_.size() << " inputs; the op takes " << count;
  // A complex input is named as such (its T, complex64, has no smc type).
  for (size_t i = 0; i < count; ++i) {
    if (inputs_[i].complex) {
      complexInputError(i);
      return failure();
    }
  }
  const auto *t = attr(typeAttrName);
  if (!t)
    return success();
  Type elem = elementTypeFor(ctx(), t->type());
  if (!elem)
    return error() << "attribute " << typeAttrName << " is " << dtypeName(t->type())
                   << ", which smc does not support";
  for (size_t i = 0; i < count; ++i) {
    const Val &v = inputs_[i];
    if (v.value && cast<ShapedType>(v.value.getType()).getElementType() != elem)
      return error() << "input " << i << " is " << v.value.getType() << " but attribute "
                     << typeAttrName << " says " << dtypeName(t->type());
  }
  return success();
}

const Resource *NodeContext::resourceInput(size_t i) {
  if (i >= inputs_.size() || !inputs_[i].resource) {
    error() << "input " << i << " is not a variable handle (only variables of the SavedModel "
            << "are supported as resources)";
    return nullptr;
  }
  return &*inputs_[i].resource;
}

std::optional<DenseElementsAttr> NodeContext::constantInput(size_t i) {
  // Every op a handler makes was folded as it was made (createOrFold), so a value computable
  // at compile time (the shape arithmetic of Keras graphs: Shape -> StridedSlice -> Pack) is
  // a constant by now.
  DenseElementsAttr attr;
  if (i >= inputs_.size() || !inputs_[i].value ||
      !matchPattern(inputs_[i].value, m_Constant(&attr)))
    return std::nullopt;
  return attr;
}

FailureOr<std::vector<int64_t>> NodeContext::constantInts(size_t i, const char *what) {
  auto attr = constantInput(i);
  if (!attr || !isa<IntegerType>(attr->getElementType())) {
    error() << what << " must be a compile-time integer constant (after folding); smc "
            << "compiles static shapes only";
    return failure();
  }
  std::vector<int64_t> values;
  bool isUnsigned = attr->getElementType().isUnsignedInteger();
  for (const APInt &v : attr->getValues<APInt>())
    values.push_back(isUnsigned ? static_cast<int64_t>(v.getZExtValue()) : v.getSExtValue());
  return values;
}

Value NodeContext::fold(Operation *op) {
  SmallVector<Value, 1> folded;
  if (failed(builder().tryFold(op, folded)) || folded.empty())
    return op->getResult(0);
  op->erase();
  return folded[0];
}

SmallVector<Value> NodeContext::foldResults(Operation *op) {
  SmallVector<Value> folded;
  if (failed(builder().tryFold(op, folded)) || folded.empty())
    return SmallVector<Value>(op->getResults());
  op->erase();
  return folded;
}

//===----------------------------------------------------------------------===//
// The op table
//===----------------------------------------------------------------------===//

/// For the documentation: the family (handler file) of each entry of the op table, and the
/// limits a family states for its ops.
static std::map<std::string, std::string> &opFamilies() {
  static std::map<std::string, std::string> families;
  return families;
}
static std::map<std::string, std::string> &opLimits() {
  static std::map<std::string, std::string> limits;
  return limits;
}

std::map<std::string, Handler> &opTable() {
  static std::map<std::string, Handler> table = [] {
    std::map<std::string, Handler> t;
    auto add = [&](const char *family, void (*reg)(std::map<std::string, Handler> &),
                   void (*limits)(std::map<std::string, std::string> &) = nullptr) {
      std::map<std::string, Handler> part;
      reg(part);
      for (auto &kv : part) {
        opFamilies()[kv.first] = family;
        t.insert(kv);
      }
      if (limits)
        limits(opLimits());
    };
    add("elementwise (OpsElementwise.cpp)", registerElementwiseOps);
    add("linear algebra, reductions, casts (OpsMath.cpp)", registerMathOps);
    add("shapes and slices (OpsShape.cpp)", registerShapeOps);
    add("splits, reverses, ranges, gathers, scans (OpsIndex.cpp)", registerIndexOps);
    add("functional control flow (OpsControl.cpp)", registerControlOps);
    add("TensorLists and TensorArrays (OpsList.cpp)", registerListOps);
    add("fake quantisation (OpsQuant.cpp)", registerQuantOps);
    add("constants, identities, variables (OpsState.cpp)", registerStateOps);
    add("convolution, pooling, normalisation, padding (OpsNN.cpp)", registerNNOps);
    add("image resizing (OpsImage.cpp)", registerImageOps);
    add("top-k and sorting (OpsSort.cpp)", registerSortOps);
    add("FFTs of real signals, complex values (OpsSpectral.cpp)", registerSpectralOps,
        spectralOpLimits);
    return t;
  }();
  return table;
}

} // namespace smc::import

namespace smc {
std::vector<SupportedOp> supportedTfOps() {
  std::vector<SupportedOp> ops;
  for (const auto &kv : import::opTable()) {
    auto limits = import::opLimits().find(kv.first);
    ops.push_back({kv.first, import::opFamilies()[kv.first],
                   limits == import::opLimits().end() ? "" : limits->second});
  }
  ops.push_back({"PartitionedCall", "function calls (inlined by the importer)", ""});
  ops.push_back({"StatefulPartitionedCall", "function calls (inlined by the importer)", ""});
  std::sort(ops.begin(), ops.end(),
            [](const SupportedOp &a, const SupportedOp &b) { return a.op < b.op; });
  return ops;
}
} // namespace smc

namespace smc::import {
Value clampedIndex(NodeContext &c, Value v, int64_t dim, bool wrapNegative) {
  OpBuilder &b = c.builder();
  unsigned width = v.getType().getIntOrFloatBitWidth();
  auto constant = [&](int64_t k) { return b.create<arith::ConstantIntOp>(c.loc, k, width); };
  if (wrapNegative) {
    Value negative = b.create<arith::CmpIOp>(c.loc, arith::CmpIPredicate::slt, v, constant(0));
    Value wrapped = b.create<arith::AddIOp>(c.loc, v, constant(dim));
    v = b.create<arith::SelectOp>(c.loc, negative, wrapped, v);
  }
  v = b.create<arith::MaxSIOp>(c.loc, v, constant(0));
  v = b.create<arith::MinSIOp>(c.loc, v, constant(dim - 1));
  return b.create<arith::IndexCastOp>(c.loc, b.getIndexType(), v);
}

Value floatScalar(NodeContext &c, Type elem, double v) {
  auto type = RankedTensorType::get({}, elem);
  return c.builder().create<arith::ConstantOp>(
      c.loc, DenseElementsAttr::get(type, c.builder().getFloatAttr(elem, v)));
}

Value reshape(NodeContext &c, Value x, ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, typeOf(x).getElementType());
  if (type == x.getType())
    return x;
  return c.createOrFold<mlir::smc::ReshapeOp>(type, x);
}
} // namespace smc::import
