//===- GraphView.h - Graph bodies as the importer walks them ---*- C++ -*-===//
//
// A graph body (the top-level GraphDef of a meta graph, or one FunctionDef) viewed for import:
// its nodes by name, what an input reference ("node:1", "node:out_arg:0", "arg", "^node")
// points to, the nodes a set of fetches needs in dependency order, a function's fetches and
// control targets, and which function a node calls.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_LIB_IMPORT_GRAPHVIEW_H
#define SMC_LIB_IMPORT_GRAPHVIEW_H

#include "graph.pb.h"

#include "mlir/IR/Location.h"
#include "mlir/Support/LogicalResult.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace smc::import {

/// Where an input reference points: a function argument or an output of a node.
struct RefTarget {
  int arg = -1;       // function argument index, or -1
  std::string node;   // producing node
  std::string outArg; // function bodies: output arg name ("" at top level)
  int index = 0;      // top level: flat output index; bodies: index within outArg
  bool control = false;
};

/// A graph body: the top-level graph of a meta graph (`fn` null) or one FunctionDef.
struct BodyView {
  BodyView(const tensorflow::GraphDef &graph, const tensorflow::FunctionDef *fn);

  /// What the input reference `ref` of a node (or a fetch) of this body points to.
  RefTarget resolve(const std::string &ref) const;

  /// The name of the function ("" for the top-level graph).
  std::string name() const { return fn ? fn->signature().name() : ""; }

  const tensorflow::FunctionDef *fn = nullptr;
  std::map<std::string, const tensorflow::NodeDef *> nodes;
  std::map<std::string, int> args;
  /// A node name two nodes share, if any (the body is then refused: which one an input means
  /// would be a guess).
  std::string duplicate;
};

/// Nodes of `body` needed to compute `fetches` and run `targets`, dependencies first. `feeds`
/// (top level only) are tensor names ("node:0") that cut the graph. Errors (a missing node, a
/// cycle, a node name used twice) are emitted at `loc`, prefixed by `where`.
mlir::FailureOr<std::vector<const tensorflow::NodeDef *>>
neededNodes(const BodyView &body, const std::vector<std::string> &fetches,
            const std::vector<std::string> &targets, const std::set<std::string> &feeds,
            mlir::Location loc, const std::string &where);

/// What a call of a function computes: its output tensors in output-arg order (`fetches`) and
/// its control outputs ordered by key (`targets`, the stateful nodes that must run).
struct FunctionIO {
  std::vector<std::string> fetches;
  std::vector<std::string> targets;
};

/// The fetches and targets of `fn`; an error at `loc` if an output arg has no return value.
mlir::FailureOr<FunctionIO> functionIO(const tensorflow::FunctionDef &fn, mlir::Location loc);

/// "node" -> "node:0", "node:1" stays: the form feeds and fetches are compared in.
std::string canonicalTensorName(const std::string &name);

/// True for a non-control input `i` of `node` that only feeds an error message (Assert's data
/// tensors, often strings smc has no type for): it is neither walked nor imported.
bool isMessageInput(const tensorflow::NodeDef &node, int i);

/// True for the TF ops that call a function named by their `f` attribute.
bool isCallOp(const std::string &op);

/// Number of tensors an output arg of `node` stands for.
int outputArgSize(const tensorflow::OpDef::ArgDef &arg, const tensorflow::NodeDef &node);

} // namespace smc::import

#endif // SMC_LIB_IMPORT_GRAPHVIEW_H
