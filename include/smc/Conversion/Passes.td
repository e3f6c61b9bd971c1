//===- Passes.td - smc conversion passes -----------------------*- tablegen -*-===//
#ifndef SMC_CONVERSION_PASSES_TD
#define SMC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertSmcToLinalg : Pass<"convert-smc-to-linalg", "ModuleOp"> {
  let summary = "Lower smc ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Every smc op becomes linalg named ops (`matmul`, `batch_matmul`, `transpose`, `reduce`) or
    `linalg.generic` (elementwise ops with their broadcasting maps, softmax steps, arg_max), or
    tensor ops (reshape, slice, concat). Unsigned TF integer types become signless here; the
    pattern of each op chooses the signed or unsigned arith op from the original type.
    The variable ops are lowered here too: a mutable `smc.global` becomes a writable
    `memref.global`, `smc.global_load` copies its current value (a snapshot, as TF's
    ReadVariableOp), `smc.global_store` writes in place.
    The conversion is full: an smc op without a pattern is an error naming it.

    Example: `smc.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>` becomes a
    `linalg.generic` over (d0, d1) reading `%a` at (d0, d1) and `%b` at (d1).
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::bufferization::BufferizationDialect"];
}

#endif // SMC_CONVERSION_PASSES_TD
