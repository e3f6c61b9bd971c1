//===- Importer.cpp - SavedModel -> smc dialect ---------------------------===//
//
// Walks graph bodies in dependency order, inlines function calls, binds variables to
// `smc.global`s and builds one func.func per imported signature or function.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "smc/Import/Import.h"

#include "checkpoint.pb.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

#include <algorithm>

using namespace mlir;
using namespace ::smc;
using namespace ::smc::import;

//===----------------------------------------------------------------------===//
// Types and tensors
//===----------------------------------------------------------------------===//

namespace smc::import {
auto elementTypeFor(MLIRContext *ctx, int dtype) -> Type {
  if (dtype > 100)
    dtype -= 100; // TF1 reference types
  switch (dtype) {
  case 1:
    return Float32Type::get(ctx);
  case 2:
    return Float64Type::get(ctx);
  case 19:
    return Float16Type::get(ctx);
  case 14:
    return BFloat16Type::get(ctx);
  case 10:
    return IntegerType::get(ctx, 1);
  case 6:
    return IntegerType::get(ctx, 8);
  case 5:
    return IntegerType::get(ctx, 16);
  case 3:
    return IntegerType::get(ctx, 32);
  case 9:
    return IntegerType::get(ctx, 64);
  case 4:
    return IntegerType::get(ctx, 8, IntegerType::Unsigned);
  case 17:
    return IntegerType::get(ctx, 16, IntegerType::Unsigned);
  case 22:
    return IntegerType::get(ctx, 32, IntegerType::Unsigned);
  case 23:
    return IntegerType::get(ctx, 64, IntegerType::Unsigned);
  default:
    return nullptr;
  }
}
} // namespace

namespace smc::import {
auto attrFromTensor(RankedTensorType type, const Tensor &tensor)
    -> FailureOr<DenseElementsAttr> {
  if (type.getElementType().isInteger(1)) {
    if (static_cast<int64_t>(tensor.data.size()) != type.getNumElements())
      return failure();
    SmallVector<bool> values;
    for (char c : tensor.data)
      values.push_back(c != 0);
    return DenseElementsAttr::get(type, values);
  }
  ArrayRef<char> raw(tensor.data.data(), tensor.data.size());
  int64_t bytes = (type.getElementTypeBitWidth() + 7) / 8;
  if (static_cast<int64_t>(raw.size()) != bytes * type.getNumElements())
    return failure();
  if (type.getNumElements() == 0)
    return DenseElementsAttr::get(type, ArrayRef<Attribute>());
  return DenseElementsAttr::getFromRawBuffer(type, raw);
}
} // namespace

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

InFlightDiagnostic NodeContext::error() {
  auto diag = mlir::emitError(loc);
  diag << node.op() << " node '" << node.name() << "'";
  if (!function_.empty())
    diag << " in function '" << function_ << "'";
  diag << ": ";
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
  error() << "input " << i << " ('" << node.input(i) << "') is "
          << (v.resource ? "a variable handle" : "not a tensor") << ", expected a tensor";
  return nullptr;
}

const Resource *NodeContext::resourceInput(size_t i) {
  if (i >= inputs_.size() || !inputs_[i].resource) {
    error() << "input " << i << " is not a variable handle (only variables of the SavedModel "
            << "are supported as resources)";
    return nullptr;
  }
  return &*inputs_[i].resource;
}

/// The value of `v` if it is computable at compile time: a constant, or an op whose operands
/// are, folded recursively (the shape arithmetic of Keras graphs: Shape -> StridedSlice ->
/// Pack -> Reshape).
static std::optional<DenseElementsAttr> evaluateConstant(Value v, int depth = 0) {
  DenseElementsAttr attr;
  if (matchPattern(v, m_Constant(&attr)))
    return attr;
  Operation *op = v.getDefiningOp();
  if (!op || depth > 64 || op->getNumResults() != 1 || op->getNumRegions() != 0)
    return std::nullopt;
  SmallVector<Attribute> operands;
  for (Value operand : op->getOperands()) {
    auto c = evaluateConstant(operand, depth + 1);
    if (!c)
      return std::nullopt;
    operands.push_back(*c);
  }
  SmallVector<OpFoldResult> results;
  if (failed(op->fold(operands, results)) || results.size() != 1)
    return std::nullopt;
  if (auto folded = dyn_cast<Attribute>(results[0]))
    return dyn_cast<DenseElementsAttr>(folded);
  Value folded = cast<Value>(results[0]);
  if (folded == v)
    return std::nullopt;
  return evaluateConstant(folded, depth + 1);
}

