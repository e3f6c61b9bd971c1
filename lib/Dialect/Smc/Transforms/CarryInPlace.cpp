//===- CarryInPlace.cpp - Loop-carried tensors in one buffer --------------===//
//
// See the pass description in Passes.td.
//
//===----------------------------------------------------------------------===//

#include "smc/Dialect/Smc/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir::smc {
#define GEN_PASS_DEF_CARRYINPLACE
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"
} // namespace mlir::smc

using namespace mlir;

namespace {

struct CarryInPlacePass : mlir::smc::impl::CarryInPlaceBase<CarryInPlacePass> {
  void runOnOperation() override {
    getOperation().walk([](scf::WhileOp loop) {
      Block &after = loop.getAfter().front();
      auto yield = cast<scf::YieldOp>(after.getTerminator());
      OpBuilder b(yield);
      for (OpOperand &operand : yield->getOpOperands()) {
        unsigned i = operand.getOperandNumber();
        Value v = operand.get();
        if (!isa<RankedTensorType>(v.getType()) || i >= after.getNumArguments() ||
            v == after.getArgument(i) || after.getArgument(i).getType() != v.getType())
          continue;
        // A linalg.copy, not materialize_in_destination: empty-tensor elimination would then
        // have the producer write into the argument while it still reads it.
        auto copy = b.create<linalg::CopyOp>(yield.getLoc(), v, after.getArgument(i));
        operand.set(copy.getResult(0));
      }
    });
  }
};

} // namespace
