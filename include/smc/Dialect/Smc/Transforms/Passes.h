//===- Passes.h - smc passes -----------------------------------*- C++ -*-===//
#ifndef SMC_DIALECT_SMC_TRANSFORMS_PASSES_H
#define SMC_DIALECT_SMC_TRANSFORMS_PASSES_H

#include "smc/Dialect/Smc/IR/SmcDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::smc {

#define GEN_PASS_DECL
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "smc/Dialect/Smc/Transforms/Passes.h.inc"

} // namespace mlir::smc

#endif // SMC_DIALECT_SMC_TRANSFORMS_PASSES_H
