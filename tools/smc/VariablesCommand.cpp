//===- VariablesCommand.cpp - `smc variables` -----------------------------===//
//
// Lists the variables of a SavedModel as smc reads them: every checkpoint tensor, or with
// --signature_def the variables that signature's computation reads (bound the way TensorFlow's
// loaders bind them). Every value listed is read and checksummed, so this is also the quick way
// to check a model's checkpoint.
//
//===----------------------------------------------------------------------===//

#include "Args.h"
#include "Commands.h"

#include "smc/SavedModel/Variables.h"

#include "checkpoint.pb.h"

#include <iostream>

using namespace smc;

static const std::vector<FlagSpec> kFlags = {
    {"dir", true, false, "SavedModel directory (or TF Serving base directory)"},
    {"tag_set", true, false, "tag set of the meta graph (default: serve)"},
    {"signature_def", true, false, "list only the variables this signature reads"},
    {"help", false, false, "show this help"},
};

static std::string describe(const Tensor &t) {
  return dtypeName(t.dtype) + " " + shapeToString(t.shape);
}

int smc::runVariables(int argc, char **argv) {
  Args args;
  auto usage = [](std::ostream &os) {
    os << "usage: smc variables --dir DIR [--tag_set TAGS] [--signature_def KEY]\n"
       << formatFlags(kFlags);
  };
  if (std::optional<int> done = parseCommand(args, argc, argv, "variables", kFlags, usage))
    return *done;
  if (!args.has("dir")) {
    std::cerr << "smc variables: error: --dir is required\n";
    return kExitUsage;
  }
  auto fail = [](const absl::Status &s) {
    std::cerr << "smc variables: error: " << s.message() << "\n";
    return kExitError;
  };
  auto model = SavedModel::load(args.get("dir"));
  if (!model.ok())
    return fail(model.status());
  if (args.has("signature_def")) {
    auto mg = (*model)->metaGraph(args.get("tag_set", "serve"));
    if (!mg.ok())
      return fail(mg.status());
    auto vars = signatureVariables(**model, **mg, args.get("signature_def"));
    if (!vars.ok())
      return fail(vars.status());
    std::cout << "Signature '" << args.get("signature_def") << "' reads " << vars->size()
              << " variable(s):\n";
    for (const auto &v : *vars)
      std::cout << "  " << v.binding.checkpointKey << ": " << describe(v.value) << " (node '"
                << v.binding.node << "')\n";
    return kExitOk;
  }
  auto bundle = (*model)->bundle();
  if (!bundle.ok())
    return fail(bundle.status());
  if (!*bundle) {
    std::cout << "The SavedModel has no variables.\n";
    return kExitOk;
  }
  auto keys = (*bundle)->keys();
  std::cout << "The checkpoint holds " << keys.size() << " tensor(s):\n";
  for (const auto &key : keys) {
    auto t = (*bundle)->read(key);
    if (!t.ok())
      return fail(t.status());
    std::cout << "  " << key << ": " << describe(*t) << "\n";
  }
  return kExitOk;
}
