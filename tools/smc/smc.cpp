//===- smc.cpp - The smc driver -------------------------------------------===//
//
// `smc <command> [options]`. The driver only parses flags and calls into the libraries; it holds
// no compiler logic.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include <cstring>
#include <iostream>

using namespace smc;

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
