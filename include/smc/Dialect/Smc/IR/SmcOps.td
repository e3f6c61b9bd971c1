//===- SmcOps.td - The smc dialect's operations ----------------*- tablegen -*-===//
//
// One op per TensorFlow op family, TensorFlow semantics. Result types are inferred (see
// SmcShapes.cpp: one shape helper per family, shared by verifier, importer and lowering).
//
//===----------------------------------------------------------------------===//
#ifndef SMC_OPS_TD
#define SMC_OPS_TD

include "smc/Dialect/Smc/IR/SmcBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/EnumAttr.td"

def Smc_NumTensor : StaticShapeTensorOf<[Smc_Float, Smc_Int]>;

//===----------------------------------------------------------------------===//
// Elementwise binary ops (numpy broadcasting)
//===----------------------------------------------------------------------===//

class Smc_BinaryOp<string mnemonic, string tfOps, Type operandType, Type resultType,
                   list<Trait> traits = []>
    : Smc_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsElementType,
                                            DeclareOpInterfaceMethods<InferTypeOpInterface>])> {
  let summary = "elementwise " # mnemonic # " with broadcasting (TF " # tfOps # ")";
  let description = [{
    Applies the operation elementwise after broadcasting both operands to a common shape by
    numpy rules: shapes are aligned at their trailing dimensions and a dimension of size 1
    stretches to match the other operand's. The verifier rejects shapes that do not broadcast.
  }];
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs resultType:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

class Smc_ArithBinaryOp<string mnemonic, string tfOps>
    : Smc_BinaryOp<mnemonic, tfOps, Smc_NumTensor, Smc_NumTensor>;
class Smc_CompareOp<string mnemonic, string tfOps>
    : Smc_BinaryOp<mnemonic, tfOps, Smc_Tensor, Smc_BoolTensor>;

def Smc_AddOp : Smc_ArithBinaryOp<"add", "Add, AddV2">;
def Smc_SubOp : Smc_ArithBinaryOp<"sub", "Sub">;
def Smc_MulOp : Smc_ArithBinaryOp<"mul", "Mul">;
def Smc_DivOp : Smc_ArithBinaryOp<"div", "RealDiv, Div; integers truncate toward zero">;
def Smc_FloorDivOp : Smc_ArithBinaryOp<"floor_div", "FloorDiv">;
def Smc_FloorModOp : Smc_ArithBinaryOp<"floor_mod", "FloorMod; the result has the divisor's sign">;
def Smc_MaximumOp : Smc_ArithBinaryOp<"maximum", "Maximum; NaN propagates">;
def Smc_MinimumOp : Smc_ArithBinaryOp<"minimum", "Minimum; NaN propagates">;
def Smc_PowOp : Smc_ArithBinaryOp<"pow", "Pow">;
def Smc_SquaredDifferenceOp : Smc_ArithBinaryOp<"squared_difference", "SquaredDifference">;
def Smc_EqualOp : Smc_CompareOp<"equal", "Equal">;
def Smc_NotEqualOp : Smc_CompareOp<"not_equal", "NotEqual">;
def Smc_LessOp : Smc_CompareOp<"less", "Less">;
def Smc_LessEqualOp : Smc_CompareOp<"less_equal", "LessEqual">;
def Smc_GreaterOp : Smc_CompareOp<"greater", "Greater">;
def Smc_GreaterEqualOp : Smc_CompareOp<"greater_equal", "GreaterEqual">;
def Smc_LogicalAndOp : Smc_BinaryOp<"logical_and", "LogicalAnd", Smc_BoolTensor, Smc_BoolTensor>;
def Smc_LogicalOrOp : Smc_BinaryOp<"logical_or", "LogicalOr", Smc_BoolTensor, Smc_BoolTensor>;

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

class Smc_UnaryOp<string mnemonic, string tfOps, Type type = Smc_FloatTensor,
                  dag extraArgs = (ins)>
    : Smc_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = "elementwise " # mnemonic # " (TF " # tfOps # ")";
  let arguments = !con((ins type:$x), extraArgs);
  let results = (outs type:$y);
  let assemblyFormat = "$x attr-dict `:` type($x)";
}

