//===- Run.cpp - `smc run` as a library call ------------------------------===//

#include "smc/Run/Run.h"

#include "smc/Pipelines/Compiler.h"
#include "smc/Run/Jit.h"
#include "smc/SavedModel/SavedModel.h"
#include <smc/thread_pool.h>

#include "saved_model.pb.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>

namespace smc {
namespace {

/// A 64-byte-aligned buffer of at least one cache line.
struct AlignedBuffer {
  explicit AlignedBuffer(size_t bytes) : size(bytes) {
    size_t rounded = std::max<size_t>(64, (bytes + 63) / 64 * 64);
    ptr.reset(static_cast<char *>(std::aligned_alloc(64, rounded)));
    if (ptr)
      std::memset(ptr.get(), 0, rounded);
  }
  struct Free {
    void operator()(char *p) const { std::free(p); }
  };
  std::unique_ptr<char, Free> ptr;
  size_t size;
};

std::string savedShape(const tensorflow::TensorShapeProto &shape) {
  if (shape.unknown_rank())
    return "unknown_rank";
  std::vector<int64_t> dims;
  for (const auto &d : shape.dim())
    dims.push_back(d.size());
  return "(" + absl::StrJoin(dims, ", ") + ")";
}

} // namespace

absl::StatusOr<SignatureDescription>
describeSignature(const std::string &dir, const std::string &tagSet, const std::string &signature) {
  auto model = SavedModel::load(dir);
  if (!model.ok())
    return model.status();
  auto mg = (*model)->metaGraph(tagSet);
  if (!mg.ok())
    return mg.status();
  auto sig = (*model)->signature(**mg, signature);
  if (!sig.ok())
    return sig.status();
  SignatureDescription out;
  for (const auto &[key, info] : (*sig)->inputs()) {
    SignatureInput in;
    in.key = key;
    in.dtype = info.dtype();
    // What a TF session accepts: a placeholder's own shape, not the TensorInfo's.
    const tensorflow::TensorShapeProto &shape = signatureInputShape(**mg, info);
    in.unknownRank = shape.unknown_rank();
    for (const auto &d : shape.dim())
      in.dims.push_back(d.size());
    in.shapeText = savedShape(shape);
    out.inputs.push_back(in);
  }
  std::sort(out.inputs.begin(), out.inputs.end(),
            [](const SignatureInput &a, const SignatureInput &b) { return a.key < b.key; });
  for (const auto &[key, info] : (*sig)->outputs())
    out.outputs.push_back(key);
  std::sort(out.outputs.begin(), out.outputs.end());
  return out;
}

mlir::LogicalResult runSignature(const RunRequest &request, mlir::MLIRContext &context,
                                 std::vector<std::pair<std::string, Tensor>> &outputs) {
  mlir::Location loc = mlir::NameLoc::get(mlir::StringAttr::get(&context, request.dir));
  CompileRequest req;
  req.dir = request.dir;
  req.import.tagSet = request.tagSet;
  req.import.signatures = {request.signature};
  req.import.maxTensorBytes = request.maxTensorBytes;
  for (const auto &[key, t] : request.inputs)
    req.import.inputShapes[request.signature + ":" + key] = t.shape;
  req.codegen.packedEntryPoints = true;
  req.emit = Phase::Object;
  req.nameSpace = "smc_run";
  CompileResult compiled;
  if (mlir::failed(compile(req, context, compiled)))
    return mlir::failure();

  const FunctionInfo *fn = nullptr;
  for (const FunctionInfo &f : compiled.header.functions)
    if (f.label == request.signature)
      fn = &f;
  if (!fn)
    return mlir::emitError(loc) << "signature '" << request.signature
                                << "' is missing from the compiled object";

  // Arguments: inputs (sorted by key), outputs (sorted by key), the arena.
  std::vector<AlignedBuffer> buffers;
  buffers.reserve(fn->inputs.size() + fn->outputs.size() + 1);
  std::vector<void *> args;
  for (const PortInfo &port : fn->inputs) {
    auto it = request.inputs.find(port.key);
    if (it == request.inputs.end())
      return mlir::emitError(loc) << "the compiled function takes an input '" << port.key
                                  << "' that was not given";
    const Tensor &t = it->second;
    if (port.dtype != t.dtype || port.shape != t.shape)
      return mlir::emitError(loc) << "input '" << port.key << "' was compiled as "
                                  << dtypeName(port.dtype) << " " << shapeToString(port.shape)
                                  << " but the value is " << dtypeName(t.dtype) << " "
                                  << shapeToString(t.shape);
    buffers.emplace_back(t.data.size());
    if (!t.data.empty())
      std::memcpy(buffers.back().ptr.get(), t.data.data(), t.data.size());
    args.push_back(buffers.back().ptr.get());
  }
  std::vector<Tensor> results;
  for (const PortInfo &port : fn->outputs) {
    Tensor t;
    t.dtype = port.dtype;
    t.shape = port.shape;
    int64_t count = t.numElements();
    if (dtypeSize(t.dtype) == 0 || count < 0)
      return mlir::emitError(loc) << "output '" << port.key << "' has an unsupported type "
                                  << dtypeName(port.dtype) << " " << shapeToString(port.shape);
    t.data.resize(count * dtypeSize(t.dtype));
    buffers.emplace_back(t.data.size());
    args.push_back(buffers.back().ptr.get());
    results.push_back(std::move(t));
  }
  buffers.emplace_back(fn->arenaBytes);
  args.push_back(buffers.back().ptr.get());
  for (const AlignedBuffer &b : buffers)
    if (!b.ptr)
      return mlir::emitError(loc) << "out of memory";

  auto jit = JitObject::link(compiled.code, request.signature + ".o");
  if (!jit)
    return mlir::emitError(loc) << "cannot link the compiled object: "
                                << llvm::toString(jit.takeError());
  auto entry = (*jit)->lookup(fn->symbol + "_packed");
  if (!entry)
    return mlir::emitError(loc) << "cannot find " << fn->symbol
                                << "_packed: " << llvm::toString(entry.takeError());
  // The array ends with the parallel_for hook (null: serial), which `_packed` passes on to the
  // `_parallel` entry point when the object has one.
  std::optional<ThreadPool> pool;
  if (request.threads > 1)
    pool.emplace(request.threads);
  args.push_back(pool ? const_cast<smc_parallel *>(pool->hook()) : nullptr);
  reinterpret_cast<PackedEntryPoint> (*entry)(args.data());

  outputs.clear();
  for (size_t i = 0; i < results.size(); ++i) {
    Tensor &t = results[i];
    const void *src = args[fn->inputs.size() + i];
    if (!t.data.empty())
      std::memcpy(t.data.data(), src, t.data.size());
    outputs.emplace_back(fn->outputs[i].key, std::move(t));
  }
  return mlir::success();
}

} // namespace smc
