//===- SmcDialect.cpp - The smc dialect -----------------------------------===//

#include "smc/Dialect/Smc/IR/SmcDialect.h"
#include "smc/Dialect/Smc/IR/SmcOps.h"

using namespace mlir;
using namespace mlir::smc;

#include "smc/Dialect/Smc/IR/SmcOpsDialect.cpp.inc"

void SmcDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "smc/Dialect/Smc/IR/SmcOps.cpp.inc"
      >();
}

Operation *SmcDialect::materializeConstant(OpBuilder &builder, Attribute value, Type type,
                                           Location loc) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || typed.getType() != type)
    return nullptr;
  return builder.create<arith::ConstantOp>(loc, type, typed);
}
