//===- ExpandCopies.cpp - Strided copies become loops ---------------------===//

#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"

namespace mlir::smc {
#define GEN_PASS_DEF_EXPANDCOPIES
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;

namespace {
struct ExpandCopiesPass : mlir::smc::impl::ExpandCopiesBase<ExpandCopiesPass> {
  void runOnOperation() override {
    getOperation().walk([](memref::CopyOp copy) {
      auto contiguous = [](Value v) {
        return memref::isStaticShapeAndContiguousRowMajor(cast<MemRefType>(v.getType()));
      };
      if (contiguous(copy.getSource()) && contiguous(copy.getTarget()))
        return;
      OpBuilder b(copy);
      b.create<linalg::CopyOp>(copy.getLoc(), copy.getSource(), copy.getTarget());
      copy.erase();
    });
  }
};
} // namespace
