//===- ShowCommand.cpp - `smc show` ---------------------------------------===//
//
// Flags and behaviour of `saved_model_cli show`: --dir, --tag_set, --signature_def, --all,
// --list_ops.
//
//===----------------------------------------------------------------------===//

#include "Args.h"
#include "Commands.h"

#include "smc/Show/Show.h"

#include <iostream>

using namespace smc;

static const std::vector<FlagSpec> kShowFlags = {
    {"dir", true, false, "SavedModel directory (or TF Serving base directory)"},
    {"tag_set", true, false, "comma-separated tag set of the meta graph, e.g. serve"},
    {"signature_def", true, false, "signature key to describe"},
    {"all", false, false, "show every meta graph, signature and concrete function"},
    {"list_ops", false, false, "list the ops the meta graph uses"},
    {"help", false, false, "show this help"},
};

static void printUsage(std::ostream &os) {
  os << "usage: smc show --dir DIR [--all] [--tag_set TAGS [--signature_def KEY] [--list_ops]]\n"
     << formatFlags(kShowFlags);
}

int smc::runShow(int argc, char **argv) {
  Args args;
  if (std::optional<int> done = parseCommand(args, argc, argv, "show", kShowFlags, printUsage))
    return *done;
  if (!args.positional().empty()) {
    std::cerr << "smc show: error: unexpected argument '" << args.positional()[0] << "'\n";
    return kExitUsage;
  }
  if (!args.has("dir")) {
    std::cerr << "smc show: error: --dir is required\n";
    printUsage(std::cerr);
    return kExitUsage;
  }
  if (args.has("signature_def") && !args.has("tag_set") && !args.has("all")) {
    std::cerr << "smc show: error: --signature_def needs --tag_set\n";
    return kExitUsage;
  }

  auto model = SavedModel::load(args.get("dir"));
  if (!model.ok()) {
    std::cerr << "smc show: error: " << model.status().message() << "\n";
    return kExitError;
  }
  const SavedModel &m = **model;
  auto emit = [](const absl::StatusOr<std::string> &text) {
    if (!text.ok()) {
      std::cerr << "smc show: error: " << text.status().message() << "\n";
      return false;
    }
    std::cout << *text;
    return true;
  };

  if (args.has("all")) {
    std::cout << showAll(m);
    return kExitOk;
  }
  if (!args.has("tag_set")) {
    if (args.has("list_ops"))
      std::cout << "--list_ops must be paired with a tag-set or with --all.\n";
    std::cout << showTagSets(m);
    return kExitOk;
  }
  std::string tagSet = args.get("tag_set");
  if (parseTagSet(tagSet).empty()) {
    std::cerr << "smc show: error: --tag_set must contain at least one non-empty tag\n";
    return kExitUsage;
  }
  if (args.has("list_ops") && !emit(showOps(m, tagSet)))
    return kExitError;
  bool ok = args.has("signature_def") ? emit(showSignature(m, tagSet, args.get("signature_def")))
                                      : emit(showSignatureKeys(m, tagSet));
  return ok ? kExitOk : kExitError;
}
