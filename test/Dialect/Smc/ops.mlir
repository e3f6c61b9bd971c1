// RUN: smc-opt %s | smc-opt | FileCheck %s
// Round trip of every smc op family through the printer and the parser.

// CHECK-LABEL: func.func @binary
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3xf32>, %[[I:.*]]: tensor<4xui8>)
func.func @binary(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %i: tensor<4xui8>) -> (tensor<2x3xf32>, tensor<2x3xi1>, tensor<4xui8>) {
  // CHECK: %[[SUM:.*]] = smc.add %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = smc.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[LESS:.*]] = smc.less %[[SUM]], %[[B]]
  %1 = smc.less %0, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xi1>
  // CHECK: %[[DIV:.*]] = smc.floor_div %[[I]], %[[I]]
  %2 = smc.floor_div %i, %i : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  // CHECK: return %[[SUM]], %[[LESS]], %[[DIV]]
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xi1>, tensor<4xui8>
}

// CHECK-LABEL: func.func @unary
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>)
func.func @unary(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: %[[R6:.*]] = smc.relu6 %[[A]] : tensor<2x3xf32>
  %0 = smc.relu6 %a : tensor<2x3xf32>
  // CHECK: %[[LEAKY:.*]] = smc.leaky_relu %[[R6]] {alpha = 2.000000e-01 : f32} : tensor<2x3xf32>
  %1 = smc.leaky_relu %0 {alpha = 0.2 : f32} : tensor<2x3xf32>
  // CHECK: %[[GELU:.*]] = smc.gelu %[[LEAKY]] {approximate = false} : tensor<2x3xf32>
  %2 = smc.gelu %1 {approximate = false} : tensor<2x3xf32>
  // CHECK: return %[[GELU]]
  return %2 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @linalg
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<16x8xf32>
func.func @linalg(%a: tensor<4x8xf32>, %b: tensor<16x8xf32>, %bias: tensor<16xf32>,
                  %x: tensor<2x3x4xf32>, %y: tensor<4x5xf32>) -> (tensor<4x16xf32>, tensor<2x3x5xf32>) {
  // CHECK: smc.matmul %[[A]], %[[B]] {transpose_b = true}
  %0 = smc.matmul %a, %b {transpose_b = true} : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  // CHECK: smc.bias_add
  %1 = smc.bias_add %0, %bias : tensor<4x16xf32>, tensor<16xf32>
  // CHECK: smc.softmax
  %2 = smc.softmax %1 : tensor<4x16xf32>
  // CHECK: smc.batch_matmul
  %3 = smc.batch_matmul %x, %y : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  return %2, %3 : tensor<4x16xf32>, tensor<2x3x5xf32>
}

// CHECK-LABEL: func.func @shapes
func.func @shapes(%a: tensor<2x3xf32>) -> (tensor<6xf32>, tensor<3x2xf32>, tensor<4x3xf32>, tensor<1x2xf32>, tensor<2xf32>, tensor<2xi64>, tensor<2x3xi32>) {
  // CHECK: smc.reshape %{{.*}} : tensor<2x3xf32> -> tensor<6xf32>
  %0 = smc.reshape %a : tensor<2x3xf32> -> tensor<6xf32>
  // CHECK: smc.transpose %{{.*}} {perm = array<i64: 1, 0>}
  %1 = smc.transpose %a {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  // CHECK: smc.concat %{{.*}}, %{{.*}} {axis = 0 : i64}
  %2 = smc.concat %a, %a {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  // CHECK: smc.slice %{{.*}} {size = array<i64: 1, 2>, start = array<i64: 1, 2>, stride = array<i64: 1, -1>}
  %3 = smc.slice %a {start = array<i64: 1, 2>, size = array<i64: 1, 2>, stride = array<i64: 1, -1>} : (tensor<2x3xf32>) -> tensor<1x2xf32>
  // CHECK: smc.reduce mean %{{.*}} {axes = array<i64: 1>}
  %4 = smc.reduce mean %a {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2xf32>
  // CHECK: smc.arg_max %{{.*}} {axis = 1 : i64}
  %5 = smc.arg_max %a {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2xi64>
  // CHECK: smc.cast %{{.*}} : tensor<2x3xf32> -> tensor<2x3xi32>
  %6 = smc.cast %a : tensor<2x3xf32> -> tensor<2x3xi32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<6xf32>, tensor<3x2xf32>, tensor<4x3xf32>, tensor<1x2xf32>, tensor<2xf32>, tensor<2xi64>, tensor<2x3xi32>
}

// CHECK-LABEL: func.func @top_k
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x5xui8>, %[[Y:.*]]: tensor<4xf32>)
func.func @top_k(%x: tensor<2x3x5xui8>, %y: tensor<4xf32>) -> (tensor<2x3x2xui8>, tensor<2x3x2xi64>, tensor<4xf32>, tensor<4xi16>, tensor<0xf32>, tensor<0xi32>) {
  // CHECK: %[[V:.*]], %[[I:.*]] = smc.top_k %[[X]] {k = 2 : i64} : (tensor<2x3x5xui8>) -> (tensor<2x3x2xui8>, tensor<2x3x2xi64>)
  %v, %i = smc.top_k %x {k = 2 : i64} : (tensor<2x3x5xui8>) -> (tensor<2x3x2xui8>, tensor<2x3x2xi64>)
  // CHECK: smc.top_k %[[Y]] {k = 4 : i64} : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xi16>)
  %s, %a = smc.top_k %y {k = 4 : i64} : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xi16>)
  // CHECK: smc.top_k %[[Y]] {k = 0 : i64} : (tensor<4xf32>) -> (tensor<0xf32>, tensor<0xi32>)
  %e, %ei = smc.top_k %y {k = 0 : i64} : (tensor<4xf32>) -> (tensor<0xf32>, tensor<0xi32>)
  return %v, %i, %s, %a, %e, %ei : tensor<2x3x2xui8>, tensor<2x3x2xi64>, tensor<4xf32>, tensor<4xi16>, tensor<0xf32>, tensor<0xi32>
}

// CHECK-LABEL: func.func @gathers
// CHECK-SAME: (%[[P:.*]]: tensor<3x4x5xf32>, %[[I:.*]]: tensor<3x2xi64>)
func.func @gathers(%p: tensor<3x4x5xf32>, %i: tensor<3x2xi64>) -> (tensor<3x2x4x5xf32>, tensor<3x2x5xf32>) {
  // CHECK: %[[ROWS:.*]] = smc.gather %[[P]][%[[I]]] {axis = 0 : i64} : (tensor<3x4x5xf32>, tensor<3x2xi64>) -> tensor<3x2x4x5xf32>
  %0 = smc.gather %p[%i] {axis = 0 : i64} : (tensor<3x4x5xf32>, tensor<3x2xi64>) -> tensor<3x2x4x5xf32>
  // CHECK: %[[BATCHED:.*]] = smc.gather %[[P]][%[[I]]] {axis = 1 : i64, batch_dims = 1 : i64} : (tensor<3x4x5xf32>, tensor<3x2xi64>) -> tensor<3x2x5xf32>
  %1 = smc.gather %p[%i] {axis = 1 : i64, batch_dims = 1 : i64} : (tensor<3x4x5xf32>, tensor<3x2xi64>) -> tensor<3x2x5xf32>
  // CHECK: return %[[ROWS]], %[[BATCHED]]
  return %0, %1 : tensor<3x2x4x5xf32>, tensor<3x2x5xf32>
}

// CHECK-LABEL: func.func @gather_nd_and_scan
// CHECK-SAME: (%[[P:.*]]: tensor<3x4x5xf32>, %[[I:.*]]: tensor<6x2xi32>, %[[N:.*]]: tensor<2x3xi64>)
func.func @gather_nd_and_scan(%p: tensor<3x4x5xf32>, %i: tensor<6x2xi32>, %n: tensor<2x3xi64>) -> (tensor<6x5xf32>, tensor<3x4x5xf32>, tensor<2x3xi64>) {
  // CHECK: %[[G:.*]] = smc.gather_nd %[[P]][%[[I]]] : (tensor<3x4x5xf32>, tensor<6x2xi32>) -> tensor<6x5xf32>
  %0 = smc.gather_nd %p[%i] : (tensor<3x4x5xf32>, tensor<6x2xi32>) -> tensor<6x5xf32>
  // CHECK: %[[S:.*]] = smc.scan sum %[[P]] {axis = 1 : i64, exclusive = true, reverse = true} : (tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
  %1 = smc.scan sum %p {axis = 1 : i64, exclusive = true, reverse = true} : (tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
  // CHECK: %[[R:.*]] = smc.scan prod %[[N]] {axis = 0 : i64} : (tensor<2x3xi64>) -> tensor<2x3xi64>
  %2 = smc.scan prod %n {axis = 0 : i64} : (tensor<2x3xi64>) -> tensor<2x3xi64>
  // CHECK: return %[[G]], %[[S]], %[[R]]
  return %0, %1, %2 : tensor<6x5xf32>, tensor<3x4x5xf32>, tensor<2x3xi64>
}

// CHECK: smc.global @v {checkpoint_key = "v/.ATTRIBUTES/VARIABLE_VALUE"} : tensor<f32> = dense<1.000000e+00> : tensor<f32>
smc.global @v {checkpoint_key = "v/.ATTRIBUTES/VARIABLE_VALUE"} : tensor<f32> = dense<1.0> : tensor<f32>

// CHECK-LABEL: func.func @variables
// CHECK-SAME: (%[[X:.*]]: tensor<f32>)
func.func @variables(%x: tensor<f32>) -> tensor<f32> {
  // CHECK: %[[OLD:.*]] = smc.global_load @v : tensor<f32>
  %0 = smc.global_load @v : tensor<f32>
  // CHECK: smc.global_store @v, %[[X]] : tensor<f32>
  // CHECK: return %[[OLD]]
  smc.global_store @v, %x : tensor<f32>
  return %0 : tensor<f32>
}
