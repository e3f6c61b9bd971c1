// RUN: smc-opt %s -smc-fuse-elementwise=max-body-ops=2 | FileCheck %s --check-prefix=CAP
// RUN: smc-opt %s -smc-fuse-elementwise | FileCheck %s --check-prefix=ALL
// Fusion stops growing a body past max-body-ops operations (fusing a chain pairwise clones
// the growing body at each step: quadratic): a chain of four one-op generics becomes two
// generics of two operations each, the second reading the first, in the chain's order. By
// default (256) the four fuse into one.

#map = affine_map<(d0) -> (d0)>

// CAP-LABEL: func.func @chain(
// CAP-SAME:    %[[A:[a-z0-9]+]]: tensor<8xf32>
// CAP:         %[[G1:.*]] = linalg.generic {{.*}} ins(%[[A]] :
// CAP-NEXT:    ^bb0(%[[I1:[a-z0-9]+]]: f32,
// CAP-NEXT:      %[[N:.*]] = arith.negf %[[I1]]
// CAP-NEXT:      %[[E:.*]] = math.exp %[[N]]
// CAP-NEXT:      linalg.yield %[[E]]
// CAP:         %[[G2:.*]] = linalg.generic {{.*}} ins(%[[G1]] :
// CAP-NEXT:    ^bb0(%[[I2:[a-z0-9]+]]: f32,
// CAP-NEXT:      %[[T:.*]] = math.tanh %[[I2]]
// CAP-NEXT:      %[[S:.*]] = math.sqrt %[[T]]
// CAP-NEXT:      linalg.yield %[[S]]
// CAP-NOT:     linalg.generic
// CAP:         return %[[G2]]

// ALL-LABEL: func.func @chain(
// ALL:         linalg.generic
// ALL:           arith.negf
// ALL-NEXT:      math.exp
// ALL-NEXT:      math.tanh
// ALL-NEXT:      math.sqrt
// ALL-NOT:     linalg.generic
func.func @chain(%a: tensor<8xf32>) -> tensor<8xf32> {
  %e = tensor.empty() : tensor<8xf32>
  %0 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%a : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = arith.negf %in : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  %1 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%0 : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.exp %in : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  %2 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%1 : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.tanh %in : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  %3 = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]}
      ins(%2 : tensor<8xf32>) outs(%e : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.sqrt %in : f32
    linalg.yield %t : f32
  } -> tensor<8xf32>
  return %3 : tensor<8xf32>
}
