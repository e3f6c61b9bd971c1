// RUN: smc-opt %s -smc-tile-and-vectorize=vector-bits=512 -split-input-file | FileCheck %s
// RUN: smc-opt %s -smc-tile-and-vectorize=vector-bits=0 -split-input-file | FileCheck %s --check-prefix=SCALAR
// RUN: smc-opt %s -smc-tile-and-vectorize="vector-bits=256 vector-registers=16" -split-input-file | FileCheck %s --check-prefix=AVX2
// RUN: smc-opt %s -smc-tile-and-vectorize="vector-bits=256 vector-registers=16 fma-latency=5" -split-input-file | FileCheck %s --check-prefix=HASWELL
// Register tiles that divide the shapes, vectorised.

// CHECK-LABEL: func.func @matmul
// SCALAR-LABEL: func.func @matmul
func.func @matmul(%a: tensor<16x64xf32>, %b: tensor<64x96xf32>, %c: tensor<16x96xf32>) -> tensor<16x96xf32> {
  // M by 8, N by 32 (two 16-lane vectors; 96 = 3 x 32), K by 1.
  // CHECK: scf.for %{{.*}} = %c0 to %c16 step %c8
  // CHECK: scf.for %{{.*}} = %c0 to %c96 step %c32
  // CHECK: scf.for %{{.*}} = %c0 to %c64 step %c1
  // CHECK: vector.contract {{.*}} vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
  // SCALAR-NOT: vector.
  // SCALAR: linalg.matmul
  // With 16 registers (AVX2), 8 rows x 2 vectors of accumulators would spill: 4 rows (the
  // largest divisor of 16 up to the 6 that fit; a matmul this small is not split).
  // AVX2-LABEL: func.func @matmul
  // AVX2: scf.for %{{.*}} = %c0 to %c16 step %c4
  // AVX2: scf.for %{{.*}} = %c0 to %c96 step %c16
  // AVX2: vector.contract {{.*}} vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x96xf32>) outs(%c : tensor<16x96xf32>) -> tensor<16x96xf32>
  return %0 : tensor<16x96xf32>
}

// -----

// A grouped convolution's loop over its groups (smc.group_loop) holds a whole convolution of
// one group: it is tiled and vectorised like a top-level one (OH, kh, kw and the input channels
// stepped; each tile a 1-D conv of OW 7 x F 16 x one channel), inside the group loop.
// CHECK-LABEL: func.func @group_loop
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1
// CHECK-COUNT-4: scf.for
// CHECK-NOT: linalg.conv
// CHECK: vector.contract {{.*}} vector<1x7x1xf32>, vector<1x16xf32> into vector<1x7x16xf32>
// CHECK: } {smc.group_loop}
func.func @group_loop(%x: tensor<1x9x9x16xf32>, %f: tensor<3x3x8x32xf32>, %init: tensor<1x7x7x32xf32>) -> tensor<1x7x7x32xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %c16 = arith.constant 16 : index
  %r = scf.for %g = %c0 to %c2 step %c1 iter_args(%acc = %init) -> (tensor<1x7x7x32xf32>) {
    %i0 = arith.muli %g, %c8 : index
    %o0 = arith.muli %g, %c16 : index
    %xg = tensor.extract_slice %x[0, 0, 0, %i0] [1, 9, 9, 8] [1, 1, 1, 1] : tensor<1x9x9x16xf32> to tensor<1x9x9x8xf32>
    %wg = tensor.extract_slice %f[0, 0, 0, %o0] [3, 3, 8, 16] [1, 1, 1, 1] : tensor<3x3x8x32xf32> to tensor<3x3x8x16xf32>
    %yg0 = tensor.extract_slice %acc[0, 0, 0, %o0] [1, 7, 7, 16] [1, 1, 1, 1] : tensor<1x7x7x32xf32> to tensor<1x7x7x16xf32>
    %yg = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
           ins(%xg, %wg : tensor<1x9x9x8xf32>, tensor<3x3x8x16xf32>) outs(%yg0 : tensor<1x7x7x16xf32>) -> tensor<1x7x7x16xf32>
    %next = tensor.insert_slice %yg into %acc[0, 0, 0, %o0] [1, 7, 7, 16] [1, 1, 1, 1] : tensor<1x7x7x16xf32> into tensor<1x7x7x32xf32>
    scf.yield %next : tensor<1x7x7x32xf32>
  } {smc.group_loop}
  return %r : tensor<1x7x7x32xf32>
}

