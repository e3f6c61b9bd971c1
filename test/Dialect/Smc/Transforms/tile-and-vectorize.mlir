// RUN: smc-opt %s -smc-tile-and-vectorize=vector-bits=512 -split-input-file | FileCheck %s
// RUN: smc-opt %s -smc-tile-and-vectorize=vector-bits=0 -split-input-file | FileCheck %s --check-prefix=SCALAR
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
  %0 = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x96xf32>) outs(%c : tensor<16x96xf32>) -> tensor<16x96xf32>
  return %0 : tensor<16x96xf32>
}

// -----

// A grouped convolution's loop over its groups (smc.group_loop) holds a whole convolution of
// one group: it is tiled and vectorised like a top-level one (OH, kh, kw stepped; each tile a
// 1-D conv of OW 7 x F 16 x C 8), inside the group loop.
// CHECK-LABEL: func.func @group_loop
// CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1
// CHECK-COUNT-3: scf.for
// CHECK-NOT: linalg.conv
// CHECK: vector.contract {{.*}} vector<1x7x8xf32>, vector<8x16xf32> into vector<1x7x16xf32>
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
  // CHECK: vector.fma {{.*}} : vector<1x8x32xf32>
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
  // CHECK: scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[OUT]]) -> (tensor<1x8x8x32xf32>)
  // CHECK-NOT: tensor.empty
  // CHECK: scf.for {{.*}} -> (vector<1x8x32xf32>)
  // CHECK-NOT: vector.transfer_write
  // CHECK: vector.contract
  // CHECK-NOT: vector.transfer_write
  // CHECK: arith.addf %{{.*}} : vector<1x1x8x32xf32>
  // CHECK: arith.maximumf %{{.*}} : vector<1x1x8x32xf32>
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
