// RUN: smc-opt %s -smc-tile-and-vectorize="vector-bits=256 vector-registers=16" | FileCheck %s --check-prefix=AVX2
// RUN: smc-opt %s -smc-tile-and-vectorize="vector-bits=512 vector-registers=32" | FileCheck %s --check-prefix=AVX512
// A convolution's register block has at most 7 rows (output pixels), although 14 would divide
// the row and fit the registers: each row is an input stream, here 1024 channels (4 KiB) apart,
// so that 14 of them would share one L1 set of 8 ways (ResNet50's 14 x 14 x 1024 layers; the
// reason is in RegisterTiles.cpp). AVX-512 (32 registers): 7 pixels x 32 channels; AVX2 (16):
// 2 pixels x 32 channels (7 x 16 would not fit, 7 x 8 loads 8 vectors per 7 multiply-adds);
// the accumulators carried through the 1024 channels.
// AVX2-LABEL: func.func @deep_1x1
// AVX2: scf.for {{.*}} to %c1024 step %c1 iter_args({{.*}}) -> (vector<1x2x32xf32>)
// AVX512-LABEL: func.func @deep_1x1
// AVX512: scf.for {{.*}} to %c1024 step %c1 iter_args({{.*}}) -> (vector<1x7x32xf32>)
func.func @deep_1x1(%x: tensor<1x14x14x1024xf32>, %f: tensor<1x1x1024x256xf32>, %b: tensor<256xf32>) -> tensor<1x14x14x256xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x14x14x256xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x14x14x256xf32>) -> tensor<1x14x14x256xf32>
  %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %f : tensor<1x14x14x1024xf32>, tensor<1x1x1024x256xf32>) outs(%init : tensor<1x14x14x256xf32>) -> tensor<1x14x14x256xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv, %b : tensor<1x14x14x256xf32>, tensor<256xf32>) outs(%e : tensor<1x14x14x256xf32>) {
  ^bb0(%c: f32, %bb: f32, %o: f32):
    %s = arith.addf %c, %bb : f32
    linalg.yield %s : f32
  } -> tensor<1x14x14x256xf32>
  return %r : tensor<1x14x14x256xf32>
}
