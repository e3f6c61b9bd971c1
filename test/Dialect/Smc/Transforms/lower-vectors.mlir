// RUN: smc-opt %s -smc-lower-vectors | FileCheck %s
// Accumulators of the reduction loop stay in registers (the C tile is read before and written
// after the loop), and the contraction becomes FMAs on 1-D vectors.

#a = affine_map<(d0, d1, d2) -> (d0, d2)>
#b = affine_map<(d0, d1, d2) -> (d2, d1)>
#c = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @tile
func.func @tile(%A: memref<4x64xf32>, %B: memref<64x16xf32>, %C: memref<4x16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %z = arith.constant 0.0 : f32
  // CHECK-COUNT-4: vector.load %{{.*}} : memref<4x16xf32>, vector<16xf32>
  // CHECK: scf.for
  // CHECK-NOT: vector.store
  // CHECK-COUNT-4: vector.fma {{.*}} : vector<16xf32>
  // CHECK: scf.yield
  // CHECK-COUNT-4: vector.store %{{.*}} : memref<4x16xf32>, vector<16xf32>
  scf.for %k = %c0 to %c64 step %c1 {
    %a = vector.transfer_read %A[%c0, %k], %z {in_bounds = [true, true]} : memref<4x64xf32>, vector<4x1xf32>
    %b = vector.transfer_read %B[%k, %c0], %z {in_bounds = [true, true]} : memref<64x16xf32>, vector<1x16xf32>
    %c = vector.transfer_read %C[%c0, %c0], %z {in_bounds = [true, true]} : memref<4x16xf32>, vector<4x16xf32>
    %r = vector.contract {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"], kind = #vector.kind<add>} %a, %b, %c : vector<4x1xf32>, vector<1x16xf32> into vector<4x16xf32>
    vector.transfer_write %r, %C[%c0, %c0] {in_bounds = [true, true]} : vector<4x16xf32>, memref<4x16xf32>
  }
  return
}

// A block of rows reduced along its rows: the block is transposed in log2(4) = 2 stages of 4
// shuffles of whole rows (not one shuffle of all 16 elements, nor element moves), then each
// column is added in order, so that lane i sums row i's elements in their order.
// CHECK-LABEL: func.func @reduce_rows
func.func @reduce_rows(%X: memref<4x4xf32>, %acc: vector<4xf32>) -> vector<4xf32> {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  // CHECK-COUNT-4: vector.load %{{.*}} : memref<4x4xf32>, vector<4xf32>
  // Stage 1 (bit 0): rows 0 and 1, 2 and 3 exchange their odd and even elements.
  // CHECK: %[[R0:.*]] = vector.shuffle %[[A:.*]], %[[B:.*]] [0, 4, 2, 6] : vector<4xf32>, vector<4xf32>
  // CHECK: %[[R1:.*]] = vector.shuffle %[[A]], %[[B]] [1, 5, 3, 7] : vector<4xf32>, vector<4xf32>
  // CHECK: vector.shuffle
  // CHECK: vector.shuffle
  // Stage 2 (bit 1): rows 0 and 2, 1 and 3 exchange their halves.
  // CHECK: %[[C0:.*]] = vector.shuffle %[[R0]], %{{.*}} [0, 1, 4, 5] : vector<4xf32>, vector<4xf32>
  // CHECK: %[[C2:.*]] = vector.shuffle %[[R0]], %{{.*}} [2, 3, 6, 7] : vector<4xf32>, vector<4xf32>
  // CHECK: %[[C1:.*]] = vector.shuffle %[[R1]], %{{.*}} [0, 1, 4, 5] : vector<4xf32>, vector<4xf32>
  // CHECK: %[[C3:.*]] = vector.shuffle %[[R1]], %{{.*}} [2, 3, 6, 7] : vector<4xf32>, vector<4xf32>
  // CHECK: %[[S0:.*]] = arith.addf %[[C0]], %{{.*}} : vector<4xf32>
  // CHECK: %[[S1:.*]] = arith.addf %[[C1]], %[[S0]] : vector<4xf32>
  // CHECK: %[[S2:.*]] = arith.addf %[[C2]], %[[S1]] : vector<4xf32>
  // CHECK: arith.addf %[[C3]], %[[S2]] : vector<4xf32>
  %x = vector.transfer_read %X[%c0, %c0], %z {in_bounds = [true, true]} : memref<4x4xf32>, vector<4x4xf32>
  %r = vector.multi_reduction <add>, %x, %acc [1] : vector<4x4xf32> to vector<4xf32>
  return %r : vector<4xf32>
}

// A transfer with a trailing unit dimension ([rows, n, 1], layer normalisation) reads whole
// vectors along n, not one element at a time.
// CHECK-LABEL: func.func @trailing_unit
func.func @trailing_unit(%X: memref<8x64x1xf32>) -> vector<4x16x1xf32> {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0.0 : f32
  // CHECK-NOT: memref.load
  // CHECK-COUNT-4: vector.load %{{.*}} : memref<8x64xf32{{.*}}>, vector<16xf32>
  // CHECK-NOT: memref.load
  %x = vector.transfer_read %X[%c0, %c0, %c0], %z {in_bounds = [true, true, true]} : memref<8x64x1xf32>, vector<4x16x1xf32>
  return %x : vector<4x16x1xf32>
}
