//===- Args.cpp - Command-line parsing for the smc driver -----------------===//

#include "Args.h"

#include "Commands.h"

#include <cctype>
#include <cstdlib>
#include <iostream>

using namespace smc;

bool Args::parse(int argc, char **argv, int first, const std::vector<FlagSpec> &specs,
                 std::string &error) {
  for (int i = first; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.size() < 2 || arg[0] != '-') {
      positional_.push_back(arg);
      continue;
    }
    std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
    std::string value;
    bool hasValue = false;
    size_t eq = body.find('=');
    if (eq != std::string::npos) {
      value = body.substr(eq + 1);
      body = body.substr(0, eq);
      hasValue = true;
    }
    const FlagSpec *spec = nullptr;
    for (const auto &s : specs)
      if (s.name == body)
        spec = &s;
    if (!spec) {
      error = "unknown option '" + arg + "'";
      return false;
    }
    if (spec->takesValue && !hasValue) {
      if (i + 1 >= argc) {
        error = "option '--" + spec->name + "' needs a value";
        return false;
      }
      value = argv[++i];
    } else if (!spec->takesValue && hasValue) {
      if (value != "true" && value != "false" && value != "1" && value != "0") {
        error = "option '--" + spec->name + "' takes no value";
        return false;
      }
      if (value == "false" || value == "0")
        continue;
    }
    if (!spec->repeatable && values_.count(spec->name) && spec->takesValue) {
      error = "option '--" + spec->name + "' given more than once";
      return false;
    }
    values_[spec->name].push_back(value);
  }
  return true;
}

std::string Args::get(const std::string &name, const std::string &def) const {
  auto it = values_.find(name);
  return it == values_.end() || it->second.empty() ? def : it->second.back();
}

std::vector<std::string> Args::all(const std::string &name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

std::string smc::formatFlags(const std::vector<FlagSpec> &specs) {
  std::string out;
  for (const auto &s : specs) {
    std::string left = "  --" + s.name + (s.takesValue ? " VALUE" : "");
    if (left.size() < 28)
      left.resize(28, ' ');
    else
      left += "  ";
    out += left + s.help + "\n";
  }
  return out;
}

std::optional<int> smc::parseCommand(Args &args, int argc, char **argv, const char *command,
                                     const std::vector<FlagSpec> &specs,
                                     const std::function<void(std::ostream &)> &usage) {
  std::string error;
  if (!args.parse(argc, argv, 2, specs, error)) {
    std::cerr << "smc " << command << ": error: " << error << "\n";
    usage(std::cerr);
    return kExitUsage;
  }
  if (args.has("help")) {
    usage(std::cout);
    return kExitOk;
  }
  return std::nullopt;
}

const FlagSpec smc::kMaxTensorBytesFlag = {
    "max-tensor-bytes", true, false,
    "largest tensor the model may make (input, constant or intermediate), e.g. 64G; larger "
    "ones are errors (default: 16G)"};

unsigned smc::parseThreadCount(const std::string &text) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0])))
    return 0;
  char *end = nullptr;
  unsigned long n = std::strtoul(text.c_str(), &end, 10);
  return *end || n > 1024 ? 0 : static_cast<unsigned>(n);
}

uint64_t smc::parseMaxTensorBytes(const std::string &text) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0])))
    return 0;
  char *end = nullptr;
  unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  std::string unit(end);
  int shift = unit.empty()                   ? 0
              : unit == "K" || unit == "k" ? 10
              : unit == "M" || unit == "m" ? 20
              : unit == "G" || unit == "g" ? 30
              : unit == "T" || unit == "t" ? 40
                                           : -1;
  // At most 1 TiB: the memory plan adds and multiplies sizes in 64-bit arithmetic, which a
  // few buffers of 2^62 bytes would overflow.
  if (shift < 0 || v == 0 || v > ((1ULL << 40) >> shift))
    return 0;
  v <<= shift;
  return v >= 1024 ? v : 0;
}
