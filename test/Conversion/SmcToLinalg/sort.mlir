// RUN: smc-opt %s -convert-smc-to-linalg -split-input-file | FileCheck %s
// smc.top_k (SortToLinalg.cpp): the input seen as [rows, n]; for each row r and output j, one
// scan of the row picks the first element, in top_k's order, that comes after output j - 1,
// (prev, prevAt); both results are written in place through the loops' iter_args.

// Unsigned integers compare with ugt; [2, 3, 5] is 6 rows of 5, the results 6 rows of 2, then
// expanded back to [2, 3, 2].
// CHECK-LABEL: func.func @unsigned
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x5xi8>)
// CHECK-DAG: %[[V0:.*]] = tensor.empty() : tensor<6x2xi8>
// CHECK-DAG: %[[I0:.*]] = tensor.empty() : tensor<6x2xi64>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1, 2]] : tensor<2x3x5xi8> into tensor<30xi8>
// CHECK: %[[XR:.*]] = tensor.expand_shape %[[FLAT]] {{\[\[}}0, 1]] output_shape [6, 5]
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[NONE:.*]] = arith.constant -1 : index
// CHECK-DAG: %[[ROWS:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[K:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[N:.*]] = arith.constant 5 : index
// CHECK: %[[LOOP:.*]]:2 = scf.for %[[R:.*]] = %[[C0]] to %[[ROWS]] step %{{.*}} iter_args(%[[VS:.*]] = %[[V0]], %[[IS:.*]] = %[[I0]])
// CHECK: %[[X0:.*]] = tensor.extract %[[XR]][%[[R]], %[[C0]]]
// CHECK: %[[OUT:.*]]:4 = scf.for %[[J:.*]] = %[[C0]] to %[[K]] step %{{.*}} iter_args(%[[VJ:.*]] = %[[VS]], %[[IJ:.*]] = %[[IS]], %[[PREV:.*]] = %[[X0]], %[[PREVAT:.*]] = %[[NONE]])
// CHECK: %[[FIRST:.*]] = arith.cmpi eq, %[[J]], %[[C0]] : index
// CHECK: %[[SCAN:.*]]:2 = scf.for %[[P:.*]] = %[[C0]] to %[[N]] step %{{.*}} iter_args(%[[BEST:.*]] = %[[X0]], %[[BESTAT:.*]] = %[[NONE]])
// CHECK: %[[V:.*]] = tensor.extract %[[XR]][%[[R]], %[[P]]]
// (prev, prevAt) before (v, p): prev > v, or not v > prev and prevAt < p.
// CHECK: %[[VGT:.*]] = arith.cmpi ugt, %[[V]], %[[PREV]] : i8
// CHECK: %[[NOTVGT:.*]] = arith.xori %[[VGT]], %{{.*}} : i1
// CHECK: %[[LOWER:.*]] = arith.cmpi slt, %[[PREVAT]], %[[P]] : index
// CHECK: %[[TIE:.*]] = arith.andi %[[NOTVGT]], %[[LOWER]] : i1
// CHECK: %[[PGT:.*]] = arith.cmpi ugt, %[[PREV]], %[[V]] : i8
// CHECK: %[[PBEFORE:.*]] = arith.ori %[[PGT]], %[[TIE]] : i1
// CHECK: %[[AFTER:.*]] = arith.ori %[[FIRST]], %[[PBEFORE]] : i1
// CHECK: %[[NOBEST:.*]] = arith.cmpi slt, %[[BESTAT]], %[[C0]] : index
// CHECK: arith.cmpi ugt, %[[BEST]], %[[V]] : i8
// CHECK: arith.cmpi slt, %[[P]], %[[BESTAT]] : index
// CHECK: %[[VBEFORE:.*]] = arith.ori
// CHECK: %[[BETTER:.*]] = arith.ori %[[NOBEST]], %[[VBEFORE]] : i1
// CHECK: %[[TAKE:.*]] = arith.andi %[[AFTER]], %[[BETTER]] : i1
// CHECK: %[[NB:.*]] = arith.select %[[TAKE]], %[[V]], %[[BEST]] : i8
// CHECK: %[[NBAT:.*]] = arith.select %[[TAKE]], %[[P]], %[[BESTAT]] : index
// CHECK: scf.yield %[[NB]], %[[NBAT]] : i8, index
// CHECK: %[[VINS:.*]] = tensor.insert %[[SCAN]]#0 into %[[VJ]][%[[R]], %[[J]]] : tensor<6x2xi8>
// CHECK: %[[AT64:.*]] = arith.index_cast %[[SCAN]]#1 : index to i64
// CHECK: %[[IINS:.*]] = tensor.insert %[[AT64]] into %[[IJ]][%[[R]], %[[J]]] : tensor<6x2xi64>
// CHECK: scf.yield %[[VINS]], %[[IINS]], %[[SCAN]]#0, %[[SCAN]]#1
// CHECK: scf.yield %[[OUT]]#0, %[[OUT]]#1
// CHECK: %[[VF:.*]] = tensor.collapse_shape %[[LOOP]]#0
// CHECK: %[[VOUT:.*]] = tensor.expand_shape %[[VF]] {{\[\[}}0, 1, 2]] output_shape [2, 3, 2]
// CHECK: %[[IF:.*]] = tensor.collapse_shape %[[LOOP]]#1
// CHECK: %[[IOUT:.*]] = tensor.expand_shape %[[IF]] {{\[\[}}0, 1, 2]] output_shape [2, 3, 2]
// CHECK: return %[[VOUT]], %[[IOUT]]
func.func @unsigned(%x: tensor<2x3x5xui8>) -> (tensor<2x3x2xui8>, tensor<2x3x2xi64>) {
  %v, %i = smc.top_k %x {k = 2 : i64} : (tensor<2x3x5xui8>) -> (tensor<2x3x2xui8>, tensor<2x3x2xi64>)
  return %v, %i : tensor<2x3x2xui8>, tensor<2x3x2xi64>
}

