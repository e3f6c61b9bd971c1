//===- Passes.td - smc passes ----------------------------------*- tablegen -*-===//
#ifndef SMC_TRANSFORMS_PASSES_TD
#define SMC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FreezeVariables : Pass<"smc-freeze-variables", "ModuleOp"> {
  let summary = "Turn variables no function assigns into constants";
  let description = [{
    A `smc.global` that no `smc.global_store` in the module writes is a constant for the
    compiled object: each `smc.global_load` of it becomes an `arith.constant` of its initial
    value (the checkpoint value) and the global is erased. Variables some function stores to
    stay globals; they become writable data shared by every function of the object.

    ```mlir
    smc.global @w : tensor<2xf32> = dense<[1.0, 2.0]> : tensor<2xf32>
    %0 = smc.global_load @w : tensor<2xf32>
    // becomes
    %0 = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def BufferAbi : Pass<"smc-buffer-abi", "ModuleOp"> {
  let summary = "Give each exported function the object's C calling convention";
  let description = [{
    Rewrites each function imported from a signature (it carries `smc.signature`) from
    `(tensor inputs) -> (tensor outputs)` to
    `(memref inputs, memref outputs, memref<?xi8> arena) -> ()`: inputs are read through
    `bufferization.to_tensor ... restrict`, each output is written into its caller-owned buffer
    with `bufferization.materialize_in_destination` (an output that is a reshape of a value has
    that value written into the buffer reshaped the other way, so that it is computed in place),
    and the arena argument (whose size `smc-plan-memory` fixes) holds every temporary. The
    function keeps its name and attributes. Each `tensor.empty` (or zero-fill of one, or a
    reshape of either) with several users is split into one per user, so that empty-tensor
    elimination cannot give two results the same buffer, and each user's fill is made in its
    own buffer instead of copied from a shared one.
  }];
  let dependentDialects = ["::mlir::smc::SmcDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::memref::MemRefDialect"];
}

def MarkParallel : Pass<"smc-mark-parallel", "ModuleOp"> {
  let summary = "Mark the top-level loops whose iterations may run as parallel tasks";
  let description = [{
    After bufferization, before the memory plan: a top-level `scf.for` of an exported function
    (constant bounds, no results) gets `smc.parallel_tasks = T` when its iterations touch
    disjoint memory wherever one writes. Every access in the loop (loads, stores, vector
    transfers, and the whole operands of other ops such as linalg ops and copies) is traced
    through the views made inside the loop to a buffer defined outside it, its position per
    dimension written `a * iv + r`, r bounded by the inner loops' bounds; each buffer the loop
    writes must be touched by all its accesses along one dimension with the same `a > 0`, in a
    slab narrower than `a * step`, and no other view of the same buffer may be used in the
    loop. A loop that allocates (one arena place would serve every task) or has an access the
    forms cannot describe stays serial. T is the number of tasks of at least `min-task-ops`
    operations each (the loop body's ops times their inner trip counts, a vector op once per
    16 elements it spans), at most one per iteration, and a divisor of the iteration count
    where one fits (equal chunks); loops worth fewer than two tasks are not marked. A top-level `linalg.fill` or `memref.copy` of
    at least 4 x min-task-ops elements first becomes a loop over the slabs of its first
    dimension longer than 1, so that it is marked like a layer. smc-outline-kernels turns a
    marked loop into a kernel taking its bounds and an `smc.parallel_call` of it.

    ```mlir
    scf.for %i = %c0 to %c112 step %c1 {   // writes out[0, %i, ...] only
      ...
    } {smc.parallel_tasks = 112 : i64}
    ```
  }];
  let options = [
    Option<"minTaskOps", "min-task-ops", "int64_t", /*default=*/"16384",
           "Operations (roughly) a task must do at least">,
  ];
  let dependentDialects = ["::mlir::smc::SmcDialect"];
}

def PlanMemory : Pass<"smc-plan-memory", "ModuleOp"> {
  let summary = "Place every temporary buffer at a fixed offset of the arena";
  let description = [{
    After bufferization, each `memref.alloc` of a static shape in an exported function gets a
    64-byte aligned offset in the function's arena argument, chosen by liveness: two buffers
    whose live ranges (from the allocation to the last use of the buffer or any view of it, in
    the function's top-level order) overlap never share bytes, others may. Buffers are placed
    at the lowest offset that fits, in several orders (largest first, earliest first, longest-lived
    first, largest size x lifetime first), keeping the smallest arena. The arena argument becomes
    `memref<Nxi8>` and the function gets `smc.arena_size = N`; the lower bound (the largest sum
    of simultaneously live buffers) is recorded as `smc.arena_lower_bound`. A dynamic-size
    allocation is an error.
  }];
  let dependentDialects = ["::mlir::smc::SmcDialect",
                           "::mlir::memref::MemRefDialect", "::mlir::arith::ArithDialect"];
}

def OutlineKernels : Pass<"smc-outline-kernels", "ModuleOp"> {
  let summary = "Give each kernel of an exported function a private function of its own";
  let description = [{
    After the memory plan, every top-level op of an exported function that does work (an op
    with regions or memory effects and no results: a layer's loop nest, a linalg op, a copy)
    moves into a private function `<entry>_k<N>` (internal linkage, `no_inline`) that the
    entry calls with the views, globals and scalars it uses; scalar and vector constants and
    constant globals of at most 16 elements are rematerialised inside it. A kernel whose body
    and argument types equal an earlier one's is not made again: the earlier one is called.
    A memref argument gets `llvm.noalias` when at every call it shares no byte with another
    argument (arena views at constant offsets, distinct arguments of the entry, globals). An op
    using a value that cannot be passed (a dynamically shaped view, a vector) stays inline.
    LLVM's optimiser and code generator then see many small functions instead of one whose
    size made their time grow faster than the model.

    Example: `linalg.fill ins(%c) outs(%view)` in `@m_serving_default` becomes
    `call @m_serving_default_k0(%view)` and `func.func private @m_serving_default_k0(%arg0:
    memref<...> {llvm.noalias})` holding the fill and its own `%c`.
  }];
  let options = [
    Option<"parallelEntries", "parallel-entries", "bool", /*default=*/"false",
           "Give each exported function a `<name>_parallel(args..., hook)` entry point that "
           "runs loops marked by smc-mark-parallel as tasks (targets with threads)">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect", "::mlir::LLVM::LLVMDialect",
                           "::mlir::scf::SCFDialect", "::mlir::arith::ArithDialect",
                           "::mlir::smc::SmcDialect"];
}

def CarryInPlace : Pass<"smc-carry-in-place", "ModuleOp"> {
  let summary = "Loop-carried tensors are updated in their own buffer";
  let description = [{
    Before bufferization, each value an `scf.while` body yields for the next iteration is
    copied into the body's block argument for it (`linalg.copy`), so that every loop-carried
    tensor lives in one buffer across iterations. Without it the
    body's result would be a buffer allocated inside the loop and handed to the next iteration,
    which the static memory plan cannot express (an allocation inside a loop has one fixed
    offset: the next iteration would write its result over its own input).

    ```mlir
    ^bb0(%v: tensor<6xf32>):
      %next = smc.mul %v, %half : ...
      scf.yield %next : tensor<6xf32>
    // becomes
      %next = smc.mul %v, %half : ...
      %in = linalg.copy ins(%next : tensor<6xf32>) outs(%v : tensor<6xf32>) -> tensor<6xf32>
      scf.yield %in : tensor<6xf32>
    ```
    (A `bufferization.materialize_in_destination` would let empty-tensor elimination make the
    producer write into `%v` while it still reads it.)
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def PadInPlace : Pass<"smc-pad-in-place", "ModuleOp"> {
  let summary = "Let the producer of a padded tensor write into the padded buffer";
  let description = [{
    A `tensor.pad` with a constant value and static shapes (the SAME or explicit padding in
    front of a convolution or pool) would bufferize to a new buffer filled whole with the value
    and a copy of the source into its interior. Instead it becomes a buffer whose border slabs
    alone are filled, with the source inserted into the interior; the buffer is made right
    before the top-level op that computes the source, so that empty-tensor elimination then has
    that op write its result straight into the interior: no copy, and no byte written twice.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"];
}

def ExpandCopies : Pass<"smc-expand-copies", "ModuleOp"> {
  let summary = "Turn strided memref.copy into linalg.copy";
  let description = [{
    A `memref.copy` whose operands are not both contiguous would lower to a call of the MLIR
    runtime's `memrefCopy`, which a freestanding object cannot have; it becomes a `linalg.copy`
    (loops) instead. Contiguous copies stay (they become `memcpy`).
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def PrefetchPanels : Pass<"smc-prefetch-panels", "ModuleOp"> {
  let summary = "Prefetch the next block's weight panel while the current one is reused";
  let description = [{
    A register-tiled convolution or matmul reads, for each block of output channels, a panel
    of weights that every block of rows (pixels) then reads again: the first pass over a
    panel streams it from memory, the others from cache. One row block's multiply-adds take
    as many cycles as its panel has cache lines x (vectors per line / rows in the block), far
    too few to stream the panel from DRAM on one core, so that pass stalls (ResNet50's 7 x 7
    layers, 7 row blocks per panel: ~60% of peak). This pass spreads the next panel's load
    over the reuse: in the loop nest `for block { for rows { for reduction { load W[block,
    ...] } } }` where the reduction's indices of W stay inside the row loop, each reduction
    step prefetches (into L2) one address of the next block's panel, row r of 2^s (2^s <= the
    row trip count) sweeping the r-th 2^s-th of it. Weights of at most `min-bytes` (L1) are
    left alone. Prefetches have no effect on results; the next block's index is clamped to W.
  }];
  let options = [Option<"minBytes", "min-bytes", "int64_t", /*default=*/"32768",
                        "Only weights larger than this (the L1 data cache) are prefetched">];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect"];
}

def LowerMath : Pass<"smc-lower-math", "ModuleOp"> {
  let summary = "Math functions as polynomial approximations, without libm";
  let description = [{
    The generated object may not call libm. `exp`, `log`, `log1p`, `expm1`, `tanh`, `sin`,
    `cos` become MLIR's polynomial approximations (accurate to a few ulp in f32), f32 `erf` the
    rational approximation of Eigen (TensorFlow's CPU kernels: max abs error 3e-7), `powf`
    becomes `exp(y * log(x))` with TF's sign rules, `rsqrt` becomes `1 / sqrt` (a hardware
    instruction), and, where the target has no fused multiply-add (`expand-fma`), `fma`
    becomes a multiply and an add. Where the target cannot round in hardware
    (`expand-rounding`: x86 before SSE4.1, Cortex-M4, soft-float cores), f32 `floor`, `ceil`,
    `trunc`, `round` and `roundeven` become an exact conversion to i32 and back with a range
    check, where LLVM would call libm. Without an FPU (`expand-float-minmax`),
    `arith.maximumf`/`minimumf`/`maxnumf`/`minnumf` become a compare and a select (NaN kept), which
    LLVM's soft-float lowering can take. `sqrt` and `abs` stay, and the test suite checks every
    object's undefined symbols.
  }];
  let options = [Option<"expandFma", "expand-fma", "bool", /*default=*/"false",
                        "Expand math.fma into a multiply and an add">,
                 Option<"expandRounding", "expand-rounding", "bool", /*default=*/"false",
                        "Expand f32 floor, ceil, trunc, round and roundeven inline">,
                 Option<"expandFloatMinMax", "expand-float-minmax", "bool", /*default=*/"false",
                        "Expand float maximum/minimum into compare and select">];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def TileAndVectorize : Pass<"smc-tile-and-vectorize", "ModuleOp"> {
  let summary = "Tile linalg ops for registers and turn the tiles into vector ops";
  let description = [{
    On linalg on tensors: each matmul, convolution, depthwise convolution, pooling, reduction,
    transpose and elementwise generic is tiled (scf.for) so that one tile's output fits in the
    target's vector registers (`vector-registers` of `vector-bits`; RegisterTiles.h sizes every
    outer-product block by one cost model: 6 rows x 4 vectors with AVX-512's 32, 6 x 2 with
    AVX2's 16; a matmul whose rows the block does not divide is split, the rest of its rows
    getting a block of their own; large matmuls get cache tiles from `l1-bytes` and
    `l2-bytes` first), convolution tiles with a 1x1
    window step are decomposed to 1-D convolutions, and every tile is vectorised
    (`vector.contract`, `vector.fma`, `vector.multi_reduction`, transfers). Tile sizes always
    divide the op's static dimensions, so no tile is partial; an op whose shape allows no
    useful tile is left to the scalar path (and LLVM's vectoriser). An elementwise consumer of
    a matmul or convolution (bias, activation, residual) is tiled like the producer's output
    and computes it tile by tile, also when it reads it through reshapes (its loops are
    reshaped instead). Reductions keep the scalar loops' order: along rows, blocks of
    lanes x lanes that smc-lower-vectors transposes in registers. A convolution tile whose
    filter is a constant reads its block from a copy packed at compile time as
    [F / nb, KH, KW, C, nb] (contiguous per channel block). Deep layers, whose filters
    outweigh their input, iterate over channel blocks outermost.
  }];
  let options = [Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"512",
                        "Width of the target's vector registers in bits (0: no vectors)">,
                 Option<"vectorRegisters", "vector-registers", "int64_t", /*default=*/"32",
                        "Number of the target's vector registers (matmul register blocks)">,
                 Option<"laneOperands", "lane-operands", "bool", /*default=*/"false",
                        "Multiply-adds read their scalar from a vector lane (one register per row)">,
                 Option<"fmaLatency", "fma-latency", "int64_t", /*default=*/"4",
                        "Cycles of a vector multiply-add's latency (register blocks cover it)">,
                 Option<"l1Bytes", "l1-bytes", "int64_t", /*default=*/"32768",
                        "Per-core L1 data cache (matmul cache tiles)">,
                 Option<"l2Bytes", "l2-bytes", "int64_t", /*default=*/"262144",
                        "Per-core L2 cache (matmul cache tiles)">,
                 Option<"parallelTiles", "parallel-tiles", "bool", /*default=*/"false",
                        "The target has threads: a large matmul's row blocks are cut into at "
                        "least 8 cache tiles where its rows allow, so that the tiles make tasks "
                        "enough for a few cores to share evenly">];
  let dependentDialects = ["::mlir::smc::SmcDialect",
                           "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect",
                           "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect"];
}

def LowerVectors : Pass<"smc-lower-vectors", "ModuleOp"> {
  let summary = "After bufferization: hoist accumulators, lower vector ops to what LLVM takes";
  let description = [{
    Folds subviews into the transfers that read them, hoists loop-invariant transfer pairs (the
    accumulators of a reduction loop stay in registers), and lowers vector.contract to outer
    products (FMAs), multi-reductions, transposes, broadcasts, shape casts and n-D transfers to
    the 1-D vector operations the LLVM dialect conversion understands. A transpose of an n x n
    block (n a power of two) becomes log2(n) stages of n two-input shuffles of whole rows;
    transfers drop trailing unit dimensions (so that [.., n, 1] is read as vectors along n).
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect",
                           "::mlir::memref::MemRefDialect"];
}

def FoldIntoWeights : Pass<"smc-fold-into-weights", "ModuleOp"> {
  let summary = "Fold per-channel scales (batch norm) into convolution and matmul weights";
  let description = [{
    Inference batch norm arrives as `x * a + b` with per-channel constants. When `x` is a
    convolution, depthwise convolution or matmul with constant weights (and no other user),
    `conv(x, W) * a` becomes `conv(x, W')` with `W'` scaled per output channel, and
    `(y + b) * a` becomes `y * a + b * a` so that a bias in between does not block it. The
    weights are computed at compile time (f32), so at run time only the bias add remains, which
    the tiling fuses into the convolution's tiles.

    ```mlir
    %y = smc.conv2d %x, %w ...            // %w constant
    %z = smc.mul %y, %a ...               // %a constant, shape [F]
    // becomes
    %z = smc.conv2d %x, %w2 ...           // %w2 = %w scaled along F
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def HoistStepProjections : Pass<"smc-hoist-step-projections", "ModuleOp"> {
  let summary = "Project every step's input of a recurrent loop in one matmul before the loop";
  let description = [{
    A recurrent loop (Keras' LSTM/GRU/SimpleRNN) multiplies the step's slice of a sequence
    defined outside the loop by loop-invariant weights: `x[t] @ W`. That product does not depend
    on the loop's state, so all steps' products are one matmul over the whole sequence before
    the loop (weights read once, a matmul the tiling can block), and the step reads its row:

    ```mlir
    scf.while ... do {
      %xt = tensor.extract_slice %x[%t, 0, 0] [1, B, F] [1, 1, 1] : tensor<TxBxF> to tensor<BxF>
      %p = smc.matmul %xt, %w : (tensor<BxF>, tensor<FxN>) -> tensor<BxN>
    // becomes
    %all = smc.matmul (reshape %x to [T*B, F]), %w       // before the loop: [T*B, N]
    scf.while ... do {
      %p = tensor.extract_slice %all[%t * B, 0] [B, N] [1, 1]
    ```

    The projections take T*B*N elements of scratch; the pass leaves a loop alone when they
    would exceed `max-bytes` (0: never hoist, for targets with little memory).
  }];
  let options = [Option<"maxBytes", "max-bytes", "int64_t", /*default=*/"1048576",
                        "Largest scratch the hoisted projections may take">];
  let dependentDialects = ["::mlir::tensor::TensorDialect", "::mlir::arith::ArithDialect"];
}

def FuseElementwise : Pass<"smc-fuse-elementwise", "ModuleOp"> {
  let summary = "Linalg elementwise fusion that leaves contractions as they are";
  let description = [{
    Upstream `linalg-fuse-elementwise-ops` (elementwise producer/consumer fusion, reshapes
    folded by expanding loops, constant folding), except that a reshape next to an op with a
    reduction loop (a matmul, convolution, reduction) is not folded into it: that would turn a
    `linalg.matmul` followed by a reshape (as Einsum and Dense on rank-3 inputs produce) into a
    many-dimensional `linalg.generic` that smc-pack-weights and smc-tile-and-vectorize do not
    recognise, and it would run as scalar loops.

    Fusion stops growing an op's body past `max-body-ops` operations. Each fusion clones the
    bodies of both ops into a new one, so fusing a chain of N elementwise ops into one op
    clones N^2/2 operations (quadratic compile time: a 4,000-op chain took 6 s); with the cap
    a chain costs about N * max-body-ops / 2 and becomes ops of at most `max-body-ops` each,
    computing the same values through N / max-body-ops intermediate tensors. The largest
    fused bodies of the test models hold about 25 operations.
  }];
  let options = [Option<"maxBodyOps", "max-body-ops", "int64_t", /*default=*/"256",
                        "Largest body (in operations) that fusion builds (0: no limit)">];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect"];
}

def Winograd : Pass<"smc-winograd", "ModuleOp"> {
  let summary = "3x3 stride-1 convolutions with constant filters as Winograd F(2x2, 3x3)";
  let description = [{
    A `linalg.conv_2d_nhwc_hwcf` with a constant 3x3 f32 filter, unit strides and dilations,
    a zero-filled init and an even output height and width of at least `min-size`
    becomes Winograd's F(2x2, 3x3): each 2x2 output tile is computed from a 4x4 input tile
    with 16 multiplications per input and output channel instead of 36. In tensors:

    - the input's 16 strided views d[a][b] = X[a::2, b::2] (one 4x4 tile each step of 2) go
      through one elementwise op with 16 results V[i][j] = (B^T d B)[i][j];
    - 16 matmuls M[i][j] = V[i][j] (tiles x C) * U[i][j] (C x F), where U = G g G^T is the
      filter transformed at compile time (so the matmuls get packed constant weights);
    - one elementwise op with 4 results Y[p][q] = (A^T M A)[p][q], each inserted into the
      output at [p::2, q::2].

    Multiplications drop 2.25x; the transforms are additions. The transformed filter is 16/9
    the size of the original, so small images (where the weights dominate) keep the direct
    convolution: `min-size` (default 14) is the smallest output height and width rewritten.
  }];
  let options = [Option<"minSize", "min-size", "int64_t", /*default=*/"14",
                        "Smallest output height and width to rewrite (0: off)">];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def PackWeights : Pass<"smc-pack-weights", "ModuleOp"> {
  let summary = "Pre-pack constant matmul weights into the blocked layout the kernel streams";
  let description = [{
    A `linalg.matmul` whose right operand B [K, N] is a constant becomes a `linalg.generic`
    reading B packed at compile time as [N / nb, K, nb] (nb = `block` columns, else the width
    of the register block RegisterTiles.h chooses for the matmul): the register tile then reads each of its K rows as one contiguous block
    instead of rows a whole matrix row apart (which alias in L1). The result is written through
    an expand_shape view of C as [M, N / nb, nb], so nothing is copied at run time. The generic
    carries `smc.packed_matmul` for the tiling that follows.
    First, a 1 x 1 convolution of stride 1 with a constant filter over at most 64 pixels becomes
    such a matmul of its pixels ([N*H*W, C] x [C, F], reshapes only) where the matmul's register
    block is >= 10% faster by the model than the convolution's, which takes one image row of
    pixels at a time (7 x 7 on AVX2: 49 = 24 + 25 rows in 6 x 2 and 5 x 2 vectors, not 7 x 1).
  }];
  let options = [Option<"block", "block", "int64_t", /*default=*/"0",
                        "Columns per packed block (0: the register block's, from vector-bits)">,
                 Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"0",
                        "Width of the target's vector registers in bits (0 and no block: no packing)">,
                 Option<"vectorRegisters", "vector-registers", "int64_t", /*default=*/"32",
                        "Number of the target's vector registers">,
                 Option<"laneOperands", "lane-operands", "bool", /*default=*/"false",
                        "Multiply-adds read their scalar from a vector lane (one register per row)">,
                 Option<"fmaLatency", "fma-latency", "int64_t", /*default=*/"4",
                        "Cycles of a vector multiply-add's latency (register blocks cover it)">,
                 Option<"minVolume", "min-volume", "int64_t", /*default=*/"262144",
                        "Leave matmuls with fewer multiply-adds (M*N*K) alone">];
  let dependentDialects = ["::mlir::smc::SmcDialect",
                           "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // SMC_TRANSFORMS_PASSES_TD
