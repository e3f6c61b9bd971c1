//===- Variables.cpp - Binding variable nodes to checkpoint keys ----------===//

#include "smc/SavedModel/Variables.h"

#include "ProtoLog.h"

#include "checkpoint.pb.h"
#include "saved_model.pb.h"

#include "absl/strings/str_cat.h"

#include <deque>
#include <set>

using namespace smc;

TensorRef smc::parseTensorRef(const std::string &name) {
  TensorRef ref;
  if (!name.empty() && name[0] == '^') {
    ref.node = name.substr(1);
    ref.index = -1;
    return ref;
  }
  size_t colon = name.rfind(':');
  if (colon != std::string::npos && colon + 1 < name.size() &&
      name.find_first_not_of("0123456789", colon + 1) == std::string::npos &&
      name.size() - colon - 1 <= 9) {
    ref.node = name.substr(0, colon);
    ref.index = std::stoi(name.substr(colon + 1));
  } else {
    ref.node = name;
  }
  return ref;
}

static bool isVariableOp(const std::string &op) {
  return op == "VarHandleOp" || op == "VariableV2" || op == "Variable";
}

static bool isCallOp(const std::string &op) {
  return op == "StatefulPartitionedCall" || op == "PartitionedCall";
}

/// TF2: the checkpoint key of each SavedObject, by walking the checkpoint's trackable object
/// graph and the SavedModel's object graph in parallel from their roots, matching children
/// by local name.
static absl::StatusOr<std::map<int, std::string>>
objectCheckpointKeys(const TensorBundle &bundle, const tensorflow::SavedObjectGraph &saved) {
  std::map<int, std::string> keys;
  const std::string graphKey = "_CHECKPOINTABLE_OBJECT_GRAPH";
  if (!bundle.contains(graphKey))
    return keys;
  auto tensor = bundle.read(graphKey);
  if (!tensor.ok())
    return tensor.status();
  if (tensor->dtype != 7 || tensor->strings.size() != 1)
    return absl::DataLossError(absl::StrCat(bundle.prefix(), ".index: ", graphKey,
                                            " is not a scalar string tensor"));
  tensorflow::TrackableObjectGraph trackable;
  ProtoLogCapture log;
  if (!trackable.ParseFromString(tensor->strings[0]))
    return absl::DataLossError(absl::StrCat(bundle.prefix(), ": ", graphKey,
                                            " does not hold a valid TrackableObjectGraph",
                                            log.problem()));
  if (trackable.nodes_size() == 0 || saved.nodes_size() == 0)
    return keys;
  std::set<int> visited = {0};
  std::deque<std::pair<int, int>> work = {{0, 0}}; // (trackable id, saved id)
  while (!work.empty()) {
    auto [tid, sid] = work.front();
    work.pop_front();
    const auto &tnode = trackable.nodes(tid);
    const auto &snode = saved.nodes(sid);
    if (tid != 0)
      for (const auto &attr : tnode.attributes())
        if (attr.name() == "VARIABLE_VALUE")
          keys[sid] = attr.checkpoint_key();
    for (const auto &tchild : tnode.children()) {
      int ct = tchild.node_id();
      if (ct < 0 || ct >= trackable.nodes_size() || visited.count(ct))
        continue;
      for (const auto &schild : snode.children()) {
        if (schild.local_name() != tchild.local_name())
          continue;
        int cs = schild.node_id();
        if (cs < 0 || cs >= saved.nodes_size())
          break;
        visited.insert(ct);
        work.emplace_back(ct, cs);
        break;
      }
    }
  }
  return keys;
}

/// Follows Identity nodes back from `ref` in `graph`.
static TensorRef skipIdentities(const std::map<std::string, const tensorflow::NodeDef *> &nodes,
                                TensorRef ref) {
  for (int guard = 0; guard < 100; ++guard) {
    auto it = nodes.find(ref.node);
    if (it == nodes.end() || it->second->op() != "Identity" || it->second->input_size() == 0)
      break;
    ref = parseTensorRef(it->second->input(0));
  }
  return ref;
}