// -----

// CHECK-LABEL: func.func @conv
func.func @conv(%x: tensor<1x9x9x8xf32>, %f: tensor<3x3x8x32xf32>, %init: tensor<1x7x7x32xf32>) -> tensor<1x7x7x32xf32> {
  // OW 7 (a divisor of 7, at most 8), F 32, C 8 cover those dims in one tile; OH, kh and kw
  // are stepped, and each tile is a 1-D conv.
  // CHECK-COUNT-3: scf.for
  // CHECK-NOT: linalg.conv
  // CHECK: vector.contract {{.*}} into vector<1x7x32xf32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %f : tensor<1x9x9x8xf32>, tensor<3x3x8x32xf32>) outs(%init : tensor<1x7x7x32xf32>) -> tensor<1x7x7x32xf32>
  return %0 : tensor<1x7x7x32xf32>
}

// -----

// CHECK-LABEL: func.func @depthwise
func.func @depthwise(%x: tensor<1x10x10x64xf32>, %f: tensor<3x3x64xf32>, %init: tensor<1x8x8x64xf32>) -> tensor<1x8x8x64xf32> {
  // CHECK-NOT: linalg.depthwise
  // 4 output pixels x 2 vectors: the accumulators, the 6 input pixels under a 3-tap window
  // row and a filter vector fit 32 registers.
  // CHECK: vector.fma {{.*}} : vector<1x4x32xf32>
  %0 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %f : tensor<1x10x10x64xf32>, tensor<3x3x64xf32>) outs(%init : tensor<1x8x8x64xf32>) -> tensor<1x8x8x64xf32>
  return %0 : tensor<1x8x8x64xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @elementwise
