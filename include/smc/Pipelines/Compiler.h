//===- Compiler.h - `smc compile` as a library call ------------*- C++ -*-===//
//
// Everything `smc compile` does, so that the driver only parses flags: load the SavedModel,
// import the selected signatures, run the pipeline, emit code and the header.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_PIPELINES_COMPILER_H
#define SMC_PIPELINES_COMPILER_H

#include "smc/Import/Import.h"
#include "smc/Pipelines/Pipeline.h"
#include "smc/Target/Header/Header.h"

#include "mlir/IR/MLIRContext.h"

namespace smc {

struct CompileRequest {
  std::string dir;
  ImportOptions import;
  CompileOptions codegen;
  /// Stop after this phase and return its IR as text (Import..LLVMDialect, LLVMIR, Asm), or
  /// Object for the full compile.
  Phase emit = Phase::Object;
  std::string nameSpace = "model"; // C++ namespace and C symbol prefix
};

struct CompileResult {
  std::string code;   // object bytes, or the text of the requested phase
  HeaderInfo header;  // the functions compiled, at whatever phase the compile stopped
};

/// Fills `header.functions` and `header.hasMutableVariables` from `module` at any phase from
/// import to the LLVM dialect: the exported functions are those with `smc.signature`, named
/// `<prefix of header.nameSpace>_<name>`; their inputs and outputs are described by the
/// `smc.name`, `smc.tf_shape` and `smc.tensor_type` attributes the importer leaves (and
/// `smc.output`/`smc.arena` after smc-buffer-abi), the arena by `smc.arena_size`.
mlir::LogicalResult describeModule(mlir::ModuleOp module, HeaderInfo &header);

/// Compiles per `request`. Errors are MLIR diagnostics (on `context`'s handler).
mlir::LogicalResult compile(const CompileRequest &request, mlir::MLIRContext &context,
                            CompileResult &result);

} // namespace smc

#endif // SMC_PIPELINES_COMPILER_H
