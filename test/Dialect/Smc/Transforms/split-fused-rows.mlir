// RUN: smc-opt %s -smc-pack-weights="vector-bits=256 vector-registers=16 fma-latency=5 min-volume=0" -smc-tile-and-vectorize="vector-bits=256 vector-registers=16 fma-latency=5" | FileCheck %s
// A matmul with constant weights whose result a bias add reads, 49 rows on AVX2: no block
// that divides 49 (7 x 1 vector, 1 x 8) keeps the FMA units busy, so the bias add and the
// matmul are split along the rows and each part computed on its own, over weights packed 16
// columns wide: 24 rows in blocks of 6 x 2 vectors and 25 in 5 x 2, each block with at least
// the 10 accumulators that cover the FMA latency (not 45 in 5 x 2 and 4 in 4 x 2, whose 8 do
// not).

// CHECK-LABEL: func.func @dense_split_rows
// CHECK: scf.for %{{.*}} = %c0 to %c24 step %c6
// CHECK: vector.contract {{.*}} : vector<6x1xf32>, vector<1x1x16xf32> into vector<6x1x16xf32>
// CHECK: arith.addf %{{.*}} : vector<6x1x16xf32>
// CHECK: %[[FIRST:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [24, 2, 16] [1, 1, 1]
// CHECK: scf.for %{{.*}} = %c0 to %c25 step %c5
// CHECK: vector.contract {{.*}} : vector<5x1xf32>, vector<1x1x16xf32> into vector<5x1x16xf32>
// CHECK: arith.addf %{{.*}} : vector<5x1x16xf32>
// CHECK: tensor.insert_slice %{{.*}} into %[[FIRST]][24, 0, 0] [25, 2, 16] [1, 1, 1]
#rows = affine_map<(d0, d1) -> (d0, d1)>
#bias = affine_map<(d0, d1) -> (d1)>
func.func @dense_split_rows(%a: tensor<49x64xf32>, %b: tensor<32xf32>) -> tensor<49x32xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.5> : tensor<64x32xf32>
  %e = tensor.empty() : tensor<49x32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<49x32xf32>) -> tensor<49x32xf32>
  %m = linalg.matmul ins(%a, %w : tensor<49x64xf32>, tensor<64x32xf32>) outs(%init : tensor<49x32xf32>) -> tensor<49x32xf32>
  %r = linalg.generic {indexing_maps = [#rows, #bias, #rows], iterator_types = ["parallel", "parallel"]} ins(%m, %b : tensor<49x32xf32>, tensor<32xf32>) outs(%e : tensor<49x32xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<49x32xf32>
  return %r : tensor<49x32xf32>
}

// A transformer's dense layer, 128 rows: 6 x 2 vectors leave 2 rows, whose 2 x 2 block would
// wait on the FMA latency; 108 rows in 6 x 2 and 20 in 5 x 2 keep every block at full speed.
// CHECK-LABEL: func.func @dense_128_rows
// CHECK: scf.for %{{.*}} = %c0 to %c108 step %c6
// CHECK: vector.contract {{.*}} into vector<6x1x16xf32>
// CHECK: %[[FIRST:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 0] [108, 4, 16] [1, 1, 1]
// CHECK: scf.for %{{.*}} = %c0 to %c20 step %c5
// CHECK: vector.contract {{.*}} into vector<5x1x16xf32>
// CHECK: tensor.insert_slice %{{.*}} into %[[FIRST]][108, 0, 0] [20, 4, 16] [1, 1, 1]
func.func @dense_128_rows(%a: tensor<128x64xf32>, %b: tensor<64xf32>) -> tensor<128x64xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.5> : tensor<64x64xf32>
  %e = tensor.empty() : tensor<128x64xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<128x64xf32>) -> tensor<128x64xf32>
  %m = linalg.matmul ins(%a, %w : tensor<128x64xf32>, tensor<64x64xf32>) outs(%init : tensor<128x64xf32>) -> tensor<128x64xf32>
  %r = linalg.generic {indexing_maps = [#rows, #bias, #rows], iterator_types = ["parallel", "parallel"]} ins(%m, %b : tensor<128x64xf32>, tensor<64xf32>) outs(%e : tensor<128x64xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<128x64xf32>
  return %r : tensor<128x64xf32>
}
