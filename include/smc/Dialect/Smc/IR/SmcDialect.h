//===- SmcDialect.h - The smc dialect --------------------------*- C++ -*-===//
#ifndef SMC_DIALECT_SMC_IR_SMCDIALECT_H
#define SMC_DIALECT_SMC_IR_SMCDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dialect.h"

#include "smc/Dialect/Smc/IR/SmcOpsDialect.h.inc"

#endif // SMC_DIALECT_SMC_IR_SMCDIALECT_H
