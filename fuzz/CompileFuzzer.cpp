//===- CompileFuzzer.cpp - The whole pipeline on a mutated saved_model.pb -===//
//
// The input is the saved_model.pb (or, when it starts like text, a letter or '#', the
// saved_model.pbtxt) of a model whose variables are those of a fixed
// checkpoint ($SMC_FUZZ_VARIABLES, by default the digits example's): every signature is
// imported and compiled through the MLIR pipeline to the LLVM dialect (memory plan and arena
// included) for this machine, and the header's facts are computed. Only LLVM's own code
// generation is left out: it sees only what the pipeline emits, and each input would cost
// a second. Diagnostics are dropped; a crash, a hang or a sanitizer report is the finding.

#include "FuzzTarget.h"

#include <google/protobuf/stubs/logging.h>

#include "smc/Pipelines/Compiler.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "llvm/Support/FileSystem.h"

#include <cstdio>
#include <cstdlib>

#ifndef SMC_FUZZ_DEFAULT_VARIABLES
#define SMC_FUZZ_DEFAULT_VARIABLES ""
#endif

namespace {

std::string modelDir() {
  std::string dir = smc::fuzz::scratchDir() + "/compile";
  llvm::sys::fs::create_directories(dir + "/variables");
  const char *env = std::getenv("SMC_FUZZ_VARIABLES");
  std::string from = env ? env : SMC_FUZZ_DEFAULT_VARIABLES;
  for (const char *file : {"variables.index", "variables.data-00000-of-00001"})
    if (llvm::sys::fs::copy_file(from + "/" + file, dir + "/variables/" + file)) {
      std::fprintf(stderr, "smc fuzz: cannot copy %s/%s (set SMC_FUZZ_VARIABLES)\n",
                   from.c_str(), file);
      std::exit(1);
    }
  return dir;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Protobuf logs each string field that is not UTF-8 before the parse fails: noise here.
  static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);
  (void)quiet;
  static const std::string dir = modelDir();
  static mlir::MLIRContext *context = [] {
    mlir::DialectRegistry registry;
    smc::registerPipelineDialects(registry);
    auto *c = new mlir::MLIRContext(registry, mlir::MLIRContext::Threading::DISABLED);
    c->loadAllAvailableDialects();
    c->getDiagEngine().registerHandler([](mlir::Diagnostic &) { return mlir::success(); });
    return c;
  }();
  if (!smc::fuzz::writeSavedModel(dir, data, size))
    return 0;
  smc::CompileRequest request;
  request.dir = dir;
  request.import.signatures = {"all"};
  request.emit = smc::Phase::LLVMDialect;
  request.codegen.jobs = 1;
  smc::CompileResult result;
  (void)smc::compile(request, *context, result);
  return 0;
}
