//===- GraphView.cpp - Graph bodies as the importer walks them ------------===//
//
// References, dependency order, a function's fetches and targets, calls. Both the import
// (ImportState::importBody) and the walks that only look (ImportState::visitOps: unsupported
// ops, `smc show`'s op list) go through these, so they agree on what a signature needs.
//
//===----------------------------------------------------------------------===//

#include "GraphView.h"

#include "smc/SavedModel/Variables.h"

#include "mlir/IR/Diagnostics.h"

#include "absl/strings/str_split.h"

#include <algorithm>

using namespace mlir;

namespace smc::import {

BodyView::BodyView(const tensorflow::GraphDef &graph, const tensorflow::FunctionDef *f) : fn(f) {
  auto add = [&](const tensorflow::NodeDef &n) {
    if (!nodes.emplace(n.name(), &n).second && duplicate.empty())
      duplicate = n.name();
  };
  if (fn) {
    for (const auto &n : fn->node_def())
      add(n);
    for (int i = 0; i < fn->signature().input_arg_size(); ++i)
      args[fn->signature().input_arg(i).name()] = i;
  } else {
    for (const auto &n : graph.node())
      add(n);
  }
}

RefTarget BodyView::resolve(const std::string &ref) const {
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

std::string canonicalTensorName(const std::string &name) {
  TensorRef r = parseTensorRef(name);
  return r.node + ":" + std::to_string(std::max(r.index, 0));
}

bool isMessageInput(const tensorflow::NodeDef &node, int i) {
  return node.op() == "Assert" && i >= 1 && !node.input(i).empty() && node.input(i)[0] != '^';
}

bool isCallOp(const std::string &op) {
  return op == "StatefulPartitionedCall" || op == "PartitionedCall";
}

int outputArgSize(const tensorflow::OpDef::ArgDef &arg, const tensorflow::NodeDef &node) {
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

FailureOr<FunctionIO> functionIO(const tensorflow::FunctionDef &fn, Location loc) {
  FunctionIO io;
  for (const auto &out : fn.signature().output_arg()) {
    auto it = fn.ret().find(out.name());
    if (it == fn.ret().end())
      return emitError(loc) << "function '" << fn.signature().name() << "' does not define output '"
                            << out.name() << "'",
             failure();
    io.fetches.push_back(it->second);
  }
  std::vector<std::string> keys;
  for (const auto &kv : fn.control_ret())
    keys.push_back(kv.first);
  std::sort(keys.begin(), keys.end());
  for (const auto &k : keys)
    io.targets.push_back(fn.control_ret().at(k));
  return io;
}

FailureOr<std::vector<const tensorflow::NodeDef *>>
neededNodes(const BodyView &body, const std::vector<std::string> &fetches,
            const std::vector<std::string> &targets, const std::set<std::string> &feeds,
            Location loc, const std::string &where) {
  if (!body.duplicate.empty())
    return emitError(loc) << where << ": two nodes are named '" << body.duplicate << "'",
           failure();
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
        if (isMessageInput(*f.node, f.next)) {
          ++f.next;
          continue;
        }
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

} // namespace smc::import