std::optional<DenseElementsAttr> NodeContext::constantInput(size_t i) {
  if (i >= inputs_.size() || !inputs_[i].value)
    return std::nullopt;
  return evaluateConstant(inputs_[i].value);
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

//===----------------------------------------------------------------------===//
// The op table
//===----------------------------------------------------------------------===//

namespace smc::import {
/// The op table, and for the documentation the family (handler file) of each entry.
static std::map<std::string, std::string> &opFamilies() {
  static std::map<std::string, std::string> families;
  return families;
}

std::map<std::string, Handler> &opTable() {
  static std::map<std::string, Handler> table = [] {
    std::map<std::string, Handler> t;
    auto add = [&](const char *family, void (*reg)(std::map<std::string, Handler> &)) {
      std::map<std::string, Handler> part;
      reg(part);
      for (auto &kv : part) {
        opFamilies()[kv.first] = family;
        t.insert(kv);
      }
    };
    add("elementwise (OpsElementwise.cpp)", registerElementwiseOps);
    add("linear algebra, reductions, casts (OpsMath.cpp)", registerMathOps);
    add("shapes and slices (OpsShape.cpp)", registerShapeOps);
    add("constants, identities, variables (OpsState.cpp)", registerStateOps);
    add("convolution, pooling, normalisation, padding (OpsNN.cpp)", registerNNOps);
    return t;
  }();
  return table;
}
} // namespace

static bool isCallOp(const std::string &op) {
  return op == "StatefulPartitionedCall" || op == "PartitionedCall";
}

namespace smc {
auto supportedTfOps() -> std::vector<std::pair<std::string, std::string>> {
  std::vector<std::pair<std::string, std::string>> ops;
  for (const auto &kv : ::smc::import::opTable())
    ops.emplace_back(kv.first, ::smc::import::opFamilies()[kv.first]);
  ops.emplace_back("PartitionedCall", "function calls (inlined by the importer)");
  ops.emplace_back("StatefulPartitionedCall", "function calls (inlined by the importer)");
  std::sort(ops.begin(), ops.end());
  return ops;
}
} // namespace

//===----------------------------------------------------------------------===//
// Bodies: references, dependency order
//===----------------------------------------------------------------------===//

namespace {

/// Where an input reference points: a function argument or an output of a node.
struct RefTarget {
  int arg = -1;            // function argument index, or -1
  std::string node;        // producing node
  std::string outArg;      // function bodies: output arg name ("" at top level)
  int index = 0;           // top level: flat output index; bodies: index within outArg
  bool control = false;
};

/// A graph body: the top-level graph of a meta graph or one FunctionDef.
struct BodyView {
  const tensorflow::FunctionDef *fn = nullptr;
  std::map<std::string, const tensorflow::NodeDef *> nodes;
  std::map<std::string, int> args;
  std::vector<const tensorflow::NodeDef *> order; // as stored

  BodyView(const tensorflow::GraphDef &graph, const tensorflow::FunctionDef *f) : fn(f) {
    if (fn) {
      for (const auto &n : fn->node_def()) {
        nodes[n.name()] = &n;
        order.push_back(&n);
      }
      for (int i = 0; i < fn->signature().input_arg_size(); ++i)
        args[fn->signature().input_arg(i).name()] = i;
    } else {
      for (const auto &n : graph.node()) {
        nodes[n.name()] = &n;
        order.push_back(&n);
      }
    }
  }

  RefTarget resolve(const std::string &ref) const {
    RefTarget t;
    if (!ref.empty() && ref[0] == '^') {
      t.node = ref.substr(1);
      t.control = true;
      return t;
    }
    if (!fn) {
      TensorRef r = parseTensorRef(ref);
      t.node = r.node;
      t.index = r.index;
      return t;
    }
    std::vector<std::string> parts = absl::StrSplit(ref, ':');
    if (parts.size() == 1 || (parts.size() == 2 && args.count(parts[0]))) {
      auto it = args.find(parts[0]);
      if (it != args.end()) {
        t.arg = it->second;
        return t;
      }
      t.node = parts[0];
      return t;
    }
    t.node = parts[0];
    if (parts.size() == 2) {
      t.index = std::atoi(parts[1].c_str());
      return t;
    }
    t.outArg = parts[1];
    t.index = std::atoi(parts[2].c_str());
    return t;
  }
};

std::string canonicalTensorName(const std::string &name) {
  TensorRef r = parseTensorRef(name);
  return r.node + ":" + std::to_string(std::max(r.index, 0));
}

} // namespace

/// Nodes of `body` needed to compute `fetches` and run `targets`, dependencies first.
static FailureOr<std::vector<const tensorflow::NodeDef *>>
neededNodes(const BodyView &body, const std::vector<std::string> &fetches,
            const std::vector<std::string> &targets, const std::set<std::string> &feeds,
            Location loc, const std::string &where) {
  std::vector<const tensorflow::NodeDef *> result;
  std::map<std::string, int> state; // 1 = on the stack, 2 = done
  auto isFed = [&](const RefTarget &t) {
    return !body.fn && !t.control && feeds.count(t.node + ":" + std::to_string(t.index));
  };
  struct Frame {
    const tensorflow::NodeDef *node;
    int next;
  };
  auto visitRoot = [&](const std::string &name) -> LogicalResult {
    auto it = body.nodes.find(name);
    if (it == body.nodes.end())
      return emitError(loc) << where << " refers to node '" << name << "', which does not exist";
    if (state[name] == 2)
      return success();
    std::vector<Frame> stack = {{it->second, 0}};
    state[name] = 1;
    while (!stack.empty()) {
      Frame &f = stack.back();
      if (f.next < f.node->input_size()) {
        RefTarget t = body.resolve(f.node->input(f.next++));
        if (t.arg >= 0 || isFed(t))
          continue;
        auto in = body.nodes.find(t.node);
        if (in == body.nodes.end())
          return emitError(loc) << where << ": node '" << f.node->name() << "' has input '"
                                << f.node->input(f.next - 1) << "', which does not exist";
        int &s = state[t.node];
        if (s == 2)
          continue;
        if (s == 1)
          return emitError(loc) << where << ": the graph has a cycle through node '" << t.node
                                << "' (TF1 control flow is not supported)";
        s = 1;
        stack.push_back({in->second, 0});
        continue;
      }
      state[f.node->name()] = 2;
      result.push_back(f.node);
      stack.pop_back();
    }
    return success();
  };
  for (const auto &f : fetches) {
    RefTarget t = body.resolve(f);
    if (t.arg >= 0 || isFed(t))
      continue;
    if (failed(visitRoot(t.node)))
      return failure();
  }
  for (const auto &t : targets)
    if (failed(visitRoot(body.resolve(t).node)))
      return failure();
  return result;
}

//===----------------------------------------------------------------------===//
// ImportState
//===----------------------------------------------------------------------===//

ImportState::ImportState(const SavedModel &model, const tensorflow::MetaGraphDef &metaGraph,
                         ModuleOp module, const VariableBindings &bindings)
    : model(model), metaGraph(metaGraph), module(module), bindings(bindings),
      builder(module.getContext()) {
  for (const auto &f : metaGraph.graph_def().library().function())
    functions_[f.signature().name()] = &f;
  for (const auto &op : metaGraph.meta_info_def().stripped_op_list().op())
    opDefs_[op.name()] = &op;
  for (auto &op : module.getBody()->getOperations())
    if (auto sym = op.getAttrOfType<StringAttr>(SymbolTable::getSymbolAttrName()))
      symbols_.insert(sym.str());
}

const tensorflow::FunctionDef *ImportState::function(const std::string &name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : it->second;
}

const tensorflow::OpDef *ImportState::opDef(const std::string &op) const {
  auto it = opDefs_.find(op);
  return it == opDefs_.end() ? nullptr : it->second;
}

Location ImportState::locFor(const tensorflow::NodeDef &node, const std::string &function) {
  MLIRContext *ctx = module.getContext();
  if (function.empty())
    return NameLoc::get(StringAttr::get(ctx, node.name()));
  return NameLoc::get(StringAttr::get(ctx, node.name()),
                      NameLoc::get(StringAttr::get(ctx, function)));
}

/// A symbol name for a checkpoint key: "dense/kernel/.ATTRIBUTES/VARIABLE_VALUE" ->
/// "dense_kernel".
static std::string symbolForKey(const std::string &key) {
  std::string base = key;
  const std::string suffix = "/.ATTRIBUTES/VARIABLE_VALUE";
  if (base.size() > suffix.size() && base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0)
    base.resize(base.size() - suffix.size());
  std::string out;
  for (char c : base)
    out += (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])))
    out = "v_" + out;
  return out;
}

