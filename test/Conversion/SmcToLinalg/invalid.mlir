// RUN: smc-opt %s -convert-smc-to-linalg -split-input-file -verify-diagnostics
// What the dialect accepts but the conversion to linalg refuses: a clear error, no crash.

// A grouped convolution (filter input channels divide but are fewer than the input's): linalg
// has no NHWC grouped named op yet.
func.func @grouped_conv(%x: tensor<1x4x4x4xf32>, %w: tensor<1x1x2x4xf32>) -> tensor<1x4x4x4xf32> {
  // expected-error @+2 {{grouped convolutions (filter input channels 2 < input channels 4) are not supported yet}}
  // expected-error @+1 {{failed to legalize operation 'smc.conv2d'}}
  %0 = smc.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x4xf32>, tensor<1x1x2x4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}
