//===- Args.h - Command-line parsing for the smc driver --------*- C++ -*-===//
//
// A small parser for `--flag value`, `--flag=value` and boolean `--flag`, with the flags of
// each subcommand declared up front. Unknown flags and missing values are usage errors
// (exit code 2), reported with the subcommand's name.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_TOOLS_ARGS_H
#define SMC_TOOLS_ARGS_H

#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace smc {

struct FlagSpec {
  std::string name;   // without dashes
  bool takesValue;    // false: boolean switch
  bool repeatable;    // may be given more than once
  std::string help;
};

class Args {
public:
  /// Parses argv[first..argc). On failure returns false and sets `error`.
  bool parse(int argc, char **argv, int first, const std::vector<FlagSpec> &specs,
             std::string &error);
  bool has(const std::string &name) const { return values_.count(name) != 0; }
  /// The last value given for `name`, or `def`.
  std::string get(const std::string &name, const std::string &def = "") const;
  std::vector<std::string> all(const std::string &name) const;
  const std::vector<std::string> &positional() const { return positional_; }

private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

/// The start every subcommand shares: parses argv[2..) into `args`. A bad call prints
/// "smc COMMAND: error: ..." and the usage to stderr and gives exit code 2; --help prints the
/// usage to stdout and gives 0. Nothing means: go on.
std::optional<int> parseCommand(Args &args, int argc, char **argv, const char *command,
                                const std::vector<FlagSpec> &specs,
                                const std::function<void(std::ostream &)> &usage);

/// "  --name VALUE   help" lines for a usage message.
std::string formatFlags(const std::vector<FlagSpec> &specs);

/// --max-tensor-bytes's value ("16G", "512M", "65536"; suffixes K, M, G, T) in bytes, or 0
/// if it is not a size from 1K to 1T.
uint64_t parseMaxTensorBytes(const std::string &text);

/// A thread count (compile's -j and $SMC_JOBS, run's --threads): decimal digits only, from 1 to
/// 1024; 0 if the text is anything else.
unsigned parseThreadCount(const std::string &text);

/// The spec of --max-tensor-bytes, shared by compile and run.
extern const FlagSpec kMaxTensorBytesFlag;

} // namespace smc

#endif // SMC_TOOLS_ARGS_H