FailureOr<std::string> ImportState::globalFor(const std::string &key, Location loc) {
  auto it = globals_.find(key);
  if (it != globals_.end())
    return it->second;
  auto bundle = model.bundle();
  if (!bundle.ok())
    return emitError(loc) << std::string(bundle.status().message()), failure();
  if (!*bundle)
    return emitError(loc) << model.dir() << ": the model reads variable '" << key
                          << "' but has no variables/variables.index",
           failure();
  auto tensor = (*bundle)->read(key);
  if (!tensor.ok())
    return emitError(loc) << std::string(tensor.status().message()), failure();
  Type elem = elementTypeFor(module.getContext(), tensor->dtype);
  if (!elem)
    return emitError(loc) << "variable '" << key << "' has dtype " << dtypeName(tensor->dtype)
                          << ", which smc does not support",
           failure();
  auto type = RankedTensorType::get(tensor->shape, elem);
  auto value = ::smc::import::attrFromTensor(type, *tensor);
  if (failed(value))
    return emitError(loc) << "variable '" << key << "': stored size does not match its shape",
           failure();
  std::string sym = symbolForKey(key);
  for (int i = 1; symbols_.count(sym); ++i)
    sym = symbolForKey(key) + "_" + std::to_string(i);
  symbols_.insert(sym);
  OpBuilder::InsertionGuard guard(builder);
  // Globals go before the first function, in order of first use.
  Block *body = module.getBody();
  auto firstFunc = llvm::find_if(*body, [](Operation &op) { return isa<func::FuncOp>(op); });
  builder.setInsertionPoint(body, firstFunc);
  builder.create<mlir::smc::GlobalOp>(NameLoc::get(builder.getStringAttr(key)),
                                      builder.getStringAttr(sym), TypeAttr::get(type), *value,
                                      builder.getStringAttr(key));
  globals_[key] = sym;
  return sym;
}

FailureOr<std::vector<Val>> ImportState::callFunction(const std::string &name,
                                                      std::vector<Val> args, Location loc) {
  const tensorflow::FunctionDef *fn = function(name);
  if (!fn)
    return emitError(loc) << "call of function '" << name
                          << "', which is not in the function library",
           failure();
  if (callDepth_ > 64)
    return emitError(loc) << "function calls nest deeper than 64 (recursion through '" << name
                          << "'?)",
           failure();
  if (static_cast<int>(args.size()) != fn->signature().input_arg_size())
    return emitError(loc) << "function '" << name << "' takes "
                          << fn->signature().input_arg_size() << " inputs, the call passes "
                          << args.size(),
           failure();
  std::vector<std::string> fetches, targets;
  for (const auto &out : fn->signature().output_arg()) {
    auto it = fn->ret().find(out.name());
    if (it == fn->ret().end())
      return emitError(loc) << "function '" << name << "' does not define output '"
                            << out.name() << "'",
             failure();
    fetches.push_back(it->second);
  }
  std::vector<std::string> keys;
  for (const auto &kv : fn->control_ret())
    keys.push_back(kv.first);
  std::sort(keys.begin(), keys.end());
  for (const auto &k : keys)
    targets.push_back(fn->control_ret().at(k));
  ++callDepth_;
  auto result = importBody(fn, fetches, targets, {}, args);
  --callDepth_;
  return result;
}

