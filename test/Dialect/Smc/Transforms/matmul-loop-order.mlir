// RUN: smc-opt %s -smc-tile-and-vectorize="vector-bits=512 l1-bytes=49152 l2-bytes=262144" -split-input-file | FileCheck %s
// The order in which a matmul's register blocks sweep its result, from the cache sizes.

// A matmul large enough for cache tiles: Mc rows x every column x Kc, and inside, the register
// blocks (6 rows x 64 columns) sweep the columns in the outer loop and the rows in the inner
// one, so that a sliver of B (Kc x 64) is read by every row block. Kc = 128: the sliver of the
// whole reduction (512 x 64 floats) and a block of A of 8 row blocks (48 x 512) would not fit
// half of the 256 KiB L2, so the sliver fits the 48 KiB L1 (128 x 64 floats, 32 KiB);
// Mc = 60: the blocks of A (60 x 128) and C (60 x 256) fit half of L2 (the next multiple of 6
// dividing 240, 120, would not).
// CHECK-LABEL: func.func @cache_tiled
func.func @cache_tiled(%a: tensor<240x512xf32>, %b: tensor<512x256xf32>, %c: tensor<240x256xf32>) -> tensor<240x256xf32> {
  // CHECK: scf.for %{{.*}} = %c0 to %c240 step %c60
  // CHECK: scf.for %{{.*}} = %c0 to %c512 step %c128
  // CHECK: scf.for %{{.*}} = %c0 to %c256 step %c64
  // CHECK: scf.for %{{.*}} = %c0 to %c60 step %c6
  // CHECK: scf.for %{{.*}} = %c0 to %c128 step %c1
  // CHECK: vector.contract {{.*}} vector<6x1xf32>, vector<1x64xf32> into vector<6x64xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<240x512xf32>, tensor<512x256xf32>) outs(%c : tensor<240x256xf32>) -> tensor<240x256xf32>
  return %0 : tensor<240x256xf32>
}

// -----

// The same with a reduction of 256: its sliver (256 x 64 floats, 64 KiB) and a block of A of 8
// row blocks (48 x 256, 48 KiB) fit half of L2 together, so Kc = K: each register tile is done
// in one pass over the reduction and C is not read again, so that Mc counts A's block alone:
// 120 rows (120 x 256 floats, 120 KiB, in half of L2), not the 60 that A and C would take.
// CHECK-LABEL: func.func @whole_reduction
func.func @whole_reduction(%a: tensor<240x256xf32>, %b: tensor<256x256xf32>, %c: tensor<240x256xf32>) -> tensor<240x256xf32> {
  // CHECK: scf.for %{{.*}} = %c0 to %c240 step %c120
  // CHECK-NEXT: tensor.extract_slice
  // CHECK-NEXT: scf.for %{{.*}} = %c0 to %c256 step %c64
  // CHECK: scf.for %{{.*}} = %c0 to %c120 step %c6
  // CHECK: scf.for %{{.*}} = %c0 to %c256 step %c1
  // CHECK: vector.contract {{.*}} vector<6x1xf32>, vector<1x64xf32> into vector<6x64xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<240x256xf32>, tensor<256x256xf32>) outs(%c : tensor<240x256xf32>) -> tensor<240x256xf32>
  return %0 : tensor<240x256xf32>
}

// -----

// A matmul computed inside its bias's tiles, whose B (64 x 1024 floats, 256 KiB) exceeds half
// of L2 while A (16 x 64) does not: rows outer would read all of B from beyond L2 once per row
// block, so the column blocks go outer and A is the operand read again.
#mn = affine_map<(d0, d1) -> (d0, d1)>
#n = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @fused_wide_weights
func.func @fused_wide_weights(%a: tensor<16x64xf32>, %b: tensor<64x1024xf32>, %bias: tensor<1024xf32>) -> tensor<16x1024xf32> {
  // CHECK: scf.for %{{.*}} = %c0 to %c1024 step %c64
  // CHECK: scf.for %{{.*}} = %c0 to %c16 step %c4
  // CHECK: scf.for %{{.*}} = %c0 to %c64 step %c1
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x1024xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<16x1024xf32>) -> tensor<16x1024xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x1024xf32>) outs(%init : tensor<16x1024xf32>) -> tensor<16x1024xf32>
  %r = linalg.generic {indexing_maps = [#mn, #n, #mn], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<16x1024xf32>, tensor<1024xf32>) outs(%e : tensor<16x1024xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<16x1024xf32>
  return %r : tensor<16x1024xf32>
}

// -----

// The same with a B that fits half of L1 (64 x 64 floats, 16 KiB): rows outer, each row
// block's panel of A kept in L1 across the columns.
#mn = affine_map<(d0, d1) -> (d0, d1)>
#n = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @fused_narrow_weights
func.func @fused_narrow_weights(%a: tensor<16x64xf32>, %b: tensor<64x64xf32>, %bias: tensor<64xf32>) -> tensor<16x64xf32> {
  // CHECK: scf.for %{{.*}} = %c0 to %c16 step %c4
  // CHECK-NOT: scf.for
  // CHECK: scf.for %{{.*}} = %c0 to %c64 step %c1
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x64xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x64xf32>) outs(%init : tensor<16x64xf32>) -> tensor<16x64xf32>
  %r = linalg.generic {indexing_maps = [#mn, #n, #mn], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<16x64xf32>, tensor<64xf32>) outs(%e : tensor<16x64xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<16x64xf32>
  return %r : tensor<16x64xf32>
}

// -----

// A B that fits half of L2 but not half of L1 (64 x 128 floats, 32 KiB of the 48 KiB L1),
// and an A that fits half of L1: neither order reads beyond L2 again, and rows outer would
// fetch all of B from L2 for each of the 4 row blocks where columns outer reads each sliver of
// B once (and smc-prefetch-panels streams the next sliver meanwhile): columns outer.
#mn = affine_map<(d0, d1) -> (d0, d1)>
#n = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @fused_l1_weights
func.func @fused_l1_weights(%a: tensor<16x64xf32>, %b: tensor<64x128xf32>, %bias: tensor<128xf32>) -> tensor<16x128xf32> {
  // CHECK: scf.for %{{.*}} = %c0 to %c128 step %c64
  // CHECK: scf.for %{{.*}} = %c0 to %c16 step %c4
  // CHECK: scf.for %{{.*}} = %c0 to %c64 step %c1
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x128xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<16x128xf32>) -> tensor<16x128xf32>
  %mm = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x128xf32>) outs(%init : tensor<16x128xf32>) -> tensor<16x128xf32>
  %r = linalg.generic {indexing_maps = [#mn, #n, #mn], iterator_types = ["parallel", "parallel"]} ins(%mm, %bias : tensor<16x128xf32>, tensor<128xf32>) outs(%e : tensor<16x128xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<16x128xf32>
  return %r : tensor<16x128xf32>
}
