//===- SmcDialect.cpp - The smc dialect -----------------------------------===//

#include "smc/Dialect/Smc/IR/SmcDialect.h"
#include "smc/Dialect/Smc/IR/SmcOps.h"

#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

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

//===----------------------------------------------------------------------===//
// Discardable attributes (the IR contract between importer, passes and driver)
//===----------------------------------------------------------------------===//

LogicalResult SmcDialect::verifyOperationAttribute(Operation *op, NamedAttribute attr) {
  StringAttr name = attr.getName();
  auto onFunction = [&]() -> LogicalResult {
    if (isa<FunctionOpInterface>(op))
      return success();
    return op->emitOpError() << "'" << name.strref() << "' belongs on a function";
  };
  if (name == getSignatureAttrHelper().getName()) {
    auto label = dyn_cast<StringAttr>(attr.getValue());
    if (!label || label.empty())
      return op->emitOpError() << "'" << name.strref()
                               << "' must be a non-empty string (the signature key or path)";
    return onFunction();
  }
  if (name == getArenaSizeAttrHelper().getName() ||
      name == getArenaLowerBoundAttrHelper().getName()) {
    auto bytes = dyn_cast<IntegerAttr>(attr.getValue());
    if (!bytes || !bytes.getType().isSignlessInteger(64) || bytes.getInt() < 0)
      return op->emitOpError() << "'" << name.strref() << "' must be a non-negative i64 byte count";
    if (name == getArenaSizeAttrHelper().getName())
      if (IntegerAttr bound = getArenaLowerBoundAttrHelper().getAttr(op);
          bound && bound.getType().isSignlessInteger(64) && bound.getInt() > bytes.getInt())
        return op->emitOpError() << "'" << name.strref() << "' (" << bytes.getInt()
                                 << ") is below its lower bound (" << bound.getInt() << ")";
    return onFunction();
  }
  if (name == getPackedMatmulAttrHelper().getName()) {
    if (!isa<UnitAttr>(attr.getValue()))
      return op->emitOpError() << "'" << name.strref() << "' must be a unit attribute";
    if (!isa<DestinationStyleOpInterface>(op))
      return op->emitOpError() << "'" << name.strref()
                               << "' belongs on a linalg op (a packed matmul)";
    return success();
  }
  if (name == getGroupLoopAttrHelper().getName()) {
    if (!isa<UnitAttr>(attr.getValue()))
      return op->emitOpError() << "'" << name.strref() << "' must be a unit attribute";
    if (op->getName().getStringRef() != "scf.for")
      return op->emitOpError() << "'" << name.strref()
                               << "' belongs on an scf.for (a grouped convolution's loop)";
    return success();
  }
  if (name == getParallelTasksAttrHelper().getName()) {
    auto tasks = dyn_cast<IntegerAttr>(attr.getValue());
    if (!tasks || !tasks.getType().isSignlessInteger(64) || tasks.getInt() < 2)
      return op->emitOpError() << "'" << name.strref() << "' must be an i64 of at least 2";
    if (op->getName().getStringRef() != "scf.for")
      return op->emitOpError() << "'" << name.strref() << "' belongs on an scf.for";
    return success();
  }
  if (name == getParallelEntryAttrHelper().getName()) {
    if (!isa<FlatSymbolRefAttr>(attr.getValue()))
      return op->emitOpError() << "'" << name.strref()
                               << "' must name a function (the serial entry point)";
    return onFunction();
  }
  if (name == getNameAttrHelper().getName() || name == getTfShapeAttrHelper().getName() ||
      name == getTensorTypeAttrHelper().getName() || name == getOutputAttrHelper().getName() ||
      name == getArenaAttrHelper().getName())
    return op->emitOpError() << "'" << name.strref()
                             << "' belongs on a function argument or result";
  return op->emitOpError() << "unknown smc attribute '" << name.strref() << "'";
}

/// Checks an attribute on argument or result `index` (of type `type`) of a function.
static LogicalResult verifyPortAttribute(SmcDialect &dialect, Operation *op, bool isResult,
                                         Type type, NamedAttribute attr) {
  StringAttr name = attr.getName();
  const char *where = isResult ? "result" : "argument";
  if (name == dialect.getNameAttrHelper().getName() ||
      (!isResult && name == dialect.getTfShapeAttrHelper().getName())) {
    if (!isa<StringAttr>(attr.getValue()))
      return op->emitOpError() << "'" << name.strref() << "' on a function " << where
                               << " must be a string";
    return success();
  }
  if (name == dialect.getTensorTypeAttrHelper().getName()) {
    auto typeAttr = dyn_cast<TypeAttr>(attr.getValue());
    auto tensor = typeAttr ? dyn_cast<RankedTensorType>(typeAttr.getValue()) : nullptr;
    if (!tensor || !tensor.hasStaticShape())
      return op->emitOpError() << "'" << name.strref() << "' on a function " << where
                               << " must be a statically shaped tensor type";
    // Until the conversion to pointers, the argument keeps the shape it describes.
    if (auto shaped = dyn_cast<ShapedType>(type);
        shaped && (!shaped.hasRank() || shaped.getShape() != tensor.getShape()))
      return op->emitOpError() << "'" << name.strref() << "' " << tensor << " on a function "
                               << where << " of type " << type << " has another shape";
    return success();
  }
  if (!isResult && (name == dialect.getOutputAttrHelper().getName() ||
                    name == dialect.getArenaAttrHelper().getName())) {
    if (!isa<UnitAttr>(attr.getValue()))
      return op->emitOpError() << "'" << name.strref() << "' must be a unit attribute";
    return success();
  }
  return op->emitOpError() << "'" << name.strref() << "' is not an smc attribute of a function "
                           << where;
}

LogicalResult SmcDialect::verifyRegionArgAttribute(Operation *op, unsigned regionIndex,
                                                   unsigned argIndex, NamedAttribute attr) {
  auto func = dyn_cast<FunctionOpInterface>(op);
  if (!func || regionIndex != 0)
    return op->emitOpError() << "'" << attr.getName().strref()
                             << "' belongs on a function argument";
  return verifyPortAttribute(*this, op, /*isResult=*/false, func.getArgumentTypes()[argIndex],
                             attr);
}

LogicalResult SmcDialect::verifyRegionResultAttribute(Operation *op, unsigned regionIndex,
                                                      unsigned resultIndex, NamedAttribute attr) {
  auto func = dyn_cast<FunctionOpInterface>(op);
  if (!func || regionIndex != 0)
    return op->emitOpError() << "'" << attr.getName().strref() << "' belongs on a function result";
  return verifyPortAttribute(*this, op, /*isResult=*/true, func.getResultTypes()[resultIndex],
                             attr);
}
