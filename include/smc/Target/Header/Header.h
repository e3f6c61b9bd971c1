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

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace smc {

/// One input or output of a compiled function.
struct PortInfo {
  std::string key;            // the signature's input/output key, e.g. "custom_output_name"
  std::string dtype;          // TF dtype name: "DT_FLOAT", "DT_INT32", "DT_UINT8", "DT_BOOL", ...
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

/// The C identifier for an input/output key ("custom_output_name" stays, "1x" -> "_1x").
/// Characters other than [A-Za-z0-9_] become '_'; a leading digit gets a '_' prefix; C/C++
/// keywords, the names of <stddef.h>/<stdint.h>/smc/runtime.h and the implementation's
/// reserved spellings (`__x`, `_X`) get a trailing '_'. Rules in docs/header-abi.md.
std::string cIdentifier(const std::string &key);

/// The problems emitHeader() would report in the header with `#error` (unsupported dtype,
/// unknown or negative dimension, bad or duplicate C symbol, empty namespace, ...), one message
/// each; empty when the description is fine. Lets the driver fail with a message instead.
std::vector<std::string> verifyHeaderInfo(const HeaderInfo &info);

} // namespace smc

#endif // SMC_TARGET_HEADER_HEADER_H
