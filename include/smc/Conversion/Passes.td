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
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::scf::SCFDialect"];
}

def ConvertSmcToLLVM : Pass<"convert-smc-to-llvm", "ModuleOp"> {
  let summary = "Lower what the pipeline leaves to the LLVM dialect, in one full conversion";
  let description = [{
    The last pass of the pipeline (after the `loops` phase). First n-D vector broadcasts,
    shape casts, transposes and strided-slice ops (which canonicalisation may re-create after
    `smc-lower-vectors`) become 1-D vector ops and `floordivsi`/`ceildivsi` become arith; then
    func, arith, math, memref, vector, cf, index and ub ops become LLVM dialect ops through one
    type converter, so that the index width (`index-bitwidth`, 32 on 32-bit targets) is the same
    everywhere. Exported functions take bare pointers (all shapes are static). The conversion is
    full: an op without a lowering (an scf loop, a linalg op, ...) is an error naming it.
    `builtin.unrealized_conversion_cast`s between converted types stay for
    `reconcile-unrealized-casts`.

    ```mlir
    func.func @f(%a: memref<4xf32>, %i: index) -> f32 {
      %x = memref.load %a[%i] : memref<4xf32>
      return %x : f32
    }
    // becomes
    llvm.func @f(%a: !llvm.ptr, %i: i64) -> f32 {
      %p = llvm.getelementptr %a[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
      %x = llvm.load %p : !llvm.ptr -> f32
      llvm.return %x : f32
    }
    ```
  }];
  let options = [
    Option<"indexBitwidth", "index-bitwidth", "unsigned", /*default=*/"0",
           "Width of index in bits: 32 or 64 (0: the data layout's pointer width)">,
    Option<"dataLayout", "data-layout", "std::string", /*default=*/"\"\"",
           "The target's LLVM data layout string (empty: LLVM's default layout)">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // SMC_CONVERSION_PASSES_TD
