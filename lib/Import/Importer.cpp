//===- Importer.cpp - Importing graph bodies, inlining calls --------------===//
//
// ImportState imports the nodes of a graph body that its fetches need, in dependency order,
// one handler per TF op (NodeContext.cpp, Ops*.cpp); function calls are inlined by importing
// the callee's body with the call's inputs as its arguments. Variables become `smc.global`s
// on first use. visitOps() walks the same nodes without importing them (unsupported ops,
// `smc show`'s op list).
//
//===----------------------------------------------------------------------===//

#include "Importer.h"
#include "GraphView.h"

#include "smc/Import/Import.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

using namespace mlir;
using namespace ::smc;
using namespace ::smc::import;

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

std::string ImportState::callee(const tensorflow::NodeDef &node) const {
  if (isCallOp(node.op())) {
    auto f = node.attr().find("f");
    return f == node.attr().end() ? "" : f->second.func().name();
  }
  return function(node.op()) ? node.op() : "";
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
  if (base.size() > suffix.size() &&
      base.compare(base.size() - suffix.size(), suffix.size(), suffix) == 0)
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
  auto value = attrFromTensor(type, *tensor);
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
  if (callDepth_ > kMaxCallDepth)
    return emitError(loc) << "function calls nest deeper than " << kMaxCallDepth
                          << " (recursion through '" << name << "'?)",
           failure();
  if (static_cast<int>(args.size()) != fn->signature().input_arg_size())
    return emitError(loc) << "function '" << name << "' takes " << fn->signature().input_arg_size()
                          << " inputs, the call passes " << args.size(),
           failure();
  auto io = functionIO(*fn, loc);
  if (failed(io))
    return failure();
  ++callDepth_;
  callChain_.push_back(name);
  auto result = importBody(fn, io->fetches, io->targets, {}, args);
  callChain_.pop_back();
  --callDepth_;
  return result;
}

FailureOr<std::vector<Val>> ImportState::importBody(const tensorflow::FunctionDef *fn,
                                                    const std::vector<std::string> &fetches,
                                                    const std::vector<std::string> &targets,
                                                    const std::map<std::string, Val> &feeds,
                                                    const std::vector<Val> &args) {
  BodyView body(metaGraph.graph_def(), fn);
  std::string fnName = body.name();
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
      const tensorflow::FunctionDef *called = function(producer.op());
      const auto *outs = def    ? &def->output_arg()
                         : called ? &called->signature().output_arg()
                                  : nullptr;
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
      }
      // Otherwise a call op's "output:i": `index` is already flat.
    }
    if (index < 0 || index >= static_cast<int>(it->second.size()))
      return emitError(loc) << "'" << ref << "': node '" << t.node << "' has " << it->second.size()
                            << " outputs",
             failure();
    return it->second[index];
  };

  // A node whose handler (or callee) fails has reported its error; the import goes on without
  // it, so that one run reports every node that cannot be compiled. Nodes that consume a failed
  // node's outputs are skipped silently (their error would only repeat it).
  std::set<std::string> failedNodes;
  for (const tensorflow::NodeDef *node : *order) {
    Location loc = locFor(*node, fnName);
    // Inlining repeats a function's nodes at every call: calls that fan out level after level
    // multiply them without bound.
    if (++importedNodes_ > kMaxImportedNodes) {
      if (!nodeBudgetReported_) {
        nodeBudgetReported_ = true;
        emitError(loc) << "the import inlines more than " << kMaxImportedNodes
                       << " nodes (function calls fanning out; the last call chain: "
                       << (callChain_.empty() ? std::string("none")
                                              : absl::StrJoin(callChain_, " -> "))
                       << ")";
      }
      return failure();
    }
    std::vector<Val> inputs;
    bool skip = false;
    for (int i = 0; i < node->input_size(); ++i) {
      const std::string &in = node->input(i);
      RefTarget t = body.resolve(in);
      if (t.control || isMessageInput(*node, i))
        continue;
      if (t.arg < 0 && failedNodes.count(t.node)) {
        skip = true;
        continue;
      }
      auto v = lookup(t, in, loc);
      if (failed(v))
        return failure();
      inputs.push_back(*v);
    }
    if (skip) {
      failedNodes.insert(node->name());
      continue;
    }
    std::string calleeName = callee(*node);
    if (!calleeName.empty()) {
      auto results = callFunction(calleeName, inputs, loc);
      if (failed(results))
        failedNodes.insert(node->name());
      else
        env[node->name()] = std::move(*results);
      continue;
    }
    auto handler = opTable().find(node->op());
    if (handler == opTable().end()) {
      emitError(loc) << "unsupported TensorFlow op " << node->op() << " (node '" << node->name()
                     << "')";
      failedNodes.insert(node->name());
      continue;
    }
    bool complexIn = llvm::any_of(inputs, [](const Val &v) { return v.complex.has_value(); });
    NodeContext ctx(*this, *node, loc, std::move(inputs), fnName);
    if (failed(complexIn && movesElementsOnly(node->op()) ? importPerPart(ctx, handler->second)
                                                          : handler->second(ctx))) {
      failedNodes.insert(node->name());
      continue;
    }
    // Handlers that build ops without createOrFold: their outputs get the same size check.
    bool tooBig = false;
    for (const Val &out : ctx.outputs)
      if (out.value && !tooBig)
        if (Operation *def = out.value.getDefiningOp())
          tooBig = failed(ctx.checkResultTypes(def));
    if (tooBig) {
      failedNodes.insert(node->name());
      continue;
    }
    env[node->name()] = std::move(ctx.outputs);
  }
  if (!failedNodes.empty())
    return failure();

  std::vector<Val> results;
  for (const auto &f : fetches) {
    auto v = lookup(body.resolve(f), f, bodyLoc);
    if (failed(v))
      return failure();
    results.push_back(*v);
  }
  return results;
}

