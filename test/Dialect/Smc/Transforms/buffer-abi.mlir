// RUN: smc-opt %s -smc-buffer-abi | FileCheck %s
// Exported functions take caller-owned input and output buffers and an arena.

// CHECK-LABEL: func.func @f(
// CHECK-SAME: %[[X:.*]]: memref<2x3xf32> {llvm.noalias, smc.name = "x"},
// CHECK-SAME: %[[Y:.*]]: memref<2x3xf32> {llvm.noalias, smc.name = "y", smc.output},
// CHECK-SAME: %{{.*}}: memref<?xi8> {llvm.noalias, smc.arena})
// CHECK-SAME: attributes {smc.signature = "serving_default"}
func.func @f(%x: tensor<2x3xf32> {smc.name = "x"}) -> (tensor<2x3xf32> {smc.name = "y"}) attributes {smc.signature = "serving_default"} {
  // CHECK: %[[T:.*]] = bufferization.to_tensor %[[X]] restrict
  // CHECK: %[[R:.*]] = smc.relu %[[T]]
  %0 = smc.relu %x : tensor<2x3xf32>
  // CHECK: bufferization.materialize_in_destination %[[R]] in restrict writable %[[Y]]
  // CHECK: return{{$}}
  return %0 : tensor<2x3xf32>
}

// Functions that are not exported are left alone.
// CHECK-LABEL: func.func @helper(%{{.*}}: tensor<f32>) -> tensor<f32>
func.func @helper(%x: tensor<f32>) -> tensor<f32> {
  return %x : tensor<f32>
}