/// Number of tensors an output arg of `node` stands for.
static int outputArgSize(const tensorflow::OpDef::ArgDef &arg, const tensorflow::NodeDef &node) {
  if (!arg.number_attr().empty()) {
    auto it = node.attr().find(arg.number_attr());
    return it == node.attr().end() ? 1 : static_cast<int>(it->second.i());
  }
  if (!arg.type_list_attr().empty()) {
    auto it = node.attr().find(arg.type_list_attr());
    return it == node.attr().end() ? 1 : it->second.list().type_size();
  }
  return 1;
}

FailureOr<std::vector<Val>>
ImportState::importBody(const tensorflow::FunctionDef *fn, const std::vector<std::string> &fetches,
                        const std::vector<std::string> &targets,
                        const std::map<std::string, Val> &feeds, const std::vector<Val> &args) {
  BodyView body(metaGraph.graph_def(), fn);
  std::string fnName = fn ? fn->signature().name() : "";
  std::string where = fn ? "function '" + fnName + "'" : "the graph";
  Location bodyLoc = fn ? Location(NameLoc::get(builder.getStringAttr(fnName)))
                        : Location(UnknownLoc::get(module.getContext()));
  std::set<std::string> fedNames;
  for (const auto &kv : feeds)
    fedNames.insert(kv.first);
  auto order = neededNodes(body, fetches, targets, fedNames, bodyLoc, where);
  if (failed(order))
    return failure();

  std::map<std::string, std::vector<Val>> env;
  auto lookup = [&](const RefTarget &t, const std::string &ref, Location loc) -> FailureOr<Val> {
    if (t.arg >= 0)
      return args[t.arg];
    if (!fn) {
      auto fed = feeds.find(t.node + ":" + std::to_string(t.index));
      if (fed != feeds.end())
        return fed->second;
    }
    auto it = env.find(t.node);
    if (it == env.end())
      return emitError(loc) << "internal: '" << ref << "' used before it was imported", failure();
    int index = t.index;
    if (fn && !t.outArg.empty()) {
      // "node:out_arg:i": add the sizes of the output args before out_arg.
      const tensorflow::NodeDef &producer = *body.nodes.at(t.node);
      const tensorflow::OpDef *def = opDef(producer.op());
      const tensorflow::FunctionDef *callee = function(producer.op());
      const auto *outs = def ? &def->output_arg() : callee ? &callee->signature().output_arg() : nullptr;
      if (outs) {
        int flat = 0;
        bool found = false;
        for (const auto &a : *outs) {
          if (a.name() == t.outArg) {
            found = true;
            break;
          }
          flat += outputArgSize(a, producer);
        }
        if (!found)
          return emitError(loc) << "'" << ref << "': node '" << t.node << "' (" << producer.op()
                                << ") has no output '" << t.outArg << "'",
                 failure();
        index += flat;
      } else if (isCallOp(producer.op())) {
        index = t.index; // "output:i"
      }
    }
    if (index < 0 || index >= static_cast<int>(it->second.size()))
      return emitError(loc) << "'" << ref << "': node '" << t.node << "' has "
                            << it->second.size() << " outputs",
             failure();
    return it->second[index];
  };

  for (const tensorflow::NodeDef *node : *order) {
    Location loc = locFor(*node, fnName);
    std::vector<Val> inputs;
    for (const auto &in : node->input()) {
      RefTarget t = body.resolve(in);
      if (t.control)
        continue;
      auto v = lookup(t, in, loc);
      if (failed(v))
        return failure();
      inputs.push_back(*v);
    }
    std::string callee;
    if (isCallOp(node->op())) {
      auto f = node->attr().find("f");
      callee = f == node->attr().end() ? "" : f->second.func().name();
    } else if (function(node->op())) {
      callee = node->op();
    }
    if (!callee.empty()) {
      auto results = callFunction(callee, inputs, loc);
      if (failed(results))
        return failure();
      env[node->name()] = std::move(*results);
      continue;
    }
    auto handler = ::smc::import::opTable().find(node->op());
    if (handler == ::smc::import::opTable().end())
      return emitError(loc) << "unsupported TensorFlow op " << node->op() << " (node '"
                            << node->name() << "')",
             failure();
    NodeContext ctx(*this, *node, loc, std::move(inputs), fnName);
    if (failed(handler->second(ctx)))
      return failure();
    env[node->name()] = std::move(ctx.outputs);
  }

  std::vector<Val> results;
  for (const auto &f : fetches) {
    auto v = lookup(body.resolve(f), f, bodyLoc);
    if (failed(v))
      return failure();
    results.push_back(*v);
  }
  return results;
}

void ImportState::visitOps(const tensorflow::FunctionDef *fn,
                           const std::vector<std::string> &fetches,
                           const std::vector<std::string> &targets,
                           const std::set<std::string> &feeds,
                           std::set<std::string> &visitedFunctions,
                           const std::function<void(const tensorflow::NodeDef &,
                                                    const std::string &)> &visit) {
  BodyView body(metaGraph.graph_def(), fn);
  std::string fnName = fn ? fn->signature().name() : "";
  // Structural problems (missing nodes, cycles) are reported by importBody itself.
  ScopedDiagnosticHandler silence(module.getContext(), [](Diagnostic &) { return success(); });
  auto order = neededNodes(body, fetches, targets, feeds,
                           UnknownLoc::get(module.getContext()), "");
  if (failed(order))
    return;
  for (const tensorflow::NodeDef *node : *order) {
    std::string callee;
    if (isCallOp(node->op())) {
      auto f = node->attr().find("f");
      callee = f == node->attr().end() ? "" : f->second.func().name();
    } else if (function(node->op())) {
      callee = node->op();
    }
    if (!callee.empty()) {
      const tensorflow::FunctionDef *f = function(callee);
      if (!f || !visitedFunctions.insert(callee).second)
        continue;
      std::vector<std::string> fFetches, fTargets;
      for (const auto &o : f->signature().output_arg()) {
        auto it = f->ret().find(o.name());
        if (it != f->ret().end())
          fFetches.push_back(it->second);
      }
      for (const auto &kv : f->control_ret())
        fTargets.push_back(kv.second);
      visitOps(f, fFetches, fTargets, {}, visitedFunctions, visit);
      continue;
    }
    visit(*node, fnName);
  }
}

