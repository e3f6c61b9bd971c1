//===- OpsControl.cpp - Functional control flow: If, Case, While ----------===//
//
// TF's functional control flow becomes structured control flow on tensors: If/StatelessIf and
// Case/StatelessCase an `scf.if` (a chain of them for Case) whose regions hold the inlined branch
// functions, While/StatelessWhile an `scf.while` whose "before" region holds the inlined cond
// function and whose "after" region the body. Region bodies use values from above directly.
// Loop-carried values keep one static type: a body that changes a carried shape is an error
// naming the node. Variable handles passed through a loop or a branch are not carried: they
// name a global, which the regions read and write directly.
//
//===----------------------------------------------------------------------===//

#include "Importer.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace ::smc::import;

namespace {

/// The function named by func-valued attribute `name`, or "" after an error.
std::string funcAttr(NodeContext &c, const char *name) {
  const tensorflow::AttrValue *a = c.attr(name);
  if (!a || a->func().name().empty()) {
    c.error() << "has no function attribute '" << name << "'";
    return "";
  }
  return a->func().name();
}

/// TF's truth of a predicate tensor as an i1: a scalar is true when non-zero; a tensor of any
/// other shape is true when it has elements (static here, so a constant).
Value truth(NodeContext &c, Value pred) {
  auto t = cast<RankedTensorType>(pred.getType());
  OpBuilder &b = c.builder();
  if (t.getRank() != 0)
    return b.create<arith::ConstantIntOp>(c.loc, t.getNumElements() != 0, 1);
  Value v = b.create<tensor::ExtractOp>(c.loc, pred, ValueRange{});
  Type e = t.getElementType();
  if (e.isInteger(1))
    return v;
  if (isa<FloatType>(e)) {
    Value zero = b.create<arith::ConstantOp>(c.loc, b.getFloatAttr(e, 0.0));
    return b.create<arith::CmpFOp>(c.loc, arith::CmpFPredicate::UNE, v, zero);
  }
  if (auto i = dyn_cast<IntegerType>(e); i && i.isSignless()) {
    Value zero = b.create<arith::ConstantIntOp>(c.loc, 0, i.getWidth());
    return b.create<arith::CmpIOp>(c.loc, arith::CmpIPredicate::ne, v, zero);
  }
  c.error() << "cannot use a predicate of type " << t;
  return nullptr;
}

/// Imports function `name` with `args` at the end of `block`, then terminates the block with
/// `scf.yield` of its results, which must all be tensors.
FailureOr<SmallVector<Value>> importRegion(NodeContext &c, const std::string &name,
                                           const std::vector<Val> &args, Block &block,
                                           const char *what) {
  OpBuilder &b = c.builder();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(&block);
  auto results = c.state.callFunction(name, args, c.loc);
  if (failed(results))
    return failure();
  SmallVector<Value> values;
  for (size_t i = 0; i < results->size(); ++i) {
    const Val &v = (*results)[i];
    if (!v.value)
      return c.error() << what << " '" << name << "' returns "
                       << (v.list      ? "a TensorList none of whose elements is set"
                           : v.complex ? "a complex64 value (made by " + v.complex->origin + ")"
                                       : "a variable handle")
                       << " as output " << i << "; smc supports only tensors there";
    values.push_back(v.value);
  }
  return values;
}

/// `scf.if (cond)` with two detached blocks as its regions, each yielding its values; `which`
/// names the two sides in the error when their types differ.
FailureOr<SmallVector<Value>> assembleIf(NodeContext &c, Value cond,
                                         std::unique_ptr<Block> thenBlock,
                                         ArrayRef<Value> thenValues,
                                         std::unique_ptr<Block> elseBlock,
                                         ArrayRef<Value> elseValues, const std::string &which) {
  TypeRange types(ValueRange(thenValues).getTypes());
  if (types != TypeRange(ValueRange(elseValues).getTypes())) {
    auto diag = c.error() << "its branches " << which << " return different types (";
    llvm::interleaveComma(types, diag);
    diag << " vs ";
    llvm::interleaveComma(ValueRange(elseValues).getTypes(), diag);
    diag << "); smc needs static shapes";
    return failure();
  }
  auto op = c.builder().create<scf::IfOp>(c.loc, types, cond, /*withElseRegion=*/true);
  auto fill = [&](Region &region, std::unique_ptr<Block> block, ArrayRef<Value> values) {
    region.getBlocks().clear();
    region.push_back(block.release());
    OpBuilder::atBlockEnd(&region.front()).create<scf::YieldOp>(c.loc, values);
  };
  fill(op.getThenRegion(), std::move(thenBlock), thenValues);
  fill(op.getElseRegion(), std::move(elseBlock), elseValues);
  return SmallVector<Value>(op.getResults());
}

/// Builds `scf.if (cond) { then } else { else }` from two function names; its results.
FailureOr<SmallVector<Value>> buildIf(NodeContext &c, Value cond, const std::string &thenName,
                                      const std::string &elseName, const std::vector<Val> &args) {
  // The branches are imported into detached blocks first: their result types make the op's.
  auto thenBlock = std::make_unique<Block>(), elseBlock = std::make_unique<Block>();
  auto thenValues = importRegion(c, thenName, args, *thenBlock, "then branch");
  if (failed(thenValues))
    return failure();
  auto elseValues = importRegion(c, elseName, args, *elseBlock, "else branch");
  if (failed(elseValues))
    return failure();
  return assembleIf(c, cond, std::move(thenBlock), *thenValues, std::move(elseBlock), *elseValues,
                    "'" + thenName + "' and '" + elseName + "'");
}

std::vector<Val> inputsFrom(NodeContext &c, size_t first) {
  std::vector<Val> args;
  for (size_t i = first; i < c.numInputs(); ++i)
    args.push_back(c.inputVal(i));
  return args;
}

/// If / StatelessIf (cond, inputs...; then_branch, else_branch).
LogicalResult ifOp(NodeContext &c) {
  Value pred = c.input(0);
  if (!pred)
    return failure();
  std::string thenName = funcAttr(c, "then_branch"), elseName = funcAttr(c, "else_branch");
  if (thenName.empty() || elseName.empty())
    return failure();
  Value cond = truth(c, pred);
  if (!cond)
    return failure();
  auto results = buildIf(c, cond, thenName, elseName, inputsFrom(c, 1));
  if (failed(results))
    return failure();
  for (Value v : *results)
    c.output(v);
  return success();
}

/// Case / StatelessCase (branch_index, inputs...; branches): branch i for index i, the last
/// branch for any index out of range (TF's default). A chain of scf.if, innermost last.
LogicalResult caseOp(NodeContext &c) {
  Value index = c.input(0);
  if (!index)
    return failure();
  const tensorflow::AttrValue *branches = c.attr("branches");
  if (!branches || branches->list().func_size() == 0)
    return c.error() << "has no branches";
  auto t = cast<RankedTensorType>(index.getType());
  if (t.getRank() != 0 || !t.getElementType().isInteger(32))
    return c.error() << "branch_index must be a scalar int32, not " << t;
  std::vector<Val> args = inputsFrom(c, 1);
  int n = branches->list().func_size();
  OpBuilder &b = c.builder();
  Value i = b.create<tensor::ExtractOp>(c.loc, index, ValueRange{});
  // Branch k (k < n - 1) when index == k; else the rest of the chain. The chain is built from
  // the innermost (the last two branches) outwards, each level inlining its branch's function.
  std::function<FailureOr<SmallVector<Value>>(int)> level = [&](int k) -> FailureOr<SmallVector<Value>> {
    const std::string &name = branches->list().func(k).name();
    if (k == n - 1) {
      auto block = std::make_unique<Block>();
      Block *raw = block.get();
      auto values = importRegion(c, name, args, *raw, "branch");
      if (failed(values))
        return failure();
      // Splice the last branch in place (no condition left to test).
      b.getInsertionBlock()->getOperations().splice(b.getInsertionPoint(),
                                                    raw->getOperations());
      return *values;
    }
    Value k32 = b.create<arith::ConstantIntOp>(c.loc, k, 32);
    Value is = b.create<arith::CmpIOp>(c.loc, arith::CmpIPredicate::eq, i, k32);
    auto thenBlock = std::make_unique<Block>();
    auto thenValues = importRegion(c, name, args, *thenBlock, "branch");
    if (failed(thenValues))
      return failure();
    auto elseBlock = std::make_unique<Block>();
    FailureOr<SmallVector<Value>> elseValues = failure();
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToEnd(elseBlock.get());
      elseValues = level(k + 1);
    }
    if (failed(elseValues))
      return failure();
    return assembleIf(c, is, std::move(thenBlock), *thenValues, std::move(elseBlock),
                      *elseValues, "'" + name + "' and those after it");
  };
  auto results = level(0);
  if (failed(results))
    return failure();
  for (Value v : *results)
    c.output(v);
  return success();
}

