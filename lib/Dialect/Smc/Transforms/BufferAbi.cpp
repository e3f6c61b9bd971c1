//===- BufferAbi.cpp - Exported functions take caller-owned buffers -------===//

#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

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
      auto m = rb.create<bufferization::MaterializeInDestinationOp>(ret.getLoc(), TypeRange{},
                                                                    ret.getOperand(i), outs[i]);
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
      attrs.set("smc.arena", UnitAttr::get(ctx));
    if (i >= numIn && i < numIn + numOut)
      attrs.set("smc.output", UnitAttr::get(ctx));
    func.setArgAttrs(i, attrs.getDictionary(ctx));
  }
  func.setAllResultAttrs(ArrayRef<DictionaryAttr>{});
  return success();
}

struct BufferAbiPass : mlir::smc::impl::BufferAbiBase<BufferAbiPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (func->hasAttr("smc.signature") && failed(rewrite(func)))
        return signalPassFailure();
  }
};

} // namespace
