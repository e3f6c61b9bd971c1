// RUN: smc-opt %s -convert-smc-to-linalg | FileCheck %s
// A variable some function assigns: writable storage; a load in a function that also stores
// takes a snapshot, a load elsewhere reads in place.

// CHECK: memref.global "private" @v : memref<2xf32> = dense<[1.000000e+00, 2.000000e+00]> {alignment = 64 : i64}
smc.global @v : tensor<2xf32> = dense<[1.0, 2.0]> : tensor<2xf32>

// CHECK-LABEL: func.func @read
func.func @read() -> tensor<2xf32> {
  // CHECK: %[[G:.*]] = memref.get_global @v
  // CHECK-NOT: memref.copy
  // CHECK: bufferization.to_tensor %[[G]] restrict
  %0 = smc.global_load @v : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// CHECK-LABEL: func.func @read_then_write
// CHECK-SAME: (%[[X:.*]]: tensor<2xf32>)
func.func @read_then_write(%x: tensor<2xf32>) -> tensor<2xf32> {
  // CHECK: %[[G:.*]] = memref.get_global @v
  // CHECK: %[[SNAP:.*]] = memref.alloc
  // CHECK: memref.copy %[[G]], %[[SNAP]]
  // CHECK: %[[OLD:.*]] = bufferization.to_tensor %[[SNAP]] restrict writable
  %0 = smc.global_load @v : tensor<2xf32>
  // CHECK: %[[G2:.*]] = memref.get_global @v
  // CHECK: bufferization.materialize_in_destination %[[X]] in restrict writable %[[G2]]
  // CHECK: return %[[OLD]]
  smc.global_store @v, %x : tensor<2xf32>
  return %0 : tensor<2xf32>
}
