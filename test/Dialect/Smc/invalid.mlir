// RUN: smc-opt %s -split-input-file -verify-diagnostics
// Every verifier rule of the smc ops, one case each.

func.func @no_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error@+2 {{operand shapes 'tensor<2x3xf32>' and 'tensor<4xf32>' do not broadcast}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @wrong_result(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error@+2 {{inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3xf32>'}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @dynamic(%a: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error@+1 {{must be statically shaped tensor}}
  %0 = smc.exp %a : tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @matmul_k(%a: tensor<4x8xf32>, %b: tensor<9x16xf32>) -> tensor<4x16xf32> {
  // expected-error@+2 {{contracting dimensions differ (8 vs 9)}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.matmul %a, %b : (tensor<4x8xf32>, tensor<9x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

func.func @bias(%a: tensor<4x8xf32>, %b: tensor<7xf32>) -> tensor<4x8xf32> {
  // expected-error@+1 {{bias size 7 does not match the last dimension}}
  %0 = smc.bias_add %a, %b : tensor<4x8xf32>, tensor<7xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @reshape(%a: tensor<2x3xf32>) -> tensor<5xf32> {
  // expected-error@+1 {{cannot reshape 'tensor<2x3xf32>' (6 elements) to 'tensor<5xf32>' (5 elements)}}
  %0 = smc.reshape %a : tensor<2x3xf32> -> tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

func.func @perm(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error@+2 {{invalid permutation}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.transpose %a {perm = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) -> tensor<4x3xf32> {
  // expected-error@+2 {{does not match 'tensor<2x3xf32>' outside axis 0}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @slice(%a: tensor<2x3xf32>) -> tensor<1x3xf32> {
  // expected-error@+2 {{reads outside the input in dimension 1}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.slice %a {start = array<i64: 0, 1>, size = array<i64: 1, 3>, stride = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<1x3xf32>
  return %0 : tensor<1x3xf32>
}

// -----

func.func @axes(%a: tensor<2x3xf32>) -> tensor<f32> {
  // expected-error@+2 {{axes must be sorted, distinct and in [0, 2)}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.reduce sum %a {axes = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @logical(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error@+2 {{all needs bool elements}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.reduce all %a {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @argmax(%a: tensor<2x3xf32>) -> tensor<2xi64> {
  // expected-error@+1 {{axis 2 out of range}}
  %0 = smc.arg_max %a {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

func.func @top_k_too_many(%a: tensor<2x3xf32>) -> tensor<2x4xf32> {
  // expected-error@+1 {{k = 4 must be in [0, 3] (the size of the last dimension)}}
  %v, %i = smc.top_k %a {k = 4 : i64} : (tensor<2x3xf32>) -> (tensor<2x4xf32>, tensor<2x4xi32>)
  return %v : tensor<2x4xf32>
}

// -----

func.func @top_k_negative(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{k = -1 must be in [0, 3]}}
  %v, %i = smc.top_k %a {k = -1 : i64} : (tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xi32>)
  return %v : tensor<2x3xf32>
}

// -----

func.func @top_k_scalar(%a: tensor<f32>) -> tensor<f32> {
  // expected-error@+1 {{input must have at least one dimension}}
  %v, %i = smc.top_k %a {k = 0 : i64} : (tensor<f32>) -> (tensor<f32>, tensor<i32>)
  return %v : tensor<f32>
}

// -----

func.func @top_k_shape(%a: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error@+1 {{values and indices must have the input's shape with the last dimension replaced by k}}
  %v, %i = smc.top_k %a {k = 2 : i64} : (tensor<2x3xf32>) -> (tensor<2x2xf32>, tensor<2x3xi32>)
  return %v : tensor<2x2xf32>
}

// -----

func.func @top_k_type(%a: tensor<2x3xi32>) -> tensor<2x2xi64> {
  // expected-error@+1 {{values must have the input's element type}}
  %v, %i = smc.top_k %a {k = 2 : i64} : (tensor<2x3xi32>) -> (tensor<2x2xi64>, tensor<2x2xi32>)
  return %v : tensor<2x2xi64>
}

// -----

func.func @top_k_index_type(%a: tensor<3xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{result #1 must be statically shaped tensor of 16-bit signless integer or 32-bit signless integer or 64-bit signless integer values}}
  %v, %i = smc.top_k %a {k = 2 : i64} : (tensor<3xf32>) -> (tensor<2xf32>, tensor<2xui8>)
  return %v : tensor<2xf32>
}

// -----

func.func @top_k_bool(%a: tensor<3xi1>) -> tensor<2xi1> {
  // expected-error@+1 {{operand #0 must be statically shaped tensor of}}
  %v, %i = smc.top_k %a {k = 2 : i64} : (tensor<3xi1>) -> (tensor<2xi1>, tensor<2xi32>)
  return %v : tensor<2xi1>
}

// -----

// expected-error@+1 {{initial value type 'tensor<2xf32>' does not match 'tensor<f32>'}}
smc.global @v : tensor<f32> = dense<1.0> : tensor<2xf32>

// -----

smc.global @v : tensor<f32> = dense<1.0> : tensor<f32>
func.func @load(%x: tensor<2xf32>) {
  // expected-error@+1 {{type 'tensor<2xf32>' does not match global @v of type 'tensor<f32>'}}
  smc.global_store @v, %x : tensor<2xf32>
  return
}

// -----

func.func @unknown() -> tensor<f32> {
  // expected-error@+1 {{refers to an unknown global @w}}
  %0 = smc.global_load @w : tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @gather_axis(%p: tensor<2x3xf32>, %i: tensor<2xi32>) -> tensor<2x3xf32> {
  // expected-error@+2 {{'smc.gather': axis 2 is out of range for params of rank 2}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.gather %p[%i] {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @gather_batch_dims(%p: tensor<2x3xf32>, %i: tensor<2xi32>) -> tensor<2xf32> {
  // expected-error@+2 {{'smc.gather': batch_dims 1 must be in [0, min(axis 0, rank of indices 1)]}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.gather %p[%i] {axis = 0 : i64, batch_dims = 1 : i64} : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @gather_batch_mismatch(%p: tensor<2x3xf32>, %i: tensor<4x1xi32>) -> tensor<2x1xf32> {
  // expected-error@+2 {{'smc.gather': batch dimension 0 differs between params (2) and indices (4)}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.gather %p[%i] {axis = 1 : i64, batch_dims = 1 : i64} : (tensor<2x3xf32>, tensor<4x1xi32>) -> tensor<2x1xf32>
  return %0 : tensor<2x1xf32>
}

// -----

func.func @gather_float_indices(%p: tensor<2x3xf32>, %i: tensor<2xf32>) -> tensor<2x3xf32> {
  // expected-error@+1 {{operand #1 must be statically shaped tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = smc.gather %p[%i] {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @gather_result(%p: tensor<2x3xf32>, %i: tensor<2xi32>) -> tensor<3x3xf32> {
  // expected-error@+2 {{'smc.gather' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x3xf32>'}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.gather %p[%i] {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2xi32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

func.func @gather_nd_scalar_indices(%p: tensor<2x3xf32>, %i: tensor<i32>) -> tensor<f32> {
  // expected-error@+2 {{'smc.gather_nd': indices must have rank at least 1 (the last dimension holds the coordinates)}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.gather_nd %p[%i] : (tensor<2x3xf32>, tensor<i32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @gather_nd_too_many(%p: tensor<2x3xf32>, %i: tensor<4x3xi32>) -> tensor<4xf32> {
  // expected-error@+2 {{'smc.gather_nd': indices hold 3 coordinates, more than the rank 2 of params}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.gather_nd %p[%i] : (tensor<2x3xf32>, tensor<4x3xi32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @gather_nd_result(%p: tensor<2x3xf32>, %i: tensor<4x1xi32>) -> tensor<4xf32> {
  // expected-error@+2 {{'smc.gather_nd' op inferred type(s) 'tensor<4x3xf32>' are incompatible with return type(s) of operation 'tensor<4xf32>'}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.gather_nd %p[%i] : (tensor<2x3xf32>, tensor<4x1xi32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

func.func @scan_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error@+2 {{'smc.scan': axis 2 is out of range [0, 2)}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.scan sum %x {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

func.func @scan_result(%x: tensor<2x3xf32>) -> tensor<2x3xf64> {
  // expected-error@+2 {{'smc.scan' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf64>'}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.scan prod %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
}

// -----

func.func @scan_bool(%x: tensor<2xi1>) -> tensor<2xi1> {
  // expected-error@+1 {{'smc.scan' op operand #0 must be statically shaped tensor}}
  %0 = smc.scan sum %x {axis = 0 : i64} : (tensor<2xi1>) -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

// A grouped convolution's filter input channels (3) must divide the input's (8).
func.func @conv_groups_input(%x: tensor<1x4x4x8xf32>, %w: tensor<1x1x3x6xf32>) -> tensor<1x4x4x6xf32> {
  // expected-error@+2 {{'smc.conv2d': filter 'tensor<1x1x3x6xf32>' (HWIO) does not fit input 'tensor<1x4x4x8xf32>' (NHWC)}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x8xf32>, tensor<1x1x3x6xf32>) -> tensor<1x4x4x6xf32>
  return %0 : tensor<1x4x4x6xf32>
}

// -----

// ... and its groups (8 / 2 = 4) must divide the output channels (6).
func.func @conv_groups_output(%x: tensor<1x4x4x8xf32>, %w: tensor<1x1x2x6xf32>) -> tensor<1x4x4x6xf32> {
  // expected-error@+2 {{'smc.conv2d': filter 'tensor<1x1x2x6xf32>' gives 6 output channels, not a multiple of its 4 groups (input 'tensor<1x4x4x8xf32>')}}
  // expected-error@+1 {{failed to infer returned types}}
  %0 = smc.conv2d %x, %w {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x4x4x8xf32>, tensor<1x1x2x6xf32>) -> tensor<1x4x4x6xf32>
  return %0 : tensor<1x4x4x6xf32>
}
