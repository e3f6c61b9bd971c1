//===- Variables.h - Which checkpoint tensor each variable holds -*- C++ -*-===//
//
// Binds the variable nodes of a meta graph's top-level graph (VarHandleOp, VariableV2,
// Variable) to their checkpoint keys, the way TensorFlow's loaders do:
//  - TF2 (object graph present): the call nodes of the graph pass captured variables as
//    trailing inputs; SavedObjectGraph.concrete_functions[f].bound_inputs names the object
//    behind each, and a parallel walk of the checkpoint's TrackableObjectGraph and the
//    SavedObjectGraph gives each object's checkpoint key;
//  - TF1: the saver's restore ops, `Assign(var, RestoreV2:k)` / `AssignVariableOp`, whose
//    `tensor_names` constant holds the key; failing that, a key equal to the node name.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_SAVEDMODEL_VARIABLES_H
#define SMC_SAVEDMODEL_VARIABLES_H

#include "smc/SavedModel/SavedModel.h"
#include "smc/SavedModel/Tensor.h"

#include "absl/status/statusor.h"

#include <map>
#include <string>
#include <vector>

namespace smc {

/// "node:2" -> {"node", 2}; "node" -> {"node", 0}; "^node" -> {"node", -1} (control input).
struct TensorRef {
  std::string node;
  int index = 0;
};
TensorRef parseTensorRef(const std::string &name);

struct VariableBinding {
  std::string node;          // variable node in the top-level graph
  std::string checkpointKey; // key in variables/variables
  int savedObjectId = -1;    // TF2: the SavedObject of the variable; -1 for TF1
};

class VariableBindings {
public:
  /// Binds every variable node of `metaGraph` that the checkpoint of `model` can supply.
  static absl::StatusOr<VariableBindings> create(const SavedModel &model,
                                                 const tensorflow::MetaGraphDef &metaGraph);
  /// The binding of variable node `node`, or an error naming the node.
  absl::StatusOr<const VariableBinding *> lookup(const std::string &node) const;
  const std::map<std::string, VariableBinding> &all() const { return byNode_; }
  /// TF2: checkpoint key of each SavedObject that has one (variables), by object id.
  const std::map<int, std::string> &objectKeys() const { return objectKeys_; }

private:
  std::map<std::string, VariableBinding> byNode_;
  std::map<int, std::string> objectKeys_;
  /// The checkpoint index that is missing ("" if the SavedModel has one): lookups say so.
  std::string missingIndex_;
};

struct SignatureVariable {
  VariableBinding binding;
  Tensor value;
};

/// The variables the computation of signature `key` reads (the variable nodes upstream of its
/// outputs, the graph cut at its inputs), each with its value from the checkpoint, sorted by
/// node name.
absl::StatusOr<std::vector<SignatureVariable>>
signatureVariables(const SavedModel &model, const tensorflow::MetaGraphDef &metaGraph,
                   const std::string &key);

} // namespace smc

#endif // SMC_SAVEDMODEL_VARIABLES_H
