//===- SmcToLLVM.cpp - Patterns of the final conversion to LLVM -----------===//

#include "smc/Conversion/SmcToLLVM/SmcToLLVM.h"
#include "smc/Dialect/Smc/IR/SmcOps.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/LLVMCommon/MemRefBuilder.h"
#include "mlir/Conversion/LLVMCommon/Pattern.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVM.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"

using namespace mlir;

namespace {

/// smc.parallel_call @k(args) hook %h frame %f: the arguments (memrefs as the bare pointers
/// the kernel takes) in the frame's slots, and `h->parallel_for(h->user, tasks, @k_task, f)`.
/// `@k_task_<lb>_<ub>_<step>_<tasks>(frame, t)` (one per kernel and chunking) loads them and calls
/// `@k(lb + t * span, min(lb + (t + 1) * span, ub), args...)`, span = ceil(iterations / tasks)
/// iterations.
struct ParallelCallLowering : ConvertOpToLLVMPattern<mlir::smc::ParallelCallOp> {
  using ConvertOpToLLVMPattern::ConvertOpToLLVMPattern;

  LogicalResult matchAndRewrite(mlir::smc::ParallelCallOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto ptr = LLVM::LLVMPointerType::get(ctx);
    Type size = getIndexType();
    auto voidType = LLVM::LLVMVoidType::get(ctx);
    SmallVector<Value> values;
    SmallVector<Type> types;
    for (auto [original, converted] : llvm::zip(op.getArgs(), adaptor.getArgs())) {
      if (isa<MemRefType>(original.getType())) {
        if (!isa<LLVM::LLVMStructType>(converted.getType()))
          return rewriter.notifyMatchFailure(op, "a memref argument without a descriptor");
        values.push_back(MemRefDescriptor(converted).alignedPtr(rewriter, loc));
      } else {
        if (!LLVM::isCompatibleType(converted.getType()))
          return rewriter.notifyMatchFailure(op, "an argument of a non-LLVM type");
        values.push_back(converted);
      }
      types.push_back(values.back().getType());
    }
    // The frame: 8-byte slots, argument i in slot i.
    Type slotType = rewriter.getI64Type();
    Value frame = MemRefDescriptor(adaptor.getFrame()).alignedPtr(rewriter, loc);
    for (auto [i, v] : llvm::enumerate(values)) {
      Value slot = rewriter.create<LLVM::GEPOp>(loc, ptr, slotType, frame,
                                                ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      rewriter.create<LLVM::StoreOp>(loc, v, slot);
    }

    auto module = op->getParentOfType<ModuleOp>();
    // One trampoline per kernel and chunking: equal kernels (one function for repeated
    // layers) may be called on different ranges or in different numbers of tasks.
    std::string name = (op.getCallee() + "_task_" + Twine(op.getLb()) + "_" + Twine(op.getUb()) +
                        "_" + Twine(op.getStep()) + "_" + Twine(op.getTasks()))
                           .str();
    auto taskType = LLVM::LLVMFunctionType::get(voidType, {ptr, size});
    if (!module.lookupSymbol(name)) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToEnd(module.getBody());
      auto task = rewriter.create<LLVM::LLVMFuncOp>(loc, name, taskType, LLVM::Linkage::Internal);
      Block *entry = rewriter.createBlock(&task.getBody(), {}, {ptr, size}, {loc, loc});
      Value frameArg = entry->getArgument(0), t = entry->getArgument(1);
      auto constant = [&](int64_t v) {
        return rewriter.create<LLVM::ConstantOp>(loc, size, rewriter.getIntegerAttr(size, v));
      };
      int64_t span = op.getSpan();
      Value lo = rewriter.create<LLVM::AddOp>(
          loc, constant(op.getLb()), rewriter.create<LLVM::MulOp>(loc, t, constant(span)));
      Value end = rewriter.create<LLVM::AddOp>(loc, lo, constant(span));
      Value ub = constant(op.getUb());
      Value past = rewriter.create<LLVM::ICmpOp>(loc, LLVM::ICmpPredicate::sgt, end, ub);
      Value hi = rewriter.create<LLVM::SelectOp>(loc, past, ub, end);
      SmallVector<Value> args{lo, hi};
      for (auto [i, type] : llvm::enumerate(types)) {
        Value slot = rewriter.create<LLVM::GEPOp>(loc, ptr, slotType, frameArg,
                                                  ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
        args.push_back(rewriter.create<LLVM::LoadOp>(loc, type, slot));
      }
      SmallVector<Type> calleeArgs{size, size};
      calleeArgs.append(types.begin(), types.end());
      rewriter.create<LLVM::CallOp>(loc, LLVM::LLVMFunctionType::get(voidType, calleeArgs),
                                    op.getCalleeAttr(), args);
      rewriter.create<LLVM::ReturnOp>(loc, ValueRange{});
    }

    // hook->parallel_for(hook->user, tasks, task, frame)
    auto hookType = LLVM::LLVMStructType::getLiteral(ctx, {ptr, ptr});
    Value hook = adaptor.getHook();
    Value fnSlot =
        rewriter.create<LLVM::GEPOp>(loc, ptr, hookType, hook, ArrayRef<LLVM::GEPArg>{0, 0});
    Value fn = rewriter.create<LLVM::LoadOp>(loc, ptr, fnSlot);
    Value userSlot =
        rewriter.create<LLVM::GEPOp>(loc, ptr, hookType, hook, ArrayRef<LLVM::GEPArg>{0, 1});
    Value user = rewriter.create<LLVM::LoadOp>(loc, ptr, userSlot);
    Value tasks =
        rewriter.create<LLVM::ConstantOp>(loc, size, rewriter.getIntegerAttr(size, op.getTasks()));
    Value taskFn = rewriter.create<LLVM::AddressOfOp>(loc, ptr, name);
    auto forType = LLVM::LLVMFunctionType::get(voidType, {ptr, size, ptr, ptr});
    rewriter.create<LLVM::CallOp>(loc, forType, ValueRange{fn, user, tasks, taskFn, frame});
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void mlir::smc::populateSmcToLLVMPreparePatterns(RewritePatternSet &patterns) {
  vector::populateVectorBroadcastLoweringPatterns(patterns);
  vector::populateVectorShapeCastLoweringPatterns(patterns);
  vector::VectorTransformsOptions options;
  options.setVectorTransposeLowering(vector::VectorTransposeLowering::Shuffle1D);
  vector::populateVectorTransposeLoweringPatterns(patterns, options);
  vector::populateVectorInsertExtractStridedSliceTransforms(patterns);
  arith::populateCeilFloorDivExpandOpsPatterns(patterns);
}

void mlir::smc::populateSmcToLLVMConversionPatterns(LLVMTypeConverter &converter,
                                                    RewritePatternSet &patterns) {
  populateFinalizeMemRefToLLVMConversionPatterns(converter, patterns);
  populateFuncToLLVMConversionPatterns(converter, patterns);
  arith::populateArithToLLVMConversionPatterns(converter, patterns);
  cf::populateControlFlowToLLVMConversionPatterns(converter, patterns);
  populateMathToLLVMConversionPatterns(converter, patterns);
  index::populateIndexToLLVMConversionPatterns(converter, patterns);
  populateVectorToLLVMConversionPatterns(converter, patterns);
  ub::populateUBToLLVMConversionPatterns(converter, patterns);
  patterns.add<ParallelCallLowering>(converter);
}
