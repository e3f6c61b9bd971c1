// RUN: smc-opt %s -smc-fuse-elementwise | FileCheck %s
// Elementwise fusion as upstream's linalg-fuse-elementwise-ops, except that a contraction is
// left as it is: a reshape of a matmul's result is not folded into it (which would make it a
// 4-d generic the tiling does not recognise), and an elementwise producer is not fused into a
// contraction (which would recompute it for every output column), nor into a consumer that
// broadcasts it (which would recompute it for every element of the broadcast dimensions).

#map = affine_map<(d0, d1) -> (d0, d1)>
#map3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// CHECK-LABEL: func.func @matmul_then_reshape(
func.func @matmul_then_reshape(%a: tensor<8x16xf32>, %b: tensor<16x32xf32>) -> tensor<8x4x8xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<8x32xf32>) -> tensor<8x32xf32>
  // CHECK: %[[M:.*]] = linalg.matmul
  %m = linalg.matmul ins(%a, %b : tensor<8x16xf32>, tensor<16x32xf32>) outs(%init : tensor<8x32xf32>) -> tensor<8x32xf32>
  // CHECK: tensor.expand_shape %[[M]]
  %r = tensor.expand_shape %m [[0], [1, 2]] output_shape [8, 4, 8] : tensor<8x32xf32> into tensor<8x4x8xf32>
  %e3 = tensor.empty() : tensor<8x4x8xf32>
  // CHECK: linalg.generic
  %y = linalg.generic {indexing_maps = [#map3, #map3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%r : tensor<8x4x8xf32>) outs(%e3 : tensor<8x4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.tanh %in : f32
    linalg.yield %t : f32
  } -> tensor<8x4x8xf32>
  return %y : tensor<8x4x8xf32>
}

// CHECK-LABEL: func.func @scaled_operand(
func.func @scaled_operand(%a: tensor<2x8x16xf32>, %b: tensor<2x16x4xf32>) -> tensor<2x8x4xf32> {
  %zero = arith.constant 0.0 : f32
  %two = arith.constant 2.0 : f32
  %e = tensor.empty() : tensor<2x8x16xf32>
  // CHECK: %[[S:.*]] = linalg.generic
  // CHECK:   arith.mulf
  %s = linalg.generic {indexing_maps = [#map3, #map3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a : tensor<2x8x16xf32>) outs(%e : tensor<2x8x16xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = arith.mulf %in, %two : f32
    linalg.yield %t : f32
  } -> tensor<2x8x16xf32>
  %eo = tensor.empty() : tensor<2x8x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%eo : tensor<2x8x4xf32>) -> tensor<2x8x4xf32>
  // CHECK: linalg.batch_matmul ins(%[[S]], %{{.*}} :
  %m = linalg.batch_matmul ins(%s, %b : tensor<2x8x16xf32>, tensor<2x16x4xf32>) outs(%init : tensor<2x8x4xf32>) -> tensor<2x8x4xf32>
  return %m : tensor<2x8x4xf32>
}

// Elementwise chains still fuse into one generic.
// CHECK-LABEL: func.func @chain(
func.func @chain(%a: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %e = tensor.empty() : tensor<4x4xf32>
  // CHECK: linalg.generic
  // CHECK:   math.exp
  // CHECK:   math.tanh
  // CHECK-NOT: linalg.generic
  %x = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.exp %in : f32
    linalg.yield %t : f32
  } -> tensor<4x4xf32>
  %y = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.tanh %in : f32
    linalg.yield %t : f32
  } -> tensor<4x4xf32>
  return %y : tensor<4x4xf32>
}

// A producer that its consumer broadcasts (softmax's reciprocal of each row's sum) is not fused
// into it: the division would be made once per element instead of once per row.
#rows = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @broadcast_producer(
func.func @broadcast_producer(%x: tensor<4x128xf32>, %sum: tensor<4xf32>) -> tensor<4x128xf32> {
  %one = arith.constant 1.0 : f32
  %e1 = tensor.empty() : tensor<4xf32>
  // CHECK: %[[INV:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<4xf32>)
  // CHECK:   arith.divf
  %inv = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%sum : tensor<4xf32>) outs(%e1 : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.divf %one, %in : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %e = tensor.empty() : tensor<4x128xf32>
  // CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[INV]] : tensor<4x128xf32>, tensor<4xf32>)
  // CHECK-NOT: arith.divf
  // CHECK:   arith.mulf
  %y = linalg.generic {indexing_maps = [#map, #rows, #map], iterator_types = ["parallel", "parallel"]}
      ins(%x, %inv : tensor<4x128xf32>, tensor<4xf32>) outs(%e : tensor<4x128xf32>) {
  ^bb0(%a: f32, %b: f32, %out: f32):
    %t = arith.mulf %a, %b : f32
    linalg.yield %t : f32
  } -> tensor<4x128xf32>
  return %y : tensor<4x128xf32>
}
