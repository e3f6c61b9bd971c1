//===- Importer.h - Internals of the SavedModel importer -------*- C++ -*-===//
//
// The importer walks a graph body (the top-level GraphDef of a meta graph, or a FunctionDef)
// in dependency order and calls one handler per TF op type. Handlers live in one file per op
// family (Ops*.cpp) and register themselves in the op table.
//
//===----------------------------------------------------------------------===//
#ifndef SMC_LIB_IMPORT_IMPORTER_H
#define SMC_LIB_IMPORT_IMPORTER_H

#include "smc/Dialect/Smc/IR/SmcOps.h"
#include "smc/Import/Import.h"
#include "smc/SavedModel/SavedModel.h"
#include "smc/SavedModel/Variables.h"

#include "graph.pb.h"
#include "saved_model.pb.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"

#include <map>
#include <functional>
#include <optional>
#include <set>
#include <string>

namespace smc::import {

/// A variable as a value flows through the graph: a TF2 resource handle, or a TF1 ref.
struct Resource {
  std::string global; // symbol of the smc.global
  bool isRef = false; // TF1 reference: consumers that want a tensor read it
};

/// A TensorList whose element type is not known yet: TensorListReserve / EmptyTensorList with
/// an unknown element shape (as Keras emits them). It becomes a tensor of `length` elements at
/// its first SetItem / PushBack, whose item gives the element type; until then every element
/// reads as zeros of the element shape a reader states. A list whose element type is known is a
/// plain tensor [length, element...].
struct PendingList {
  int64_t length = 0;
  int dtype = 0; // tensorflow::DataType of the elements
};

/// A complex64 tensor, which smc keeps inside a signature as two float32 tensors of one shape:
/// its real and imaginary parts (RFFT and Complex make one; IRFFT, ComplexAbs, Real and Imag
/// take one; ops that only move elements pass it on; see OpsSpectral.cpp). It cannot be a
/// signature's output, a variable, a loop variable or a branch's result.
struct ComplexVal {
  mlir::Value re, im;
  std::string origin; // the node that made it, for errors: "RFFT node 'rfft' in function 'f'"
};

/// One output of an imported node: a tensor, a variable handle, a pending TensorList, a
/// complex64 tensor, or nothing (control only).
struct Val {
  mlir::Value value;
  std::optional<Resource> resource;
  std::optional<PendingList> list;
  std::optional<ComplexVal> complex;
  static Val of(mlir::Value v) { return Val{v, std::nullopt, std::nullopt, std::nullopt}; }
  static Val ofResource(Resource r) {
    return Val{mlir::Value(), std::move(r), std::nullopt, std::nullopt};
  }
  static Val ofList(PendingList l) { return Val{mlir::Value(), std::nullopt, l, std::nullopt}; }
  static Val ofComplex(ComplexVal z) {
    return Val{mlir::Value(), std::nullopt, std::nullopt, std::move(z)};
  }
};

class ImportState;

/// What a handler sees: the node, its inputs, a builder at the insertion point, and a place for
/// its outputs.
class NodeContext {
public:
  NodeContext(ImportState &state, const tensorflow::NodeDef &node, mlir::Location loc,
              std::vector<Val> inputs, const std::string &function)
      : state(state), node(node), loc(loc), inputs_(std::move(inputs)), function_(function) {}

  ImportState &state;
  const tensorflow::NodeDef &node;
  mlir::Location loc;
  mlir::OpBuilder &builder();
  mlir::MLIRContext *ctx();

  // --- attributes (missing ones take the OpDef default) ---
  const tensorflow::AttrValue *attr(const std::string &name) const;
  bool boolAttr(const std::string &name, bool def = false) const;
  int64_t intAttr(const std::string &name, int64_t def = 0) const;
  float floatAttr(const std::string &name, float def = 0) const;
  std::string strAttr(const std::string &name, const std::string &def = "") const;
  int typeAttr(const std::string &name) const;
  std::vector<int64_t> intListAttr(const std::string &name) const;