def Smc_NegOp : Smc_UnaryOp<"neg", "Neg", Smc_NumTensor>;
def Smc_AbsOp : Smc_UnaryOp<"abs", "Abs", Smc_NumTensor>;
def Smc_SignOp : Smc_UnaryOp<"sign", "Sign", Smc_NumTensor>;
def Smc_SquareOp : Smc_UnaryOp<"square", "Square", Smc_NumTensor>;
def Smc_ReluOp : Smc_UnaryOp<"relu", "Relu", Smc_NumTensor>;
def Smc_Relu6Op : Smc_UnaryOp<"relu6", "Relu6", Smc_NumTensor>;
def Smc_ExpOp : Smc_UnaryOp<"exp", "Exp">;
def Smc_Expm1Op : Smc_UnaryOp<"expm1", "Expm1">;
def Smc_LogOp : Smc_UnaryOp<"log", "Log">;
def Smc_Log1pOp : Smc_UnaryOp<"log1p", "Log1p">;
def Smc_SqrtOp : Smc_UnaryOp<"sqrt", "Sqrt"> { let hasFolder = 1; }
def Smc_RsqrtOp : Smc_UnaryOp<"rsqrt", "Rsqrt"> { let hasFolder = 1; }
def Smc_ReciprocalOp : Smc_UnaryOp<"reciprocal", "Reciprocal, Inv">;
def Smc_TanhOp : Smc_UnaryOp<"tanh", "Tanh">;
def Smc_SigmoidOp : Smc_UnaryOp<"sigmoid", "Sigmoid">;
def Smc_EluOp : Smc_UnaryOp<"elu", "Elu">;
def Smc_SeluOp : Smc_UnaryOp<"selu", "Selu">;
def Smc_SoftplusOp : Smc_UnaryOp<"softplus", "Softplus">;
def Smc_SoftsignOp : Smc_UnaryOp<"softsign", "Softsign">;
def Smc_ErfOp : Smc_UnaryOp<"erf", "Erf">;
def Smc_SinOp : Smc_UnaryOp<"sin", "Sin">;
def Smc_CosOp : Smc_UnaryOp<"cos", "Cos">;
def Smc_FloorOp : Smc_UnaryOp<"floor", "Floor">;
def Smc_CeilOp : Smc_UnaryOp<"ceil", "Ceil">;
def Smc_RoundOp : Smc_UnaryOp<"round", "Round; halves round to even">;
def Smc_LogicalNotOp : Smc_UnaryOp<"logical_not", "LogicalNot", Smc_BoolTensor>;
def Smc_LeakyReluOp : Smc_UnaryOp<"leaky_relu", "LeakyRelu", Smc_FloatTensor, (ins F32Attr:$alpha)>;
def Smc_GeluOp : Smc_UnaryOp<"gelu", "Gelu, and the erf/tanh forms Keras emits",
                             Smc_FloatTensor, (ins BoolAttr:$approximate)>;

//===----------------------------------------------------------------------===//
// Type conversion and selection
//===----------------------------------------------------------------------===//

def Smc_CastOp : Smc_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "elementwise dtype conversion (TF Cast)";
  let description = [{
    Converts each element: float to integer truncates toward zero (out-of-range values are
    implementation-defined, as in TF); integer to integer wraps; anything to bool is `x != 0`;
    bool to number gives 0 or 1. `truncate` is TF's `Truncate` attribute (ignored: the
    conversions above are already TF's default ones).
  }];
  let arguments = (ins Smc_Tensor:$x);
  let results = (outs Smc_Tensor:$y);
  let assemblyFormat = "$x attr-dict `:` type($x) `->` type($y)";
  let hasFolder = 1;
}

