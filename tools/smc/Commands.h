//===- Commands.h - The smc subcommands ------------------------*- C++ -*-===//
#ifndef SMC_TOOLS_COMMANDS_H
#define SMC_TOOLS_COMMANDS_H

#include <string>

namespace smc {

/// Exit codes shared by every subcommand.
enum ExitCode { kExitOk = 0, kExitError = 1, kExitUsage = 2 };

int runCompile(int argc, char **argv);
int runRun(int argc, char **argv);
int runShow(int argc, char **argv);
int runVariables(int argc, char **argv);

/// What the driver is doing, for the message of an error the compiler cannot recover from (an
/// LLVM fatal error, memory exhausted): e.g. "compiling for thumbv6m-none-eabi".
void setFatalErrorContext(std::string context);

} // namespace smc

#endif // SMC_TOOLS_COMMANDS_H
