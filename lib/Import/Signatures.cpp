//===- Signatures.cpp - Signatures and functions as func.funcs ------------===//
//
// What the user selects (signature keys, object-graph function paths) becomes one func.func
// each: its ports (a signature's inputs/outputs sorted by key, or a function's flattened
// input/output structure), the input shapes pinned (--input-shape, else 1; a signature input
// that feeds a placeholder has the placeholder's shape, as a TF session checks it), its captures
// bound (variables to globals, constants inlined), its body imported by ImportState.
//
//===----------------------------------------------------------------------===//

#include "GraphView.h"
#include "Importer.h"

#include "smc/Import/Import.h"
#include "smc/Support/Identifier.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

#include <algorithm>

using namespace mlir;
using namespace ::smc;
using namespace ::smc::import;

/// What is wrong with a shape a model declares ("" if nothing): a dimension below -1 (-1 is
/// the only unknown size).
static std::string shapeProblem(const tensorflow::TensorShapeProto &shape) {
  for (int i = 0; i < shape.dim_size(); ++i)
    if (shape.dim(i).size() < -1)
      return absl::StrCat("dimension ", i, " has size ", shape.dim(i).size(),
                          " (only -1, unknown, may be negative)");
  return "";
}

namespace {

/// One input or output of an imported function.
struct Port {
  std::string key; // signature key / argument name
  int dtype = 0;
  tensorflow::TensorShapeProto shape;
  std::string tensor; // top level: the fed or fetched tensor name
  /// For errors about `shape`: where it comes from when that is not what the signature
  /// declares (the placeholder the input feeds), else empty.
  std::string shapeOrigin;
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
  /// The input type [dims] x elem, or null after an error if it is larger than
  /// options.maxTensorBytes (a caller's array; also what arena offsets must hold).
  RankedTensorType checkedInputType(ArrayRef<int64_t> dims, Type elem, const Port &port,
                                    Location loc);
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
  Type elem = elementTypeFor(ctx, port.dtype);
  if (!elem) {
    emitError(loc) << "input '" << port.key << "' has dtype " << dtypeName(port.dtype)
                   << ", which smc does not support";
    return nullptr;
  }
  if (std::string problem = shapeProblem(port.shape); !problem.empty()) {
    emitError(loc) << "input '" << port.key << "' has shape " << formatTfShape(port.shape)
                   << port.shapeOrigin << ": " << problem;
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
                       << ", but the input has shape " << formatTfShape(port.shape)
                       << port.shapeOrigin;
        return nullptr;
      }
      for (int i = 0; i < port.shape.dim_size(); ++i)
        if (port.shape.dim(i).size() >= 0 && port.shape.dim(i).size() != dims[i]) {
          emitError(loc) << "--input-shape " << port.key << " sets dimension " << i << " to "
                         << dims[i] << ", but the model fixes it at " << port.shape.dim(i).size()
                         << port.shapeOrigin;
          return nullptr;
        }
    }
    return checkedInputType(dims, elem, port, loc);
  }
  if (port.shape.unknown_rank())
    return RankedTensorType::get({}, elem); // unknown rank defaults to a scalar
  SmallVector<int64_t> dims;
  for (const auto &d : port.shape.dim())
    dims.push_back(d.size() < 0 ? 1 : d.size());
  return checkedInputType(dims, elem, port, loc);
}

RankedTensorType ModuleImporter::checkedInputType(ArrayRef<int64_t> dims, Type elem,
                                                  const Port &port, Location loc) {
  // The caller passes the input as a C++ array the header declares: its size must be a size
  // a compiler (and the arena arithmetic) can take.
  uint64_t bytes = std::max<uint64_t>(1, elem.getIntOrFloatBitWidth() / 8);
  for (int64_t d : dims) {
    if (d != 0 && bytes > options.maxTensorBytes / static_cast<uint64_t>(d)) {
      emitError(loc) << "input '" << port.key << "' of shape " << formatTfShape(port.shape)
                     << port.shapeOrigin << " (taken as [" << absl::StrJoin(dims, ", ")
                     << "]) would take more than " << options.maxTensorBytes
                     << " bytes (--max-tensor-bytes)";
      return nullptr;
    }
    bytes *= static_cast<uint64_t>(d);
  }
  return RankedTensorType::get(dims, elem);
}

