// RUN: smc-opt %s -convert-smc-to-linalg -split-input-file | FileCheck %s
// smc.resize (ResizeToLinalg.cpp): one linalg.generic over the output that reads constant
// per-row (d1) and per-column (d2) tables of source indices and weights.

// Bilinear, half_pixel_centers, 2 -> 4: scale 2/4 = 0.5, source (i + 0.5) * 0.5 - 0.5 =
// -0.25, 0.25, 0.75, 1.25; lo = max(floor, 0) = 0, 0, 0, 1; hi = min(ceil, 1) = 0, 1, 1, 1;
// weight src - floor(src) = 0.75, 0.25, 0.75, 0.25. The width, 3 -> 1: scale 3, source
// (0 + 0.5) * 3 - 0.5 = 1: lo = hi = 1, weight 0.
// CHECK-LABEL: func.func @bilinear_half
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x3x5xi8>)
// CHECK-DAG: %[[YLO:.*]] = arith.constant dense<[0, 0, 0, 1]> : tensor<4xi32>
// CHECK-DAG: %[[YHI:.*]] = arith.constant dense<[0, 1, 1, 1]> : tensor<4xi32>
// CHECK-DAG: %[[YT:.*]] = arith.constant dense<[7.500000e-01, 2.500000e-01, 7.500000e-01, 2.500000e-01]> : tensor<4xf32>
// CHECK-DAG: %[[XLO:.*]] = arith.constant dense<1> : tensor<1xi32>
// CHECK-DAG: %[[XHI:.*]] = arith.constant dense<1> : tensor<1xi32>
// CHECK-DAG: %[[XT:.*]] = arith.constant dense<0.000000e+00> : tensor<1xf32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[YLO]], %[[XLO]], %[[YHI]], %[[XHI]], %[[YT]], %[[XT]] :
// CHECK: ^bb0(%[[YL:.*]]: i32, %[[XL:.*]]: i32, %[[YH:.*]]: i32, %[[XH:.*]]: i32, %[[TY:.*]]: f32, %[[TX:.*]]: f32, %{{.*}}: f32):
// CHECK: %[[TL:.*]] = tensor.extract %[[X]]
// CHECK: arith.uitofp %[[TL]] : i8 to f32
// CHECK: %[[D:.*]] = arith.subf
// CHECK: %[[M:.*]] = arith.mulf %[[D]], %[[TX]] : f32
// CHECK: %[[TOP:.*]] = arith.addf %{{.*}}, %[[M]] : f32
// CHECK: %[[BOT:.*]] = arith.addf
// CHECK: %[[DY:.*]] = arith.subf %[[BOT]], %[[TOP]] : f32
// CHECK: %[[MY:.*]] = arith.mulf %[[DY]], %[[TY]] : f32
// CHECK: %[[R:.*]] = arith.addf %[[TOP]], %[[MY]] : f32
// CHECK: linalg.yield %[[R]] : f32
func.func @bilinear_half(%x: tensor<1x2x3x5xui8>) -> tensor<1x4x1x5xf32> {
  %0 = smc.resize bilinear %x {half_pixel_centers = true, size = array<i64: 4, 1>} : (tensor<1x2x3x5xui8>) -> tensor<1x4x1x5xf32>
  return %0 : tensor<1x4x1x5xf32>
}

// -----

// Nearest, align_corners, 3 -> 5: scale (3 - 1) / (5 - 1) = 0.5, source 0, 0.5, 1, 1.5, 2,
// rounded with halves away from zero (TF's roundf): 0, 1, 1, 2, 2. The width, 4 -> 3: scale
// 3/2, source 0, 1.5, 3: 0, 2, 3.
// CHECK-LABEL: func.func @nearest_align
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4x1xf32>)
// CHECK-DAG: %[[ROWS:.*]] = arith.constant dense<[0, 1, 1, 2, 2]> : tensor<5xi32>
// CHECK-DAG: %[[COLS:.*]] = arith.constant dense<[0, 2, 3]> : tensor<3xi32>
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[ROWS]], %[[COLS]] : tensor<5xi32>, tensor<3xi32>)
// CHECK: ^bb0(%[[R:.*]]: i32, %[[C:.*]]: i32, %{{.*}}: f32):
// CHECK-DAG: %[[N:.*]] = linalg.index 0
// CHECK-DAG: %[[CH:.*]] = linalg.index 3
// CHECK-DAG: %[[RI:.*]] = arith.index_cast %[[R]] : i32 to index
// CHECK-DAG: %[[CI:.*]] = arith.index_cast %[[C]] : i32 to index
// CHECK: %[[V:.*]] = tensor.extract %[[X]][%[[N]], %[[RI]], %[[CI]], %[[CH]]]
// CHECK: linalg.yield %[[V]] : f32
func.func @nearest_align(%x: tensor<2x3x4x1xf32>) -> tensor<2x5x3x1xf32> {
  %0 = smc.resize nearest %x {align_corners = true, size = array<i64: 5, 3>} : (tensor<2x3x4x1xf32>) -> tensor<2x5x3x1xf32>
  return %0 : tensor<2x5x3x1xf32>
}
