// RUN: smc-opt %s -convert-smc-to-linalg -split-input-file | FileCheck %s
// smc.scan: an scf.for over the axis carrying the running slice (from the identity) and the
// result; each step combines the running slice with one input slice, in that order.

// Inclusive sum along axis 1: the running slice after the step is inserted at k.
// CHECK-LABEL: func.func @cumsum
// CHECK-SAME:    (%[[X:.*]]: tensor<2x3xf32>)
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<2x1xf32>)
// CHECK:         %[[OUT0:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK:         %[[LOOP:.*]]:2 = scf.for %[[K:.*]] = %{{.*}} to %[[N:.*]] step %{{.*}} iter_args(%[[CARRY:.*]] = %[[INIT]], %[[OUT:.*]] = %[[OUT0]])
// CHECK:           %[[SLICE:.*]] = tensor.extract_slice %[[X]][0, %[[K]]] [2, 1] [1, 1]
// CHECK:           %[[NEXT:.*]] = linalg.generic {{.*}} ins(%[[SLICE]] : tensor<2x1xf32>) outs(%[[CARRY]] : tensor<2x1xf32>)
// CHECK:           ^bb0(%[[IN:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK:             %[[SUM:.*]] = arith.addf %[[ACC]], %[[IN]] : f32
// CHECK:             linalg.yield %[[SUM]]
// CHECK:           %[[INS:.*]] = tensor.insert_slice %[[NEXT]] into %[[OUT]][0, %[[K]]] [2, 1] [1, 1]
// CHECK:           scf.yield %[[NEXT]], %[[INS]]
// CHECK:         return %[[LOOP]]#1
func.func @cumsum(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = smc.scan sum %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Exclusive, reversed product of integers along axis 0: position n-1-k, the running slice
// inserted before the step; the identity is 1.
// CHECK-LABEL: func.func @cumprod_exclusive_reverse
// CHECK-SAME:    (%[[X:.*]]: tensor<4x2xi32>)
// CHECK:         %[[ONE:.*]] = arith.constant 1 : i32
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%[[ONE]] : i32) outs(%{{.*}} : tensor<1x2xi32>)
// CHECK:         %[[C4:.*]] = arith.constant 4 : index
// CHECK:         %[[LOOP:.*]]:2 = scf.for %[[K:.*]] = %{{.*}} to %[[C4]] step %{{.*}} iter_args(%[[CARRY:.*]] = %[[INIT]], %[[OUT:.*]] = %{{.*}})
// CHECK:           %[[C3:.*]] = arith.constant 3 : index
// CHECK:           %[[AT:.*]] = arith.subi %[[C3]], %[[K]] : index
// CHECK:           %[[INS:.*]] = tensor.insert_slice %[[CARRY]] into %[[OUT]][%[[AT]], 0] [1, 2] [1, 1]
// CHECK:           %[[SLICE:.*]] = tensor.extract_slice %[[X]][%[[AT]], 0] [1, 2] [1, 1]
// CHECK:           %[[NEXT:.*]] = linalg.generic {{.*}} ins(%[[SLICE]] : tensor<1x2xi32>) outs(%[[CARRY]] : tensor<1x2xi32>)
// CHECK:             arith.muli
// CHECK:           scf.yield %[[NEXT]], %[[INS]]
// CHECK:         return %[[LOOP]]#1
func.func @cumprod_exclusive_reverse(%x: tensor<4x2xi32>) -> tensor<4x2xi32> {
  %0 = smc.scan prod %x {axis = 0 : i64, exclusive = true, reverse = true} : (tensor<4x2xi32>) -> tensor<4x2xi32>
  return %0 : tensor<4x2xi32>
}

// -----

// Nothing to scan: the (empty) input is the result.
// CHECK-LABEL: func.func @empty
// CHECK-SAME:    (%[[X:.*]]: tensor<0x3xf32>)
// CHECK-NEXT:    return %[[X]]
func.func @empty(%x: tensor<0x3xf32>) -> tensor<0x3xf32> {
  %0 = smc.scan sum %x {axis = 1 : i64} : (tensor<0x3xf32>) -> tensor<0x3xf32>
  return %0 : tensor<0x3xf32>
}