/// Gives each pending TensorList among the loop variables `vars` (Keras' output list, reserved
/// with an unknown element shape) the type the loop body gives it: the body is imported once
/// into a scratch block, which is then dropped, and the list becomes zeros of that type before
/// the loop. A list the body does not set stays pending; one whose length the body changes
/// cannot be bounded.
LogicalResult typePendingLists(NodeContext &c, const std::string &bodyName, std::vector<Val> &vars) {
  if (llvm::none_of(vars, [](const Val &v) { return v.list.has_value(); }))
    return success();
  OpBuilder &b = c.builder();
  Block scratch;
  std::vector<Val> args = vars;
  for (Val &v : args)
    if (v.value)
      v = Val::of(scratch.addArgument(v.value.getType(), c.loc));
  FailureOr<std::vector<Val>> result = failure();
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToEnd(&scratch);
    result = c.state.callFunction(bodyName, args, c.loc);
  }
  // A body that fails, or returns a wrong count (whileOp reports it), types nothing.
  LogicalResult status = failed(result) ? failure() : success();
  for (size_t i = 0; succeeded(result) && result->size() == vars.size() && i < vars.size(); ++i) {
    if (!vars[i].list || !(*result)[i].value)
      continue;
    auto t = typeOf((*result)[i].value);
    if (t.getRank() < 1 || t.getDimSize(0) != vars[i].list->length) {
      status = c.error() << "loop variable " << i << " is a TensorList of "
                         << vars[i].list->length << " elements that the body '" << bodyName
                         << "' turns into " << t
                         << "; smc needs lists whose length is bounded at compile time";
      break;
    }
    vars[i] = Val::of(materializeList(
        b, c.loc, *vars[i].list,
        RankedTensorType::get(t.getShape().drop_front(), t.getElementType())));
  }
  scratch.dropAllReferences();
  return status;
}

