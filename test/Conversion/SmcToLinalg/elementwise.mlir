// RUN: smc-opt %s -convert-smc-to-linalg -split-input-file | FileCheck %s
// Elementwise ops: one linalg.generic with numpy broadcasting maps; the scalar op chosen by the
// TF element type (float, signed, unsigned).

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @add_broadcast
func.func @add_broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
  // CHECK: arith.addf
  %0 = smc.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func.func @size_one_dims
func.func @size_one_dims(%a: tensor<4x1xf32>, %b: tensor<1x5xf32>) -> tensor<4x5xf32> {
  // CHECK: linalg.generic {indexing_maps = [#[[COL]], #{{.*}}, #{{.*}}]
  %0 = smc.mul %a, %b : (tensor<4x1xf32>, tensor<1x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// Unsigned TF integers become signless, with unsigned arithmetic.
// CHECK-LABEL: func.func @unsigned(%{{.*}}: tensor<4xi8>, %{{.*}}: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi1>)
func.func @unsigned(%a: tensor<4xui8>, %b: tensor<4xui8>) -> (tensor<4xui8>, tensor<4xi1>) {
  // CHECK: arith.divui
  %0 = smc.floor_div %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  // CHECK: arith.cmpi ult
  %1 = smc.less %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xi1>
  return %0, %1 : tensor<4xui8>, tensor<4xi1>
}

// -----

// CHECK-LABEL: func.func @signed
func.func @signed(%a: tensor<4xi32>, %b: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>) {
  // CHECK: arith.floordivsi
  %0 = smc.floor_div %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  // floor_mod: remainder, then add the divisor when the signs differ
  // CHECK: arith.remsi
  // CHECK: arith.select
  %1 = smc.floor_mod %a, %b : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  return %0, %1 : tensor<4xi32>, tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @activations
func.func @activations(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  // CHECK: arith.maximumf
  // CHECK: arith.minimumf
  %0 = smc.relu6 %x : tensor<8xf32>
  // sigmoid: 1 / (1 + exp(-x))
  // CHECK: arith.negf
  // CHECK: math.exp
  // CHECK: arith.divf
  %1 = smc.sigmoid %x : tensor<8xf32>
  // exact gelu: 0.5 x (1 + erf(x / sqrt 2))
  // CHECK: math.erf
  %2 = smc.gelu %x {approximate = false} : tensor<8xf32>
  return %0, %1, %2 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @casts
func.func @casts(%f: tensor<3xf32>, %u: tensor<3xui8>, %b: tensor<3xi1>) -> (tensor<3xi32>, tensor<3xf32>, tensor<3xi1>, tensor<3xf32>) {
  // CHECK: arith.fptosi
  %0 = smc.cast %f : tensor<3xf32> -> tensor<3xi32>
  // CHECK: arith.uitofp
  %1 = smc.cast %u : tensor<3xui8> -> tensor<3xf32>
  // CHECK: arith.cmpf une
  %2 = smc.cast %f : tensor<3xf32> -> tensor<3xi1>
  // CHECK: arith.uitofp
  %3 = smc.cast %b : tensor<3xi1> -> tensor<3xf32>
  return %0, %1, %2, %3 : tensor<3xi32>, tensor<3xf32>, tensor<3xi1>, tensor<3xf32>
}