  // --- inputs ---
  size_t numInputs() const { return inputs_.size(); }
  /// Input `i` as a tensor (a TF1 ref is read); null after emitting an error (a complex value
  /// is one: only the ops of OpsSpectral.cpp take those, through complexInput).
  mlir::Value input(size_t i);
  /// Input `i` as a complex64 value; nullptr after emitting an error.
  const ComplexVal *complexInput(size_t i);
  /// Input `i` as it is: a tensor, a variable handle, or nothing (control flow passes these on).
  const Val &inputVal(size_t i) const { return inputs_[i]; }
  /// Input `i` as a variable handle; nullptr after emitting an error.
  const Resource *resourceInput(size_t i);
  /// Input `i` if it is a compile-time constant (after folding).
  std::optional<mlir::DenseElementsAttr> constantInput(size_t i);
  /// Input `i` as constant integers; emits an error naming `what` if it is not constant.
  mlir::FailureOr<std::vector<int64_t>> constantInts(size_t i, const char *what);
  /// Emits an error unless the node has exactly `count` data inputs and, if it has the type
  /// attribute `typeAttrName`, that attribute is a dtype smc compiles and every tensor input
  /// has it (a hand-made graph can say anything; TF's own graphs always agree).
  mlir::LogicalResult checkInputs(size_t count, const char *typeAttrName = "T");

  // --- outputs ---
  void output(mlir::Value v) { outputs.push_back(Val::of(v)); }
  std::vector<Val> outputs;

  /// An error at this node: "<op> node '<name>' [in function 'f']: ..."
  mlir::InFlightDiagnostic error();
  /// This node as errors name it: "<op> node '<name>' [in function 'f']".
  std::string describe() const;
  /// The function the node is in ("" at the top level).
  const std::string &function() const { return function_; }

  /// Creates `OpTy` at this node, verifies it (so that a shape error is a diagnostic here, not
  /// a crash) and folds it with the smc dialect's folders, as OpBuilder::createOrFold does
  /// (which cannot be used directly: it folds before the op is verified). Ops that infer their
  /// result type take a null `resultType`. The result, a folded constant, an existing value the
  /// op folds to, or null after an error.
  template <typename OpTy, typename... Args>
  mlir::Value createOrFold(mlir::Type resultType, Args &&...args);

  /// As createOrFold, for an op with several results whose types are among `args` (as its
  /// builder takes them): its results or what they fold to; empty after an error.
  template <typename OpTy, typename... Args>
  llvm::SmallVector<mlir::Value> createOrFoldResults(Args &&...args);

  /// An error at this node unless every result of `op` passes tensorTypeProblem.
  mlir::LogicalResult checkResultTypes(mlir::Operation *op);

private:
  /// Reports that input `i`, a complex value, is not accepted by this node's op.
  void complexInputError(size_t i);
  /// `op`'s result, or what it folds to (then `op` is erased).
  mlir::Value fold(mlir::Operation *op);
  /// `op`'s results, or what they fold to (then `op` is erased).
  llvm::SmallVector<mlir::Value> foldResults(mlir::Operation *op);

