//===- Show.cpp - saved_model_cli-compatible reports ----------------------===//
//
// The layout reproduced here is saved_model_cli's (two spaces per indent level, keys sorted,
// Python reprs); see docs/cli.md for the one deliberate difference (sorted op sets).
//
//===----------------------------------------------------------------------===//

#include "smc/Show/Show.h"

#include "PyRepr.h"

#include "smc/SavedModel/Tensor.h"

#include "saved_model.pb.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include <algorithm>
#include <map>
#include <set>

using namespace smc;
using namespace smc::show;
using tensorflow::StructuredValue;

namespace {

/// saved_model_cli's `_print_args` for the arguments of one concrete function.
void printArgs(std::string &out, const std::vector<const StructuredValue *> &args,
               const std::vector<std::string> *names, const char *argumentType) {
  const std::string indent(8, ' ');
  for (size_t i = 0; i < args.size(); ++i) {
    absl::StrAppend(&out, indent, argumentType, " #", i + 1, "\n");
    if (names) { // Named arguments: saved_model_cli prints the keyword only.
      absl::StrAppend(&out, indent, "  ", (*names)[i], "\n");
      continue;
    }
    const StructuredValue &a = *args[i];
    switch (a.kind_case()) {
    case StructuredValue::kStringValue:
      absl::StrAppend(&out, indent, "  ", a.string_value(), "\n");
      break;
    case StructuredValue::kTensorSpecValue:
    case StructuredValue::kBoundedTensorSpecValue: {
      const std::string &name = a.kind_case() == StructuredValue::kTensorSpecValue
                                    ? a.tensor_spec_value().name()
                                    : a.bounded_tensor_spec_value().name();
      absl::StrAppend(&out, std::string(10, ' '), name.empty() ? "None" : name, ": ", pyRepr(a),
                      "\n");
      break;
    }
    case StructuredValue::kListValue:
    case StructuredValue::kTupleValue:
    case StructuredValue::kNamedTupleValue: {
      absl::StrAppend(&out, indent, "  DType: ", pyTypeName(a), "\n", indent, "  Value: [");
      auto item = [&](const StructuredValue &x) {
        bool quote = x.kind_case() == StructuredValue::kStringValue;
        absl::StrAppend(&out, quote ? "'" : "", pyStr(x), quote ? "'" : "", ", ");
      };
      if (a.kind_case() == StructuredValue::kListValue)
        for (const auto &x : a.list_value().values())
          item(x);
      else if (a.kind_case() == StructuredValue::kTupleValue)
        for (const auto &x : a.tuple_value().values())
          item(x);
      else
        for (const auto &p : a.named_tuple_value().values())
          item(p.value());
      out += "\b\b]\n";
      break;
    }
    case StructuredValue::kDictValue: {
      absl::StrAppend(&out, indent, "  DType: dict\n", indent, "  Value: {");
      for (const auto &[k, x] : sortedFields(a.dict_value())) {
        bool quote = x->kind_case() == StructuredValue::kStringValue;
        absl::StrAppend(&out, "'", k, "': ", quote ? "'" : "", pyStr(*x), quote ? "'" : "", ", ");
      }
      out += "\b\b}\n";
      break;
    }
    default:
      absl::StrAppend(&out, indent, "  DType: ", pyTypeName(a), "\n", indent, "  Value: ", pyStr(a),
                      "\n");
      break;
    }
  }
}

/// The order in which TensorFlow's loader creates the library's functions: a topological sort
/// (callees first) that takes ready functions from the end of a stack seeded in library order.
/// Loaded concrete functions are named with increasing ids in this order, and saved_model_cli
/// lists a function's concrete functions sorted by those names.
std::map<std::string, int> loadOrder(const tensorflow::FunctionDefLibrary &library) {
  std::set<std::string> names;
  for (const auto &f : library.function())
    names.insert(f.signature().name());
  std::map<std::string, std::vector<std::string>> dependents;
  std::map<std::string, int> inCount;
  for (const auto &f : library.function()) {
    std::set<std::string> deps;
    for (const auto &node : f.node_def()) {
      if (names.count(node.op())) {
        deps.insert(node.op());
        continue;
      }
      for (const auto &kv : node.attr()) {
        if (kv.second.has_func())
          deps.insert(kv.second.func().name());
        else if (kv.second.has_list())
          for (const auto &fn : kv.second.list().func())
            deps.insert(fn.name());
      }
    }
    for (const auto &d : deps) {
      dependents[d].push_back(f.signature().name());
      ++inCount[f.signature().name()];
    }
  }
  std::vector<std::string> ready;
  for (const auto &f : library.function())
    if (inCount[f.signature().name()] == 0)
      ready.push_back(f.signature().name());
  std::map<std::string, int> order;
  while (!ready.empty()) {
    std::string name = ready.back();
    ready.pop_back();
    order.emplace(name, static_cast<int>(order.size()));
    for (const auto &d : dependents[name])
      if (--inCount[d] == 0)
        ready.push_back(d);
  }
  return order;
}

/// The concrete-function listing saved_model_cli appends to `show --all` for TF2 models.
void showConcreteFunctions(std::string &out, const tensorflow::SavedObjectGraph &graph,
                           const tensorflow::FunctionDefLibrary &library) {
  std::map<std::string, int> order = loadOrder(library);
  out += "\nConcrete Functions:";
  if (graph.nodes_size() == 0)
    return;
  std::vector<std::pair<std::string, int>> children;
  for (const auto &ref : graph.nodes(0).children())
    children.emplace_back(ref.local_name(), ref.node_id());
  std::sort(children.begin(), children.end());
  for (const auto &[name, id] : children) {
    if (id < 0 || id >= graph.nodes_size())
      continue;
    const tensorflow::SavedObject &child = graph.nodes(id);
    std::vector<std::string> fnNames;
    if (child.has_function()) {
      fnNames.assign(child.function().concrete_functions().begin(),
                     child.function().concrete_functions().end());
    } else if (child.has_bare_concrete_function()) {
      fnNames.push_back(child.bare_concrete_function().concrete_function_name());
    } else {
      continue;
    }
    absl::StrAppend(&out, "\n  Function Name: '", name, "'\n");
    std::sort(fnNames.begin(), fnNames.end(), [&](const std::string &a, const std::string &b) {
      auto ia = order.find(a), ib = order.find(b);
      int oa = ia == order.end() ? INT32_MAX : ia->second;
      int ob = ib == order.end() ? INT32_MAX : ib->second;
      return oa != ob ? oa < ob : a < b;
    });
    int option = 0;
    for (const std::string &fn : fnNames) {
      ++option;
      auto it = graph.concrete_functions().find(fn);
      std::vector<const StructuredValue *> args, kwargs;
      std::vector<std::string> kwNames, keywords;
      if (it != graph.concrete_functions().end()) {
        const StructuredValue &sig = it->second.canonicalized_input_signature();
        if (sig.has_tuple_value() && sig.tuple_value().values_size() == 2) {
          const StructuredValue &a = sig.tuple_value().values(0);
          const StructuredValue &k = sig.tuple_value().values(1);
          if (a.has_tuple_value())
            for (const auto &x : a.tuple_value().values())
              args.push_back(&x);
          if (k.has_dict_value())
            for (const auto &[kn, kv] : sortedFields(k.dict_value())) {
              kwNames.push_back(kn);
              kwargs.push_back(kv);
            }
        }
      }
      // A bare concrete function without a structured signature lists its keywords.
      if (args.empty() && kwargs.empty() && child.has_bare_concrete_function())
        for (const auto &kw : child.bare_concrete_function().argument_keywords())
          keywords.push_back(kw);
      if (!args.empty()) {
        absl::StrAppend(&out, "    Option #", option, "\n      Callable with:\n");
        printArgs(out, args, nullptr, "Argument");
      } else if (!keywords.empty()) {
        absl::StrAppend(&out, "    Option #", option, "\n      Callable with:\n");
        std::vector<StructuredValue> asValues(keywords.size());
        std::vector<const StructuredValue *> ptrs;
        for (size_t i = 0; i < keywords.size(); ++i) {
          asValues[i].set_string_value(keywords[i]);
          ptrs.push_back(&asValues[i]);
        }
        printArgs(out, ptrs, nullptr, "Argument");
      }
      if (!kwargs.empty())
        printArgs(out, kwargs, &kwNames, "Named Argument");
    }
  }
}

void showTensorInfo(std::string &out, const tensorflow::TensorInfo &info,
                    const std::string &indent) {
  std::string shape;
  if (info.tensor_shape().unknown_rank()) {
    shape = "unknown_rank";
  } else {
    std::vector<std::string> dims;
    for (const auto &d : info.tensor_shape().dim())
      dims.push_back(std::to_string(d.size()));
    shape = "(" + absl::StrJoin(dims, ", ") + ")";
  }
  absl::StrAppend(&out, indent, "    dtype: ", dtypeName(info.dtype()), "\n", indent,
                  "    shape: ", shape, "\n", indent, "    name: ", info.name(), "\n");
}

template <typename Map>
std::vector<std::pair<std::string, const tensorflow::TensorInfo *>> sortedInfos(const Map &m) {
  std::vector<std::pair<std::string, const tensorflow::TensorInfo *>> v;
  for (const auto &kv : m)
    v.emplace_back(kv.first, &kv.second);
  std::sort(v.begin(), v.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
  return v;
}

void showInputsOutputs(std::string &out, const tensorflow::SignatureDef &sig, int level) {
  std::string indent(2 * level, ' ');
  absl::StrAppend(&out, indent,
                  "The given SavedModel SignatureDef contains the following input(s):\n");
  for (const auto &[key, info] : sortedInfos(sig.inputs())) {
    absl::StrAppend(&out, indent, "  inputs['", key, "'] tensor_info:\n");
    showTensorInfo(out, *info, indent + "  ");
  }
  absl::StrAppend(&out, indent,
                  "The given SavedModel SignatureDef contains the following output(s):\n");
  for (const auto &[key, info] : sortedInfos(sig.outputs())) {
    absl::StrAppend(&out, indent, "  outputs['", key, "'] tensor_info:\n");
    showTensorInfo(out, *info, indent + "  ");
  }
  absl::StrAppend(&out, indent, "Method name is: ", sig.method_name(), "\n");
}

/// The op types a graph uses, following function calls (saved_model_cli's
/// ops_used_by_graph_def): node ops, the `f` of (Stateful)PartitionedCall, recursively;
/// library function names themselves are not ops.
std::set<std::string> opsUsed(const tensorflow::GraphDef &graph) {
  std::map<std::string, const tensorflow::FunctionDef *> functions;
  for (const auto &f : graph.library().function())
    functions[f.signature().name()] = &f;
  std::set<std::string> used;
  std::vector<const tensorflow::FunctionDef *> work;
  auto mark = [&](const std::string &op) {
    if (!used.count(op) && functions.count(op))
      work.push_back(functions[op]);
    used.insert(op);
  };
  auto process = [&](const tensorflow::NodeDef &node) {
    mark(node.op());
    if (node.op() == "PartitionedCall" || node.op() == "StatefulPartitionedCall") {
      auto f = node.attr().find("f");
      mark(f == node.attr().end() ? std::string() : f->second.func().name());
    }
  };
  for (const auto &node : graph.node())
    process(node);
  while (!work.empty()) {
    const tensorflow::FunctionDef *f = work.back();
    work.pop_back();
    for (const auto &node : f->node_def())
      process(node);
  }
  std::set<std::string> ops;
  for (const auto &op : used)
    if (!functions.count(op))
      ops.insert(op);
  return ops;
}

void showOpsLine(std::string &out, const tensorflow::MetaGraphDef &mg) {
  std::vector<std::string> tags, ops;
  for (const auto &t : mg.meta_info_def().tags())
    tags.push_back(pyStrRepr(t));
  for (const auto &op : opsUsed(mg.graph_def()))
    ops.push_back(pyStrRepr(op));
  absl::StrAppend(&out, "The MetaGraph with tag set [", absl::StrJoin(tags, ", "),
                  "] contains the following ops: ",
                  ops.empty() ? "set()" : "{" + absl::StrJoin(ops, ", ") + "}", "\n");
}

} // namespace

std::string smc::showTagSets(const SavedModel &model) {
  // saved_model_cli sorts the tag lists as stored, then prints each one's tags sorted.
  std::vector<std::vector<std::string>> sets;
  for (const auto &mg : model.proto().meta_graphs())
    sets.emplace_back(mg.meta_info_def().tags().begin(), mg.meta_info_def().tags().end());
  std::sort(sets.begin(), sets.end());
  std::string out = "The given SavedModel contains the following tag-sets:\n";
  for (const auto &tags : sets)
    absl::StrAppend(&out, formatTagSet(tags, /*sortTags=*/true), "\n");
  return out;
}

absl::StatusOr<std::string> smc::showSignatureKeys(const SavedModel &model,
                                                   const std::string &tagSet) {
  auto mg = model.metaGraph(tagSet);
  if (!mg.ok())
    return mg.status();
  std::vector<std::string> keys;
  for (const auto &kv : (*mg)->signature_def())
    keys.push_back(kv.first);
  std::sort(keys.begin(), keys.end());
  std::string out =
      "The given SavedModel MetaGraphDef contains SignatureDefs with the following keys:\n";
  for (const auto &k : keys)
    absl::StrAppend(&out, "SignatureDef key: \"", k, "\"\n");
  return out;
}

absl::StatusOr<std::string> smc::showSignature(const SavedModel &model, const std::string &tagSet,
                                               const std::string &key) {
  auto mg = model.metaGraph(tagSet);
  if (!mg.ok())
    return mg.status();
  auto sig = model.signature(**mg, key);
  if (!sig.ok())
    return sig.status();
  std::string out;
  showInputsOutputs(out, **sig, 0);
  return out;
}

absl::StatusOr<std::string> smc::showOps(const SavedModel &model, const std::string &tagSet) {
  auto mg = model.metaGraph(tagSet);
  if (!mg.ok())
    return mg.status();
  std::string out;
  showOpsLine(out, **mg);
  return out;
}

std::string smc::showAll(const SavedModel &model) {
  std::vector<const tensorflow::MetaGraphDef *> graphs;
  for (const auto &mg : model.proto().meta_graphs())
    graphs.push_back(&mg);
  // saved_model_cli sorts meta graphs by their tag list as stored (not sorted).
  auto tagList = [](const tensorflow::MetaGraphDef *mg) {
    return std::vector<std::string>(mg->meta_info_def().tags().begin(),
                                    mg->meta_info_def().tags().end());
  };
  std::stable_sort(graphs.begin(), graphs.end(),
                   [&](auto *a, auto *b) { return tagList(a) < tagList(b); });
  std::string out;
  const tensorflow::MetaGraphDef *withObjectGraph = nullptr;
  for (const auto *mg : graphs) {
    absl::StrAppend(&out, "\nMetaGraphDef with tag-set: '", absl::StrJoin(tagList(mg), ", "),
                    "' contains the following SignatureDefs:\n");
    std::vector<std::string> keys;
    for (const auto &kv : mg->signature_def())
      keys.push_back(kv.first);
    std::sort(keys.begin(), keys.end());
    for (const auto &k : keys) {
      absl::StrAppend(&out, "\nsignature_def['", k, "']:\n");
      showInputsOutputs(out, mg->signature_def().at(k), 1);
    }
    showOpsLine(out, *mg);
    if (mg->has_object_graph_def() && !withObjectGraph)
      withObjectGraph = mg;
  }
  if (withObjectGraph)
    showConcreteFunctions(out, withObjectGraph->object_graph_def(),
                          withObjectGraph->graph_def().library());
  return out;
}
