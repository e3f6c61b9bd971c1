// RUN: smc-opt %s -convert-smc-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @mean_keep_dims
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @mean_keep_dims(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  // CHECK: %[[INIT:.*]] = linalg.fill
  // CHECK: %[[SUM:.*]] = linalg.reduce ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<2x4xf32>) dimensions = [1]
  // CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2x4xf32>)
  // CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
  // CHECK: %[[N:.*]] = arith.constant 3.000000e+00 : f32
  // CHECK: arith.divf %[[IN]], %[[N]] : f32
  // CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[MEAN]]
  // CHECK: %[[R:.*]] = tensor.expand_shape %[[FLAT]]
  // CHECK: return %[[R]]
  %0 = smc.reduce mean %x {axes = array<i64: 1>, keep_dims = true} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

// CHECK-LABEL: func.func @max_int
func.func @max_int(%x: tensor<5xi32>) -> tensor<i32> {
  // The identity of max over int32 is INT32_MIN.
  // CHECK: arith.constant -2147483648 : i32
  // CHECK: arith.maxsi
  %0 = smc.reduce max %x {axes = array<i64: 0>} : (tensor<5xi32>) -> tensor<i32>
  return %0 : tensor<i32>
}

// -----

// CHECK-LABEL: func.func @argmax
func.func @argmax(%x: tensor<2x10xf32>) -> tensor<2xi64> {
  // CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
  // CHECK: arith.cmpf ogt
  // CHECK: linalg.index 1
  // CHECK: arith.select
  %0 = smc.arg_max %x {axis = 1 : i64} : (tensor<2x10xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}
