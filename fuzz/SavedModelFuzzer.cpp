//===- SavedModelFuzzer.cpp - saved_model.pb{,txt} reader and `smc show` --===//
//
// The input is a saved_model.pb (binary protocol buffer), or a saved_model.pbtxt when it
// starts like text (a letter or '#'), in a directory of its own. What loads is shown as
// `smc show --all` and `--list_ops` would show it, for every tag set.

#include "FuzzTarget.h"

#include <google/protobuf/stubs/logging.h>

#include "smc/SavedModel/SavedModel.h"
#include "smc/Show/Show.h"

#include "saved_model.pb.h"

#include "llvm/Support/FileSystem.h"

#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Protobuf logs each string field that is not UTF-8 before the parse fails: noise here.
  static const bool quiet = (google::protobuf::SetLogHandler(nullptr), true);
  (void)quiet;
  static const std::string dir = [] {
    std::string d = smc::fuzz::scratchDir() + "/model";
    llvm::sys::fs::create_directories(d);
    return d;
  }();
  if (!smc::fuzz::writeSavedModel(dir, data, size))
    return 0;
  auto model = smc::SavedModel::load(dir);
  if (!model.ok())
    return 0;
  (void)smc::showAll(**model);
  for (const auto &metaGraph : (*model)->proto().meta_graphs()) {
    std::string tags;
    for (const std::string &tag : metaGraph.meta_info_def().tags())
      tags += (tags.empty() ? "" : ",") + tag;
    (void)smc::showOps(**model, tags);
  }
  return 0;
}