  std::vector<Val> inputs_;
  std::string function_;
};

using Handler = mlir::LogicalResult (*)(NodeContext &);

/// The ranked tensor type of a handler's value (every imported tensor has one).
inline mlir::RankedTensorType typeOf(mlir::Value v) {
  return mlir::cast<mlir::RankedTensorType>(v.getType());
}
/// `x` reshaped to `shape` at `c`'s node (`x` itself when it has that shape); null after an error.
mlir::Value reshape(NodeContext &c, mlir::Value x, llvm::ArrayRef<int64_t> shape);

/// An index computed at run time (`v`, a signless integer scalar value, negative counting from
/// the end when `wrapNegative`) into a dimension of size `dim`, clamped to [0, dim): TF fails
/// such a step with an error, which generated code cannot report; clamping keeps every access
/// inside the buffer. An `index` value.
mlir::Value clampedIndex(NodeContext &c, mlir::Value v, int64_t dim, bool wrapNegative);

/// A rank-0 constant `v` of float type `elem` at `c`'s node.
mlir::Value floatScalar(NodeContext &c, mlir::Type elem, double v);

/// The smc elementwise binary op `OpTy(a, b)` at `c`'s node (folded), or null when an operand
/// is null (an error was reported where it was made) or the op does not verify. Lets a chain
/// of arithmetic be written as nested calls with one null check at its end.
template <typename OpTy> mlir::Value binaryOp(NodeContext &c, mlir::Value a, mlir::Value b);

/// The op table: TF op type -> handler.
std::map<std::string, Handler> &opTable();
void registerElementwiseOps(std::map<std::string, Handler> &table);
void registerMathOps(std::map<std::string, Handler> &table);
void registerShapeOps(std::map<std::string, Handler> &table);
void registerStateOps(std::map<std::string, Handler> &table);
void registerNNOps(std::map<std::string, Handler> &table);
void registerIndexOps(std::map<std::string, Handler> &table);
void registerControlOps(std::map<std::string, Handler> &table);
void registerListOps(std::map<std::string, Handler> &table);
void registerQuantOps(std::map<std::string, Handler> &table);
void registerImageOps(std::map<std::string, Handler> &table);
void registerSortOps(std::map<std::string, Handler> &table);
void registerSpectralOps(std::map<std::string, Handler> &table);
/// What docs/ops.md states about the limits of ops of a family, by TF op (OpsSpectral.cpp).
void spectralOpLimits(std::map<std::string, std::string> &limits);

/// Whether op `op` only moves elements (Identity, Reshape, Transpose, Pad, StridedSlice, ...),
/// so that on complex inputs it is imported once for the real parts and once for the imaginary
/// parts (importPerPart).
bool movesElementsOnly(const std::string &op);
/// Imports `c`'s node with `handler` twice, on the real and on the imaginary parts of its
/// complex inputs (others as they are), and pairs the two runs' outputs into complex values.
mlir::LogicalResult importPerPart(NodeContext &c, Handler handler);

/// The zeros a pending list of `length` elements of `element` type holds, as a constant tensor
/// [length, element...].
mlir::Value materializeList(mlir::OpBuilder &b, mlir::Location loc, const PendingList &list,
                            mlir::RankedTensorType element);

/// TF DataType (a TF1 `_REF` one too) -> MLIR element type; null when smc has no equivalent.
mlir::Type elementTypeFor(mlir::MLIRContext *ctx, int dtype);
/// A checkpoint or proto tensor as an attribute of `type`.
mlir::FailureOr<mlir::DenseElementsAttr> attrFromTensor(mlir::RankedTensorType type,
                                                       const Tensor &tensor);

/// State of one import: the model, the module under construction, the variables seen.
class ImportState {
public:
  ImportState(const SavedModel &model, const tensorflow::MetaGraphDef &metaGraph,
              mlir::ModuleOp module, const VariableBindings &bindings);

  const SavedModel &model;
  const tensorflow::MetaGraphDef &metaGraph;
  mlir::ModuleOp module;
  const VariableBindings &bindings;
  mlir::OpBuilder builder;
  /// ImportOptions::maxTensorBytes: every result of a node is checked against it.
  uint64_t maxTensorBytes = kDefaultMaxTensorBytes;

  const tensorflow::FunctionDef *function(const std::string &name) const;
  const tensorflow::OpDef *opDef(const std::string &op) const;
  /// The function `node` calls: a (Stateful)PartitionedCall's `f`, or the library function
  /// used as its op type; "" for an op.
  std::string callee(const tensorflow::NodeDef &node) const;
  /// The global for checkpoint key `key` (created on first use, value from the checkpoint).
  mlir::FailureOr<std::string> globalFor(const std::string &key, mlir::Location loc);
  /// Inlines function `name` with `args`; its outputs in output-arg order.
  mlir::FailureOr<std::vector<Val>> callFunction(const std::string &name, std::vector<Val> args,
                                                 mlir::Location loc);

  /// Imports the nodes of a body needed for `fetches` and `targets` (control outputs), in
  /// dependency order. `feeds` maps tensor names ("node:0") to values; `args` are the values of
  /// a function's input args.
  mlir::FailureOr<std::vector<Val>>
  importBody(const tensorflow::FunctionDef *fn, const std::vector<std::string> &fetches,
             const std::vector<std::string> &targets, const std::map<std::string, Val> &feeds,
             const std::vector<Val> &args);

