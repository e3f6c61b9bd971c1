//===- smc.cpp - The smc driver -------------------------------------------===//
//
// `smc <command> [options]`. The driver only parses flags and calls into the libraries; it holds
// no compiler logic.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include "llvm/Support/ErrorHandling.h"

#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <new>

using namespace smc;

static std::string &fatalErrorContext() {
  static std::string context;
  return context;
}

void smc::setFatalErrorContext(std::string context) { fatalErrorContext() = std::move(context); }

/// An error nothing can recover from — LLVM's report_fatal_error (a code generator that cannot
/// handle an operation for the target), memory exhausted, an exception nobody caught — ends
/// the process with exit 1 and a message, never an abort (exit 134) or a core dump.
[[noreturn]] static void fatal(const std::string &what) {
  std::cerr << "smc: error: " << what;
  if (!fatalErrorContext().empty())
    std::cerr << " (while " << fatalErrorContext() << ")";
  std::cerr << std::endl;
  std::_Exit(kExitError);
}

static void installFatalErrorHandlers() {
  llvm::install_fatal_error_handler([](void *, const char *reason, bool) {
    fatal(std::string("LLVM: ") + reason);
  });
  llvm::install_bad_alloc_error_handler(
      [](void *, const char *, bool) { fatal("out of memory"); });
  std::set_new_handler([] { fatal("out of memory"); });
  // Built without exceptions: whatever escapes (protobuf, the standard library) ends here.
  std::set_terminate([] { fatal("internal error: an exception nobody caught"); });
}

static void printUsage(std::ostream &os) {
  os << "usage: smc <command> [options]\n\n"
        "commands:\n"
        "  compile    compile signatures of a SavedModel into an object file and a header\n"
        "  run        compile a signature and run it on inputs (like saved_model_cli run)\n"
        "  show       describe a SavedModel (like saved_model_cli show)\n"
        "  variables  list (and verify) the variables a SavedModel or one signature reads\n\n"
        "Run 'smc <command> --help' for the options of a command.\n";
}

int main(int argc, char **argv) {
  installFatalErrorHandlers();
  if (argc < 2) {
    printUsage(std::cerr);
    return kExitUsage;
  }
  const char *cmd = argv[1];
  if (!strcmp(cmd, "compile"))
    return runCompile(argc, argv);
  if (!strcmp(cmd, "run"))
    return runRun(argc, argv);
  if (!strcmp(cmd, "show"))
    return runShow(argc, argv);
  if (!strcmp(cmd, "variables"))
    return runVariables(argc, argv);
  if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
    printUsage(std::cout);
    return kExitOk;
  }
  std::cerr << "smc: error: unknown command '" << cmd << "'\n";
  printUsage(std::cerr);
  return kExitUsage;
}
