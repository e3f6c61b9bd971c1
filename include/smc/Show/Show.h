//===- Show.h - `smc show`: what saved_model_cli show prints ---*- C++ -*-===//
//
// Text reports of a SavedModel in the exact format of TensorFlow's `saved_model_cli show`, so
// that users see what they know. One deliberate difference: saved_model_cli prints the op set of
// a meta graph as a Python set, whose order changes from run to run (string hashing is
// randomised per process); smc prints the same set sorted, so its output is deterministic.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_SHOW_SHOW_H
#define SMC_SHOW_SHOW_H

#include "smc/SavedModel/SavedModel.h"

#include "absl/status/statusor.h"

#include <string>

namespace smc {

/// `show --dir D`: the tag sets.
std::string showTagSets(const SavedModel &model);
/// `show --dir D --tag_set T`: the signature keys of that meta graph.
absl::StatusOr<std::string> showSignatureKeys(const SavedModel &model, const std::string &tagSet);
/// `show --dir D --tag_set T --signature_def K`: inputs, outputs and method of a signature.
absl::StatusOr<std::string> showSignature(const SavedModel &model, const std::string &tagSet,
                                          const std::string &key);
/// `show --dir D --tag_set T --list_ops`: the ops the meta graph uses.
absl::StatusOr<std::string> showOps(const SavedModel &model, const std::string &tagSet);
/// `show --dir D --all`: every meta graph and signature, then the concrete functions of the
/// object graph (as saved_model_cli lists them after loading the model with TensorFlow).
std::string showAll(const SavedModel &model);

} // namespace smc

#endif // SMC_SHOW_SHOW_H