absl::StatusOr<VariableBindings>
VariableBindings::create(const SavedModel &model, const tensorflow::MetaGraphDef &metaGraph) {
  VariableBindings result;
  auto bundleOr = model.bundle();
  if (!bundleOr.ok())
    return bundleOr.status();
  const TensorBundle *bundle = *bundleOr;
  if (!bundle) {
    // No checkpoint, no variables to bind.
    result.missingIndex_ = model.dir() + "/variables/variables.index";
    return result;
  }

  const tensorflow::GraphDef &graph = metaGraph.graph_def();
  std::map<std::string, const tensorflow::NodeDef *> nodes;
  for (const auto &n : graph.node())
    nodes[n.name()] = &n;

  // Route A (TF2): call sites pass captured objects as trailing inputs.
  if (metaGraph.has_object_graph_def()) {
    const auto &saved = metaGraph.object_graph_def();
    auto keys = objectCheckpointKeys(*bundle, saved);
    if (!keys.ok())
      return keys.status();
    result.objectKeys_ = *keys;
    for (const auto &n : graph.node()) {
      if (!isCallOp(n.op()))
        continue;
      auto f = n.attr().find("f");
      if (f == n.attr().end())
        continue;
      auto fn = saved.concrete_functions().find(f->second.func().name());
      if (fn == saved.concrete_functions().end())
        continue;
      std::vector<std::string> dataInputs;
      for (const auto &in : n.input())
        if (in.empty() || in[0] != '^')
          dataInputs.push_back(in);
      const auto &bound = fn->second.bound_inputs();
      if (bound.size() > static_cast<int>(dataInputs.size()))
        continue;
      size_t first = dataInputs.size() - bound.size();
      for (int i = 0; i < bound.size(); ++i) {
        std::string varNode = parseTensorRef(dataInputs[first + i]).node;
        auto key = result.objectKeys_.find(bound[i]);
        auto vn = nodes.find(varNode);
        if (key == result.objectKeys_.end() || vn == nodes.end() || !isVariableOp(vn->second->op()))
          continue;
        result.byNode_[varNode] = {varNode, key->second, bound[i]};
      }
    }
  }

  // Route B (TF1, and TF2 variables no call site names): the restore ops.
  for (const auto &n : graph.node()) {
    if ((n.op() != "Assign" && n.op() != "AssignVariableOp") || n.input_size() < 2)
      continue;
    std::string varNode = parseTensorRef(n.input(0)).node;
    auto vn = nodes.find(varNode);
    if (vn == nodes.end() || !isVariableOp(vn->second->op()) || result.byNode_.count(varNode))
      continue;
    TensorRef value = skipIdentities(nodes, parseTensorRef(n.input(1)));
    auto restore = nodes.find(value.node);
    if (restore == nodes.end() || restore->second->op() != "RestoreV2" ||
        restore->second->input_size() < 2 || value.index < 0)
      continue;
    auto names = nodes.find(parseTensorRef(restore->second->input(1)).node);
    if (names == nodes.end() || names->second->op() != "Const")
      continue;
    auto valueAttr = names->second->attr().find("value");
    if (valueAttr == names->second->attr().end())
      continue;
    auto keys = tensorFromProto(valueAttr->second.tensor());
    if (!keys.ok() || value.index >= static_cast<int>(keys->strings.size()))
      continue;
    result.byNode_[varNode] = {varNode, keys->strings[value.index], -1};
  }

  // Route C: a checkpoint key equal to the variable's name.
  for (const auto &n : graph.node()) {
    if (!isVariableOp(n.op()) || result.byNode_.count(n.name()))
      continue;
    std::string name = n.name();
    auto shared = n.attr().find("shared_name");
    if (shared != n.attr().end() && !shared->second.s().empty() && !bundle->contains(name))
      name = shared->second.s();
    if (bundle->contains(name))
      result.byNode_[n.name()] = {n.name(), name, -1};
  }
  return result;
}

absl::StatusOr<const VariableBinding *>
VariableBindings::lookup(const std::string &node) const {
  auto it = byNode_.find(node);
  if (it == byNode_.end() && !missingIndex_.empty())
    return absl::NotFoundError(absl::StrCat("variable node '", node, "' has no value: ",
                                            missingIndex_, " (the checkpoint) does not exist"));
  if (it == byNode_.end())
    return absl::NotFoundError(
        absl::StrCat("variable node '", node, "' has no value in the checkpoint"));
  return &it->second;
}

absl::StatusOr<std::vector<SignatureVariable>>
smc::signatureVariables(const SavedModel &model, const tensorflow::MetaGraphDef &metaGraph,
                        const std::string &key) {
  auto sig = model.signature(metaGraph, key);
  if (!sig.ok())
    return sig.status();
  auto bindings = VariableBindings::create(model, metaGraph);
  if (!bindings.ok())
    return bindings.status();

  const tensorflow::GraphDef &graph = metaGraph.graph_def();
  std::map<std::string, const tensorflow::NodeDef *> nodes;
  for (const auto &n : graph.node())
    nodes[n.name()] = &n;

  // Fed tensors cut the graph: nothing upstream of them is computed.
  std::set<std::pair<std::string, int>> fed;
  for (const auto &[k, info] : (*sig)->inputs()) {
    TensorRef r = parseTensorRef(info.name());
    fed.insert({r.node, r.index});
  }
  std::set<std::string> visited;
  std::vector<std::string> work;
  auto visit = [&](const std::string &name) {
    TensorRef r = parseTensorRef(name);
    if (r.index >= 0 && fed.count({r.node, r.index}))
      return;
    if (visited.insert(r.node).second)
      work.push_back(r.node);
  };
  for (const auto &[k, info] : (*sig)->outputs())
    visit(info.name());
  std::vector<std::string> variables;
  while (!work.empty()) {
    std::string name = work.back();
    work.pop_back();
    auto it = nodes.find(name);
    if (it == nodes.end())
      return absl::NotFoundError(absl::StrCat(model.modelFile(), ": signature \"", key,
                                              "\" refers to node '", name,
                                              "', which is not in the graph"));
    if (isVariableOp(it->second->op()))
      variables.push_back(name);
    for (const auto &in : it->second->input())
      visit(in);
  }

  auto bundleOr = model.bundle();
  if (!bundleOr.ok())
    return bundleOr.status();
  std::vector<SignatureVariable> result;
  std::sort(variables.begin(), variables.end());
  for (const auto &v : variables) {
    auto binding = bindings->lookup(v);
    if (!binding.ok())
      return absl::NotFoundError(absl::StrCat(model.modelFile(), ": signature \"", key,
                                              "\": ", binding.status().message()));
    if (!*bundleOr)
      return absl::NotFoundError(absl::StrCat(model.dir(), ": signature \"", key,
                                              "\" reads variables but there is no "
                                              "variables/variables.index"));
    auto value = (*bundleOr)->read((*binding)->checkpointKey);
    if (!value.ok())
      return value.status();
    result.push_back({**binding, std::move(*value)});
  }
  return result;
}
