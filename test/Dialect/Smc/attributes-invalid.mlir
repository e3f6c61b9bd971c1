// RUN: smc-opt %s -split-input-file -verify-diagnostics
// Every rule of the smc dialect's attribute verifier, one case each. (Each case holds an smc
// op, so that the dialect is loaded when the module is verified.)

// expected-error@+1 {{'smc.signature' must be a non-empty string (the signature key or path)}}
func.func @empty_label(%a: tensor<2xf32>) -> tensor<2xf32> attributes {smc.signature = ""} {
  %0 = smc.relu6 %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @label_on_op(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{'smc.signature' belongs on a function}}
  %0 = smc.relu6 %a {smc.signature = "s"} : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// expected-error@+1 {{'smc.arena_size' must be a non-negative i64 byte count}}
func.func @negative_arena(%a: tensor<2xf32>) -> tensor<2xf32> attributes {smc.arena_size = -64 : i64} {
  %0 = smc.relu6 %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// expected-error@+1 {{'smc.arena_lower_bound' must be a non-negative i64 byte count}}
func.func @i32_bound(%a: tensor<2xf32>) -> tensor<2xf32> attributes {smc.arena_lower_bound = 64 : i32} {
  %0 = smc.relu6 %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// expected-error@+1 {{'smc.arena_size' (64) is below its lower bound (128)}}
func.func @below_bound(%a: tensor<2xf32>) -> tensor<2xf32> attributes {smc.arena_size = 64 : i64, smc.arena_lower_bound = 128 : i64} {
  %0 = smc.relu6 %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @packed_not_unit(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{'smc.packed_matmul' must be a unit attribute}}
  %0 = smc.relu6 %a {smc.packed_matmul = 1 : i64} : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @packed_not_linalg(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{'smc.packed_matmul' belongs on a linalg op (a packed matmul)}}
  %0 = smc.relu6 %a {smc.packed_matmul} : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @group_loop_not_unit(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{'smc.group_loop' must be a unit attribute}}
  %0 = smc.relu6 %a {smc.group_loop = 1 : i64} : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @group_loop_not_for(%a: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error@+1 {{'smc.group_loop' belongs on an scf.for (a grouped convolution's loop)}}
  %0 = smc.relu6 %a {smc.group_loop} : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// expected-error@+1 {{'smc.name' belongs on a function argument or result}}
func.func @name_on_function(%a: tensor<2xf32>) -> tensor<2xf32> attributes {smc.name = "x"} {
  %0 = smc.relu6 %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// expected-error@+1 {{unknown smc attribute 'smc.nonsense'}}
func.func @unknown(%a: tensor<2xf32>) -> tensor<2xf32> attributes {smc.nonsense} {
  %0 = smc.relu6 %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// expected-error@+1 {{'smc.name' on a function argument must be a string}}
func.func @name_not_string(%a: tensor<2xf32> {smc.name = 1 : i32}) -> tensor<2xf32> {
  %0 = smc.relu6 %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// expected-error@+1 {{'smc.tensor_type' on a function argument must be a statically shaped tensor type}}
func.func @dynamic_type(%a: tensor<2xf32> {smc.tensor_type = tensor<?xf32>}) -> tensor<2xf32> {
  %0 = smc.relu6 %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// expected-error@+1 {{'smc.tensor_type' 'tensor<3xf32>' on a function result of type 'tensor<2xf32>' has another shape}}
func.func @other_shape(%a: tensor<2xf32>) -> (tensor<2xf32> {smc.tensor_type = tensor<3xf32>}) {
  %0 = smc.relu6 %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// expected-error@+1 {{'smc.output' must be a unit attribute}}
func.func @output_not_unit(%a: memref<2xf32> {smc.output = 1 : i32}) {
  %0 = arith.constant dense<1.0> : tensor<2xf32>
  %1 = smc.relu6 %0 : tensor<2xf32>
  return
}

// -----

// expected-error@+1 {{'smc.arena' is not an smc attribute of a function result}}
func.func @arena_result(%a: tensor<2xf32>) -> (tensor<2xf32> {smc.arena}) {
  %0 = smc.relu6 %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// expected-error@+1 {{'smc.signature' is not an smc attribute of a function argument}}
func.func @label_on_argument(%a: tensor<2xf32> {smc.signature = "s"}) -> tensor<2xf32> {
  %0 = smc.relu6 %a : tensor<2xf32>
  return %0 : tensor<2xf32>
}
