//===- Header.h - The generated C/C++ header of a compiled model -*- C++ -*-===//
//
// What `smc compile` writes next to the object: one typed C++ function per compiled signature,
// a C entry point under each, shapes and the arena size as constants. The emitter works from
// the plain description below (filled by the driver from the compiled module), so it has no
// MLIR dependency. The contract is documented in docs/header-abi.md.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_TARGET_HEADER_HEADER_H
#define SMC_TARGET_HEADER_HEADER_H

#include "smc/Support/DType.h"
#include "smc/Support/Identifier.h"

#include <cstdint>
#include <ostream>
#include <optional>
#include <string>
#include <vector>

namespace smc {

/// One input or output of a compiled function.
struct PortInfo {
  std::string key;            // the signature's input/output key, e.g. "custom_output_name"
  tensorflow::DataType dtype = tensorflow::DT_INVALID; // DT_FLOAT, DT_INT32, DT_BOOL, ...
  std::vector<int64_t> shape; // the compiled (pinned) shape; empty = scalar
  std::string savedShape;     // the shape as saved: "(-1, 64)", "unknown_rank", "()"
};

/// One compiled function (a signature or an object-graph function).
struct FunctionInfo {
  std::string label;             // signature key or function path as the user named it
  std::string name;              // C++ identifier, e.g. "serving_default"
  std::string symbol;            // C symbol in the object, e.g. "model_serving_default"
  std::vector<PortInfo> inputs;  // C argument order: inputs (sorted by key) ...
  std::vector<PortInfo> outputs; // ... then outputs (sorted by key), then the arena pointer
  int64_t arenaBytes = 0;        // scratch the function needs (64-byte aligned arena)
  /// The most stack a call takes (bytes; a call of memcpy, memset or a float helper counted as
  /// 16 words), when the object was generated: emitCode's stackBytes.
  std::optional<uint64_t> stackBytes;
  /// The object also exports `<symbol>_parallel(..., arena, const smc_parallel *)`, which runs
  /// independent loops as tasks through the caller's parallel_for (targets with threads).
  bool parallel = false;
};

struct HeaderInfo {
  std::string modelDir;  // the SavedModel directory compiled (for the comment block)
  std::string nameSpace; // C++ namespace, also the prefix of the C symbols
  std::string target;    // target triple
  std::string cpu;
  std::vector<FunctionInfo> functions;
  bool hasMutableVariables = false; // some function assigns variables (shared state)
};

/// Writes the header. Deterministic: the same description gives the same bytes.
void emitHeader(const HeaderInfo &info, std::ostream &os);

/// The problems emitHeader() would report in the header with `#error` (unsupported dtype,
/// unknown or negative dimension, bad or duplicate C symbol, empty namespace, ...), one message
/// each; empty when the description is fine. Lets the driver fail with a message instead.
std::vector<std::string> verifyHeaderInfo(const HeaderInfo &info);

} // namespace smc

#endif // SMC_TARGET_HEADER_HEADER_H
