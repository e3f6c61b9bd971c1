// RUN: smc-opt %s -convert-smc-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8x16xf32>, %[[BT:.*]]: tensor<16x8xf32>)
func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %bt: tensor<16x8xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>) {
  // CHECK: %[[ZERO:.*]] = linalg.fill
  // CHECK: %[[AB:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[ZERO]]
  %0 = smc.matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  // CHECK: %[[ABT:.*]] = linalg.matmul_transpose_b ins(%[[A]], %[[BT]] : tensor<4x8xf32>, tensor<16x8xf32>)
  // CHECK: return %[[AB]], %[[ABT]]
  %1 = smc.matmul %a, %bt {transpose_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  return %0, %1 : tensor<4x16xf32>, tensor<4x16xf32>
}

// -----

// Batch dims broadcast: the rhs has none.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
// CHECK-DAG: #[[O:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @batch_matmul
func.func @batch_matmul(%x: tensor<2x3x4xf32>, %y: tensor<4x5xf32>) -> tensor<2x3x5xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[X]], #[[Y]], #[[O]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
  %0 = smc.batch_matmul %x, %y : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// Batch dims on both sides, no adjoint (attention's Q K^T after its transposes): the batch dims
// collapse into one and the product is a named linalg.batch_matmul, which the tiling knows.
// CHECK-LABEL: func.func @batch_matmul_named
func.func @batch_matmul_named(%x: tensor<1x4x8x16xf32>, %y: tensor<1x4x16x8xf32>) -> tensor<1x4x8x8xf32> {
  // CHECK-DAG: %[[X:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] : tensor<1x4x8x16xf32> into tensor<4x8x16xf32>
  // CHECK-DAG: %[[Y:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1], [2], [3]] : tensor<1x4x16x8xf32> into tensor<4x16x8xf32>
  // CHECK: %[[M:.*]] = linalg.batch_matmul ins(%[[X]], %[[Y]] : tensor<4x8x16xf32>, tensor<4x16x8xf32>)
  // CHECK: tensor.expand_shape %[[M]] {{\[\[}}0, 1], [2], [3]] output_shape [1, 4, 8, 8]
  %0 = smc.batch_matmul %x, %y : (tensor<1x4x8x16xf32>, tensor<1x4x16x8xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

// Stable softmax: max, exp(x - max), sum, then (as TensorFlow's kernel) exp times the
// reciprocal of the row's sum: one division per row.
// CHECK-LABEL: func.func @softmax
func.func @softmax(%x: tensor<2x10xf32>) -> tensor<2x10xf32> {
  // CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
  // CHECK: linalg.reduce
  // CHECK: arith.maximumf
  // CHECK: arith.subf
  // CHECK: math.exp
  // CHECK: %[[SUM:.*]] = linalg.reduce
  // CHECK: arith.addf
  // CHECK: %[[INV:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2xf32>)
  // CHECK: arith.divf %{{.*}}, %{{.*}} : f32
  // CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[INV]] : tensor<2x10xf32>, tensor<2xf32>)
  // CHECK: arith.mulf
  %0 = smc.softmax %x : tensor<2x10xf32>
  return %0 : tensor<2x10xf32>
}
