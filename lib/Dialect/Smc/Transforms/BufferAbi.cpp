//===- BufferAbi.cpp - Exported functions take caller-owned buffers -------===//

#include "smc/Dialect/Smc/Transforms/Passes.h"
#include "smc/Dialect/Smc/Transforms/EmptyTensors.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

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

/// An empty tensor that a part is inserted into is made before the part's own empty tensor:
/// empty-tensor elimination computes the part in place of its slice only where that
/// destination dominates the part's empty tensor; else (a matmul's row parts computed before
/// the whole's empty tensor, which splitSharedInits clones at its use) the part is computed
/// apart and copied in. Moved no earlier than needed: the memory plan's lifetimes start where
/// the buffers are made. (A chain of inserts, as a Winograd convolution's output phases make,
/// is not reached: its destinations are the inserts themselves, made after the parts.)
void moveDestinationsUp(func::FuncOp func) {
  Block &entry = func.getBody().front();
  for (auto insert : llvm::make_early_inc_range(entry.getOps<tensor::InsertSliceOp>())) {
    auto dest = insert.getDest().getDefiningOp<tensor::EmptyOp>();
    if (!dest || dest->getBlock() != &entry || !dest.getDynamicSizes().empty())
      continue;
    tensor::EmptyOp part = mlir::smc::rootEmpty(insert.getSource());
    if (part && part != dest && part->getBlock() == &entry && part->isBeforeInBlock(dest))
      dest->moveBefore(part);
  }
}

/// A reshape of a statically shaped empty tensor is an empty tensor of the reshaped type
/// (tensor's own pattern needs shape reification, which is not registered here).
template <typename Reshape>
struct StaticEmptyReshape : OpRewritePattern<Reshape> {
  using OpRewritePattern<Reshape>::OpRewritePattern;
  LogicalResult matchAndRewrite(Reshape op, PatternRewriter &rewriter) const override {
    if (!op.getSrc().template getDefiningOp<tensor::EmptyOp>() ||
        !op.getResultType().hasStaticShape())
      return failure();
    rewriter.replaceOpWithNewOp<tensor::EmptyOp>(op, op.getResultType().getShape(),
                                                 op.getResultType().getElementType());
    return success();
  }
};

struct BufferAbiPass : mlir::smc::impl::BufferAbiBase<BufferAbiPass> {
  void runOnOperation() override {
    mlir::smc::SmcDialect::SignatureAttrHelper signature(&getContext());
    // Slices and reshapes of an empty tensor become empty tensors of their own first (below).
    RewritePatternSet patterns(&getContext());
    tensor::populateFoldTensorEmptyPatterns(patterns);
    patterns.add<StaticEmptyReshape<tensor::ExpandShapeOp>,
                 StaticEmptyReshape<tensor::CollapseShapeOp>>(&getContext(), /*benefit=*/2);
    FrozenRewritePatternSet foldEmpty(std::move(patterns));
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (!signature.isAttrPresent(func))
        continue;
      if (failed(rewrite(func)))
        return signalPassFailure();
      // Slices and reshapes of an empty tensor become empty tensors of their own first: a
      // matmul split along its rows reads its parts' inits as slices of one empty init, and
      // only then does each part's init reach empty-tensor elimination on its own (else the
      // shared init is split per use below and every part is computed in the arena and copied
      // out). The canonicalizer folds these only in some orders of the IR.
      if (failed(applyPatternsAndFoldGreedily(func, foldEmpty)))
        return signalPassFailure();
      splitSharedInits(func);
      moveDestinationsUp(func);
    }
  }
};

} // namespace
