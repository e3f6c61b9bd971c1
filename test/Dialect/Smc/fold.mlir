// RUN: smc-opt %s -canonicalize | FileCheck %s
// Constant folding of the shape arithmetic imported graphs are full of.

// CHECK-LABEL: func.func @shape_math
func.func @shape_math() -> (tensor<2xi32>, tensor<i32>, tensor<3xi32>, tensor<2xi1>, tensor<2xf32>) {
  %shape = arith.constant dense<[4, 6, 8]> : tensor<3xi32>
  // StridedSlice [1:3] of the shape, then Prod, then Pack with -1: Keras' Flatten.
  %s = smc.slice %shape {start = array<i64: 1>, size = array<i64: 2>, stride = array<i64: 1>} : (tensor<3xi32>) -> tensor<2xi32>
  %p = smc.reduce prod %s {axes = array<i64: 0>} : (tensor<2xi32>) -> tensor<i32>
  %m = arith.constant dense<-1> : tensor<1xi32>
  %pr = smc.reshape %p : tensor<i32> -> tensor<1xi32>
  %c = smc.concat %m, %pr {axis = 0 : i64} : (tensor<1xi32>, tensor<1xi32>) -> tensor<2xi32>
  // CHECK-DAG: arith.constant dense<[-1, 48]> : tensor<2xi32>
  // CHECK-DAG: arith.constant dense<48> : tensor<i32>
  %neg = arith.constant dense<[-7, 7, 8]> : tensor<3xi32>
  %two = arith.constant dense<2> : tensor<i32>
  // floor division rounds toward negative infinity; floor_mod takes the divisor's sign
  %fd = smc.floor_div %neg, %two : (tensor<3xi32>, tensor<i32>) -> tensor<3xi32>
  // CHECK-DAG: arith.constant dense<[-4, 3, 4]> : tensor<3xi32>
  %cmp = smc.greater %s, %pr : (tensor<2xi32>, tensor<1xi32>) -> tensor<2xi1>
  // CHECK-DAG: arith.constant dense<false> : tensor<2xi1>
  %f = arith.constant dense<[2.5, -2.5]> : tensor<2xf32>
  %fi = smc.cast %f : tensor<2xf32> -> tensor<2xi32>
  %ff = smc.cast %fi : tensor<2xi32> -> tensor<2xf32>
  // CHECK-DAG: arith.constant dense<[2.000000e+00, -2.000000e+00]> : tensor<2xf32>
  // CHECK-NOT: smc.
  return %c, %p, %fd, %cmp, %ff : tensor<2xi32>, tensor<i32>, tensor<3xi32>, tensor<2xi1>, tensor<2xf32>
}

// CHECK-LABEL: func.func @transpose_const
func.func @transpose_const() -> tensor<3x2xi32> {
  %a = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  // CHECK: arith.constant dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi32>
  %t = smc.transpose %a {perm = array<i64: 1, 0>} : (tensor<2x3xi32>) -> tensor<3x2xi32>
  return %t : tensor<3x2xi32>
}

// A gather of constants folds; an index out of range gives zeros for its slice (-1 and 3 in
// dimension 1 of size 3): rows [[1, 2, 3], [4, 5, 6]] at [[2, 0], [-1, 3]] along axis 1.
// CHECK-LABEL: func.func @gather_const
func.func @gather_const() -> (tensor<2x2x2xi32>, tensor<2x2xi32>) {
  %p = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %i = arith.constant dense<[[2, 0], [-1, 3]]> : tensor<2x2xi64>
  // CHECK-DAG: arith.constant dense<{{\[}}{{\[}}[3, 1], [0, 0]], {{\[}}[6, 4], [0, 0]]]> : tensor<2x2x2xi32>
  %g = smc.gather %p[%i] {axis = 1 : i64} : (tensor<2x3xi32>, tensor<2x2xi64>) -> tensor<2x2x2xi32>
  // batch_dims 1: row b picks p[b, i[b, :]]
  // CHECK-DAG: arith.constant dense<{{\[}}[3, 1], [0, 0]]> : tensor<2x2xi32>
  %b = smc.gather %p[%i] {axis = 1 : i64, batch_dims = 1 : i64} : (tensor<2x3xi32>, tensor<2x2xi64>) -> tensor<2x2xi32>
  return %g, %b : tensor<2x2x2xi32>, tensor<2x2xi32>
}

