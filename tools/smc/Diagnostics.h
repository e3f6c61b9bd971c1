//===- Diagnostics.h - How the driver prints MLIR diagnostics ---*- C++ -*-===//
#ifndef SMC_TOOLS_DIAGNOSTICS_H
#define SMC_TOOLS_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"

namespace smc {

/// While it lives, prints every diagnostic of `context` to stderr as
/// "smc COMMAND: error: WHERE: message" (WHERE a TF node, "node (in function 'f')", or the
/// printed location; nothing for an unknown one), then each note as "smc COMMAND: note: WHERE: ...",
/// and counts the errors. Ops are not printed with their diagnostics.
class CommandDiagnostics {
public:
  CommandDiagnostics(mlir::MLIRContext &context, const char *command);
  /// How many errors were reported so far.
  int errors() const { return errors_; }

private:
  int errors_ = 0;
  mlir::ScopedDiagnosticHandler handler_;
};

} // namespace smc

#endif // SMC_TOOLS_DIAGNOSTICS_H
