// RUN: smc-opt %s -smc-hoist-step-projections | FileCheck %s
// RUN: smc-opt %s -smc-hoist-step-projections=max-bytes=1000 | FileCheck --check-prefix=SMALL %s
// RUN: smc-opt %s -smc-hoist-step-projections=max-bytes=0 | FileCheck --check-prefix=OFF %s
// A recurrent loop's input projection x[t] @ W (x a [T, B, F] sequence and W defined outside
// the loop) becomes one [T*B, F] x [F, N] matmul before the loop, whose rows [t*B, (t+1)*B)
// the step reads. The recurrent product h @ U (h carried) stays in the loop, and so does a
// projection whose weights the loop computes. max-bytes bounds the scratch: T*B*N*4 bytes.

// CHECK-LABEL: func.func @step(
// CHECK-SAME:    %[[X:[^:]*]]: tensor<8x2x3xf32>
func.func @step(%x: tensor<8x2x3xf32>, %w: tensor<3x16xf32>, %u: tensor<16x16xf32>,
                %h0: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  // CHECK: %[[ROWS:.*]] = smc.reshape %[[X]] : tensor<8x2x3xf32> -> tensor<16x3xf32>
  // CHECK: %[[ALL:.*]] = smc.matmul %[[ROWS]], %{{.*}} : (tensor<16x3xf32>, tensor<3x16xf32>) -> tensor<16x16xf32>
  // CHECK: scf.while
  %r:2 = scf.while (%t = %c0, %h = %h0) : (index, tensor<2x16xf32>) -> (index, tensor<2x16xf32>) {
    %go = arith.cmpi slt, %t, %c8 : index
    scf.condition(%go) %t, %h : index, tensor<2x16xf32>
  } do {
  // CHECK: ^bb0(%[[T:.*]]: index, %[[H:.*]]: tensor<2x16xf32>):
  ^bb0(%t: index, %h: tensor<2x16xf32>):
    // CHECK-NOT: smc.matmul %{{.*}}, %{{.*}} : (tensor<2x3xf32>
    // CHECK: %[[FIRST:.*]] = arith.muli %[[T]], %{{.*}} : index
    // CHECK: %[[P:.*]] = tensor.extract_slice %[[ALL]][%[[FIRST]], 0] [2, 16] [1, 1] : tensor<16x16xf32> to tensor<2x16xf32>
    %xt = tensor.extract_slice %x[%t, 0, 0] [1, 2, 3] [1, 1, 1] : tensor<8x2x3xf32> to tensor<2x3xf32>
    %p = smc.matmul %xt, %w : (tensor<2x3xf32>, tensor<3x16xf32>) -> tensor<2x16xf32>
    // CHECK: %[[Q:.*]] = smc.matmul %[[H]], %{{.*}} : (tensor<2x16xf32>, tensor<16x16xf32>)
    %q = smc.matmul %h, %u : (tensor<2x16xf32>, tensor<16x16xf32>) -> tensor<2x16xf32>
    // CHECK: smc.add %[[P]], %[[Q]]
    %s = smc.add %p, %q : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32>
    %next = arith.addi %t, %c1 : index
    scf.yield %next, %s : index, tensor<2x16xf32>
  }
  return %r#1 : tensor<2x16xf32>
}

// SMALL-LABEL: func.func @step(
// SMALL: scf.while
// SMALL: smc.matmul %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3x16xf32>)
// OFF-LABEL: func.func @step(
// OFF: scf.while
// OFF: smc.matmul %{{.*}}, %{{.*}} : (tensor<2x3xf32>, tensor<3x16xf32>)

// Weights made in the loop are not invariant: nothing moves.
// CHECK-LABEL: func.func @varying_weights(
func.func @varying_weights(%x: tensor<8x1x3xf32>, %w0: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  // CHECK: scf.while
  %r:2 = scf.while (%t = %c0, %w = %w0) : (index, tensor<3x4xf32>) -> (index, tensor<3x4xf32>) {
    %go = arith.cmpi slt, %t, %c8 : index
    scf.condition(%go) %t, %w : index, tensor<3x4xf32>
  } do {
  ^bb0(%t: index, %w: tensor<3x4xf32>):
    // CHECK: tensor.extract_slice %{{.*}}[%{{.*}}, 0, 0] [1, 1, 3] [1, 1, 1]
    // CHECK: smc.matmul %{{.*}}, %{{.*}} : (tensor<1x3xf32>, tensor<3x4xf32>)
    %xt = tensor.extract_slice %x[%t, 0, 0] [1, 1, 3] [1, 1, 1] : tensor<8x1x3xf32> to tensor<1x3xf32>
    %p = smc.matmul %xt, %w : (tensor<1x3xf32>, tensor<3x4xf32>) -> tensor<1x4xf32>
    %b = smc.reshape %p : tensor<1x4xf32> -> tensor<4xf32>
    %w1 = smc.bias_add %w, %b : tensor<3x4xf32>, tensor<4xf32>
    %next = arith.addi %t, %c1 : index
    scf.yield %next, %w1 : index, tensor<3x4xf32>
  }
  return %r#1 : tensor<3x4xf32>
}
