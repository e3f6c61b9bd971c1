// RUN: smc-opt %s -smc-fold-into-weights -canonicalize | FileCheck %s
// Inference batch norm after a convolution: the per-channel scale moves into the weights.

// CHECK-LABEL: func.func @conv_bn
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x2xf32>)
func.func @conv_bn(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %w = arith.constant dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>
  %bias = arith.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %a = arith.constant dense<[10.0, 100.0]> : tensor<2xf32>
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // W scaled along the output channel (the last dim), the conv bias scaled, then both adds.
  // CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[\[\[}}1.000000e+01, 2.000000e+02], [3.000000e+01, 4.000000e+02]]]]> : tensor<1x1x2x2xf32>
  // CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e+00, 1.000000e+02]> : tensor<2xf32>
  // CHECK: %[[C:.*]] = smc.conv2d %[[X]], %[[W]]
  // CHECK-NOT: smc.mul
  // CHECK: smc.add %[[C]], %[[B]]
  %c = smc.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x2xf32>, tensor<1x1x2x2xf32>) -> tensor<1x4x4x2xf32>
  %cb = smc.bias_add %c, %bias : tensor<1x4x4x2xf32>, tensor<2xf32>
  %m = smc.mul %cb, %a : (tensor<1x4x4x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  %y = smc.add %m, %b : (tensor<1x4x4x2xf32>, tensor<2xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

// A scale that is not per channel stays.
// CHECK-LABEL: func.func @not_per_channel
func.func @not_per_channel(%x: tensor<2x3xf32>, %s: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense<1.0> : tensor<3x3xf32>
  %m = smc.matmul %x, %w : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x3xf32>
  // CHECK: smc.mul
  %y = smc.mul %m, %s : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// A matmul with transposed weights ([N, K]) scales whole rows.
// CHECK-LABEL: func.func @matmul_tb
func.func @matmul_tb(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %a = arith.constant dense<[2.0, 3.0]> : tensor<2xf32>
  // CHECK: arith.constant dense<{{\[\[}}2.000000e+00, 4.000000e+00], [9.000000e+00, 1.200000e+01]]>
  // CHECK-NOT: smc.mul
  %m = smc.matmul %x, %w {transpose_b = true} : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %y = smc.mul %a, %m : (tensor<2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  return %y : tensor<1x2xf32>
}
