// RUN: smc-opt %s -smc-freeze-variables | FileCheck %s
// Variables no function assigns become constants; assigned ones stay globals.

// CHECK-NOT: smc.global @w
// CHECK: smc.global @v
smc.global @w : tensor<2xf32> = dense<[1.0, 2.0]> : tensor<2xf32>
smc.global @v : tensor<f32> = dense<1.0> : tensor<f32>

// CHECK-LABEL: func.func @call
// CHECK-SAME: (%[[X:.*]]: tensor<2xf32>)
func.func @call(%x: tensor<2xf32>) -> tensor<2xf32> {
  // CHECK: %[[W:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %w = smc.global_load @w : tensor<2xf32>
  // CHECK: %[[V:.*]] = smc.global_load @v
  %v = smc.global_load @v : tensor<f32>
  // CHECK: %[[WX:.*]] = smc.mul %[[W]], %[[X]]
  // CHECK: %[[R:.*]] = smc.mul %[[WX]], %[[V]]
  // CHECK: return %[[R]]
  %0 = smc.mul %w, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %1 = smc.mul %0, %v : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  return %1 : tensor<2xf32>
}

func.func @mutate(%n: tensor<f32>) {
  smc.global_store @v, %n : tensor<f32>
  return
}
