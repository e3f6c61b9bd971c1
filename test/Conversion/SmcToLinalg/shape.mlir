// RUN: smc-opt %s -convert-smc-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @reshape(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  // CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
  // CHECK: %[[R:.*]] = tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [6, 4] : tensor<24xf32> into tensor<6x4xf32>
  // CHECK: return %[[R]]
  %0 = smc.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  return %0 : tensor<6x4xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
func.func @transpose(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<3x2xf32>
  // CHECK: %[[T:.*]] = linalg.transpose ins(%[[X]] : tensor<2x3xf32>) outs(%[[EMPTY]] : tensor<3x2xf32>) permutation = [1, 0]
  // CHECK: return %[[T]]
  %0 = smc.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<2x5xf32>)
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> tensor<2x8xf32> {
  // CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<2x8xf32>
  // CHECK: %[[WITH_A:.*]] = tensor.insert_slice %[[A]] into %[[EMPTY]][0, 0] [2, 3] [1, 1]
  // CHECK: %[[WITH_B:.*]] = tensor.insert_slice %[[B]] into %[[WITH_A]][0, 3] [2, 5] [1, 1]
  // CHECK: return %[[WITH_B]]
  %0 = smc.concat %a, %b {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// CHECK-DAG: #[[REV:.*]] = affine_map<(d0) -> (-d0 + 5)>
// CHECK-LABEL: func.func @slices
// CHECK-SAME: (%[[X:.*]]: tensor<6xf32>)
func.func @slices(%x: tensor<6xf32>) -> (tensor<3xf32>, tensor<6xf32>) {
  // CHECK: %[[STRIDED:.*]] = tensor.extract_slice %[[X]][1] [3] [2]
  %0 = smc.slice %x {start = array<i64: 1>, size = array<i64: 3>, stride = array<i64: 2>} : (tensor<6xf32>) -> tensor<3xf32>
  // A negative stride reads backwards through a generic.
  // CHECK: %[[REVERSED:.*]] = linalg.generic {indexing_maps = [#[[REV]], {{.*}}]{{.*}} ins(%[[X]] : tensor<6xf32>)
  // CHECK: return %[[STRIDED]], %[[REVERSED]]
  %1 = smc.slice %x {start = array<i64: 5>, size = array<i64: 6>, stride = array<i64: -1>} : (tensor<6xf32>) -> tensor<6xf32>
  return %0, %1 : tensor<3xf32>, tensor<6xf32>
}

// -----

// A gather is a generic over the result that reads each index as an input and params with
// tensor.extract; an index outside [0, 4) (compared unsigned in its own type, so -1 is too)
// reads element 0 and yields zero instead.
// CHECK-DAG: #[[IDX:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gather
// CHECK-SAME: (%[[P:.*]]: tensor<3x4x5xf32>, %[[I:.*]]: tensor<3x2xi32>)
func.func @gather(%p: tensor<3x4x5xf32>, %i: tensor<3x2xi32>) -> tensor<3x2x5xf32> {
  // CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<3x2x5xf32>
  // CHECK: %[[G:.*]] = linalg.generic {indexing_maps = [#[[IDX]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[I]] : tensor<3x2xi32>) outs(%[[EMPTY]] : tensor<3x2x5xf32>)
  // CHECK: ^bb0(%[[K:.*]]: i32, %{{.*}}: f32):
  // CHECK:   %[[FOUR:.*]] = arith.constant 4 : i32
  // CHECK:   %[[OK:.*]] = arith.cmpi ult, %[[K]], %[[FOUR]] : i32
  // CHECK:   %[[ZERO:.*]] = arith.constant 0 : i32
  // CHECK:   %[[SAFE:.*]] = arith.select %[[OK]], %[[K]], %[[ZERO]] : i32
  // CHECK:   %[[AT:.*]] = arith.index_cast %[[SAFE]] : i32 to index
  // CHECK:   %[[B:.*]] = linalg.index 0 : index
  // CHECK:   %[[Q:.*]] = linalg.index 2 : index
  // CHECK:   %[[V:.*]] = tensor.extract %[[P]][%[[B]], %[[AT]], %[[Q]]] : tensor<3x4x5xf32>
  // CHECK:   %[[NONE:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK:   %[[R:.*]] = arith.select %[[OK]], %[[V]], %[[NONE]] : f32
  // CHECK:   linalg.yield %[[R]] : f32
  // CHECK: return %[[G]]
  %0 = smc.gather %p[%i] {axis = 1 : i64, batch_dims = 1 : i64} : (tensor<3x4x5xf32>, tensor<3x2xi32>) -> tensor<3x2x5xf32>
  return %0 : tensor<3x2x5xf32>
}

// -----

// Nothing to read (params has no element): zeros, in the signless type.
// CHECK-LABEL: func.func @gather_empty
func.func @gather_empty(%p: tensor<0x2xui8>, %i: tensor<3xi64>) -> tensor<3x2xui8> {
  // CHECK: %[[ZERO:.*]] = arith.constant 0 : i8
  // CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<3x2xi8>
  // CHECK: %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : i8) outs(%[[EMPTY]] : tensor<3x2xi8>)
  // CHECK: return %[[FILL]]
  %0 = smc.gather %p[%i] {axis = 0 : i64} : (tensor<0x2xui8>, tensor<3xi64>) -> tensor<3x2xui8>
  return %0 : tensor<3x2xui8>
}

// -----

// GatherNd: each coordinate read from the indices, checked in their type (i64) against its
// dimension (4, then 5) with one unsigned comparison; the slice is zero unless both are in range.
// CHECK-LABEL: func.func @gather_nd
// CHECK-SAME:    (%[[P:.*]]: tensor<4x5x6xf32>, %[[I:.*]]: tensor<3x2xi64>)
// CHECK:         linalg.generic {{.*}} outs(%{{.*}} : tensor<3x6xf32>)
// CHECK:           %[[ROW:.*]] = linalg.index 0 : index
// CHECK:           %[[I0:.*]] = tensor.extract %[[I]][%[[ROW]], %{{.*}}] : tensor<3x2xi64>
// CHECK:           %[[C4:.*]] = arith.constant 4 : i64
// CHECK:           %[[OK0:.*]] = arith.cmpi ult, %[[I0]], %[[C4]] : i64
// CHECK:           %[[S0:.*]] = arith.select %[[OK0]], %[[I0]], %{{.*}} : i64
// CHECK:           %[[X0:.*]] = arith.index_cast %[[S0]] : i64 to index
// CHECK:           %[[I1:.*]] = tensor.extract %[[I]][%[[ROW]], %{{.*}}] : tensor<3x2xi64>
// CHECK:           %[[C5:.*]] = arith.constant 5 : i64
// CHECK:           %[[OK1:.*]] = arith.cmpi ult, %[[I1]], %[[C5]] : i64
// CHECK:           %[[OK:.*]] = arith.andi %[[OK0]], %[[OK1]] : i1
// CHECK:           %[[S1:.*]] = arith.select %[[OK1]], %[[I1]], %{{.*}} : i64
// CHECK:           %[[X1:.*]] = arith.index_cast %[[S1]] : i64 to index
// CHECK:           %[[COL:.*]] = linalg.index 1 : index
// CHECK:           %[[V:.*]] = tensor.extract %[[P]][%[[X0]], %[[X1]], %[[COL]]] : tensor<4x5x6xf32>
// CHECK:           %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[R:.*]] = arith.select %[[OK]], %[[V]], %[[ZERO]] : f32
// CHECK:           linalg.yield %[[R]]
func.func @gather_nd(%p: tensor<4x5x6xf32>, %i: tensor<3x2xi64>) -> tensor<3x6xf32> {
  %0 = smc.gather_nd %p[%i] : (tensor<4x5x6xf32>, tensor<3x2xi64>) -> tensor<3x6xf32>
  return %0 : tensor<3x6xf32>
}
