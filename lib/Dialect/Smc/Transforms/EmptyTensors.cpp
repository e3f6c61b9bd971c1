//===- EmptyTensors.cpp - Where a tensor value is computed in place -------===//

#include "smc/Dialect/Smc/Transforms/EmptyTensors.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

namespace mlir::smc {

tensor::EmptyOp rootEmpty(Value v) {
  while (v) {
    Operation *op = v.getDefiningOp();
    if (!op)
      return {};
    if (auto empty = dyn_cast<tensor::EmptyOp>(op))
      return empty;
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      v = loop.getInitArgs()[cast<OpResult>(v).getResultNumber()];
      continue;
    }
    if (auto insert = dyn_cast<tensor::InsertSliceOp>(op)) {
      v = insert.getDest();
      continue;
    }
    if (auto extract = dyn_cast<tensor::ExtractSliceOp>(op)) {
      v = extract.getSource();
      continue;
    }
    if (auto dps = dyn_cast<DestinationStyleOpInterface>(op)) {
      v = dps.getTiedOpOperand(cast<OpResult>(v))->get();
      continue;
    }
    return {};
  }
  return {};
}

} // namespace mlir::smc
