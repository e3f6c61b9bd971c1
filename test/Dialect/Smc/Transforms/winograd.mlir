// RUN: smc-opt %s -smc-winograd -split-input-file | FileCheck %s
// RUN: smc-opt %s -smc-winograd=min-size=0 -split-input-file | FileCheck %s --check-prefix=OFF
// 3x3 stride-1 convolutions with constant filters become Winograd F(2x2, 3x3).

// CHECK-LABEL: func.func @conv3x3
// OFF-LABEL: func.func @conv3x3
func.func @conv3x3(%x: tensor<1x18x18x8xf32>) -> tensor<1x16x16x4xf32> {
  %w = arith.constant dense<1.0> : tensor<3x3x8x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x16x16x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x16x16x4xf32>) -> tensor<1x16x16x4xf32>
  // An all-ones filter g transforms to U = G g G^T, whose entries are products of G's row sums
  // (1, 3/2, 1/2, 1): U[1][1] = 9/4, U[1][2] = 3/4, U[2][2] = 1/4, U[0][0] = 1.
  // CHECK-DAG: arith.constant dense<1.000000e+00> : tensor<8x4xf32>
  // CHECK-DAG: arith.constant dense<2.250000e+00> : tensor<8x4xf32>
  // CHECK-DAG: arith.constant dense<7.500000e-01> : tensor<8x4xf32>
  // CHECK-DAG: arith.constant dense<2.500000e-01> : tensor<8x4xf32>
  // The input's 16 views, a step of 2 apart: the 4x4 tile of every 2x2 output tile.
  // CHECK-COUNT-16: tensor.extract_slice %arg0[0, {{[0-3]}}, {{[0-3]}}, 0] [1, 8, 8, 8] [1, 2, 2, 1]
  // One input transform with 16 results, 16 matmuls of 64 tiles x 8 channels by 8 x 4.
  // CHECK: } -> ({{(tensor<1x8x8x8xf32>, ){15}tensor<1x8x8x8xf32>}})
  // CHECK-COUNT-16: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<64x8xf32>, tensor<8x4xf32>)
  // One output transform with 4 results, each put in at [p::2, q::2].
  // CHECK: } -> (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>)
  // CHECK: tensor.insert_slice {{.*}}[0, 0, 0, 0] [1, 8, 8, 4] [1, 2, 2, 1]
  // CHECK: tensor.insert_slice {{.*}}[0, 0, 1, 0] [1, 8, 8, 4] [1, 2, 2, 1]
  // CHECK: tensor.insert_slice {{.*}}[0, 1, 0, 0] [1, 8, 8, 4] [1, 2, 2, 1]
  // CHECK: tensor.insert_slice {{.*}}[0, 1, 1, 0] [1, 8, 8, 4] [1, 2, 2, 1]
  // CHECK-NOT: linalg.conv_2d
  // OFF: linalg.conv_2d_nhwc_hwcf
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x18x18x8xf32>, tensor<3x3x8x4xf32>) outs(%init : tensor<1x16x16x4xf32>) -> tensor<1x16x16x4xf32>
  return %y : tensor<1x16x16x4xf32>
}

// -----

// The input transform, from the rows of B^T ([1 0 -1 0], [0 1 1 0], ...): its first result
// is V[0][0] = d00 - d02 - d20 + d22, its second V[0][1] = d01 + d02 - d21 - d22 (positive
// terms first).
// CHECK-LABEL: func.func @transform_terms
func.func @transform_terms(%x: tensor<1x16x16x8xf32>) -> tensor<1x14x14x4xf32> {
  %w = arith.constant dense<1.0> : tensor<3x3x8x4xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x14x14x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x14x14x4xf32>) -> tensor<1x14x14x4xf32>
  // CHECK: ^bb0(%[[D00:[a-z0-9_]+]]: f32, %[[D01:[a-z0-9_]+]]: f32, %[[D02:[a-z0-9_]+]]: f32, %{{[a-z0-9_]+}}: f32, %{{[a-z0-9_]+}}: f32, %{{[a-z0-9_]+}}: f32, %{{[a-z0-9_]+}}: f32, %{{[a-z0-9_]+}}: f32, %[[D20:[a-z0-9_]+]]: f32, %[[D21:[a-z0-9_]+]]: f32, %[[D22:[a-z0-9_]+]]: f32,
  // CHECK-NEXT: %[[A:.*]] = arith.addf %[[D00]], %[[D22]]
  // CHECK-NEXT: %[[B:.*]] = arith.subf %[[A]], %[[D02]]
  // CHECK-NEXT: arith.subf %[[B]], %[[D20]]
  // CHECK-NEXT: %[[C:.*]] = arith.addf %[[D01]], %[[D02]]
  // CHECK-NEXT: %[[D:.*]] = arith.subf %[[C]], %[[D21]]
  // CHECK-NEXT: arith.subf %[[D]], %[[D22]]
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x16x16x8xf32>, tensor<3x3x8x4xf32>) outs(%init : tensor<1x14x14x4xf32>) -> tensor<1x14x14x4xf32>
  return %y : tensor<1x14x14x4xf32>
}

// -----

// Left alone: stride 2, a filter that is not a constant, an odd output size, an output smaller
// than min-size (14), and an init that is not zero.
// CHECK-LABEL: func.func @not_rewritten
func.func @not_rewritten(%x: tensor<1x18x18x8xf32>, %wv: tensor<3x3x8x4xf32>, %small: tensor<1x10x10x8xf32>,
                         %odd: tensor<1x17x17x8xf32>, %acc: tensor<1x16x16x4xf32>)
    -> (tensor<1x8x8x4xf32>, tensor<1x16x16x4xf32>, tensor<1x8x8x4xf32>, tensor<1x15x15x4xf32>, tensor<1x16x16x4xf32>) {
  %w = arith.constant dense<1.0> : tensor<3x3x8x4xf32>
  %zero = arith.constant 0.0 : f32
  %e8 = tensor.empty() : tensor<1x8x8x4xf32>
  %i8 = linalg.fill ins(%zero : f32) outs(%e8 : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %e16 = tensor.empty() : tensor<1x16x16x4xf32>
  %i16 = linalg.fill ins(%zero : f32) outs(%e16 : tensor<1x16x16x4xf32>) -> tensor<1x16x16x4xf32>
  %e15 = tensor.empty() : tensor<1x15x15x4xf32>
  %i15 = linalg.fill ins(%zero : f32) outs(%e15 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
  // CHECK-COUNT-5: linalg.conv_2d_nhwc_hwcf
  // CHECK-NOT: linalg.matmul
  %s2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<1x18x18x8xf32>, tensor<3x3x8x4xf32>) outs(%i8 : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %var = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %wv : tensor<1x18x18x8xf32>, tensor<3x3x8x4xf32>) outs(%i16 : tensor<1x16x16x4xf32>) -> tensor<1x16x16x4xf32>
  %sm = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%small, %w : tensor<1x10x10x8xf32>, tensor<3x3x8x4xf32>) outs(%i8 : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %od = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%odd, %w : tensor<1x17x17x8xf32>, tensor<3x3x8x4xf32>) outs(%i15 : tensor<1x15x15x4xf32>) -> tensor<1x15x15x4xf32>
  %ac = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x18x18x8xf32>, tensor<3x3x8x4xf32>) outs(%acc : tensor<1x16x16x4xf32>) -> tensor<1x16x16x4xf32>
  return %s2, %var, %sm, %od, %ac : tensor<1x8x8x4xf32>, tensor<1x16x16x4xf32>, tensor<1x8x8x4xf32>, tensor<1x15x15x4xf32>, tensor<1x16x16x4xf32>
}
