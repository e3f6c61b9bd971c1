//===- Run.h - `smc run` as a library call ---------------------*- C++ -*-===//
//
// Compiles one signature for the exact shapes of the inputs given (unknown dimensions pinned
// from them), with the packed entry points, links the object into this process (Jit.h) and
// calls it once: the same machine code `smc compile` writes, run in process.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_RUN_RUN_H
#define SMC_RUN_RUN_H

#include "smc/Import/Import.h"
#include "smc/Run/Inputs.h"
#include "smc/SavedModel/Tensor.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/LogicalResult.h"

#include "absl/status/statusor.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace smc {

/// A signature's inputs (sorted by key; each with the shape a TF session accepts, see
/// SignatureInput) and output keys (sorted).
struct SignatureDescription {
  std::vector<SignatureInput> inputs;
  std::vector<std::string> outputs;
};
absl::StatusOr<SignatureDescription>
describeSignature(const std::string &dir, const std::string &tagSet, const std::string &signature);

struct RunRequest {
  std::string dir;
  std::string tagSet = "serve";
  std::string signature;
  std::map<std::string, Tensor> inputs; // by key; dtypes and shapes as bindInputs checked them
  uint64_t maxTensorBytes = kDefaultMaxTensorBytes; // ImportOptions::maxTensorBytes
  /// Threads that run the call (smc/thread_pool.h through the `_parallel` entry point); 1:
  /// the serial entry point.
  unsigned threads = 1;
};

/// Runs the signature; `outputs` receives (key, value) sorted by key. Errors (compilation,
/// linking) are MLIR diagnostics on `context`.
mlir::LogicalResult runSignature(const RunRequest &request, mlir::MLIRContext &context,
                                 std::vector<std::pair<std::string, Tensor>> &outputs);

} // namespace smc

#endif // SMC_RUN_RUN_H
