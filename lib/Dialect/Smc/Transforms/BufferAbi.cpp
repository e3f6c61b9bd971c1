//===- BufferAbi.cpp - Exported functions take caller-owned buffers -------===//

#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

namespace mlir::smc {
#define GEN_PASS_DEF_BUFFERABI
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;

namespace {

MemRefType memrefFor(Type t) {
  auto rt = cast<RankedTensorType>(t);
  return MemRefType::get(rt.getShape(), rt.getElementType());
}

LogicalResult rewrite(func::FuncOp func) {
  if (func.isExternal())
    return success();
  MLIRContext *ctx = func.getContext();
  FunctionType type = func.getFunctionType();
  for (Type t : llvm::concat<const Type>(type.getInputs(), type.getResults()))
    if (!isa<RankedTensorType>(t) || !cast<RankedTensorType>(t).hasStaticShape())
      return func.emitError("exported functions need statically shaped tensor inputs and "
                            "outputs, got ")
             << t;
  unsigned numIn = type.getNumInputs(), numOut = type.getNumResults();
  Block &entry = func.getBody().front();
  OpBuilder b(ctx);
  b.setInsertionPointToStart(&entry);
  Location loc = func.getLoc();

  // New arguments: input buffers, output buffers, the arena.
  SmallVector<Type> argTypes;
  for (Type t : type.getInputs())
    argTypes.push_back(memrefFor(t));
  for (Type t : type.getResults())
    argTypes.push_back(memrefFor(t));
  argTypes.push_back(MemRefType::get({ShapedType::kDynamic}, b.getI8Type()));

  for (unsigned i = 0; i < numIn; ++i) {
    BlockArgument in = entry.addArgument(argTypes[i], loc);
    Value t = b.create<bufferization::ToTensorOp>(loc, type.getInput(i), in, /*restrict=*/true,
                                                  /*writable=*/false);
    entry.getArgument(i).replaceAllUsesWith(t);
  }
  SmallVector<BlockArgument> outs;
  for (unsigned i = 0; i < numOut; ++i)
    outs.push_back(entry.addArgument(argTypes[numIn + i], loc));
  entry.addArgument(argTypes.back(), loc);
  entry.eraseArguments(0, numIn);

  func.walk([&](func::ReturnOp ret) {
    OpBuilder rb(ret);
    for (unsigned i = 0; i < numOut; ++i) {
      // A result that is a reshape of a value (layer norm's [1, n, d, 1] -> [1, n, d]) has that
      // value materialised in the output buffer reshaped the other way, so that the op
      // computing it writes the output directly (empty-tensor elimination does not see
      // through reshapes), instead of into the arena followed by a copy. The reshaped buffer
      // is made at the function's start, where it dominates that op.
      Value result = ret.getOperand(i);
      Value dest = outs[i];
      while (true) {
        if (auto collapse = result.getDefiningOp<tensor::CollapseShapeOp>()) {
          dest = b.create<memref::ExpandShapeOp>(ret.getLoc(), memrefFor(collapse.getSrcType()),
                                                 dest, collapse.getReassociationIndices());
          result = collapse.getSrc();
          continue;
        }
        if (auto expand = result.getDefiningOp<tensor::ExpandShapeOp>()) {
          dest = b.create<memref::CollapseShapeOp>(ret.getLoc(), dest,
                                                   expand.getReassociationIndices());
          result = expand.getSrc();
          continue;
        }
        break;
      }
      auto m = rb.create<bufferization::MaterializeInDestinationOp>(ret.getLoc(), TypeRange{},
                                                                    result, dest);
      m.setRestrict(true);
      m.setWritable(true);
    }
    rb.create<func::ReturnOp>(ret.getLoc());
    ret.erase();
  });

  // Attributes: inputs keep theirs, outputs take the result attributes, the arena is marked.
  SmallVector<DictionaryAttr> argAttrs;
  for (unsigned i = 0; i < numIn; ++i)
    argAttrs.push_back(func.getArgAttrDict(i));
  for (unsigned i = 0; i < numOut; ++i)
    argAttrs.push_back(func.getResultAttrDict(i));
  argAttrs.push_back(nullptr);
  func.setType(FunctionType::get(ctx, argTypes, {}));
  for (unsigned i = 0; i < argAttrs.size(); ++i) {
    NamedAttrList attrs(argAttrs[i]);
    attrs.set("llvm.noalias", UnitAttr::get(ctx));
    if (i == argAttrs.size() - 1)
      attrs.set(mlir::smc::SmcDialect::ArenaAttrHelper(ctx).getName(), UnitAttr::get(ctx));
    if (i >= numIn && i < numIn + numOut)
      attrs.set(mlir::smc::SmcDialect::OutputAttrHelper(ctx).getName(), UnitAttr::get(ctx));
    func.setArgAttrs(i, attrs.getDictionary(ctx));
  }
  func.setAllResultAttrs(ArrayRef<DictionaryAttr>{});
  return success();
}

/// One tensor.empty (and one zero-fill of it) per user. CSE merges identical empties and
/// fills; empty-tensor elimination then gives the shared value one destination (an output
/// buffer) for all its users, and one-shot bufferization does not see that a second user still
/// needs the original contents: two outputs of one type came out computed in the same buffer,
/// or a second matmul accumulated on top of the first (miscompiles seen with MLIR 19).
void splitSharedInits(func::FuncOp func) {
  // An empty tensor, or a fill or a reshape of one (a packed matmul's init is a zero-filled
  // reshape of an empty [M, N] to [M, N / nb, nb]).
  std::function<bool(Operation *)> isFreshInit = [&](Operation *op) {
    if (isa_and_nonnull<tensor::EmptyOp>(op))
      return true;
    if (isa_and_nonnull<tensor::ExpandShapeOp, tensor::CollapseShapeOp>(op))
      return isFreshInit(op->getOperand(0).getDefiningOp());
    auto fill = dyn_cast_or_null<linalg::FillOp>(op);
    return fill && isFreshInit(fill.getDpsInitOperand(0)->get().getDefiningOp());
  };
  SmallVector<Operation *> shared;
  func.walk([&](Operation *op) {
    if (isFreshInit(op) && op->getNumResults() == 1 && !op->getResult(0).hasOneUse() &&
        !op->getResult(0).use_empty())
      shared.push_back(op);
  });
  for (Operation *op : shared) {
    SmallVector<OpOperand *> uses;
    for (OpOperand &use : op->getResult(0).getUses())
      uses.push_back(&use);
    for (size_t i = 1; i < uses.size(); ++i) {
      OpBuilder b(uses[i]->getOwner());
      // Clone the chain from the empty tensor up to `op`.
      SmallVector<Operation *> chain;
      for (Operation *o = op; o; o = o->getNumOperands() ? o->getOperands().back().getDefiningOp() : nullptr) {
        chain.push_back(o);
        if (isa<tensor::EmptyOp>(o))
          break;
      }
      IRMapping map;
      for (Operation *o : llvm::reverse(chain))
        b.clone(*o, map);
      uses[i]->set(map.lookup(op->getResult(0)));
    }
  }
}

struct BufferAbiPass : mlir::smc::impl::BufferAbiBase<BufferAbiPass> {
  void runOnOperation() override {
    mlir::smc::SmcDialect::SignatureAttrHelper signature(&getContext());
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (!signature.isAttrPresent(func))
        continue;
      if (failed(rewrite(func)))
        return signalPassFailure();
      splitSharedInits(func);
    }
  }
};

} // namespace
