//===- SmcOps.cpp - The smc dialect's operations --------------------------===//
//
// The generated op classes, and the variable ops. Type inference, verifiers and constant
// folders of the other ops live with their family: SmcOpsElementwise.cpp, SmcOpsShape.cpp
// (shape manipulation, reductions), SmcOpsNN.cpp (contractions, convolution, pooling,
// padding); the shape rules they share with the importer and the lowering in SmcShapes.cpp.
// Folding exists so that the shape arithmetic of Keras graphs (Shape -> StridedSlice -> Pack
// -> Reshape) becomes constants at import; it is limited to small tensors, except for the
// pure data movement folds (reshape, transpose, slice, concat) which are linear in the data.
//
//===----------------------------------------------------------------------===//

#include "smc/Dialect/Smc/IR/SmcOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/OpImplementation.h"

#include "llvm/ADT/APSInt.h"

#include <cmath>

using namespace mlir;
using namespace mlir::smc;

#include "smc/Dialect/Smc/IR/SmcOpsEnums.cpp.inc"

#define GET_OP_CLASSES
#include "smc/Dialect/Smc/IR/SmcOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Variables
//===----------------------------------------------------------------------===//

LogicalResult ParallelCallOp::verify() {
  int64_t lb = getLb(), ub = getUb(), step = getStep(), tasks = getTasks();
  if (step <= 0 || lb >= ub)
    return emitOpError() << "needs lb < ub and a positive step, not [" << lb << ", " << ub
                         << ") step " << step;
  int64_t iterations = getIterations();
  if (tasks < 1 || tasks > iterations)
    return emitOpError() << "needs from 1 to " << iterations << " tasks (one per iteration at "
                         << "most), not " << tasks;
  auto frame = cast<MemRefType>(getFrame().getType());
  if (!frame.hasStaticShape() || frame.getShape()[0] < static_cast<int64_t>(getArgs().size()))
    return emitOpError() << "needs a frame of at least " << getArgs().size() << " slots";
  return success();
}

LogicalResult GlobalOp::verify() {
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!type || !type.hasStaticShape())
    return emitOpError("type must be a statically shaped tensor");
  if (cast<ShapedType>(getInitialValue().getType()) != type)
    return emitOpError("initial value type ")
           << getInitialValue().getType() << " does not match " << type;
  return success();
}

static LogicalResult verifyGlobalUse(Operation *op, FlatSymbolRefAttr sym, Type type,
                                     SymbolTableCollection &symbolTable) {
  auto global = symbolTable.lookupNearestSymbolFrom<GlobalOp>(op, sym);
  if (!global)
    return op->emitOpError("refers to an unknown global ") << sym;
  if (global.getType() != type)
    return op->emitOpError("type ") << type << " does not match global " << sym << " of type "
                                    << global.getType();
  return success();
}

LogicalResult GlobalLoadOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  return verifyGlobalUse(*this, getGlobalAttr(), getValue().getType(), symbolTable);
}

LogicalResult GlobalStoreOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  return verifyGlobalUse(*this, getGlobalAttr(), getValue().getType(), symbolTable);
}