void ImportState::collectUnsupported(const tensorflow::FunctionDef *fn,
                                     const std::vector<std::string> &fetches,
                                     const std::vector<std::string> &targets,
                                     const std::set<std::string> &feeds,
                                     std::set<std::string> &visitedFunctions,
                                     std::vector<std::string> &out) {
  visitOps(fn, fetches, targets, feeds, visitedFunctions,
           [&](const tensorflow::NodeDef &node, const std::string &fnName) {
             if (!opTable().count(node.op()))
               out.push_back(absl::StrCat(node.op(), " (node '", node.name(), "'",
                                          fnName.empty() ? ""
                                                         : absl::StrCat(" in function '", fnName, "'"),
                                          ")"));
           });
}

//===----------------------------------------------------------------------===//
// Signatures and functions
//===----------------------------------------------------------------------===//

namespace smc {
auto identifierFor(const std::string &name) -> std::string {
  std::string out;
  for (char c : name)
    out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  size_t b = out.find_first_not_of('_'), e = out.find_last_not_of('_');
  out = b == std::string::npos ? "" : out.substr(b, e - b + 1);
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0])))
    out = "f_" + out;
  return out;
}
} // namespace

namespace {

/// One input or output of an imported function.
struct Port {
  std::string key;      // signature key / argument name
  int dtype = 0;
  tensorflow::TensorShapeProto shape;
  std::string tensor;   // top level: the fed or fetched tensor name
};

std::string formatTfShape(const tensorflow::TensorShapeProto &shape) {
  if (shape.unknown_rank())
    return "unknown_rank";
  std::vector<std::string> dims;
  for (const auto &d : shape.dim())
    dims.push_back(std::to_string(d.size()));
  return "(" + absl::StrJoin(dims, ", ") + ")";
}

class ModuleImporter {
public:
  ModuleImporter(const SavedModel &model, const ImportOptions &options, ModuleOp module)
      : model(model), options(options), module(module) {}

  LogicalResult run();

private:
  LogicalResult importSignature(const std::string &key);
  LogicalResult importFunction(const std::string &path);
  /// Pins the shape of input `port`; null type after an error.
  RankedTensorType inputType(const std::string &label, const Port &port, Location loc);
  /// Creates func @name with `inputs`; body built by `build` from the block arguments.
  LogicalResult buildFunction(const std::string &label, const std::vector<Port> &inputs,
                              const std::vector<std::string> &outputNames,
                              std::function<FailureOr<std::vector<Val>>(ArrayRef<Value>)> build);

  const SavedModel &model;
  const ImportOptions &options;
  ModuleOp module;
  const tensorflow::MetaGraphDef *metaGraph = nullptr;
  std::unique_ptr<VariableBindings> bindings;
  std::unique_ptr<ImportState> state;
  std::set<std::string> usedNames;
  std::set<std::string> inputKeys; // every "key" and "label:key" of the imported inputs
};

} // namespace

RankedTensorType ModuleImporter::inputType(const std::string &label, const Port &port,
                                           Location loc) {
  MLIRContext *ctx = module.getContext();
  Type elem = ::smc::import::elementTypeFor(ctx, port.dtype);
  if (!elem) {
    emitError(loc) << "input '" << port.key << "' has dtype " << dtypeName(port.dtype)
                   << ", which smc does not support";
    return nullptr;
  }
  // "signature:key" pins one function's input; "key" pins that input of every function.
  auto pinned = options.inputShapes.find(label + ":" + port.key);
  if (pinned == options.inputShapes.end())
    pinned = options.inputShapes.find(port.key);
  inputKeys.insert(label + ":" + port.key);
  inputKeys.insert(port.key);
  if (pinned != options.inputShapes.end()) {
    const auto &dims = pinned->second;
    if (!port.shape.unknown_rank()) {
      if (static_cast<int>(dims.size()) != port.shape.dim_size()) {
        emitError(loc) << "--input-shape " << port.key << " has rank " << dims.size()
                       << ", but the input has shape " << formatTfShape(port.shape);
        return nullptr;
      }
      for (int i = 0; i < port.shape.dim_size(); ++i)
        if (port.shape.dim(i).size() >= 0 && port.shape.dim(i).size() != dims[i]) {
          emitError(loc) << "--input-shape " << port.key << " sets dimension " << i << " to "
                         << dims[i] << ", but the model fixes it at "
                         << port.shape.dim(i).size();
          return nullptr;
        }
    }
    return RankedTensorType::get(dims, elem);
  }
  if (port.shape.unknown_rank())
    return RankedTensorType::get({}, elem); // unknown rank defaults to a scalar
  SmallVector<int64_t> dims;
  for (const auto &d : port.shape.dim())
    dims.push_back(d.size() < 0 ? 1 : d.size());
  return RankedTensorType::get(dims, elem);
}

