// RUN: smc-opt %s -smc-tile-and-vectorize="vector-bits=256 vector-registers=16 l1-bytes=32768 l2-bytes=262144" | FileCheck %s
// The cache tile of a large matmul on an AVX2 core with Haswell's caches (32 KiB L1, 256 KiB L2).
// Register blocks of 6 rows x 16 columns; Kc = 512 (a sliver of B, 512 x 16 floats, in L1).
// Blocks of A (Mc x 512) and C (Mc x 1024) together would fit half of L2 only for Mc <= 21,
// three row blocks, and each sliver of B (from L3, as B is 4 MiB) would serve just those; so
// Mc takes at least 8 row blocks, the first count of them dividing the 170 blocks: 10, 60 rows
// (A's block alone, 60 x 512 floats, 120 KiB, fits half of L2), and C streams.
// CHECK-LABEL: func.func @haswell_cache_tile
func.func @haswell_cache_tile(%a: tensor<1020x1024xf32>, %b: tensor<1024x1024xf32>, %c: tensor<1020x1024xf32>) -> tensor<1020x1024xf32> {
  // CHECK: scf.for %{{.*}} = %c0 to %c1020 step %c60
  // CHECK: scf.for %{{.*}} = %c0 to %c1024 step %c512
  // CHECK: scf.for %{{.*}} = %c0 to %c1024 step %c16
  // CHECK: scf.for %{{.*}} = %c0 to %c60 step %c6
  // CHECK: scf.for %{{.*}} = %c0 to %c512 step %c1
  // CHECK: vector.contract {{.*}} vector<6x1xf32>, vector<1x16xf32> into vector<6x16xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<1020x1024xf32>, tensor<1024x1024xf32>) outs(%c : tensor<1020x1024xf32>) -> tensor<1020x1024xf32>
  return %0 : tensor<1020x1024xf32>
}
