// RUN: smc-opt %s -smc-pack-weights="block=2 min-volume=0" | FileCheck %s
// RUN: smc-opt %s -smc-pack-weights=block=0 | FileCheck %s --check-prefix=OFF
// Constant matmul weights are packed at compile time into [N / block, K, block].

// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul
// OFF-LABEL: func.func @matmul
func.func @matmul(%a: tensor<3x2xf32>, %c: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // B[k, n] = 10 k + n; block 0 holds columns 0-1 of both rows, block 1 columns 2-3.
  // CHECK: %[[BP:.*]] = arith.constant dense<{{\[\[\[}}0.000000e+00, 1.000000e+00], [1.000000e+01, 1.100000e+01]], {{\[\[}}2.000000e+00, 3.000000e+00], [1.200000e+01, 1.300000e+01]]]> : tensor<2x2x2xf32>
  // CHECK: %[[C3:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [3, 2, 2]
  // CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%{{.*}}, %[[BP]] : tensor<3x2xf32>, tensor<2x2x2xf32>) outs(%[[C3]] : tensor<3x2x2xf32>)
  // CHECK: smc.packed_matmul
  // CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : tensor<3x2x2xf32> into tensor<3x4xf32>
  // OFF: linalg.matmul
  %b = arith.constant dense<[[0.0, 1.0, 2.0, 3.0], [10.0, 11.0, 12.0, 13.0]]> : tensor<2x4xf32>
  %r = linalg.matmul ins(%a, %b : tensor<3x2xf32>, tensor<2x4xf32>) outs(%c : tensor<3x4xf32>) -> tensor<3x4xf32>
  return %r : tensor<3x4xf32>
}

// A weight that is not a constant is left alone.
// CHECK-LABEL: func.func @variable
func.func @variable(%a: tensor<3x2xf32>, %b: tensor<2x4xf32>, %c: tensor<3x4xf32>) -> tensor<3x4xf32> {
  // CHECK: linalg.matmul
  %r = linalg.matmul ins(%a, %b : tensor<3x2xf32>, tensor<2x4xf32>) outs(%c : tensor<3x4xf32>) -> tensor<3x4xf32>
  return %r : tensor<3x4xf32>
}