func.func @elementwise(%x: tensor<4x256xf32>) -> tensor<4x256xf32> {
  %e = tensor.empty() : tensor<4x256xf32>
  // The last dimension by 64 (four 16-lane vectors).
  // CHECK: scf.for %{{.*}} = %c0 to %c256 step %c64
  // CHECK: math.exp %{{.*}} : vector<1x64xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x256xf32>) outs(%e : tensor<4x256xf32>) {
  ^bb0(%a: f32, %b: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<4x256xf32>
  return %0 : tensor<4x256xf32>
}

// -----

// A bias + activation consumer is tiled like the conv's output, the conv computed tile by
// tile inside its loops (no full-size intermediate pass).
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bias = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @conv_bias_relu
func.func @conv_bias_relu(%x: tensor<1x8x8x16xf32>, %f: tensor<1x1x16x32xf32>, %b: tensor<32xf32>) -> tensor<1x8x8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x8x8x32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %f : tensor<1x8x8x16xf32>, tensor<1x1x16x32xf32>) outs(%init : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  // The conv's accumulators stay in registers: a vector carried through its reduction loop and
  // handed to the bias + relu, with no tile-size or whole-size tensor written and read back.
  // CHECK: %[[OUT:.*]] = tensor.empty() : tensor<1x8x8x32xf32>
  // (Blocks of 4 pixels, two per row: a convolution's block has at most 7 rows.)
  // CHECK: scf.for {{.*}} iter_args(%[[ROWS:.*]] = %[[OUT]]) -> (tensor<1x8x8x32xf32>)
  // CHECK-NOT: tensor.empty
  // CHECK: scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[ROWS]]) -> (tensor<1x8x8x32xf32>)
  // CHECK-NOT: tensor.empty
  // CHECK: scf.for {{.*}} -> (vector<1x4x32xf32>)
  // CHECK-NOT: vector.transfer_write
  // CHECK: vector.contract
  // CHECK-NOT: vector.transfer_write
  // CHECK: arith.addf %{{.*}} : vector<1x1x4x32xf32>
  // CHECK: arith.maximumf %{{.*}} : vector<1x1x4x32xf32>
  // CHECK: vector.transfer_write %{{.*}}, %[[ACC]]
  // CHECK: scf.yield
  %r = linalg.generic {indexing_maps = [#map, #bias, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv, %b : tensor<1x8x8x32xf32>, tensor<32xf32>) outs(%e : tensor<1x8x8x32xf32>) {
  ^bb0(%c: f32, %bb: f32, %o: f32):
    %s = arith.addf %c, %bb : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x8x32xf32>
  return %r : tensor<1x8x8x32xf32>
}

// -----

// A gather (a generic with linalg.index and tensor.extract, from smc.gather) is left alone:
// neither tiled nor vectorised.
// CHECK-LABEL: func.func @gather
#idx = affine_map<(d0, d1) -> (d0)>
#out = affine_map<(d0, d1) -> (d0, d1)>
func.func @gather(%p: tensor<10x64xf32>, %i: tensor<8xi32>) -> tensor<8x64xf32> {
  %e = tensor.empty() : tensor<8x64xf32>
  // CHECK-NOT: scf.for
  // CHECK-NOT: vector.
  // CHECK: linalg.generic
  // CHECK: tensor.extract
  // CHECK-NOT: vector.
  %r = linalg.generic {indexing_maps = [#idx, #out], iterator_types = ["parallel", "parallel"]} ins(%i : tensor<8xi32>) outs(%e : tensor<8x64xf32>) {
  ^bb0(%k: i32, %o: f32):
    %at = arith.index_cast %k : i32 to index
    %q = linalg.index 1 : index
    %v = tensor.extract %p[%at, %q] : tensor<10x64xf32>
    linalg.yield %v : f32
  } -> tensor<8x64xf32>
  return %r : tensor<8x64xf32>
}

// -----

// A reduction along rows (softmax's maximum and sum): blocks of 16 rows x 16 elements, each
// row accumulated into its own lane (the vector lowering transposes the block), the block's
// accumulators carried through the loop over the row.
// CHECK-LABEL: func.func @reduce_rows
// SCALAR-LABEL: func.func @reduce_rows
func.func @reduce_rows(%x: tensor<32x64xf32>, %init: tensor<32xf32>) -> tensor<32xf32> {
  // CHECK: scf.for %{{.*}} = %c0 to %c32 step %c16
  // CHECK: vector.transfer_read {{.*}} : tensor<32xf32>, vector<16xf32>
  // CHECK: scf.for %{{.*}} = %c0 to %c64 step %c16 {{.*}} -> (vector<16xf32>)
  // CHECK: %[[BLOCK:.*]] = vector.transfer_read {{.*}} : tensor<32x64xf32>, vector<16x16xf32>
  // CHECK: vector.multi_reduction <maximumf>, %[[BLOCK]], %{{.*}} [1] : vector<16x16xf32> to vector<16xf32>
  // SCALAR-NOT: vector.
  // SCALAR: linalg.reduce
  %0 = linalg.reduce ins(%x : tensor<32x64xf32>) outs(%init : tensor<32xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %m = arith.maximumf %in, %acc : f32
      linalg.yield %m : f32
    }
  return %0 : tensor<32xf32>
}

// -----

// Layer normalisation's sums over [1, rows, n, 1]: the unit dimensions aside, the same blocks.
// CHECK-LABEL: func.func @reduce_rows_unit_dims
func.func @reduce_rows_unit_dims(%x: tensor<1x32x64x1xf32>, %init: tensor<32xf32>) -> tensor<32xf32> {
  // CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [0, 2, 3] : vector<1x16x16x1xf32> to vector<16xf32>
  %0 = linalg.reduce ins(%x : tensor<1x32x64x1xf32>) outs(%init : tensor<32xf32>) dimensions = [0, 2, 3]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %0 : tensor<32xf32>
}

// -----

// A reduction over outer dimensions (global average pooling's sum, channels last): vectors along
// the channels, each lane summing its channel over the positions one at a time (the reduced
// dimensions innermost, the accumulators carried through them).
// CHECK-LABEL: func.func @reduce_columns
func.func @reduce_columns(%x: tensor<1x7x7x128xf32>, %init: tensor<1x128xf32>) -> tensor<1x128xf32> {
  // CHECK: scf.for %{{.*}} = %c0 to %c128 step %c64
  // CHECK: scf.for %{{.*}} = %c0 to %c7 step %c1 {{.*}} -> (vector<1x64xf32>)
  // CHECK: scf.for %{{.*}} = %c0 to %c7 step %c1 {{.*}} -> (vector<1x64xf32>)
  // CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} [1, 2] : vector<1x1x1x64xf32> to vector<1x64xf32>
  %0 = linalg.reduce ins(%x : tensor<1x7x7x128xf32>) outs(%init : tensor<1x128xf32>) dimensions = [1, 2]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %0 : tensor<1x128xf32>
}

// -----

// Elementwise over [1, rows, n, 1]: vectors along n (not along the trailing unit dimension), and
// the arithmetic on plain 1-D vectors (a vector<1x1x64x1xf32> op would become 64 scalar ops).
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @elementwise_unit_dims
func.func @elementwise_unit_dims(%x: tensor<1x4x256x1xf32>) -> tensor<1x4x256x1xf32> {
  %e = tensor.empty() : tensor<1x4x256x1xf32>
  // CHECK: scf.for %{{.*}} = %c0 to %c256 step %c64
  // CHECK: arith.mulf %{{.*}} : vector<64xf32>
  %0 = linalg.generic {indexing_maps = [#id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x4x256x1xf32>) outs(%e : tensor<1x4x256x1xf32>) {
  ^bb0(%a: f32, %b: f32):
    %r = arith.mulf %a, %a : f32
    linalg.yield %r : f32
  } -> tensor<1x4x256x1xf32>
  return %0 : tensor<1x4x256x1xf32>
}

// -----

// Transposes: attention's keys [b, s, h, d] -> [b, h, d, s] move the innermost dimension, so
// blocks of 16 x 16 (the result's and the input's innermost dimensions) are read and written as
// whole vectors and transposed in registers; [b, s, h, d] -> [b, h, s, d] keeps it: row copies.
// CHECK-LABEL: func.func @transpose_keys
func.func @transpose_keys(%x: tensor<1x32x4x64xf32>) -> (tensor<1x4x64x32xf32>, tensor<1x4x32x64xf32>) {
  %e = tensor.empty() : tensor<1x4x64x32xf32>
  // CHECK: scf.for %{{.*}} = %c0 to %c64 step %c16
  // CHECK: scf.for %{{.*}} = %c0 to %c32 step %c16
  // CHECK: %[[BLOCK:.*]] = vector.transfer_read {{.*}} : tensor<1x32x4x64xf32>, vector<1x16x1x16xf32>
  // CHECK: vector.transpose %[[BLOCK]], [0, 2, 3, 1] : vector<1x16x1x16xf32> to vector<1x1x16x16xf32>
  // CHECK-NOT: linalg.transpose
  %t = linalg.transpose ins(%x : tensor<1x32x4x64xf32>) outs(%e : tensor<1x4x64x32xf32>) permutation = [0, 2, 3, 1]
  %e2 = tensor.empty() : tensor<1x4x32x64xf32>
  // CHECK: vector.transfer_read {{.*}} : tensor<1x32x4x64xf32>, vector<1x1x1x64xf32>
  // CHECK-NOT: linalg.transpose
  %u = linalg.transpose ins(%x : tensor<1x32x4x64xf32>) outs(%e2 : tensor<1x4x32x64xf32>) permutation = [0, 2, 1, 3]
  return %t, %u : tensor<1x4x64x32xf32>, tensor<1x4x32x64xf32>
}

// -----

// Attention's projection: a packed matmul ([M, N / nb, nb]) read as heads [1, M, heads, d]
// (through a collapse and an expand) by its bias add. The add's loops are reshaped instead, so
// that it reads the matmul's result directly and the matmul is computed tile by tile inside it:
// the accumulators start from zeros in registers, get the bias and are stored once (no fill of
// the whole result, no pass over it for the bias).
#pa = affine_map<(d0, d1, d2, d3) -> (d0, d3)>
#pb = affine_map<(d0, d1, d2, d3) -> (d1, d3, d2)>
#pc = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
#hid = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#hbias = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-LABEL: func.func @matmul_heads_bias
func.func @matmul_heads_bias(%x: tensor<16x64xf32>, %w: tensor<2x64x32xf32>, %bias: tensor<2x32xf32>) -> tensor<1x16x2x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x64xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %f3 = tensor.expand_shape %f [[0], [1, 2]] output_shape [16, 2, 32] : tensor<16x64xf32> into tensor<16x2x32xf32>
  // CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<8x1x32xf32>
  // CHECK-NOT: linalg.fill
  // CHECK: scf.for %{{.*}} = %c0 to %c16 step %c8
  // CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1
  // CHECK: %[[ACC:.*]] = scf.for %{{.*}} = %c0 to %c64 step %c1 iter_args(%{{.*}} = %[[ZERO]]) -> (vector<8x1x32xf32>)
  // CHECK: vector.contract
  // CHECK: %[[B:.*]] = vector.transfer_read %{{.*}} : tensor<2x32xf32>, vector<1x32xf32>
  // CHECK: %[[BB:.*]] = vector.broadcast %[[B]]
  // CHECK: arith.addf %[[ACC]], %[[BB]] : vector<8x1x32xf32>
  // CHECK-NOT: linalg.generic
  %p = linalg.generic {indexing_maps = [#pa, #pb, #pc], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w : tensor<16x64xf32>, tensor<2x64x32xf32>) outs(%f3 : tensor<16x2x32xf32>) attrs = {smc.packed_matmul} {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %m = arith.mulf %i, %j : f32
    %s = arith.addf %o, %m : f32
    linalg.yield %s : f32
  } -> tensor<16x2x32xf32>
  %c = tensor.collapse_shape %p [[0], [1, 2]] : tensor<16x2x32xf32> into tensor<16x64xf32>
  %x4 = tensor.expand_shape %c [[0, 1], [2, 3]] output_shape [1, 16, 2, 32] : tensor<16x64xf32> into tensor<1x16x2x32xf32>
  %e4 = tensor.empty() : tensor<1x16x2x32xf32>
  %r = linalg.generic {indexing_maps = [#hid, #hbias, #hid], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x4, %bias : tensor<1x16x2x32xf32>, tensor<2x32xf32>) outs(%e4 : tensor<1x16x2x32xf32>) {
  ^bb0(%i: f32, %b: f32, %o: f32):
    %s = arith.addf %i, %b : f32
    linalg.yield %s : f32
  } -> tensor<1x16x2x32xf32>
  return %r : tensor<1x16x2x32xf32>
}

// -----

// A batch matmul (attention's Q K^T) whose output starts as its own zero fill: the fill is tiled
// with it, so each tile's accumulators start as zeros in registers and the reduction is stepped
// inside the tile (no fill of the whole output, no load of each tile).
// CHECK-LABEL: func.func @batch_matmul_zero_init
func.func @batch_matmul_zero_init(%q: tensor<2x16x8xf32>, %k: tensor<2x8x32xf32>) -> tensor<2x16x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x16x32xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x16x32xf32>) -> tensor<2x16x32xf32>
  // CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<1x8x32xf32>
  // CHECK-NOT: linalg.fill
  // CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1
  // CHECK: scf.for %{{.*}} = %c0 to %c16 step %c8
  // CHECK: scf.for %{{.*}} = %c0 to %c8 step %c1 iter_args(%{{.*}} = %[[ZERO]]) -> (vector<1x8x32xf32>)
  // CHECK: vector.contract
  %r = linalg.batch_matmul ins(%q, %k : tensor<2x16x8xf32>, tensor<2x8x32xf32>) outs(%f : tensor<2x16x32xf32>) -> tensor<2x16x32xf32>
  return %r : tensor<2x16x32xf32>
}

// -----

// A row of 7 output pixels on AVX2 with Haswell's FMA latency (5 cycles: 10 accumulators to
// cover it): no block that divides 7 fits 16 registers and covers the latency (7 x 1 vector
// waits on it), so the row is split, the consumer and the convolution computed apart for each
// part: 5 pixels in blocks of 5 x 2 vectors, 2 in 2 x 4. On AVX-512 (32 registers) 7 x 2
// covers the whole row.
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bias = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-LABEL: func.func @conv_split_row
// HASWELL-LABEL: func.func @conv_split_row
func.func @conv_split_row(%x: tensor<1x7x7x16xf32>, %f: tensor<1x1x16x32xf32>, %b: tensor<32xf32>) -> tensor<1x7x7x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x7x7x32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x7x7x32xf32>) -> tensor<1x7x7x32xf32>
  %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %f : tensor<1x7x7x16xf32>, tensor<1x1x16x32xf32>) outs(%init : tensor<1x7x7x32xf32>) -> tensor<1x7x7x32xf32>
  // HASWELL: %[[WHOLE:.*]] = tensor.empty() : tensor<1x7x7x32xf32>
  // HASWELL: vector.contract {{.*}} : vector<1x5x1xf32>, vector<1x16xf32> into vector<1x5x16xf32>
  // HASWELL: arith.maximumf %{{.*}} : vector<1x1x5x16xf32>
  // HASWELL: %[[FIRST:.*]] = tensor.insert_slice %{{.*}} into %[[WHOLE]][0, 0, 0, 0] [1, 7, 5, 32] [1, 1, 1, 1]
  // HASWELL: vector.contract {{.*}} : vector<1x2x1xf32>, vector<1x32xf32> into vector<1x2x32xf32>
  // HASWELL: arith.maximumf %{{.*}} : vector<1x1x2x32xf32>
  // HASWELL: tensor.insert_slice %{{.*}} into %[[FIRST]][0, 0, 5, 0] [1, 7, 2, 32] [1, 1, 1, 1]
  // CHECK-NOT: tensor.insert_slice
  // CHECK: vector.contract {{.*}} : vector<1x7x1xf32>, vector<1x32xf32> into vector<1x7x32xf32>
  // CHECK-NOT: tensor.insert_slice
  %r = linalg.generic {indexing_maps = [#map, #bias, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv, %b : tensor<1x7x7x32xf32>, tensor<32xf32>) outs(%e : tensor<1x7x7x32xf32>) {
  ^bb0(%c: f32, %bb: f32, %o: f32):
    %s = arith.addf %c, %bb : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x7x7x32xf32>
  return %r : tensor<1x7x7x32xf32>
}

// -----

// The same row where the filter outweighs the input (16 x 64 > 7 x 7 x 16): not split, since
// each part would stream the whole filter again; the whole row in one block.
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bias = affine_map<(d0, d1, d2, d3) -> (d3)>
// HASWELL-LABEL: func.func @conv_heavy_filter_row
// HASWELL-NOT: tensor.insert_slice
// HASWELL: return
func.func @conv_heavy_filter_row(%x: tensor<1x7x7x16xf32>, %f: tensor<1x1x16x64xf32>, %b: tensor<64xf32>) -> tensor<1x7x7x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x7x7x64xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x7x7x64xf32>) -> tensor<1x7x7x64xf32>
  %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %f : tensor<1x7x7x16xf32>, tensor<1x1x16x64xf32>) outs(%init : tensor<1x7x7x64xf32>) -> tensor<1x7x7x64xf32>
  %r = linalg.generic {indexing_maps = [#map, #bias, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv, %b : tensor<1x7x7x64xf32>, tensor<64xf32>) outs(%e : tensor<1x7x7x64xf32>) {
  ^bb0(%c: f32, %bb: f32, %o: f32):
    %s = arith.addf %c, %bb : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x7x7x64xf32>
  return %r : tensor<1x7x7x64xf32>
}

// -----

// A 3 x 3 x 512 filter: a block's filter panel is streamed again for every block of pixels,
// so the block reads few filter vectors per multiply-add. On AVX2 a row of 7 pixels takes
// 7 x 1 vector (one filter vector per 7 FMAs, the panel 147 KB from L2), not 1 x 8 (8 filter
// vectors per 8 FMAs, a 1.2 MB panel from beyond L2 for every pixel).
// HASWELL-LABEL: func.func @conv_filter_traffic
// HASWELL-NOT: tensor.insert_slice
// HASWELL: vector.contract {{.*}} : vector<1x7x1xf32>, vector<1x8xf32> into vector<1x7x8xf32>
// HASWELL-NOT: tensor.insert_slice
// HASWELL: return
#map = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#bias = affine_map<(d0, d1, d2, d3) -> (d3)>
func.func @conv_filter_traffic(%x: tensor<1x9x9x512xf32>, %f: tensor<3x3x512x64xf32>, %b: tensor<64xf32>) -> tensor<1x7x7x64xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x7x7x64xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x7x7x64xf32>) -> tensor<1x7x7x64xf32>
  %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %f : tensor<1x9x9x512xf32>, tensor<3x3x512x64xf32>) outs(%init : tensor<1x7x7x64xf32>) -> tensor<1x7x7x64xf32>
  %r = linalg.generic {indexing_maps = [#map, #bias, #map], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv, %b : tensor<1x7x7x64xf32>, tensor<64xf32>) outs(%e : tensor<1x7x7x64xf32>) {
  ^bb0(%c: f32, %bb: f32, %o: f32):
    %s = arith.addf %c, %bb : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x7x7x64xf32>
  return %r : tensor<1x7x7x64xf32>
}
