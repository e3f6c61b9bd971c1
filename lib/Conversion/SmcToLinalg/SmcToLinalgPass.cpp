//===- SmcToLinalgPass.cpp - The convert-smc-to-linalg pass ---------------===//
//
// Runs every smc-to-linalg pattern as a full dialect conversion (an smc op left over is an
// error), converts unsigned TF integer types to signless ones in function signatures and
// constants, and lowers variables: a mutable smc.global becomes a writable memref.global, a
// load copies its current value (a snapshot, as TF's ReadVariableOp), a store writes in place.
//
//===----------------------------------------------------------------------===//

#include "Utils.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Func/Transforms/FuncConversions.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Patterns.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::smc {
#define GEN_PASS_DEF_CONVERTSMCTOLINALG
#include "smc/Conversion/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;
using namespace mlir::smc;

SmcTypeConverter::SmcTypeConverter() {
  addConversion([](Type t) { return t; });
  addConversion([](IntegerType t) -> Type {
    if (t.isUnsigned())
      return IntegerType::get(t.getContext(), t.getWidth());
    return t;
  });
  addConversion([this](RankedTensorType t) -> Type {
    return RankedTensorType::get(t.getShape(), convertType(t.getElementType()));
  });
}

namespace {

/// Converts a dense attribute to signless element type (bit patterns unchanged).
Attribute signlessAttr(Attribute value, Type elem) {
  auto dense = dyn_cast<DenseElementsAttr>(value);
  if (!dense || dense.getElementType() == elem)
    return value;
  return dense.bitcast(elem);
}

struct ConstantLowering : OpConversionPattern<arith::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(arith::ConstantOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    auto value = cast<TypedAttr>(signlessAttr(op.getValue(), type.getElementType()));
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, type, value);
    return success();
  }
};

MemRefType memrefFor(RankedTensorType t) {
  return MemRefType::get(t.getShape(), t.getElementType());
}

struct GlobalLowering : OpConversionPattern<GlobalOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(GlobalOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    auto init = signlessAttr(op.getInitialValue(), type.getElementType());
    rewriter.replaceOpWithNewOp<memref::GlobalOp>(
        op, op.getSymName(), rewriter.getStringAttr("private"), memrefFor(type), init,
        /*constant=*/false, rewriter.getI64IntegerAttr(64));
    return success();
  }
};

struct GlobalLoadLowering : OpConversionPattern<GlobalLoadOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(GlobalLoadOp op, OpAdaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(getTypeConverter()->convertType(op.getType()));
    MemRefType mt = memrefFor(type);
    Value global = rewriter.create<memref::GetGlobalOp>(loc, mt, op.getGlobal());
    // A function that never writes the variable reads it in place.
    bool stored = false;
    op->getParentOp()->walk([&](GlobalStoreOp s) {
      stored |= s.getGlobalAttr() == op.getGlobalAttr();
    });
    if (!stored) {
      rewriter.replaceOpWithNewOp<bufferization::ToTensorOp>(op, type, global, /*restrict=*/true,
                                                             /*writable=*/false);
      return success();
    }
    // Otherwise a snapshot: a later store must not change what this load returned.
    Value copy = rewriter.create<memref::AllocOp>(loc, mt);
    rewriter.create<memref::CopyOp>(loc, global, copy);
    rewriter.replaceOpWithNewOp<bufferization::ToTensorOp>(op, type, copy, /*restrict=*/true,
                                                           /*writable=*/true);
    return success();
  }
};

struct GlobalStoreLowering : OpConversionPattern<GlobalStoreOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult matchAndRewrite(GlobalStoreOp op, OpAdaptor adaptor,
                                ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto type = cast<RankedTensorType>(adaptor.getValue().getType());
    Value global = rewriter.create<memref::GetGlobalOp>(loc, memrefFor(type), op.getGlobal());
    auto m = rewriter.create<bufferization::MaterializeInDestinationOp>(
        loc, TypeRange{}, adaptor.getValue(), global);
    m.setRestrict(true);
    m.setWritable(true);
    rewriter.eraseOp(op);
    return success();
  }
};

struct ConvertSmcToLinalgPass : mlir::smc::impl::ConvertSmcToLinalgBase<ConvertSmcToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    SmcTypeConverter converter;
    RewritePatternSet patterns(ctx);
    populateSmcToLinalgPatterns(converter, patterns);
    patterns.add<ConstantLowering, GlobalLowering, GlobalLoadLowering, GlobalStoreLowering>(
        converter, ctx);
    populateFunctionOpInterfaceTypeConversionPattern<func::FuncOp>(patterns, converter);
    populateReturnOpTypeConversionPattern(patterns, converter);

    ConversionTarget target(*ctx);
    target.addIllegalDialect<SmcDialect>();
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect, arith::ArithDialect,
                           math::MathDialect, memref::MemRefDialect,
                           bufferization::BufferizationDialect>();
    target.addDynamicallyLegalOp<arith::ConstantOp>(
        [&](arith::ConstantOp op) { return converter.isLegal(op.getType()); });
    target.addDynamicallyLegalOp<func::FuncOp>([&](func::FuncOp op) {
      return converter.isSignatureLegal(op.getFunctionType()) &&
             converter.isLegal(&op.getBody());
    });
    target.addDynamicallyLegalOp<func::ReturnOp>(
        [&](func::ReturnOp op) { return converter.isLegal(op.getOperandTypes()); });
    target.addLegalOp<ModuleOp>();
    // Structured control flow (imported If/While) stays, its types converted like the rest.
    scf::populateSCFStructuralTypeConversionsAndLegality(converter, patterns, target);
    if (failed(applyFullConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::smc::populateSmcToLinalgPatterns(SmcTypeConverter &converter,
                                            RewritePatternSet &patterns) {
  populateElementwiseToLinalgPatterns(converter, patterns);
  populateContractionToLinalgPatterns(converter, patterns);
  populateReductionToLinalgPatterns(converter, patterns);
  populateShapeToLinalgPatterns(converter, patterns);
  populateNNToLinalgPatterns(converter, patterns);
  populateResizeToLinalgPatterns(converter, patterns);
  populateScanToLinalgPatterns(converter, patterns);
  populateSortToLinalgPatterns(converter, patterns);
}
