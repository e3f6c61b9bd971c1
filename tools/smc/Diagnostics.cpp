//===- Diagnostics.cpp - How the driver prints MLIR diagnostics -----------===//

#include "Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

#include <iostream>
#include <string>

using namespace smc;

/// "node (in function 'fn')" for loc("node"("fn")), else the printed location ("" if unknown).
static std::string describe(mlir::Location loc) {
  if (auto name = mlir::dyn_cast<mlir::NameLoc>(loc)) {
    std::string s = name.getName().str();
    if (auto child = mlir::dyn_cast<mlir::NameLoc>(name.getChildLoc()))
      s += " (in function '" + child.getName().str() + "')";
    return s;
  }
  if (auto fused = mlir::dyn_cast<mlir::FusedLoc>(loc))
    if (!fused.getLocations().empty())
      return describe(fused.getLocations().front());
  std::string s;
  llvm::raw_string_ostream os(s);
  loc.print(os);
  return s == "loc(unknown)" ? "" : s;
}

static const char *severityName(mlir::DiagnosticSeverity severity) {
  switch (severity) {
  case mlir::DiagnosticSeverity::Error:
    return "error";
  case mlir::DiagnosticSeverity::Warning:
    return "warning";
  default:
    return "note";
  }
}

CommandDiagnostics::CommandDiagnostics(mlir::MLIRContext &context, const char *command)
    : handler_(&context, [this, command](mlir::Diagnostic &d) {
        if (d.getSeverity() == mlir::DiagnosticSeverity::Error)
          ++errors_;
        std::string where = describe(d.getLocation());
        std::cerr << "smc " << command << ": " << severityName(d.getSeverity()) << ": "
                  << (where.empty() ? "" : where + ": ") << d.str() << "\n";
        for (auto &note : d.getNotes()) {
          std::string noteWhere = describe(note.getLocation());
          std::cerr << "smc " << command << ": note: " << (noteWhere.empty() ? "" : noteWhere + ": ")
                    << note.str() << "\n";
        }
        return mlir::success();
      }) {
  context.printOpOnDiagnostic(false);
}