void ImportState::visitOps(
    const tensorflow::FunctionDef *fn, const std::vector<std::string> &fetches,
    const std::vector<std::string> &targets, const std::set<std::string> &feeds,
    std::set<std::string> &visitedFunctions,
    const std::function<void(const tensorflow::NodeDef &, const std::string &)> &visit,
    int depth) {
  if (depth > kMaxCallDepth)
    return;
  BodyView body(metaGraph.graph_def(), fn);
  // Structural problems (missing nodes, cycles, missing outputs) are reported by importBody.
  ScopedDiagnosticHandler silence(module.getContext(), [](Diagnostic &) { return success(); });
  Location unknown = UnknownLoc::get(module.getContext());
  auto order = neededNodes(body, fetches, targets, feeds, unknown, "");
  if (failed(order))
    return;
  for (const tensorflow::NodeDef *node : *order) {
    std::vector<std::string> called;
    if (std::string calleeName = callee(*node); !calleeName.empty()) {
      called.push_back(calleeName);
    } else {
      visit(*node, body.name());
      // Functional control flow (If's branches, While's cond and body, Case's branches) runs
      // the functions its attributes name.
      for (const auto &kv : node->attr()) {
        if (!kv.second.func().name().empty())
          called.push_back(kv.second.func().name());
        for (const auto &f : kv.second.list().func())
          called.push_back(f.name());
      }
    }
    for (const std::string &name : called) {
      const tensorflow::FunctionDef *f = function(name);
      if (!f || !visitedFunctions.insert(name).second)
        continue;
      if (auto io = functionIO(*f, unknown); succeeded(io))
        visitOps(f, io->fetches, io->targets, {}, visitedFunctions, visit, depth + 1);
    }
  }
}

std::vector<std::string> ImportState::unsupportedOps(const tensorflow::FunctionDef *fn,
                                                     const std::vector<std::string> &fetches,
                                                     const std::vector<std::string> &targets,
                                                     const std::set<std::string> &feeds) {
  std::vector<std::string> out;
  std::set<std::string> visited;
  visitOps(fn, fetches, targets, feeds, visited,
           [&](const tensorflow::NodeDef &node, const std::string &fnName) {
             if (opTable().count(node.op()))
               return;
             std::string in = fnName.empty() ? "" : absl::StrCat(" in function '", fnName, "'");
             out.push_back(absl::StrCat(node.op(), " (node '", node.name(), "'", in, ")"));
           });
  return out;
}