def Smc_SelectOp : Smc_Op<"select", [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "elementwise choice with broadcasting (TF SelectV2, Select)";
  let arguments = (ins Smc_BoolTensor:$cond, Smc_Tensor:$on_true, Smc_Tensor:$on_false);
  let results = (outs Smc_Tensor:$result);
  let assemblyFormat = "$cond `,` $on_true `,` $on_false attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

def Smc_MatMulOp : Smc_Op<"matmul", [Pure, SameOperandsElementType,
                                     DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "matrix product of two 2-D tensors (TF MatMul)";
  let description = [{
    `result = op(a) x op(b)` where `op` transposes when `transpose_a` / `transpose_b` is set.
  }];
  let arguments = (ins Smc_NumTensor:$a, Smc_NumTensor:$b,
                       DefaultValuedAttr<BoolAttr, "false">:$transpose_a,
                       DefaultValuedAttr<BoolAttr, "false">:$transpose_b);
  let results = (outs Smc_NumTensor:$result);
  let assemblyFormat = "$a `,` $b attr-dict `:` functional-type(operands, results)";
}

def Smc_BatchMatMulOp : Smc_Op<"batch_matmul", [Pure, SameOperandsElementType,
                                                DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "batched matrix product with broadcast batch dims (TF BatchMatMulV2/V3)";
  let description = [{
    The last two dims of each operand are matrices (optionally adjointed: transposed, for real
    types); the leading dims broadcast by numpy rules. Both operands have rank >= 2.
  }];
  let arguments = (ins Smc_NumTensor:$x, Smc_NumTensor:$y,
                       DefaultValuedAttr<BoolAttr, "false">:$adj_x,
                       DefaultValuedAttr<BoolAttr, "false">:$adj_y);
  let results = (outs Smc_NumTensor:$result);
  let assemblyFormat = "$x `,` $y attr-dict `:` functional-type(operands, results)";
}

def Smc_BiasAddOp : Smc_Op<"bias_add", [Pure, SameOperandsElementType,
                                        AllTypesMatch<["value", "result"]>]> {
  let summary = "adds a 1-D bias along the channel dimension (TF BiasAdd, NHWC)";
  let arguments = (ins Smc_NumTensor:$value, Smc_NumTensor:$bias);
  let results = (outs Smc_NumTensor:$result);
  let assemblyFormat = "$value `,` $bias attr-dict `:` type($value) `,` type($bias)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Normalisation over an axis
//===----------------------------------------------------------------------===//

def Smc_SoftmaxOp : Smc_Op<"softmax", [Pure, SameOperandsAndResultType]> {
  let summary = "softmax over the last dimension (TF Softmax; LogSoftmax when `log`)";
  let description = [{
    `exp(x - max(x)) / sum(exp(x - max(x)))` along the last axis, computed stably; with
    `log` set, `x - max(x) - log(sum(exp(x - max(x))))`.
  }];
  let arguments = (ins Smc_FloatTensor:$x, DefaultValuedAttr<BoolAttr, "false">:$log);
  let results = (outs Smc_FloatTensor:$y);
  let assemblyFormat = "$x attr-dict `:` type($x)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

def Smc_ReshapeOp : Smc_Op<"reshape", [Pure]> {
  let summary = "same elements in row-major order, new static shape (TF Reshape, Squeeze, ExpandDims)";
  let arguments = (ins Smc_Tensor:$x);
  let results = (outs Smc_Tensor:$y);
  let assemblyFormat = "$x attr-dict `:` type($x) `->` type($y)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Smc_TransposeOp : Smc_Op<"transpose", [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "permutes dimensions: result dim i is input dim perm[i] (TF Transpose)";
  let arguments = (ins Smc_Tensor:$x, DenseI64ArrayAttr:$perm);
  let results = (outs Smc_Tensor:$y);
  let assemblyFormat = "$x attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Smc_ConcatOp : Smc_Op<"concat", [Pure, SameOperandsElementType,
                                     DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "joins tensors along `axis` (TF ConcatV2, Pack after reshapes)";
  let arguments = (ins Variadic<Smc_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Smc_Tensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Smc_SliceOp : Smc_Op<"slice", [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "strided slice with static bounds (TF Slice, StridedSlice after mask resolution)";
  let description = [{
    Result dim i holds input elements `start[i] + k * stride[i]` for `k < size[i]`. Strides are
    non-zero and may be negative; every index read is inside the input. The importer resolves
    TF's begin/end/ellipsis/new-axis/shrink masks into this op plus reshapes.
  }];
  let arguments = (ins Smc_Tensor:$x, DenseI64ArrayAttr:$start, DenseI64ArrayAttr:$size,
                       DenseI64ArrayAttr:$stride);
  let results = (outs Smc_Tensor:$y);
  let assemblyFormat = "$x attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Smc_GatherOp : Smc_Op<"gather", [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "slices of `params` along `axis` at run-time indices (TF GatherV2, ResourceGather)";
  let description = [{
    `result[p..., i..., q...] = params[p..., indices[p[:batch_dims]..., i...], q...]`: `p` runs
    over the dimensions of `params` before `axis`, `i` over those of `indices` after its first
    `batch_dims` (which match the first `batch_dims` of `params`), `q` over those of `params`
    after `axis`. The result shape is
    `params.shape[:axis] + indices.shape[batch_dims:] + params.shape[axis+1:]`; needs
    `0 <= batch_dims <= axis < rank(params)` and `batch_dims <= rank(indices)`.

    An index outside `[0, params.shape[axis])`, negative ones included, gives zeros for its
    slice, as TF's GPU kernels do (its CPU kernels fail the op, which generated code cannot):
    no read ever leaves `params`.
  }];
  let arguments = (ins Smc_Tensor:$params, Smc_IndexTensor:$indices, I64Attr:$axis,
                       DefaultValuedAttr<I64Attr, "0">:$batch_dims);
  let results = (outs Smc_Tensor:$result);
  let assemblyFormat = "$params `[` $indices `]` attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Smc_GatherNdOp : Smc_Op<"gather_nd", [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "slices of `params` at run-time multi-dimensional indices (TF GatherNd, batch_dims 0)";
  let description = [{
    With `K = indices.shape[-1]` (at most the rank of `params`):
    `result[i..., q...] = params[indices[i..., 0], ..., indices[i..., K-1], q...]`, where `i` runs
    over the dimensions of `indices` but its last and `q` over those of `params` after its first
    `K`. The result shape is `indices.shape[:-1] + params.shape[K:]`.

    A slice with any index component outside `[0, params.shape[k])`, negative ones included, is
    zeros, as TF's GPU kernels give (its CPU kernels fail the op), the rule of `smc.gather`: no
    read ever leaves `params`.

    Example: `params` [[1, 2], [3, 4]], `indices` [[1, 0], [0, 5]] give [3, 0].
  }];
  let arguments = (ins Smc_Tensor:$params, Smc_IndexTensor:$indices);
  let results = (outs Smc_Tensor:$result);
  let assemblyFormat = "$params `[` $indices `]` attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def Smc_ReduceKind : I32EnumAttr<"ReduceKind", "reduction", [
    I32EnumAttrCase<"sum", 0>, I32EnumAttrCase<"mean", 1>, I32EnumAttrCase<"max", 2>,
    I32EnumAttrCase<"min", 3>, I32EnumAttrCase<"prod", 4>, I32EnumAttrCase<"all", 5>,
    I32EnumAttrCase<"any", 6>]> {
  let cppNamespace = "::mlir::smc";
}

def Smc_ReduceOp : Smc_Op<"reduce", [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "reduction over axes (TF Sum, Mean, Max, Min, Prod, All, Any)";
  let description = [{
    Reduces `x` over the (distinct, non-negative, sorted) `axes`; `keep_dims` keeps them as
    size-1 dims. `mean` divides by the number of reduced elements (integer division for
    integers, as TF). Max/min of floats propagate NaN. Reducing no element gives the identity.
  }];
  let arguments = (ins Smc_Tensor:$x, Smc_ReduceKind:$kind, DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "false">:$keep_dims);
  let results = (outs Smc_Tensor:$y);
  let assemblyFormat = "$kind $x attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Smc_ScanKind : I32EnumAttr<"ScanKind", "scan", [
    I32EnumAttrCase<"sum", 0>, I32EnumAttrCase<"prod", 1>]> {
  let cppNamespace = "::mlir::smc";
}

def Smc_ScanOp : Smc_Op<"scan", [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "running sum or product along `axis` (TF Cumsum, Cumprod)";
  let description = [{
    Element `k` along `axis` (non-negative, below the rank) is `x[0] op x[1] op ... op x[k]`,
    folded strictly in that order from the identity (0 for `sum`, 1 for `prod`), as TF's CPU
    kernels (Eigen's scan) compute it: the float results are those of TF bit for bit, integers
    wrap. `exclusive` leaves out `x[k]` itself (element 0 is the identity); `reverse` runs from
    the last element towards the first. The result has the input's type.

    Example: `smc.scan sum` of [1, 2, 3] is [1, 3, 6]; exclusive [0, 1, 3]; reverse [6, 5, 3];
    both [5, 3, 0].
  }];
  let arguments = (ins Smc_NumTensor:$x, Smc_ScanKind:$kind, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$exclusive,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs Smc_NumTensor:$y);
  let assemblyFormat = "$kind $x attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Smc_ArgMaxOp : Smc_Op<"arg_max", [Pure]> {
  let summary = "index of the largest (or smallest, `min`) element along `axis` (TF ArgMax, ArgMin)";
  let description = [{
    Ties resolve to the smallest index; a NaN counts as larger than everything (so ArgMax finds
    the first NaN), matching TF's CPU kernels. The result drops `axis`.
  }];
  let arguments = (ins Smc_NumTensor:$x, I64Attr:$axis, DefaultValuedAttr<BoolAttr, "false">:$min);
  let results = (outs Smc_IndexTensor:$y);
  let assemblyFormat = "$x attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Sorting
//===----------------------------------------------------------------------===//

def Smc_TopKIndexTensor : StaticShapeTensorOf<[I16, I32, I64]>;

def Smc_TopKOp : Smc_Op<"top_k", [Pure]> {
  let summary = "the `k` largest elements along the last axis and their positions (TF TopKV2)";
  let description = [{
    Along the last axis of `x` (of size `n`; the other axes are batch axes), `values` holds the
    `k` largest elements in descending order and `indices` their positions in `x`. The order is
    TF's stable one: equal elements keep the lower position first, and `-0.0` equals `0.0`. A
    NaN counts as larger than every number and equal to another NaN (as smc.arg_max, numpy's
    sort and XLA): TF's CPU kernel compares with `<`, which gives NaNs no consistent place (its
    answer then depends on the algorithm it picks for `k`). `0 <= k <= n`; `values` and
    `indices` have the shape of `x` with the last axis replaced by `k`; `indices` are integers
    of 16, 32 or 64 bits (TF's `index_type`).

    `tf.sort` and `tf.argsort` are a top_k with `k = n`, after a negation (floats), `-x - 1`
    (signed integers) or `max - x` (unsigned integers) for ascending order.

    ```mlir
    // [1, 3, 3, 2] -> values [3, 3, 2], indices [1, 2, 3]
    %v, %i = smc.top_k %x {k = 3 : i64} : (tensor<4xi32>) -> (tensor<3xi32>, tensor<3xi32>)
    ```
  }];
  let arguments = (ins Smc_NumTensor:$x, I64Attr:$k);
  let results = (outs Smc_NumTensor:$values, Smc_TopKIndexTensor:$indices);
  let assemblyFormat = "$x attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Convolution, pooling, padding (NHWC)
//===----------------------------------------------------------------------===//

def Smc_Conv2DOp : Smc_Op<"conv2d", [Pure, SameOperandsElementType,
                                     DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "2-D convolution, NHWC input, HWIO filter (TF Conv2D)";
  let description = [{
    `result[n, y, x, o] = sum_{i, ky, kx} input_padded[n, y*sh + ky*dh, x*sw + kx*dw, i] *
    filter[ky, kx, i, o]`, where `input_padded` has `padding = [top, bottom, left, right]`
    zeros added (the importer turns TF's SAME/VALID/EXPLICIT into these numbers).

    Grouped convolution (TF's Conv2D with a filter of fewer input channels, Keras'
    `Conv2D(groups=G)`): the filter's input-channel count `I` must divide the input's `C`,
    giving `G = C / I` groups, and `G` must divide the output channels `O`. Output channel `o`
    belongs to group `g = o / (O / G)` and sums over input channels `g*I + i` only:
    `result[n, y, x, o] = sum_{i < I, ky, kx} input_padded[n, .., .., g*I + i] * filter[ky, kx,
    i, o]`. With `I = 1` this is a depthwise convolution with multiplier `O / C`.

    ```mlir
    // 2 groups of 4 input channels, 3 output channels each
    %y = smc.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>,
                            padding = array<i64: 1, 1, 1, 1>}
        : (tensor<1x8x8x8xf32>, tensor<3x3x4x6xf32>) -> tensor<1x8x8x6xf32>
    ```
  }];
  let arguments = (ins Smc_FloatTensor:$input, Smc_FloatTensor:$filter,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$padding);
  let results = (outs Smc_FloatTensor:$result);
  let assemblyFormat = "$input `,` $filter attr-dict `:` functional-type(operands, results)";
}

def Smc_DepthwiseConv2DOp : Smc_Op<"depthwise_conv2d", [Pure, SameOperandsElementType,
                                     DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "depthwise 2-D convolution, NHWC input, HWCM filter (TF DepthwiseConv2dNative)";
  let description = [{
    Each input channel `c` is convolved with its own `M` filters; output channel `c*M + m`.
    Padding, strides and dilations as `smc.conv2d`.
  }];
  let arguments = (ins Smc_FloatTensor:$input, Smc_FloatTensor:$filter,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$dilations,
                       DenseI64ArrayAttr:$padding);
  let results = (outs Smc_FloatTensor:$result);
  let assemblyFormat = "$input `,` $filter attr-dict `:` functional-type(operands, results)";
}

def Smc_PoolKind : I32EnumAttr<"PoolKind", "pooling", [
    I32EnumAttrCase<"max", 0>, I32EnumAttrCase<"avg", 1>]> {
  let cppNamespace = "::mlir::smc";
}

def Smc_PoolOp : Smc_Op<"pool", [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "2-D max or average pooling, NHWC (TF MaxPool, AvgPool)";
  let description = [{
    Windows of `window = [kh, kw]` moved by `strides`; `padding = [top, bottom, left, right]`
    cells outside the input are ignored: max pooling never picks them, average pooling divides
    by the number of cells inside the input (TF's SAME average pooling).
  }];
  let arguments = (ins Smc_FloatTensor:$input, Smc_PoolKind:$kind, DenseI64ArrayAttr:$window,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding);
  let results = (outs Smc_FloatTensor:$result);
  let assemblyFormat = "$kind $input attr-dict `:` functional-type(operands, results)";
}

def Smc_PadMode : I32EnumAttr<"PadMode", "padding mode", [
    I32EnumAttrCase<"constant", 0>, I32EnumAttrCase<"reflect", 1>,
    I32EnumAttrCase<"symmetric", 2>]> {
  let cppNamespace = "::mlir::smc";
}

def Smc_PadOp : Smc_Op<"pad", [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "pads each dimension (TF Pad, PadV2, MirrorPad)";
  let description = [{
    Adds `low[i]` elements before and `high[i]` after dimension `i`: `value` for `constant`;
    for `reflect` the mirror image without the edge element (needs `low, high < dim`), for
    `symmetric` with it (needs `low, high <= dim`).
  }];
  let arguments = (ins Smc_Tensor:$x, Smc_PadMode:$mode, DenseI64ArrayAttr:$low,
                       DenseI64ArrayAttr:$high, TypedAttrInterface:$value);
  let results = (outs Smc_Tensor:$y);
  let assemblyFormat = "$mode $x attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Image resizing (NHWC)
//===----------------------------------------------------------------------===//

def Smc_ResizeMode : I32EnumAttr<"ResizeMode", "resize interpolation", [
    I32EnumAttrCase<"bilinear", 0>, I32EnumAttrCase<"nearest", 1>]> {
  let cppNamespace = "::mlir::smc";
}

def Smc_ResizeOp : Smc_Op<"resize", [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "resizes NHWC images to `size = [height, width]` (TF ResizeBilinear, ResizeNearestNeighbor)";
  let description = [{
    Output pixel `i` of a dimension of input size `in` and output size `out` reads the input at
    the source coordinate TF computes in float32: `scale = (in - 1) / (out - 1)` with
    `align_corners` (and `out > 1`), else `in / out`; `src = i * scale`, or with
    `half_pixel_centers` `(i + 0.5) * scale - 0.5` (bilinear) / `(i + 0.5) * scale` (nearest).

    `bilinear`: `lo = max(floor(src), 0)`, `hi = min(ceil(src), in - 1)`,
    `t = src - floor(src)`; with `top = x[lo_y, lo_x] + (x[lo_y, hi_x] - x[lo_y, lo_x]) * t_x`
    and `bottom` likewise on row `hi_y`, the result is `top + (bottom - top) * t_y`, in float32
    (TF's order of operations; integer inputs are converted first). The result is float32; a
    resize to the input's own size is a conversion to float32.

    `nearest`: the input at `min(round(src), in - 1)` with `align_corners` (halves away from
    zero), else `min(floor(src), in - 1)`; the result has the input's type.

    `align_corners` and `half_pixel_centers` are exclusive, as in TF. The source indices and
    weights depend only on the static shapes: the lowering computes them at compile time.
  }];
  let arguments = (ins Smc_Tensor:$input, Smc_ResizeMode:$mode, DenseI64ArrayAttr:$size,
                       DefaultValuedAttr<BoolAttr, "false">:$align_corners,
                       DefaultValuedAttr<BoolAttr, "false">:$half_pixel_centers);
  let results = (outs Smc_Tensor:$result);
  let assemblyFormat = "$mode $input attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Variables
//===----------------------------------------------------------------------===//

def Smc_GlobalOp : Smc_Op<"global", [Symbol]> {
  let summary = "a variable: storage initialised from the checkpoint";
  let description = [{
    A TensorFlow variable of the SavedModel. `smc-freeze-variables` turns globals that no
    function stores to into constants; the rest become writable data in the object, shared by
    every function of the module.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, TypeAttr:$type, ElementsAttr:$initial_value,
                       OptionalAttr<StrAttr>:$checkpoint_key);
  let assemblyFormat = "$sym_name attr-dict `:` $type `=` $initial_value";
  let hasVerifier = 1;
}

def Smc_GlobalLoadOp : Smc_Op<"global_load", [DeclareOpInterfaceMethods<SymbolUserOpInterface>,
                                              MemoryEffects<[MemRead]>]> {
  let summary = "reads a variable's current value (TF ReadVariableOp)";
  let arguments = (ins FlatSymbolRefAttr:$global);
  let results = (outs Smc_Tensor:$value);
  let assemblyFormat = "$global attr-dict `:` type($value)";
}

def Smc_GlobalStoreOp : Smc_Op<"global_store", [DeclareOpInterfaceMethods<SymbolUserOpInterface>,
                                                MemoryEffects<[MemWrite]>]> {
  let summary = "replaces a variable's value (TF AssignVariableOp; Assign{Add,Sub} after the arithmetic)";
  let arguments = (ins FlatSymbolRefAttr:$global, Smc_Tensor:$value);
  let assemblyFormat = "$global `,` $value attr-dict `:` type($value)";
}

//===----------------------------------------------------------------------===//
// Parallel dispatch
//===----------------------------------------------------------------------===//

def Smc_ParallelCallOp : Smc_Op<"parallel_call"> {
  let summary = "runs a kernel's loop as tasks through the caller's parallel_for hook";
  let description = [{
    `callee(lo, hi, args...)` runs the iterations `lo, lo + step, ... < hi` of a loop whose
    iterations touch disjoint memory (smc-mark-parallel; smc-outline-kernels made the kernel).
    This op splits `[lb, ub)` into `tasks` chunks of consecutive iterations and hands them to
    `hook->parallel_for` (struct smc_parallel of smc/runtime.h, never null here): task `t`
    calls the kernel on chunk `t`. The lowering to LLVM stores `args` in `frame` (one 8-byte
    slot each; a stack buffer of the caller's entry block, which all its parallel calls share)
    and makes a trampoline `<callee>_task_<lb>_<ub>_<step>_<tasks>(frame, t)` (equal kernels of
    repeated layers are one function, called on ranges and in tasks of their own).

    ```mlir
    smc.parallel_call @f_k3(%in, %w, %out) hook %h frame %frame
        {lb = 0, ub = 112, step = 1, tasks = 112}
        : (memref<...>, memref<...>, memref<...>) -> (), !llvm.ptr, memref<3xi64>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$callee, Variadic<AnyType>:$args, AnyType:$hook,
                       MemRefRankOf<[I64], [1]>:$frame,
                       I64Attr:$lb, I64Attr:$ub, I64Attr:$step, I64Attr:$tasks);
  let assemblyFormat = [{
    $callee `(` $args `)` `hook` $hook `frame` $frame attr-dict `:`
        functional-type($args, results) `,` type($hook) `,` type($frame)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Iterations of the loop, ceil((ub - lb) / step).
    int64_t getIterations() { return (getUb() - getLb() + getStep() - 1) / getStep(); }
    /// The index range one task runs: ceil(iterations / tasks) iterations of the step.
    int64_t getSpan() { return (getIterations() + getTasks() - 1) / getTasks() * getStep(); }
  }];
}

#endif // SMC_OPS_TD
