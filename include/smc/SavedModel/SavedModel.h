//===- SavedModel.h - A SavedModel directory, parsed -----------*- C++ -*-===//
//
// Loads `saved_model.pb` (or `saved_model.pbtxt`) of a SavedModel directory, or of the highest
// numbered version folder of a TF Serving base directory, selects meta graphs by tag set and
// signatures by key, and opens the variables checkpoint on demand. Every failure is an
// absl::Status whose message names the file and what is wrong.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_SAVEDMODEL_SAVEDMODEL_H
#define SMC_SAVEDMODEL_SAVEDMODEL_H

#include "smc/SavedModel/TensorBundle.h"

#include "absl/status/statusor.h"

#include <memory>
#include <string>
#include <vector>

namespace tensorflow {
class MetaGraphDef;
class NodeDef;
class SavedModel;
class SignatureDef;
class TensorInfo;
class TensorShapeProto;
} // namespace tensorflow

namespace smc {

class SavedModel {
public:
  /// Loads the SavedModel in `dir`. A directory without saved_model.pb{,txt} whose subfolders
  /// are numbered versions (TF Serving layout) loads its highest version.
  static absl::StatusOr<std::unique_ptr<SavedModel>> load(const std::string &dir);
  ~SavedModel();

  /// The export directory actually read (the version folder for a serving base dir).
  const std::string &dir() const { return dir_; }
  /// Path of the file the protocol buffer came from.
  const std::string &modelFile() const { return modelFile_; }
  const tensorflow::SavedModel &proto() const { return *proto_; }

  /// The meta graph whose tag set equals the comma-separated `tagSet` (order and empty
  /// entries ignored). The error lists the available tag sets.
  absl::StatusOr<const tensorflow::MetaGraphDef *> metaGraph(const std::string &tagSet) const;
  /// The signature `key` of `metaGraph`. The error lists the available keys.
  absl::StatusOr<const tensorflow::SignatureDef *>
  signature(const tensorflow::MetaGraphDef &metaGraph, const std::string &key) const;

  /// The checkpoint `variables/variables`, opened on first use; nullptr when the model has
  /// no variables index.
  absl::StatusOr<const TensorBundle *> bundle() const;

private:
  SavedModel();
  std::string dir_;
  std::string modelFile_;
  std::unique_ptr<tensorflow::SavedModel> proto_;
  mutable std::unique_ptr<TensorBundle> bundle_;
  mutable bool bundleOpened_ = false;
};

/// The Placeholder (or PlaceholderWithDefault) node of `metaGraph`'s graph whose output signature
/// input `info` names, or nullptr (an intermediate tensor, or a sparse or composite input).
const tensorflow::NodeDef *fedPlaceholder(const tensorflow::MetaGraphDef &metaGraph,
                                          const tensorflow::TensorInfo &info);

/// The shape a TF session accepts for signature input `info` of `metaGraph`. A session feeds a
/// tensor by name and checks the value against the tensor's own static shape, never against
/// the TensorInfo's `tensor_shape` (TF1's Session.run rejects an incompatible value; TF2's loader
/// of a TF1 model makes its TensorSpecs from the same shapes). So for an input that feeds a
/// placeholder it is that node's `shape` attribute, whatever the TensorInfo declares (a
/// different shape, a more specific one, or a scalar); a Placeholder without one, or a scalar
/// one in a graph of producer version 21 or older, takes any shape (TF's shape function reads
/// it so). Any other input keeps the TensorInfo's shape.
const tensorflow::TensorShapeProto &signatureInputShape(const tensorflow::MetaGraphDef &metaGraph,
                                                        const tensorflow::TensorInfo &info);

/// Splits a comma-separated tag set, trims spaces, drops empty entries.
std::vector<std::string> parseTagSet(const std::string &tagSet);
/// Python's repr of ", ".join(sorted(tags)), as saved_model_cli prints a tag set.
std::string formatTagSet(std::vector<std::string> tags, bool sortTags);

} // namespace smc

#endif // SMC_SAVEDMODEL_SAVEDMODEL_H