  /// Every unsupported op the fetches and targets of a body need (through calls), as
  /// "Op (node 'n' in function 'f')", in the order visitOps() meets them.
  std::vector<std::string> unsupportedOps(const tensorflow::FunctionDef *fn,
                                          const std::vector<std::string> &fetches,
                                          const std::vector<std::string> &targets,
                                          const std::set<std::string> &feeds);

  /// Calls `visit` for every node (not function calls, which are followed) that the fetches
  /// and targets of a body need, with the name of the function it is in ("" at top level).
  /// Calls are followed kMaxCallDepth deep (importBody refuses deeper ones).
  void visitOps(const tensorflow::FunctionDef *fn, const std::vector<std::string> &fetches,
                const std::vector<std::string> &targets, const std::set<std::string> &feeds,
                std::set<std::string> &visitedFunctions,
                const std::function<void(const tensorflow::NodeDef &, const std::string &)> &visit,
                int depth = 0);

  /// How deep function calls may nest (TF has no limit; a deeper chain is refused).
  static constexpr int kMaxCallDepth = 64;
  /// How many nodes one import may inline in all (the largest Keras applications have ~10^4).
  static constexpr int64_t kMaxImportedNodes = 1000000;

  mlir::Location locFor(const tensorflow::NodeDef &node, const std::string &function);

private:
  std::map<std::string, const tensorflow::FunctionDef *> functions_;
  std::map<std::string, const tensorflow::OpDef *> opDefs_;
  std::map<std::string, std::string> globals_; // checkpoint key -> symbol
  std::set<std::string> symbols_;
  int callDepth_ = 0;
  std::vector<std::string> callChain_; // the functions being imported, outermost first
  int64_t importedNodes_ = 0;
  bool nodeBudgetReported_ = false;
};

/// Why `type` cannot be a tensor smc makes ("" if it can): a negative dimension, or more than
/// `maxBytes` (ImportOptions::maxTensorBytes; in checked arithmetic).
std::string tensorTypeProblem(mlir::Type type, uint64_t maxBytes);

template <typename OpTy, typename... Args>
mlir::Value NodeContext::createOrFold(mlir::Type resultType, Args &&...args) {
  constexpr bool infers = OpTy::template hasTrait<mlir::InferTypeOpInterface::Trait>();
  if (!resultType)
    resultType = builder().getNoneType(); // replaced by the inferred type below
  OpTy op = builder().create<OpTy>(loc, resultType, std::forward<Args>(args)...);
  if constexpr (infers) {
    llvm::SmallVector<mlir::Type, 1> types;
    if (mlir::failed(OpTy::inferReturnTypes(ctx(), loc, op->getOperands(),
                                            op->getRawDictionaryAttrs(),
                                            op->getPropertiesStorage(), op->getRegions(),
                                            types))) {
      op->erase();
      return nullptr;
    }
    op->getResult(0).setType(types[0]);
  }
  if (mlir::failed(mlir::verify(op, /*verifyRecursively=*/false)) ||
      mlir::failed(checkResultTypes(op))) {
    op->erase();
    return nullptr;
  }
  return fold(op);
}

template <typename OpTy, typename... Args>
llvm::SmallVector<mlir::Value> NodeContext::createOrFoldResults(Args &&...args) {
  OpTy op = builder().create<OpTy>(loc, std::forward<Args>(args)...);
  if (mlir::failed(mlir::verify(op, /*verifyRecursively=*/false)) ||
      mlir::failed(checkResultTypes(op))) {
    op->erase();
    return {};
  }
  return foldResults(op);
}

template <typename OpTy> mlir::Value binaryOp(NodeContext &c, mlir::Value a, mlir::Value b) {
  if (!a || !b)
    return nullptr;
  return c.createOrFold<OpTy>(nullptr, a, b);
}

} // namespace smc::import

#endif // SMC_LIB_IMPORT_IMPORTER_H