// GatherNd of constants: rows [[1, 2, 3], [4, 5, 6]] at (1, 2), (0, 0), (2, 0) (row 2 out of
// range: zero), and whole rows at [1], [-1] (zeros).
// CHECK-LABEL: func.func @gather_nd_const
func.func @gather_nd_const() -> (tensor<3xi32>, tensor<2x3xi32>) {
  %p = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %i = arith.constant dense<[[1, 2], [0, 0], [2, 0]]> : tensor<3x2xi32>
  %r = arith.constant dense<[[1], [-1]]> : tensor<2x1xi64>
  // CHECK-DAG: arith.constant dense<[6, 1, 0]> : tensor<3xi32>
  %g = smc.gather_nd %p[%i] : (tensor<2x3xi32>, tensor<3x2xi32>) -> tensor<3xi32>
  // CHECK-DAG: arith.constant dense<{{\[}}[4, 5, 6], [0, 0, 0]]> : tensor<2x3xi32>
  %h = smc.gather_nd %p[%r] : (tensor<2x3xi32>, tensor<2x1xi64>) -> tensor<2x3xi32>
  return %g, %h : tensor<3xi32>, tensor<2x3xi32>
}

// Scans of constants, in sequence from the identity: sums along axis 1 (plain, exclusive and
// reverse), products along axis 0; int8 wraps (100 + 100 = -56); float sums round at each
// step (1e8 + 1 + 1 stays 1e8 in float32, where 1 + 1 + 1e8 would not).
// CHECK-LABEL: func.func @scan_const
func.func @scan_const() -> (tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>, tensor<2xi8>, tensor<3xf32>) {
  %x = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  // CHECK-DAG: arith.constant dense<{{\[}}[1, 3, 6], [4, 9, 15]]> : tensor<2x3xi32>
  %a = smc.scan sum %x {axis = 1 : i64} : (tensor<2x3xi32>) -> tensor<2x3xi32>
  // CHECK-DAG: arith.constant dense<{{\[}}[5, 3, 0], [11, 6, 0]]> : tensor<2x3xi32>
  %b = smc.scan sum %x {axis = 1 : i64, exclusive = true, reverse = true} : (tensor<2x3xi32>) -> tensor<2x3xi32>
  // CHECK-DAG: arith.constant dense<{{\[}}[1, 1, 1], [1, 2, 3]]> : tensor<2x3xi32>
  %c = smc.scan prod %x {axis = 0 : i64, exclusive = true} : (tensor<2x3xi32>) -> tensor<2x3xi32>
  %y = arith.constant dense<100> : tensor<2xi8>
  // CHECK-DAG: arith.constant dense<[100, -56]> : tensor<2xi8>
  %d = smc.scan sum %y {axis = 0 : i64} : (tensor<2xi8>) -> tensor<2xi8>
  %z = arith.constant dense<[1.0e8, 1.0, 1.0]> : tensor<3xf32>
  // CHECK-DAG: arith.constant dense<1.000000e+08> : tensor<3xf32>
  %e = smc.scan sum %z {axis = 0 : i64} : (tensor<3xf32>) -> tensor<3xf32>
  return %a, %b, %c, %d, %e : tensor<2x3xi32>, tensor<2x3xi32>, tensor<2x3xi32>, tensor<2xi8>, tensor<3xf32>
}

// A constant condition picks a branch (a splat branch broadcast to the result); constant
// operands fold elementwise, the NaN and infinity of the branch not taken dropped, those of the
// branch taken kept.
// CHECK-LABEL: func.func @select_const
// CHECK-SAME:    (%[[X:.*]]: tensor<2x2xf32>)
func.func @select_const(%x: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %yes = arith.constant dense<true> : tensor<2x2xi1>
  %no = arith.constant dense<false> : tensor<i1>
  %zero = arith.constant dense<0.0> : tensor<f32>
  %t = smc.select %yes, %x, %zero : (tensor<2x2xi1>, tensor<2x2xf32>, tensor<f32>) -> tensor<2x2xf32>
  %f = smc.select %no, %x, %zero : (tensor<i1>, tensor<2x2xf32>, tensor<f32>) -> tensor<2x2xf32>
  %band = arith.constant dense<[[true, false], [true, true]]> : tensor<2x2xi1>
  %v = arith.constant dense<[[0x7FC00000, 0x7F800000], [-1.0, 0xFF800000]]> : tensor<2x2xf32>
  %b = smc.select %band, %v, %zero : (tensor<2x2xi1>, tensor<2x2xf32>, tensor<f32>) -> tensor<2x2xf32>
  %m = smc.select %band, %x, %zero : (tensor<2x2xi1>, tensor<2x2xf32>, tensor<f32>) -> tensor<2x2xf32>
  // CHECK-DAG: %[[ZEROS:.*]] = arith.constant dense<0.000000e+00> : tensor<2x2xf32>
  // CHECK-DAG: %[[B:.*]] = arith.constant dense<{{\[\[}}0x7FC00000, 0.000000e+00], [-1.000000e+00, 0xFF800000]]> : tensor<2x2xf32>
  // CHECK-DAG: %[[M:.*]] = smc.select %{{.*}}, %[[X]], %{{.*}} : (tensor<2x2xi1>, tensor<2x2xf32>, tensor<f32>)
  // CHECK:     return %[[X]], %[[ZEROS]], %[[B]], %[[M]]
  return %t, %f, %b, %m : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}
