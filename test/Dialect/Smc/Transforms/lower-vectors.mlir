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
