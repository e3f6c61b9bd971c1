//===- SmcBase.td - The smc dialect ----------------------------*- tablegen -*-===//
#ifndef SMC_BASE_TD
#define SMC_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"

def Smc_Dialect : Dialect {
  let name = "smc";
  let cppNamespace = "::mlir::smc";
  let summary = "TensorFlow semantics on statically shaped tensors";
  let description = [{
    The `smc` dialect is what the importer produces from a SavedModel signature: one op per
    TensorFlow op family, with TensorFlow's semantics (NHWC layouts, TF padding rules,
    numpy-style broadcasting, TF's integer division and rounding rules) on ranked tensors whose
    shapes are all known (unknown input dimensions are pinned before import).

    Element types follow TensorFlow's dtypes: `f16`, `bf16`, `f32`, `f64`, `i1` (bool), signless
    `i8`/`i16`/`i32`/`i64` for TF's signed integers and `ui8`/`ui16`/`ui32`/`ui64` for its
    unsigned ones, so that comparisons, division and casts keep their signedness until the
    lowering picks the signed or unsigned arith op.

    Every op infers its result type from its operands and attributes; the same shape helper
    serves the verifier, the importer and the lowering.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::tensor::TensorDialect"];
  let hasConstantMaterializer = 1;

  // The IR contract between the importer, the passes and the driver: typed helpers
  // (SmcDialect::SignatureAttrHelper, ...) instead of spelled strings, checked by
  // verifyOperationAttribute / verifyRegionArgAttribute / verifyRegionResultAttribute.
  // On an exported function (func.func, later llvm.func):
  //   signature          the signature key or object-graph path it was imported from; marks
  //                      the function as exported (the header describes it)
  //   arena_size         bytes of scratch arena it needs (smc-plan-memory)
  //   arena_lower_bound  the largest sum of simultaneously live temporaries (smc-plan-memory)
  // On its arguments and results:
  //   name               the signature's input/output key
  //   tf_shape           (inputs) the shape as saved, e.g. "(-1, 64)"
  //   tensor_type        the TF type as compiled (dtype with signedness, pinned shape), kept
  //                      when lowering turns the argument into a memref or a pointer
  //   output             (after smc-buffer-abi) the argument is a caller-owned output buffer
  //   arena              (after smc-buffer-abi) the argument is the scratch arena
  // On a linalg.generic:
  //   packed_matmul      a matmul reading its constant right operand packed (smc-pack-weights)
  // On an scf.for:
  //   group_loop         the loop over a grouped convolution's groups (convert-smc-to-linalg):
  //                      its body holds one group's convolution, which smc-tile-and-vectorize
  //                      tiles like a top-level one
  //   parallel_tasks     (smc-mark-parallel) a top-level loop whose iterations touch disjoint
  //                      memory: a `<symbol>_parallel` entry point runs it as this many tasks
  // On an exported function:
  //   parallel_entry     the `<symbol>_parallel` entry point of the function this names (the
  //                      symbol of the serial one, which calls it with a null hook)
  let discardableAttrs = (ins
    "::mlir::StringAttr":$signature,
    "::mlir::IntegerAttr":$arena_size,
    "::mlir::IntegerAttr":$arena_lower_bound,
    "::mlir::StringAttr":$name,
    "::mlir::StringAttr":$tf_shape,
    "::mlir::TypeAttr":$tensor_type,
    "::mlir::UnitAttr":$output,
    "::mlir::UnitAttr":$arena,
    "::mlir::UnitAttr":$packed_matmul,
    "::mlir::UnitAttr":$group_loop,
    "::mlir::IntegerAttr":$parallel_tasks,
    "::mlir::FlatSymbolRefAttr":$parallel_entry
  );
  let hasOperationAttrVerify = 1;
  let hasRegionArgAttrVerify = 1;
  let hasRegionResultAttrVerify = 1;
}

// TF element types smc computes on.
def Smc_Float : AnyTypeOf<[F16, BF16, F32, F64]>;
def Smc_Int : AnyTypeOf<[I8, I16, I32, I64, UI8, UI16, UI32, UI64]>;
def Smc_Element : AnyTypeOf<[F16, BF16, F32, F64, I1, I8, I16, I32, I64, UI8, UI16, UI32, UI64]>;

def Smc_Tensor : StaticShapeTensorOf<[Smc_Element]>;
def Smc_FloatTensor : StaticShapeTensorOf<[Smc_Float]>;
def Smc_IntTensor : StaticShapeTensorOf<[Smc_Int]>;
def Smc_BoolTensor : StaticShapeTensorOf<[I1]>;
def Smc_IndexTensor : StaticShapeTensorOf<[I32, I64]>;

class Smc_Op<string mnemonic, list<Trait> traits = []> : Op<Smc_Dialect, mnemonic, traits>;

#endif // SMC_BASE_TD
