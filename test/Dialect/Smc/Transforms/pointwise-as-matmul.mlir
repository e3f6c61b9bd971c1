// RUN: smc-opt %s -smc-pack-weights="vector-bits=256 vector-registers=16 fma-latency=5 min-volume=0" | FileCheck %s --check-prefix=AVX2
// RUN: smc-opt %s -smc-pack-weights="vector-bits=512 vector-registers=32 fma-latency=4 min-volume=0" | FileCheck %s --check-prefix=AVX512
// A 1 x 1 convolution over 7 x 7 pixels whose filter outweighs its input: as a convolution,
// AVX2's 16 registers take one image row of 7 pixels x 1 vector (7 accumulators: latency-bound);
// as a matmul of the 49 pixels, 6 x 2 and 5 x 2 vectors. So on AVX2 it becomes a packed matmul
// over the pixels (reshapes only); AVX-512's 32 registers hold 7 x 2 vectors, so there it
// stays a convolution. A 3 x 3 convolution is never rewritten.

// AVX2-LABEL: func.func @pointwise
// AVX2: tensor.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : tensor<1x7x7x64xf32> into tensor<49x64xf32>
// AVX2: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<49x64xf32>, tensor<{{[0-9]+}}x64x{{[0-9]+}}xf32>)
// AVX2-SAME: smc.packed_matmul
// AVX2: tensor.expand_shape %{{.*}} {{\[}}[0, 1, 2], [3]] {{.*}} : tensor<49x128xf32> into tensor<1x7x7x128xf32>
// AVX2-NOT: linalg.conv_2d_nhwc_hwcf
// AVX512-LABEL: func.func @pointwise
// AVX512: linalg.conv_2d_nhwc_hwcf
// AVX512-NOT: linalg.matmul
// AVX512-NOT: smc.packed_matmul
func.func @pointwise(%x: tensor<1x7x7x64xf32>) -> tensor<1x7x7x128xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.25> : tensor<1x1x64x128xf32>
  %e = tensor.empty() : tensor<1x7x7x128xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x7x7x128xf32>) -> tensor<1x7x7x128xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x7x7x64xf32>, tensor<1x1x64x128xf32>) outs(%init : tensor<1x7x7x128xf32>) -> tensor<1x7x7x128xf32>
  return %y : tensor<1x7x7x128xf32>
}

// AVX2-LABEL: func.func @three_by_three
// AVX2: linalg.conv_2d_nhwc_hwcf
func.func @three_by_three(%x: tensor<1x9x9x64xf32>) -> tensor<1x7x7x128xf32> {
  %zero = arith.constant 0.0 : f32
  %w = arith.constant dense<0.25> : tensor<3x3x64x128xf32>
  %e = tensor.empty() : tensor<1x7x7x128xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x7x7x128xf32>) -> tensor<1x7x7x128xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x9x9x64xf32>, tensor<3x3x64x128xf32>) outs(%init : tensor<1x7x7x128xf32>) -> tensor<1x7x7x128xf32>
  return %y : tensor<1x7x7x128xf32>
}
