// RUN: smc-opt %s -smc-carry-in-place | FileCheck %s
// What an scf.while body yields for the next iteration is written into the body's argument
// for it, so each loop-carried tensor keeps one buffer; a value yielded unchanged stays as it is.

// CHECK-LABEL: func.func @halve(
func.func @halve(%x: tensor<6xf32>, %n: tensor<i32>) -> tensor<6xf32> {
  %half = arith.constant dense<5.000000e-01> : tensor<6xf32>
  %false = arith.constant false
  // CHECK: scf.while
  %r:2 = scf.while (%v = %x, %k = %n) : (tensor<6xf32>, tensor<i32>) -> (tensor<6xf32>, tensor<i32>) {
    scf.condition(%false) %v, %k : tensor<6xf32>, tensor<i32>
  } do {
  // CHECK: ^bb0(%[[V:.*]]: tensor<6xf32>, %[[K:.*]]: tensor<i32>):
  ^bb0(%v: tensor<6xf32>, %k: tensor<i32>):
    // CHECK: %[[NEXT:.*]] = arith.mulf %[[V]]
    %next = arith.mulf %v, %half : tensor<6xf32>
    // CHECK: %[[IN:.*]] = linalg.copy ins(%[[NEXT]] : tensor<6xf32>) outs(%[[V]] : tensor<6xf32>)
    // CHECK: scf.yield %[[IN]], %[[K]] : tensor<6xf32>, tensor<i32>
    scf.yield %next, %k : tensor<6xf32>, tensor<i32>
  }
  return %r#0 : tensor<6xf32>
}
