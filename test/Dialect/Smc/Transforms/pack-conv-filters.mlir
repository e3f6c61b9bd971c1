// RUN: smc-opt %s -smc-tile-and-vectorize="vector-bits=128 vector-registers=8" | FileCheck %s
// A convolution whose filter is a constant reads each tile's filter block from a copy packed at
// compile time as [F / nb, KH, KW, C, nb]; when the filter outweighs the input (here 32 floats
// against 8), the output-channel loop is outermost.

// CHECK-LABEL: func.func @packed
func.func @packed(%x: tensor<1x2x2x2xf32>, %init: tensor<1x2x2x16xf32>) -> tensor<1x2x2x16xf32> {
  // Channel c, output f holds 16 * c + f. With 8 registers of 4 lanes a block of 2 rows takes 2
  // vectors (4 would not fit), so F is tiled by nb = 8: block 0
  // holds columns 0-7 of both channels, block 1 columns 8-15.
  // CHECK: %[[P:.*]] = arith.constant dense<{{\[\[\[\[\[}}0.000000e+00, {{.*}}, 7.000000e+00], [1.600000e+01, {{.*}}, 2.300000e+01]]]], {{\[\[\[\[}}8.000000e+00, {{.*}}, 1.500000e+01], [2.400000e+01, {{.*}}, 3.100000e+01]]]]]> : tensor<2x1x1x2x8xf32>
  // CHECK: scf.for %[[F0:.*]] = %c0 to %c16 step %c8
  // CHECK: scf.for %{{.*}} = %c0 to %c2 step %c1
  // CHECK: scf.for %[[C:.*]] = %c0 to %c2 step %c1
  // CHECK: %[[B:.*]] = affine.apply #{{.*}}(%[[F0]])
  // CHECK: vector.transfer_read %[[P]][%[[B]], %c0, %c0, %[[C]], %c0]{{.*}} : tensor<2x1x1x2x8xf32>, vector<1x1x8xf32>
  // CHECK: vector.contract
  %f = arith.constant dense<[[[[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0], [16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0]]]]> : tensor<1x1x2x16xf32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %f : tensor<1x2x2x2xf32>, tensor<1x1x2x16xf32>) outs(%init : tensor<1x2x2x16xf32>) -> tensor<1x2x2x16xf32>
  return %0 : tensor<1x2x2x16xf32>
}
