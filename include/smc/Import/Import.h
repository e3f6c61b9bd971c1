//===- Import.h - SavedModel -> smc dialect --------------------*- C++ -*-===//
//
// Imports signatures (and object-graph functions) of a SavedModel into an MLIR module of
// `func.func`s in the smc dialect. Function calls are inlined, variables become `smc.global`s
// initialised from the checkpoint, TF node names become locations. Unknown input dimensions are
// pinned (by the caller's --input-shape, else 1; an input of unknown rank defaults to a scalar).
//
//===----------------------------------------------------------------------===//
#ifndef SMC_IMPORT_IMPORT_H
#define SMC_IMPORT_IMPORT_H

#include "smc/SavedModel/SavedModel.h"
#include "smc/Support/DType.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LogicalResult.h"

#include <map>
#include <string>
#include <vector>

namespace smc {

/// The default of ImportOptions::maxTensorBytes (16 GiB).
constexpr uint64_t kDefaultMaxTensorBytes = uint64_t(1) << 34;

struct ImportOptions {
  /// Comma-separated tag set of the meta graph.
  std::string tagSet = "serve";
  /// Signature keys to import; "all" imports every signature except the init op.
  std::vector<std::string> signatures;
  /// Object-graph functions to import by attribute path (e.g. "__call__", "model.predict").
  std::vector<std::string> functions;
  /// Pinned shapes by input key ("key": every imported function with that input;
  /// "signature:key": that function only, taking precedence).
  std::map<std::string, std::vector<int64_t>> inputShapes;
  /// The largest tensor smc makes (bytes): an input, a constant or any intermediate; larger
  /// ones are refused where they are made (a Pad of 2^30 on every side, a Fill to
  /// [2^31, 2^31]), so that no size or arena offset computed from them can wrap. At most 1 TiB
  /// (--max-tensor-bytes).
  uint64_t maxTensorBytes = kDefaultMaxTensorBytes;
};

/// Imports what `options` selects into `module` (which must be empty). Errors are emitted as
/// MLIR diagnostics located at the TF node that caused them; every unsupported op of the
/// selection is reported in one error.
mlir::LogicalResult importSavedModel(const SavedModel &model, const ImportOptions &options,
                                     mlir::ModuleOp module);

/// The TF dtype of an MLIR element type the importer makes (f32 -> DT_FLOAT, ui8 -> DT_UINT8,
/// i1 -> DT_BOOL); DT_INVALID for any other type.
tensorflow::DataType dtypeForElementType(mlir::Type type);

/// A TF op type the importer supports: the family (handler file) that imports it, and what
/// docs/ops.md states about its limits ("" when nothing beyond static shapes).
struct SupportedOp {
  std::string op, family, limits;
};
/// The TF op types the importer supports, sorted by op.
std::vector<SupportedOp> supportedTfOps();

/// The TF op types the computation of `signature` uses (function calls followed), sorted.
mlir::FailureOr<std::vector<std::string>> signatureOps(const SavedModel &model,
                                                       const std::string &tagSet,
                                                       const std::string &signature,
                                                       mlir::MLIRContext &context);

} // namespace smc

#endif // SMC_IMPORT_IMPORT_H