// -----

// Floats: a > b is `ogt`, or a NaN against a number. A 1-D input is one row.
// CHECK-LABEL: func.func @floats
// CHECK-SAME: (%[[X:.*]]: tensor<5xf32>)
// CHECK: %[[XR:.*]] = tensor.expand_shape %[[X]] {{\[\[}}0, 1]] output_shape [1, 5]
// CHECK: scf.for
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %[[PREV:.*]] = %{{.*}}, %{{.*}} = %{{.*}})
// CHECK: scf.for
// CHECK: %[[V:.*]] = tensor.extract %[[XR]]
// CHECK: %[[GT:.*]] = arith.cmpf ogt, %[[V]], %[[PREV]] : f32
// CHECK: %[[VNAN:.*]] = arith.cmpf uno, %[[V]], %[[V]] : f32
// CHECK: %[[PNUM:.*]] = arith.cmpf ord, %[[PREV]], %[[PREV]] : f32
// CHECK: %[[NANGT:.*]] = arith.andi %[[VNAN]], %[[PNUM]] : i1
// CHECK: arith.ori %[[GT]], %[[NANGT]] : i1
// CHECK: arith.index_cast %{{.*}} : index to i32
// CHECK: %[[IF:.*]] = tensor.collapse_shape %{{.*}}#1 {{\[\[}}0, 1]] : tensor<1x5xi32> into tensor<5xi32>
// CHECK: return %[[IF]] : tensor<5xi32>
func.func @floats(%x: tensor<5xf32>) -> tensor<5xi32> {
  %v, %i = smc.top_k %x {k = 5 : i64} : (tensor<5xf32>) -> (tensor<5xf32>, tensor<5xi32>)
  return %i : tensor<5xi32>
}

// -----

// k = 0: two empty tensors, no loop.
// CHECK-LABEL: func.func @none
// CHECK-NOT: scf.for
// CHECK: %[[V:.*]] = tensor.empty() : tensor<3x0xf32>
// CHECK: %[[I:.*]] = tensor.empty() : tensor<3x0xi32>
// CHECK: return %[[V]], %[[I]]
func.func @none(%x: tensor<3x4xf32>) -> (tensor<3x0xf32>, tensor<3x0xi32>) {
  %v, %i = smc.top_k %x {k = 0 : i64} : (tensor<3x4xf32>) -> (tensor<3x0xf32>, tensor<3x0xi32>)
  return %v, %i : tensor<3x0xf32>, tensor<3x0xi32>
}