LogicalResult
ModuleImporter::buildFunction(const std::string &label, const std::vector<Port> &inputs,
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
  // The import goes on past a node that cannot be compiled (ImportState::importBody); its
  // errors are gathered here and reported as one error that lists them, one note per node.
  struct Problem {
    Location where;
    std::string message;
  };
  std::vector<Problem> problems;
  FailureOr<std::vector<Val>> results = failure();
  {
    ScopedDiagnosticHandler gather(ctx, [&](Diagnostic &d) {
      if (d.getSeverity() != DiagnosticSeverity::Error)
        return failure(); // warnings and remarks go on to the driver
      problems.push_back({d.getLocation(), d.str()});
      for (const Diagnostic &note : d.getNotes())
        problems.back().message += "; " + note.str();
      return success();
    });
    results = build(blockArgs);
  }
  if (problems.size() == 1) {
    emitError(problems[0].where) << problems[0].message;
  } else if (problems.size() > 1) {
    InFlightDiagnostic diag = emitError(loc) << "cannot be compiled (" << problems.size()
                                             << " errors):";
    for (const Problem &p : problems)
      diag.attachNote(p.where) << p.message;
  }
  if (failed(results) || !problems.empty()) {
    func.erase();
    return failure();
  }
  SmallVector<Value> values;
  for (size_t i = 0; i < results->size(); ++i) {
    const Val &v = (*results)[i];
    if (!v.value && v.resource && v.resource->isRef) {
      // A TF1 reference (VariableV2, or what Assign/AssignAdd/AssignSub return) as an output:
      // the variable's value once the function's assignments are done, as a session fetches it.
      auto global = module.lookupSymbol<mlir::smc::GlobalOp>(v.resource->global);
      values.push_back(b.create<mlir::smc::GlobalLoadOp>(loc, global.getType(), global.getSymName()));
      continue;
    }
    if (v.complex) {
      func.erase();
      return emitError(loc) << "output '" << outputNames[i] << "' of '" << label
                            << "' is a complex64 value (made by " << v.complex->origin
                            << "), which smc does not support as an output: it keeps complex "
                            << "values inside a signature; return tf.math.real and "
                            << "tf.math.imag of it (or tf.abs)";
    }
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

/// One side (inputs or outputs) of a signature as ports sorted by key: the C argument order.
/// Inputs (`metaGraph` given) take the shape a TF session checks them against
/// (signatureInputShape: the placeholder's). Sparse and composite tensors are errors.
static FailureOr<std::vector<Port>>
signaturePorts(const google::protobuf::Map<std::string, tensorflow::TensorInfo> &infos,
               const std::string &key, const char *side, Location loc,
               const tensorflow::MetaGraphDef *metaGraph) {
  std::vector<Port> ports;
  for (const auto &[k, info] : infos) {
    if (info.encoding_case() != tensorflow::TensorInfo::kName)
      return emitError(loc) << "signature '" << key << "' " << side << " '" << k
                            << "' is a sparse or composite tensor, which smc does not support",
             failure();
    Port port{k, info.dtype(), info.tensor_shape(), canonicalTensorName(info.name()), ""};
    if (std::string problem = shapeProblem(info.tensor_shape()); !problem.empty())
      return emitError(loc) << "signature '" << key << "' " << side << " '" << k << "': "
                            << problem,
             failure();
    if (metaGraph) {
      port.shape = signatureInputShape(*metaGraph, info);
      std::string declared = formatTfShape(info.tensor_shape());
      if (formatTfShape(port.shape) != declared)
        port.shapeOrigin = " (the shape of placeholder '" +
                           fedPlaceholder(*metaGraph, info)->name() +
                           "', what a TF session accepts; the signature declares " + declared + ")";
    }
    ports.push_back(std::move(port));
  }
  std::sort(ports.begin(), ports.end(), [](const Port &a, const Port &b) { return a.key < b.key; });
  return ports;
}

/// A signature's ports, and what its import computes: the fetched output tensors (in output
/// order) cut at the fed input tensors.
struct SignatureIO {
  std::vector<Port> inputs, outputs;
  std::vector<std::string> fetches;
  std::set<std::string> fed;
};

static FailureOr<SignatureIO> signatureIO(const tensorflow::MetaGraphDef &metaGraph,
                                          const tensorflow::SignatureDef &sig,
                                          const std::string &key, Location loc) {
  auto inputs = signaturePorts(sig.inputs(), key, "input", loc, &metaGraph);
  if (failed(inputs))
    return failure();
  auto outputs = signaturePorts(sig.outputs(), key, "output", loc, nullptr);
  if (failed(outputs))
    return failure();
  SignatureIO io{std::move(*inputs), std::move(*outputs), {}, {}};
  for (const auto &p : io.outputs)
    io.fetches.push_back(p.tensor);
  for (const auto &p : io.inputs)
    io.fed.insert(p.tensor);
  return io;
}

LogicalResult ModuleImporter::importSignature(const std::string &key) {
  MLIRContext *ctx = module.getContext();
  Location loc = NameLoc::get(StringAttr::get(ctx, key));
  auto sig = model.signature(*metaGraph, key);
  if (!sig.ok())
    return emitError(loc) << std::string(sig.status().message());
  auto io = signatureIO(*metaGraph, **sig, key, loc);
  if (failed(io))
    return failure();
  std::vector<std::string> unsupported = state->unsupportedOps(nullptr, io->fetches, {}, io->fed);
  if (!unsupported.empty())
    return emitError(loc) << "signature '" << key << "' uses " << unsupported.size()
                          << " unsupported TensorFlow op(s): " << absl::StrJoin(unsupported, ", ");

  std::vector<std::string> outputNames;
  for (const auto &p : io->outputs)
    outputNames.push_back(p.key);
  return buildFunction(key, io->inputs, outputNames, [&](ArrayRef<Value> args) {
    std::map<std::string, Val> feeds;
    for (size_t i = 0; i < io->inputs.size(); ++i)
      feeds[io->inputs[i].tensor] = Val::of(args[i]);
    return state->importBody(nullptr, io->fetches, {}, feeds, {});
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
    const auto &values =
        v.kind_case() == SV::kListValue ? v.list_value().values() : v.tuple_value().values();
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
                          << absl::StrJoin(unsupportedSpecs, ", ")
                          << "), which smc does not support";
  int numArgs = fn->signature().input_arg_size();
  if (static_cast<int>(inputs.size() + cf.bound_inputs_size()) != numArgs)
    return emitError(loc) << "function '" << path << "': " << inputs.size() << " inputs and "
                          << cf.bound_inputs_size() << " captures do not match the " << numArgs
                          << " arguments of '" << fnName << "'";
  std::vector<std::string> outputNames;
  bool single = cf.output_signature().has_tensor_spec_value();
  for (size_t i = 0; i < outSpecs.size(); ++i)
    outputNames.push_back(single                                   ? "output_0"
                          : cf.output_signature().has_dict_value() ? outSpecs[i].key
                                                                   : "output_" + std::to_string(i));
  if (static_cast<int>(outputNames.size()) != fn->signature().output_arg_size()) {
    outputNames.clear();
    for (int i = 0; i < fn->signature().output_arg_size(); ++i)
      outputNames.push_back("output_" + std::to_string(i));
  }

  auto io = functionIO(*fn, loc);
  if (failed(io))
    return failure();
  std::vector<std::string> unsupported = state->unsupportedOps(fn, io->fetches, io->targets, {});
  if (!unsupported.empty())
    return emitError(loc) << "function '" << path << "' uses " << unsupported.size()
                          << " unsupported TensorFlow op(s): " << absl::StrJoin(unsupported, ", ");

  return buildFunction(
      path, inputs, outputNames, [&](ArrayRef<Value> blockArgs) -> FailureOr<std::vector<Val>> {
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
            auto value = constNode ? constNode->attr().find("value")
                                   : decltype(constNode->attr().find("")){};
            if (!constNode || value == constNode->attr().end())
              return emitError(loc) << "captured constant '" << captured.constant().operation()
                                    << "' not found",
                     failure();
            auto tensor = tensorFromProto(value->second.tensor());
            Type elem = tensor.ok() ? elementTypeFor(ctx, tensor->dtype) : Type();
            if (!elem)
              return emitError(loc) << "captured constant '" << captured.constant().operation()
                                    << "' has an unsupported dtype",
                     failure();
            auto type = RankedTensorType::get(tensor->shape, elem);
            auto attr = attrFromTensor(type, *tensor);
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
        return state->importBody(fn, io->fetches, io->targets, {}, args);
      });
}

LogicalResult ModuleImporter::run() {
  MLIRContext *ctx = module.getContext();
  ctx->loadDialect<mlir::smc::SmcDialect, func::FuncDialect, arith::ArithDialect,
                   scf::SCFDialect, tensor::TensorDialect>();
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
  state->maxTensorBytes = options.maxTensorBytes;

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
LogicalResult importSavedModel(const SavedModel &model, const ImportOptions &options,
                               ModuleOp module) {
  ModuleImporter importer(model, options, module);
  return importer.run();
}

FailureOr<std::vector<std::string>> signatureOps(const SavedModel &model, const std::string &tagSet,
                                                 const std::string &signature,
                                                 MLIRContext &context) {
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
  auto io = signatureIO(**mg, **sig, signature, loc);
  if (failed(io))
    return failure();
  std::set<std::string> visited, ops;
  state.visitOps(
      nullptr, io->fetches, {}, io->fed, visited,
      [&](const tensorflow::NodeDef &node, const std::string &) { ops.insert(node.op()); });
  return std::vector<std::string>(ops.begin(), ops.end());
}
} // namespace smc