/// While / StatelessWhile (loop vars...; cond, body).
LogicalResult whileOp(NodeContext &c) {
  std::string condName = funcAttr(c, "cond"), bodyName = funcAttr(c, "body");
  if (condName.empty() || bodyName.empty())
    return failure();
  std::vector<Val> vars = inputsFrom(c, 0);
  OpBuilder &b = c.builder();
  if (failed(typePendingLists(c, bodyName, vars)))
    return failure();
  // Tensors are carried; variable handles (and lists the body never sets) stay what they are
  // in every iteration.
  SmallVector<Value> inits;
  SmallVector<size_t> carried;
  for (size_t i = 0; i < vars.size(); ++i) {
    if (vars[i].value) {
      inits.push_back(vars[i].value);
      carried.push_back(i);
    } else if (vars[i].complex) {
      return c.error() << "loop variable " << i << " is a complex64 value (made by "
                       << vars[i].complex->origin
                       << "); smc keeps complex values out of loops";
    } else if (!vars[i].resource && !vars[i].list) {
      return c.error() << "loop variable " << i << " is neither a tensor nor a variable handle";
    }
  }
  TypeRange types(ValueRange(inits).getTypes());
  auto op = b.create<scf::WhileOp>(c.loc, types, inits);
  SmallVector<Location> locs(inits.size(), c.loc);
  Block *before = b.createBlock(&op.getBefore(), {}, types, locs);
  Block *after = b.createBlock(&op.getAfter(), {}, types, locs);
  b.setInsertionPointAfter(op);
  auto argsOf = [&](Block *block) {
    std::vector<Val> args = vars;
    for (size_t k = 0; k < carried.size(); ++k)
      args[carried[k]] = Val::of(block->getArgument(k));
    return args;
  };
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToEnd(before);
    auto result = c.state.callFunction(condName, argsOf(before), c.loc);
    if (failed(result))
      return failure();
    if (result->size() != 1 || !(*result)[0].value)
      return c.error() << "its cond function '" << condName << "' must return one tensor";
    Value cond = truth(c, (*result)[0].value);
    if (!cond)
      return failure();
    b.create<scf::ConditionOp>(c.loc, cond, before->getArguments());
  }
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToEnd(after);
    auto result = c.state.callFunction(bodyName, argsOf(after), c.loc);
    if (failed(result))
      return failure();
    if (result->size() != vars.size())
      return c.error() << "its body '" << bodyName << "' returns " << result->size()
                       << " values for " << vars.size() << " loop variables";
    SmallVector<Value> next;
    for (size_t k = 0; k < carried.size(); ++k) {
      const Val &v = (*result)[carried[k]];
      if (!v.value)
        return c.error() << "loop variable " << carried[k] << " is a tensor before the loop and "
                         << "not after its body";
      if (v.value.getType() != types[k])
        return c.error() << "loop variable " << carried[k] << " changes from " << types[k]
                         << " to " << v.value.getType()
                         << " in one iteration; smc needs loop-carried values of one static shape";
      next.push_back(v.value);
    }
    b.create<scf::YieldOp>(c.loc, next);
  }
  size_t k = 0;
  for (size_t i = 0; i < vars.size(); ++i)
    c.outputs.push_back(vars[i].value ? Val::of(op.getResult(k++)) : vars[i]);
  return success();
}

} // namespace

void ::smc::import::registerControlOps(std::map<std::string, Handler> &t) {
  t["If"] = ifOp;
  t["StatelessIf"] = ifOp;
  t["Case"] = caseOp;
  t["StatelessCase"] = caseOp;
  t["While"] = whileOp;
  t["StatelessWhile"] = whileOp;
}