LogicalResult ModuleImporter::buildFunction(
    const std::string &label, const std::vector<Port> &inputs,
    const std::vector<std::string> &outputNames,
    std::function<FailureOr<std::vector<Val>>(ArrayRef<Value>)> build) {
  MLIRContext *ctx = module.getContext();
  Location loc = NameLoc::get(StringAttr::get(ctx, label));
  std::string name = ::smc::identifierFor(label);
  if (!usedNames.insert(name).second)
    return emitError(loc) << "two selected signatures/functions map to the C++ name '" << name
                          << "'";
  SmallVector<Type> argTypes;
  for (const auto &p : inputs) {
    auto t = inputType(label, p, loc);
    if (!t)
      return failure();
    argTypes.push_back(t);
  }
  OpBuilder &b = state->builder;
  b.setInsertionPointToEnd(module.getBody());
  auto func = b.create<func::FuncOp>(loc, name, b.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  b.setInsertionPointToStart(entry);
  SmallVector<Value> blockArgs(entry->getArguments().begin(), entry->getArguments().end());
  auto results = build(blockArgs);
  if (failed(results)) {
    func.erase();
    return failure();
  }
  SmallVector<Value> values;
  for (size_t i = 0; i < results->size(); ++i) {
    const Val &v = (*results)[i];
    if (!v.value) {
      func.erase();
      return emitError(loc) << "output '" << outputNames[i] << "' of '" << label
                            << "' is not a tensor";
    }
    values.push_back(v.value);
  }
  b.create<func::ReturnOp>(loc, values);
  func.setType(b.getFunctionType(argTypes, ValueRange(values).getTypes()));
  using mlir::smc::SmcDialect;
  SmcDialect::SignatureAttrHelper(ctx).setAttr(func, b.getStringAttr(label));
  StringAttr key = SmcDialect::NameAttrHelper(ctx).getName();
  StringAttr tensorType = SmcDialect::TensorTypeAttrHelper(ctx).getName();
  for (size_t i = 0; i < inputs.size(); ++i) {
    func.setArgAttr(i, key, b.getStringAttr(inputs[i].key));
    func.setArgAttr(i, SmcDialect::TfShapeAttrHelper(ctx).getName(),
                    b.getStringAttr(formatTfShape(inputs[i].shape)));
    func.setArgAttr(i, tensorType, TypeAttr::get(argTypes[i]));
  }
  for (size_t i = 0; i < outputNames.size(); ++i) {
    func.setResultAttr(i, key, b.getStringAttr(outputNames[i]));
    func.setResultAttr(i, tensorType, TypeAttr::get(values[i].getType()));
  }
  return success();
}

LogicalResult ModuleImporter::importSignature(const std::string &key) {
  MLIRContext *ctx = module.getContext();
  Location loc = NameLoc::get(StringAttr::get(ctx, key));
  auto sig = model.signature(*metaGraph, key);
  if (!sig.ok())
    return emitError(loc) << std::string(sig.status().message());
  std::vector<Port> inputs, outputs;
  for (const auto &[k, info] : (*sig)->inputs()) {
    if (info.encoding_case() != tensorflow::TensorInfo::kName)
      return emitError(loc) << "signature '" << key << "' input '" << k
                            << "' is a sparse or composite tensor, which smc does not support";
    inputs.push_back({k, info.dtype(), info.tensor_shape(), canonicalTensorName(info.name())});
  }
  for (const auto &[k, info] : (*sig)->outputs()) {
    if (info.encoding_case() != tensorflow::TensorInfo::kName)
      return emitError(loc) << "signature '" << key << "' output '" << k
                            << "' is a sparse or composite tensor, which smc does not support";
    outputs.push_back({k, info.dtype(), info.tensor_shape(), canonicalTensorName(info.name())});
  }
  auto byKey = [](const Port &a, const Port &b) { return a.key < b.key; };
  std::sort(inputs.begin(), inputs.end(), byKey);
  std::sort(outputs.begin(), outputs.end(), byKey);

  std::vector<std::string> fetches, outputNames;
  std::set<std::string> fed;
  for (const auto &p : outputs) {
    fetches.push_back(p.tensor);
    outputNames.push_back(p.key);
  }
  for (const auto &p : inputs)
    fed.insert(p.tensor);
  std::vector<std::string> unsupported;
  std::set<std::string> visited;
  state->collectUnsupported(nullptr, fetches, {}, fed, visited, unsupported);
  if (!unsupported.empty())
    return emitError(loc) << "signature '" << key << "' uses " << unsupported.size()
                          << " unsupported TensorFlow op(s): " << absl::StrJoin(unsupported, ", ");

  return buildFunction(key, inputs, outputNames, [&](ArrayRef<Value> args) {
    std::map<std::string, Val> feeds;
    for (size_t i = 0; i < inputs.size(); ++i)
      feeds[inputs[i].tensor] = Val::of(args[i]);
    return state->importBody(nullptr, fetches, {}, feeds, {});
  });
}

/// Flattens a structured value the way TF lines it up with function arguments: depth first,
/// dict entries by sorted key; each TensorSpec is one tensor named after its spec or `prefix`.
static void flattenSpecs(const tensorflow::StructuredValue &v, const std::string &prefix,
                         std::vector<Port> &out, std::vector<std::string> &unsupported) {
  using SV = tensorflow::StructuredValue;
  switch (v.kind_case()) {
  case SV::kTensorSpecValue: {
    const auto &s = v.tensor_spec_value();
    out.push_back({s.name().empty() ? prefix : s.name(), s.dtype(), s.shape(), ""});
    break;
  }
  case SV::kBoundedTensorSpecValue: {
    const auto &s = v.bounded_tensor_spec_value();
    out.push_back({s.name().empty() ? prefix : s.name(), s.dtype(), s.shape(), ""});
    break;
  }
  case SV::kListValue:
  case SV::kTupleValue: {
    const auto &values = v.kind_case() == SV::kListValue ? v.list_value().values()
                                                         : v.tuple_value().values();
    for (int i = 0; i < values.size(); ++i)
      flattenSpecs(values[i], prefix + "_" + std::to_string(i), out, unsupported);
    break;
  }
  case SV::kDictValue: {
    std::vector<std::string> keys;
    for (const auto &kv : v.dict_value().fields())
      keys.push_back(kv.first);
    std::sort(keys.begin(), keys.end());
    for (const auto &k : keys)
      flattenSpecs(v.dict_value().fields().at(k), k, out, unsupported);
    break;
  }
  case SV::kNamedTupleValue:
    for (const auto &p : v.named_tuple_value().values())
      flattenSpecs(p.value(), p.key(), out, unsupported);
    break;
  case SV::kTypeSpecValue:
    unsupported.push_back(prefix);
    break;
  default: // None, Python constants: no tensor
    break;
  }
}

LogicalResult ModuleImporter::importFunction(const std::string &path) {
  MLIRContext *ctx = module.getContext();
  Location loc = NameLoc::get(StringAttr::get(ctx, path));
  if (!metaGraph->has_object_graph_def())
    return emitError(loc) << "--function needs a TF2 SavedModel (this one has no object graph)";
  const auto &graph = metaGraph->object_graph_def();
  int id = 0;
  for (const std::string &part : std::vector<std::string>(absl::StrSplit(path, '.'))) {
    if (id < 0 || id >= graph.nodes_size())
      return emitError(loc) << "invalid object graph";
    int next = -1;
    std::vector<std::string> names;
    for (const auto &c : graph.nodes(id).children()) {
      names.push_back(c.local_name());
      if (c.local_name() == part)
        next = c.node_id();
    }
    if (next < 0) {
      std::sort(names.begin(), names.end());
      return emitError(loc) << "the object graph has no attribute '" << part << "' on the path '"
                            << path << "'; attributes there: " << absl::StrJoin(names, ", ");
    }
    id = next;
  }
  if (id < 0 || id >= graph.nodes_size())
    return emitError(loc) << "invalid object graph node for '" << path << "'";
  const auto &obj = graph.nodes(id);
  std::string fnName;
  if (obj.has_function()) {
    if (obj.function().concrete_functions_size() != 1)
      return emitError(loc) << "function '" << path << "' has "
                            << obj.function().concrete_functions_size()
                            << " concrete functions; smc compiles a function with exactly one "
                            << "(give it an input_signature, or export a signature)";
    fnName = obj.function().concrete_functions(0);
  } else if (obj.has_bare_concrete_function()) {
    fnName = obj.bare_concrete_function().concrete_function_name();
  } else {
    return emitError(loc) << "'" << path << "' is not a function";
  }
  auto cfIt = graph.concrete_functions().find(fnName);
  const tensorflow::FunctionDef *fn = state->function(fnName);
  if (cfIt == graph.concrete_functions().end() || !fn)
    return emitError(loc) << "function '" << path << "': concrete function '" << fnName
                          << "' is missing from the SavedModel";
  const auto &cf = cfIt->second;

  std::vector<Port> inputs, outputs;
  std::vector<std::string> unsupportedSpecs;
  flattenSpecs(cf.canonicalized_input_signature(), "arg", inputs, unsupportedSpecs);
  std::vector<Port> outSpecs;
  flattenSpecs(cf.output_signature(), "output_0", outSpecs, unsupportedSpecs);
  if (!unsupportedSpecs.empty())
    return emitError(loc) << "function '" << path << "' takes or returns composite values ("
                          << absl::StrJoin(unsupportedSpecs, ", ") << "), which smc does not support";
  int numArgs = fn->signature().input_arg_size();
  if (static_cast<int>(inputs.size() + cf.bound_inputs_size()) != numArgs)
    return emitError(loc) << "function '" << path << "': " << inputs.size() << " inputs and "
                          << cf.bound_inputs_size() << " captures do not match the "
                          << numArgs << " arguments of '" << fnName << "'";
  std::vector<std::string> outputNames;
  bool single = cf.output_signature().has_tensor_spec_value();
  for (size_t i = 0; i < outSpecs.size(); ++i)
    outputNames.push_back(single ? "output_0"
                          : cf.output_signature().has_dict_value() ? outSpecs[i].key
                                                                   : "output_" + std::to_string(i));
  if (static_cast<int>(outputNames.size()) != fn->signature().output_arg_size()) {
    outputNames.clear();
    for (int i = 0; i < fn->signature().output_arg_size(); ++i)
      outputNames.push_back("output_" + std::to_string(i));
  }

  std::vector<std::string> fetches, targets;
  for (const auto &o : fn->signature().output_arg())
    fetches.push_back(fn->ret().at(o.name()));
  for (const auto &kv : fn->control_ret())
    targets.push_back(kv.second);
  std::sort(targets.begin(), targets.end());
  std::vector<std::string> unsupported;
  std::set<std::string> visited;
  state->collectUnsupported(fn, fetches, targets, {}, visited, unsupported);
  if (!unsupported.empty())
    return emitError(loc) << "function '" << path << "' uses " << unsupported.size()
                          << " unsupported TensorFlow op(s): " << absl::StrJoin(unsupported, ", ");

  return buildFunction(path, inputs, outputNames, [&](ArrayRef<Value> blockArgs) -> FailureOr<std::vector<Val>> {
    std::vector<Val> args;
    for (Value v : blockArgs)
      args.push_back(Val::of(v));
    for (int nodeId : cf.bound_inputs()) {
      if (nodeId < 0 || nodeId >= graph.nodes_size())
        return emitError(loc) << "invalid capture", failure();
      const auto &captured = graph.nodes(nodeId);
      if (captured.has_variable()) {
        auto key = bindings->objectKeys().find(nodeId);
        if (key == bindings->objectKeys().end())
          return emitError(loc) << "variable '" << captured.variable().name()
                                << "' captured by '" << path << "' has no checkpoint value",
                 failure();
        auto sym = state->globalFor(key->second, loc);
        if (failed(sym))
          return failure();
        args.push_back(Val::ofResource({*sym, false}));
      } else if (captured.has_constant()) {
        const tensorflow::NodeDef *constNode = nullptr;
        for (const auto &n : metaGraph->graph_def().node())
          if (n.name() == captured.constant().operation())
            constNode = &n;
        auto value = constNode ? constNode->attr().find("value") : decltype(constNode->attr().find("")){};
        if (!constNode || value == constNode->attr().end())
          return emitError(loc) << "captured constant '" << captured.constant().operation()
                                << "' not found",
                 failure();
        auto tensor = tensorFromProto(value->second.tensor());
        Type elem = tensor.ok() ? ::smc::import::elementTypeFor(ctx, tensor->dtype) : Type();
        if (!elem)
          return emitError(loc) << "captured constant '" << captured.constant().operation()
                                << "' has an unsupported dtype",
                 failure();
        auto type = RankedTensorType::get(tensor->shape, elem);
        auto attr = ::smc::import::attrFromTensor(type, *tensor);
        if (failed(attr))
          return emitError(loc) << "captured constant has inconsistent size", failure();
        args.push_back(Val::of(state->builder.create<arith::ConstantOp>(loc, *attr)));
      } else {
        return emitError(loc) << "function '" << path << "' captures object " << nodeId
                              << ", which is neither a variable nor a constant (assets and "
                              << "resources are not supported)",
               failure();
      }
    }
    return state->importBody(fn, fetches, targets, {}, args);
  });
}

LogicalResult ModuleImporter::run() {
  MLIRContext *ctx = module.getContext();
  ctx->loadDialect<mlir::smc::SmcDialect, func::FuncDialect, arith::ArithDialect>();
  Location loc = NameLoc::get(StringAttr::get(ctx, model.dir()));
  auto mg = model.metaGraph(options.tagSet);
  if (!mg.ok())
    return emitError(loc) << std::string(mg.status().message());
  metaGraph = *mg;
  auto b = VariableBindings::create(model, *metaGraph);
  if (!b.ok())
    return emitError(loc) << std::string(b.status().message());
  bindings = std::make_unique<VariableBindings>(std::move(*b));
  state = std::make_unique<ImportState>(model, *metaGraph, module, *bindings);

  std::vector<std::string> keys;
  for (const auto &s : options.signatures) {
    if (s == "all") {
      for (const auto &kv : metaGraph->signature_def())
        if (kv.first != "__saved_model_init_op")
          keys.push_back(kv.first);
    } else {
      keys.push_back(s);
    }
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  if (keys.empty() && options.functions.empty())
    return emitError(loc) << "nothing to compile: give --signature KEY (or all) or --function PATH";
  bool ok = true;
  for (const auto &k : keys)
    ok &= succeeded(importSignature(k));
  for (const auto &f : options.functions)
    ok &= succeeded(importFunction(f));
  if (!ok)
    return failure();
  // A pin that matches no input is a mistake (a typo would otherwise be silently ignored).
  for (const auto &kv : options.inputShapes) {
    if (inputKeys.count(kv.first))
      continue;
    std::vector<std::string> names;
    for (const auto &k : inputKeys)
      if (k.find(':') == std::string::npos)
        names.push_back(k);
    return emitError(loc) << "--input-shape " << kv.first
                          << ": no compiled signature or function has this input; inputs: "
                          << (names.empty() ? std::string("(none)") : absl::StrJoin(names, ", "));
  }
  return success();
}

namespace smc {
auto importSavedModel(const SavedModel &model, const ImportOptions &options,
                           ModuleOp module) -> LogicalResult {
  ModuleImporter importer(model, options, module);
  return importer.run();
}
} // namespace

namespace smc {
auto signatureOps(const SavedModel &model, const std::string &tagSet,
                  const std::string &signature, MLIRContext &context)
    -> FailureOr<std::vector<std::string>> {
  Location loc = NameLoc::get(StringAttr::get(&context, signature));
  auto mg = model.metaGraph(tagSet);
  if (!mg.ok())
    return emitError(loc) << std::string(mg.status().message()), failure();
  auto sig = model.signature(**mg, signature);
  if (!sig.ok())
    return emitError(loc) << std::string(sig.status().message()), failure();
  auto bindings = VariableBindings::create(model, **mg);
  if (!bindings.ok())
    return emitError(loc) << std::string(bindings.status().message()), failure();
  OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&context));
  ImportState state(model, **mg, *module, *bindings);
  std::vector<std::string> fetches;
  std::set<std::string> feeds, visited, ops;
  for (const auto &kv : (*sig)->outputs())
    fetches.push_back(canonicalTensorName(kv.second.name()));
  for (const auto &kv : (*sig)->inputs())
    feeds.insert(canonicalTensorName(kv.second.name()));
  state.visitOps(nullptr, fetches, {}, feeds, visited,
                 [&](const tensorflow::NodeDef &node, const std::string &) { ops.insert(node.op()); });
  return std::vector<std::string>(ops.begin(), ops.end());
}
} // namespace smc
