// RUN: smc-opt %s -smc-tile-and-vectorize="vector-bits=512 vector-registers=32 l1-bytes=49152 l2-bytes=2097152" | FileCheck %s
// A cache-tiled matmul (at least 128^3 multiply-adds) whose result starts as a zero fill: where
// the cache tile spans the whole reduction (Kc = K = 128), the fill is tiled with it and each
// register tile starts from zeros in registers, as for a matmul too small for cache tiles; no
// fill of the whole result is stored and loaded back. A fill shared by two matmuls (CSE) is
// copied for each. The register blocks still sweep columns outside rows.
// CHECK-LABEL: func.func @shared_fill
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<6x64xf32>
// CHECK-NOT: linalg.fill
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c64
// CHECK: scf.for %{{.*}} = %c0 to %c252 step %c6
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c1 iter_args(%{{.*}} = %[[ZERO]]) -> (vector<6x64xf32>)
// CHECK-NOT: linalg.fill
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c64
// CHECK: scf.for %{{.*}} = %c0 to %c252 step %c6
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c1 iter_args(%{{.*}} = %[[ZERO]]) -> (vector<6x64xf32>)
// CHECK-NOT: linalg.fill
// CHECK: return
func.func @shared_fill(%a: tensor<256x128xf32>, %b: tensor<128x128xf32>, %d: tensor<128x128xf32>) -> (tensor<256x128xf32>, tensor<256x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<256x128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<256x128xf32>) -> tensor<256x128xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<256x128xf32>, tensor<128x128xf32>) outs(%f : tensor<256x128xf32>) -> tensor<256x128xf32>
  %1 = linalg.matmul ins(%a, %d : tensor<256x128xf32>, tensor<128x128xf32>) outs(%f : tensor<256x128xf32>) -> tensor<256x128xf32>
  return %0, %1 : tensor<256x128xf32>, tensor<256x128xf32>
}

// A reduction of 1024: its sliver of B (1024 x 64 floats, 256 KiB) and a block of A of 8 row
// blocks (48 x 1024) fit half of the 2 MiB L2 together, so the cache tile spans it (Kc = K)
// although the sliver is far larger than L1, and the fill is tiled with it.
// CHECK-LABEL: func.func @whole_reduction_in_l2
// CHECK-NOT: linalg.fill
// CHECK: scf.for %{{.*}} = %c0 to %c128 step %c64
// CHECK: scf.for %{{.*}} = %c0 to %c126 step %c6
// CHECK: scf.for %{{.*}} = %c0 to %c1024 step %c1 iter_args(%{{.*}} = %{{.*}}) -> (vector<6x64xf32>)
// CHECK-NOT: linalg.fill
// CHECK: return
func.func @whole_reduction_in_l2(%a: tensor<128x1024xf32>, %b: tensor<1024x128xf32>) -> tensor<128x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<128x128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<128x128xf32>) -> tensor<128x128xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<128x1024xf32>, tensor<1024x128xf32>) outs(%f : tensor<128x128xf32>) -> tensor<128x128xf32>
  return %0 : tensor<128x128xf32>
}

// A reduction longer than the cache tile: the sliver of all of K = 4096 (1 MiB) and A's block
// would not fit half of L2, so Kc = 128 (the sliver in L1); the tiles add to C from one Kc
// step to the next, so C is filled first and each register tile loads its accumulators.
// CHECK-LABEL: func.func @long_reduction
// CHECK: linalg.fill {{.*}} -> tensor<126x128xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c4096 step %c128
// CHECK: vector.transfer_read {{.*}} vector<6x64xf32>
func.func @long_reduction(%a: tensor<128x4096xf32>, %b: tensor<4096x128xf32>) -> tensor<128x128xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<128x128xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<128x128xf32>) -> tensor<128x128xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<128x4096xf32>, tensor<4096x128xf32>) outs(%f : tensor<128x128xf32>) -> tensor<128x128xf32>
  return %0 : tensor<128x128xf32>
}
