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

// A result that is a reshape of a value (layer normalisation's [1, n, d, 1] -> [1, n, d]): the
// value is materialised in the output buffer reshaped back, made at the function's start (so
// that empty-tensor elimination can compute the value there directly instead of copying it).
// CHECK-LABEL: func.func @reshaped_result(
// CHECK-SAME: %{{.*}}: memref<4x8xf32> {{.*}}, %[[OUT:.*]]: memref<1x4x8xf32> {{.*}}, %{{.*}}: memref<?xi8>
// CHECK-NEXT: bufferization.to_tensor
// CHECK-NEXT: %[[DEST:.*]] = memref.expand_shape %[[OUT]] {{\[}}[0], [1], [2, 3]] output_shape [1, 4, 8, 1] : memref<1x4x8xf32> into memref<1x4x8x1xf32>
// CHECK: %[[V:.*]] = smc.relu %{{.*}} : tensor<1x4x8x1xf32>
// CHECK: bufferization.materialize_in_destination %[[V]] in restrict writable %[[DEST]]
func.func @reshaped_result(%x: tensor<4x8xf32> {smc.name = "x"}) -> (tensor<1x4x8xf32> {smc.name = "y"}) attributes {smc.signature = "serving_default"} {
  %e = tensor.expand_shape %x [[0, 1], [2, 3]] output_shape [1, 4, 8, 1] : tensor<4x8xf32> into tensor<1x4x8x1xf32>
  %r = smc.relu %e : tensor<1x4x8x1xf32>
  %c = tensor.collapse_shape %r [[0], [1], [2, 3]] : tensor<1x4x8x1xf32> into tensor<1x4x8xf32>
  return %c : tensor<1x4x8xf32>
}

// A zero-filled init that reaches several matmuls through reshapes (packed matmuls read their
// [M, N] init as [M, N / nb, nb]) is split into one per user, so that each fill writes its
// matmul's buffer instead of one shared fill being copied for every matmul.
// CHECK-LABEL: func.func @shared_fill(
func.func @shared_fill(%a: tensor<4x8xf32> {smc.name = "a"}, %b: tensor<4x2x4xf32> {smc.name = "b"})
    -> (tensor<4x2x4xf32> {smc.name = "y"}, tensor<4x2x4xf32> {smc.name = "z"}) attributes {smc.signature = "serving_default"} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %x = tensor.expand_shape %e [[0], [1, 2]] output_shape [4, 2, 4] : tensor<4x8xf32> into tensor<4x2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%x : tensor<4x2x4xf32>) -> tensor<4x2x4xf32>
  // (The reshape of the empty tensor is an empty tensor of the reshaped type first.)
  // CHECK: %[[E1:.*]] = tensor.empty() : tensor<4x2x4xf32>
  // CHECK: %[[F1:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E1]] : tensor<4x2x4xf32>)
  // CHECK: %[[E2:.*]] = tensor.empty() : tensor<4x2x4xf32>
  // CHECK: %[[F2:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<4x2x4xf32>)
  // CHECK-DAG: linalg.add ins({{.*}}) outs(%[[F1]] : tensor<4x2x4xf32>)
  // CHECK-DAG: linalg.add ins({{.*}}) outs(%[[F2]] : tensor<4x2x4xf32>)
  %y = linalg.add ins(%b, %b : tensor<4x2x4xf32>, tensor<4x2x4xf32>) outs(%f : tensor<4x2x4xf32>) -> tensor<4x2x4xf32>
  %z = linalg.add ins(%b, %y : tensor<4x2x4xf32>, tensor<4x2x4xf32>) outs(%f : tensor<4x2x4xf32>) -> tensor<4x2x4xf32>
  return %y, %z : tensor<4x2x4xf32>, tensor<4x2x4xf32>
}
