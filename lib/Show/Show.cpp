//===- Show.cpp - saved_model_cli-compatible reports ----------------------===//
//
// The layout reproduced here is saved_model_cli's (two spaces per indent level, keys sorted,
// Python reprs); see docs/cli.md for the one deliberate difference (sorted op sets).
//
//===----------------------------------------------------------------------===//

#include "smc/Show/Show.h"

#include "smc/SavedModel/Tensor.h"

#include "saved_model.pb.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

using namespace smc;
using tensorflow::StructuredValue;

namespace {

/// Python's repr() of a str.
std::string pyStrRepr(const std::string &s) {
  bool single = s.find('\'') != std::string::npos, dbl = s.find('"') != std::string::npos;
  char q = (single && !dbl) ? '"' : '\'';
  std::string out(1, q);
  for (unsigned char c : s) {
    if (c == q || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += q;
  return out;
}

/// Python's repr() of a float: the shortest text that reads back to the same double, in
/// scientific notation when the decimal exponent is < -4 or >= 16.
std::string pyFloatRepr(double v) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v < 0 ? "-inf" : "inf";
  char buf[64];
  for (int prec = 1; prec <= 17; ++prec) {
    snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
    if (std::strtod(buf, nullptr) == v)
      break;
  }
  // buf is d.ddde±XX: split mantissa digits and exponent.
  std::string s = buf;
  bool neg = s[0] == '-';
  if (neg)
    s = s.substr(1);
  size_t e = s.find('e');
  int exp = std::atoi(s.c_str() + e + 1);
  std::string digits;
  for (size_t i = 0; i < e; ++i)
    if (s[i] != '.')
      digits += s[i];
  while (digits.size() > 1 && digits.back() == '0')
    digits.pop_back();
  std::string out;
  if (exp < -4 || exp >= 16) {
    out = digits.substr(0, 1);
    if (digits.size() > 1)
      out += "." + digits.substr(1);
    char eb[16];
    snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    out += eb;
  } else if (exp < 0) {
    out = "0." + std::string(-exp - 1, '0') + digits;
  } else if (static_cast<int>(digits.size()) <= exp + 1) {
    out = digits + std::string(exp + 1 - digits.size(), '0') + ".0";
  } else {
    out = digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
  }
  return neg ? "-" + out : out;
}

/// TensorFlow's Python name of a dtype, as in repr(tf.float32) == "tf.float32".
std::string pyDtype(int dtype) {
  static const std::map<int, const char *> names = {
      {1, "float32"},   {2, "float64"},   {3, "int32"},     {4, "uint8"},
      {5, "int16"},     {6, "int8"},      {7, "string"},    {8, "complex64"},
      {9, "int64"},     {10, "bool"},     {11, "qint8"},    {12, "quint8"},
      {13, "qint32"},   {14, "bfloat16"}, {15, "qint16"},   {16, "quint16"},
      {17, "uint16"},   {18, "complex128"}, {19, "float16"}, {20, "resource"},
      {21, "variant"},  {22, "uint32"},   {23, "uint64"},   {24, "float8_e5m2"},
      {25, "float8_e4m3fn"}, {26, "float8_e4m3fnuz"}, {27, "float8_e4m3b11fnuz"},
      {28, "float8_e5m2fnuz"}, {29, "int4"}, {30, "uint4"}, {31, "int2"}, {32, "uint2"}};
  auto it = names.find(dtype);
  return it == names.end() ? absl::StrCat("tf.dtype(", dtype, ")")
                           : absl::StrCat("tf.", it->second);
}

/// str(TensorShape) with TF2 behaviour.
std::string pyShape(const tensorflow::TensorShapeProto &shape) {
  if (shape.unknown_rank())
    return "<unknown>";
  std::vector<std::string> dims;
  for (const auto &d : shape.dim())
    dims.push_back(d.size() < 0 ? "None" : std::to_string(d.size()));
  if (dims.size() == 1)
    return "(" + dims[0] + ",)";
  return "(" + absl::StrJoin(dims, ", ") + ")";
}

std::string pyTensorSpec(const char *cls, const std::string &name,
                         const tensorflow::TensorShapeProto &shape, int dtype) {
  return absl::StrCat(cls, "(shape=", pyShape(shape), ", dtype=", pyDtype(dtype),
                      ", name=", name.empty() ? "None" : pyStrRepr(name), ")");
}

std::string pyRepr(const StructuredValue &v);

/// The Python type name of a decoded structured value (what `type(x).__name__` prints).
std::string pyTypeName(const StructuredValue &v) {
  switch (v.kind_case()) {
  case StructuredValue::kNoneValue:
    return "NoneType";
  case StructuredValue::kFloat64Value:
    return "float";
  case StructuredValue::kInt64Value:
    return "int";
  case StructuredValue::kStringValue:
    return "str";
  case StructuredValue::kBoolValue:
    return "bool";
  case StructuredValue::kTensorShapeValue:
    return "TensorShape";
  case StructuredValue::kTensorDtypeValue:
    return "DType";
  case StructuredValue::kTensorSpecValue:
    return "TensorSpec";
  case StructuredValue::kBoundedTensorSpecValue:
    return "BoundedTensorSpec";
  case StructuredValue::kTypeSpecValue:
    return v.type_spec_value().type_spec_class_name().empty()
               ? "TypeSpec"
               : v.type_spec_value().type_spec_class_name();
  case StructuredValue::kListValue:
    return "list";
  case StructuredValue::kTupleValue:
    return "tuple";
  case StructuredValue::kDictValue:
    return "dict";
  case StructuredValue::kNamedTupleValue:
    return v.named_tuple_value().name();
  default:
    return "object";
  }
}

/// Python's str() of a decoded structured value (repr except for a bare string).
std::string pyStr(const StructuredValue &v) {
  if (v.kind_case() == StructuredValue::kStringValue)
    return v.string_value();
  return pyRepr(v);
}

/// Dict entries in the order Python sees them after decoding (sorted keys).
std::vector<std::pair<std::string, const StructuredValue *>>
sortedFields(const tensorflow::DictValue &d) {
  std::vector<std::pair<std::string, const StructuredValue *>> fields;
  for (const auto &kv : d.fields())
    fields.emplace_back(kv.first, &kv.second);
  std::sort(fields.begin(), fields.end(),
            [](const auto &a, const auto &b) { return a.first < b.first; });
  return fields;
}

std::string pyRepr(const StructuredValue &v) {
  switch (v.kind_case()) {
  case StructuredValue::kNoneValue:
    return "None";
  case StructuredValue::kFloat64Value:
    return pyFloatRepr(v.float64_value());
  case StructuredValue::kInt64Value:
    return std::to_string(v.int64_value());
  case StructuredValue::kStringValue:
    return pyStrRepr(v.string_value());
  case StructuredValue::kBoolValue:
    return v.bool_value() ? "True" : "False";
  case StructuredValue::kTensorShapeValue:
    return pyShape(v.tensor_shape_value());
  case StructuredValue::kTensorDtypeValue:
    return pyDtype(v.tensor_dtype_value());
  case StructuredValue::kTensorSpecValue: {
    const auto &s = v.tensor_spec_value();
    return pyTensorSpec("TensorSpec", s.name(), s.shape(), s.dtype());
  }
  case StructuredValue::kBoundedTensorSpecValue: {
    const auto &s = v.bounded_tensor_spec_value();
    return pyTensorSpec("BoundedTensorSpec", s.name(), s.shape(), s.dtype());
  }
  case StructuredValue::kListValue:
  case StructuredValue::kTupleValue: {
    bool list = v.kind_case() == StructuredValue::kListValue;
    const auto &values = list ? v.list_value().values() : v.tuple_value().values();
    std::vector<std::string> items;
    for (const auto &x : values)
      items.push_back(pyRepr(x));
    if (list)
      return "[" + absl::StrJoin(items, ", ") + "]";
    if (items.size() == 1)
      return "(" + items[0] + ",)";
    return "(" + absl::StrJoin(items, ", ") + ")";
  }
  case StructuredValue::kDictValue: {
    std::vector<std::string> items;
    for (const auto &[k, x] : sortedFields(v.dict_value()))
      items.push_back(pyStrRepr(k) + ": " + pyRepr(*x));
    return "{" + absl::StrJoin(items, ", ") + "}";
  }
  case StructuredValue::kNamedTupleValue: {
    std::vector<std::string> items;
    for (const auto &p : v.named_tuple_value().values())
      items.push_back(p.key() + "=" + pyRepr(p.value()));
    return v.named_tuple_value().name() + "(" + absl::StrJoin(items, ", ") + ")";
  }
  default:
    return "<" + pyTypeName(v) + ">";
  }
}

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
      absl::StrAppend(&out, std::string(10, ' '), name.empty() ? "None" : name, ": ",
                      pyRepr(a), "\n");
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
        absl::StrAppend(&out, "'", k, "': ", quote ? "'" : "", pyStr(*x), quote ? "'" : "",
                        ", ");
      }
      out += "\b\b}\n";
      break;
    }
    default:
      absl::StrAppend(&out, indent, "  DType: ", pyTypeName(a), "\n", indent,
                      "  Value: ", pyStr(a), "\n");
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
  std::sort(v.begin(), v.end(),
            [](const auto &a, const auto &b) { return a.first < b.first; });
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

absl::StatusOr<std::string> smc::showSignature(const SavedModel &model,
                                               const std::string &tagSet,
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
